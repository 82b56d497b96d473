"""Argument checks shared by every computation: bad input raises a ValueError that names
the parameter and the range it must lie in."""

import math
import numbers

import numpy as np


def require_int(name, value, minimum=0, maximum=None):
    """Return ``value`` as an int if it is an integer in ``[minimum, maximum]``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise ValueError(f"{name} must be an integer, got {value!r}")
    upper = "∞" if maximum is None else maximum
    if value < minimum or (maximum is not None and value > maximum):
        raise ValueError(f"{name} must lie in [{minimum}, {upper}], got {value}")
    return int(value)


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


def require_array(name, value, ndim=None, finite=True):
    """Return ``value`` as a float array with ``ndim`` dimensions and, by default, finite
    entries."""
    array = real_array(name, value)
    if ndim is not None and array.ndim != ndim:
        raise ValueError(f"{name} must be a {ndim}-dimensional array, got shape {array.shape}")
    if array.size == 0:
        raise ValueError(f"{name} must not be empty")
    if finite and not np.all(np.isfinite(array)):
        raise ValueError(f"{name} must contain only finite values")
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
    if array.dtype.kind != "f" or array.dtype.itemsize < 4:
        raise ValueError(f"{name} must hold real numbers (float32 or float64), "
                         f"got dtype {array.dtype}")
    return array
