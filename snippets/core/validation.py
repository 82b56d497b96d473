"""Argument checks shared by every computation: bad input raises a ValueError that names
the parameter and the range it must lie in.

**Counts** each have an upper bound (``MAX_COUNT`` unless a function states a smaller one), so a
count such as 10¹² is refused at once. A bound on each count does not bound a call, though: its
memory and its work grow with the *product* of its counts (epochs × mini-batches × batch size ×
parameters). So every function that sizes arrays or loops from its counts also checks those
products with :func:`require_budget`, against two budgets:

- ``MAX_ELEMENTS`` = 2²⁶ ≈ 6.7e7 entries (512 MiB of float64) for the arrays a call's counts
  ask for at once. numpy's temporaries while combining them at most doubled that in every
  call measured at its bound (tracemalloc peaks: one_hot 0.50 GiB, draw_weights 0.50,
  init_network 0.54, simulate 0.58, gradient_descent_path 1.00), so no call within its bounds
  asks for more than 2 GiB (tests/test_fuzz_signatures.py checks the arithmetic, with a
  margin, and two calls at the bound).
- ``MAX_OPERATIONS`` = 1e11 floating-point operations (a multiply-add counts 2), where one step
  of a Python-level loop counts ``STEP_COST`` = 1e5 (a mini-batch update of a small network
  costs about 60 µs). Measured at the bound on one core (an AMD EPYC, one BLAS thread):
  train_sgd with 990 000 updates of a 3–3–3 network 59 s, the slowest; born_dead_share 22 s,
  train_single_unit 14 s, chain_factors 8 s, random_product_norms 6 s, train_sgd with 28 000
  updates of a 64–100–100–10 network 4 s. A few minutes at most on a slower core.

**Real numbers** are finite and inside the interval the function states. An integer, Fraction
or numpy scalar too large for a float (10**400) is refused as not finite, never with an
OverflowError; a subnormal number (1e-320) is valid wherever the interval allows it, and the
function then computes with it correctly, or refuses it with a ValueError naming the parameter
where the result cannot be represented (a simulated signal that underflows to 0). Booleans are
never accepted as numbers (nor as array entries), nor numbers as booleans.

**Arrays** hold float32 or float64 entries (integers become float64). Where arithmetic on the
entries could overflow, the function states the range its entries must lie in: for arrays that
are only summarised (means, spreads, squares, products of two) it is [−MAX_MAGNITUDE,
MAX_MAGNITUDE] = [−1e100, 1e100], whose squares summed over any array that fits in memory stay
finite.
"""

import math
import numbers

import numpy as np

MAX_COUNT = 10_000_000
MAX_ELEMENTS = 2 ** 26
MAX_OPERATIONS = 1e11
STEP_COST = 1e5   # operations one step of a Python-level loop is counted as
MAX_MAGNITUDE = 1e100   # entries of arrays that are averaged, squared or multiplied


def require_budget(product, value, maximum):
    """Refuse a call whose counts ask for more than a budget: ``product`` names the
    parameters whose product ``value`` is (e.g. "epochs × mini-batches × …"), ``maximum`` is
    MAX_ELEMENTS or MAX_OPERATIONS."""
    if value > maximum:
        budget = "MAX_ELEMENTS array entries" if maximum == MAX_ELEMENTS else \
            "MAX_OPERATIONS floating-point operations" if maximum == MAX_OPERATIONS else "the bound"
        raise ValueError(f"{product} must be at most {maximum:.3g} ({budget}), "
                         f"got {value:.3g}")
    return value


def _short(value):
    """``repr(value)``, shortened when it runs to hundreds of digits (10**400)."""
    text = repr(value)
    return text if len(text) <= 40 else f"{text[:20]}… ({len(text)} characters)"


def require_int(name, value, minimum=0, maximum=MAX_COUNT):
    """Return ``value`` as an int if it is an integer in ``[minimum, maximum]``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise ValueError(f"{name} must be an integer in [{minimum}, {maximum}], "
                         f"got {_short(value)}")
    if value < minimum or value > maximum:
        raise ValueError(f"{name} must lie in [{minimum}, {maximum}], got {_short(value)}")
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
        # A value (numpy.float32(1), an array) is not a type, although np.dtype reads its dtype.
        dtype = None if value is None or isinstance(value, (np.ndarray, np.generic)) \
            else np.dtype(value)
    except (TypeError, ValueError):
        # equivalent mutant ("" for None): "" equals no allowed dtype, so it is refused alike.
        dtype = None
    if dtype is None or dtype not in [np.dtype(kind) for kind in allowed]:
        names = [np.dtype(kind).name for kind in allowed]
        raise ValueError(f"{name} must be one of the floating-point types {names}, "
                         f"got {value!r}")
    return dtype


def require_sizes(name, value, maximum=100_000, layers=10_000):
    """Return ``value`` as a list of two to ``layers`` + 1 layer widths, each an integer in
    [1, maximum]: an input width, any hidden widths, an output width."""
    if not isinstance(value, (list, tuple)) or not 2 <= len(value) <= layers + 1:
        raise ValueError(f"{name} must list an input width, any hidden widths and an output "
                         f"width (2 to {layers + 1} widths), got {_short(value)}")
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
    left = "(" if open_minimum else "["
    right = ")" if open_maximum else "]"
    interval = f"{left}{minimum}, {maximum}{right}"
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ValueError(f"{name} must be a real number in {interval}, got {_short(value)}")
    try:
        number = float(value)
    except OverflowError:  # an int or Fraction beyond float's range: not finite as a float
        number = math.nan
    if not math.isfinite(number):
        raise ValueError(f"{name} must be finite and lie in {interval}, got {_short(value)}")
    value = number
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
    # Bounds as float64 scalars, so float32 entries are compared in float64: a bound such as
    # 1e100 does not fit in float32.
    below = np.less_equal if open_minimum else np.less
    too_low = minimum is not None and np.any(below(array, np.float64(minimum)))
    too_high = maximum is not None and np.any(array > np.float64(maximum))
    if too_low or too_high:
        if minimum is not None and maximum is not None:
            wanted = f"in {'(' if open_minimum else '['}{minimum}, {maximum}]"
        elif minimum is not None:
            wanted = f"{'>' if open_minimum else '≥'} {minimum}"
        else:
            wanted = f"≤ {maximum}"
        raise ValueError(f"{name} must hold values {wanted}")
    return array


def real_array(name, value):
    """``value`` as a floating-point array: float32 and float64 are kept as they are (so an
    experiment may run in float32), integers become float64, anything else (booleans,
    strings, objects, complex numbers, None) is a ValueError naming ``name``."""
    try:
        array = np.asarray(value)
    except (TypeError, ValueError) as error:
        raise ValueError(f"{name} must be an array of real numbers: {error}") from None
    # equivalent mutants ("XXiuXX" for "iu", astype(None)): no dtype kind is "X", and
    # astype(None) converts to float64 as astype(float) does.
    if array.dtype.kind in "iu":
        return array.astype(float)
    # equivalent mutant (> 9): no float dtype is 9 bytes wide (numpy's are 2, 4, 8, 12 or 16).
    if array.dtype.kind != "f" or array.dtype.itemsize < 4 or array.dtype.itemsize > 8:
        raise ValueError(f"{name} must hold real numbers (float32 or float64), "
                         f"got {array.dtype} entries")
    return array
