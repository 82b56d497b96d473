"""Argument checks shared by every computation: bad input raises a ValueError that names
the parameter and the range it must lie in.

Every count has an upper bound (``MAX_COUNT`` unless a function states a smaller one), so a
count such as 10¹² is refused at once instead of running for days or exhausting memory.
Booleans are never accepted as numbers, nor numbers as booleans.
"""

import math
import numbers

import numpy as np

MAX_COUNT = 10_000_000


def require_int(name, value, minimum=0, maximum=MAX_COUNT):
    """Return ``value`` as an int if it is an integer in ``[minimum, maximum]``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise ValueError(f"{name} must be an integer, got {value!r}")
    if value < minimum or value > maximum:
        raise ValueError(f"{name} must lie in [{minimum}, {maximum}], got {value}")
    return int(value)


def require_bool(name, value):
    """Return ``value`` if it is True or False (numpy's bool included)."""
    if not isinstance(value, (bool, np.bool_)):
        raise ValueError(f"{name} must be True or False, got {value!r}")
    return bool(value)


def require_choice(name, value, choices):
    """Return ``value`` if it equals one of ``choices`` (names, or the numbers an experiment is
    keyed by); a bool never stands for 1 or 0, nor a string for a number."""
    def same(option):
        if isinstance(option, str):
            return isinstance(value, str) and value == option
        return isinstance(value, numbers.Real) and not isinstance(value, (bool, np.bool_)) \
            and value == option
    if not any(same(option) for option in choices):
        raise ValueError(f"{name} must be one of {list(choices)}, got {value!r}")
    return value


def require_callable(name, value):
    """Return ``value`` if it can be called."""
    if not callable(value):
        raise ValueError(f"{name} must be a function, got {value!r}")
    return value


def require_instance(name, value, kind):
    """Return ``value`` if it is a ``kind`` (e.g. a Network)."""
    if not isinstance(value, kind):
        raise ValueError(f"{name} must be a {kind.__name__}, got {type(value).__name__}")
    return value


def require_float_dtype(name, value, allowed=(np.float16, np.float32, np.float64)):
    """Return ``value`` as a numpy dtype if it is one of the floating-point types ``allowed``
    (None, which numpy would read as float64, is refused: the caller must say)."""
    try:
        dtype = None if value is None else np.dtype(value)
    except (TypeError, ValueError):
        dtype = None
    if dtype is None or dtype not in [np.dtype(kind) for kind in allowed]:
        names = [np.dtype(kind).name for kind in allowed]
        raise ValueError(f"{name} must be one of the floating-point types {names}, "
                         f"got {value!r}")
    return dtype


def require_sizes(name, value, maximum=100_000):
    """Return ``value`` as a list of at least two layer widths, each an integer in
    [1, maximum]: an input width, any hidden widths, an output width."""
    if not isinstance(value, (list, tuple)) or len(value) < 2:
        raise ValueError(f"{name} must list at least an input and an output width, "
                         f"got {value!r}")
    return [require_int(name, size, minimum=1, maximum=maximum) for size in value]


def require_generators(name, value, count=None):
    """Return ``value`` as a list of numpy Generators (exactly ``count`` of them if given)."""
    if not isinstance(value, (list, tuple)) or not value \
            or not all(isinstance(g, np.random.Generator) for g in value):
        raise ValueError(f"{name} must be a non-empty list of numpy.random.Generator, "
                         f"got {value!r}")
    if count is not None and len(value) != count:
        raise ValueError(f"{name} must hold {count} generators, got {len(value)}")
    return list(value)


def require_real(name, value, minimum=-math.inf, maximum=math.inf, *,
                 open_minimum=False, open_maximum=False):
    """Return ``value`` as a float if it is finite and inside the stated interval."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ValueError(f"{name} must be a real number, got {value!r}")
    value = float(value)
    left = "(" if open_minimum else "["
    right = ")" if open_maximum else "]"
    interval = f"{left}{minimum}, {maximum}{right}"
    if not math.isfinite(value):
        raise ValueError(f"{name} must be finite and lie in {interval}, got {value}")
    too_low = value <= minimum if open_minimum else value < minimum
    too_high = value >= maximum if open_maximum else value > maximum
    if too_low or too_high:
        raise ValueError(f"{name} must lie in {interval}, got {value}")
    return value


def require_generator(name, value):
    """Random experiments take an explicit, seeded ``numpy.random.Generator``."""
    if not isinstance(value, np.random.Generator):
        raise ValueError(f"{name} must be a numpy.random.Generator "
                         f"(e.g. numpy.random.default_rng(0)), got {type(value).__name__}")
    return value


def require_array(name, value, ndim=None, finite=True, minimum=None, open_minimum=False,
                  maximum=None, shape=None):
    """Return ``value`` as a non-empty float array with ``ndim`` dimensions (one of them, if a
    tuple), the ``shape`` given (None in it: any length), by default finite entries, and
    entries ≥ ``minimum`` (> when ``open_minimum``) and ≤ ``maximum`` when those are given."""
    array = real_array(name, value)
    allowed = (ndim,) if isinstance(ndim, int) else ndim
    if allowed is not None and array.ndim not in allowed:
        wanted = " or ".join(str(n) for n in allowed)
        raise ValueError(f"{name} must be a {wanted}-dimensional array, got shape {array.shape}")
    if shape is not None and (array.ndim != len(shape) or any(
            want is not None and have != want for have, want in zip(array.shape, shape))):
        wanted = "(" + ", ".join("any" if n is None else str(n) for n in shape) + ")"
        raise ValueError(f"{name} must have shape {wanted}, got {array.shape}")
    if array.size == 0:
        raise ValueError(f"{name} must not be empty")
    if finite and not np.all(np.isfinite(array)):
        raise ValueError(f"{name} must contain only finite values")
    if minimum is not None and np.any(array <= minimum if open_minimum else array < minimum):
        raise ValueError(f"{name} must hold values {'>' if open_minimum else '≥'} {minimum}")
    if maximum is not None and np.any(array > maximum):
        raise ValueError(f"{name} must hold values ≤ {maximum}")
    return array


def real_array(name, value):
    """``value`` as a floating-point array: float32 and float64 are kept as they are (so an
    experiment may run in float32), integers and booleans become float64, anything else
    (strings, objects, complex numbers, None) is a ValueError naming ``name``."""
    try:
        array = np.asarray(value)
    except (TypeError, ValueError) as error:
        raise ValueError(f"{name} must be an array of real numbers: {error}") from None
    if array.dtype.kind in "biu":
        return array.astype(float)
    if array.dtype.kind != "f" or array.dtype.itemsize < 4 or array.dtype.itemsize > 8:
        raise ValueError(f"{name} must hold real numbers (float32 or float64), "
                         f"got dtype {array.dtype}")
    return array
