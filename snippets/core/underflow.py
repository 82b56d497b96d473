"""Underflow of a product of back-propagated factors in floating point (chapter 2).

A gradient that has passed back through r layers carries a product of r factors. Computed
in a floating-point type it first drops below the smallest *normal* number (and loses
precision as a subnormal), then rounds to exactly 0.
"""

import numpy as np

from snippets.core.validation import require_float_dtype, require_int, require_real

FLOAT_TYPES = (np.float16, np.float32, np.float64)


# --8<-- [start:running_product]
def running_product(factor, depth, dtype):
    """Products factor^r for r = 0 … depth, each step computed and rounded in ``dtype``."""
    factor = require_real("factor", factor, 0.0, 1.0, open_minimum=True, open_maximum=True)
    depth = require_int("depth", depth, minimum=1, maximum=1_000_000)
    # equivalent mutant (FLOAT_TYPES dropped): it is require_float_dtype's default.
    dtype = require_float_dtype("dtype", dtype, FLOAT_TYPES)
    products = np.empty(depth + 1, dtype=dtype)
    products[0] = dtype.type(1)
    step = dtype.type(factor)
    for r in range(1, depth + 1):
        products[r] = products[r - 1] * step
    return products


def underflow_depths(factor, dtype, max_depth=5000):
    """(first r with product below the smallest normal number, first r with product == 0)."""
    factor = require_real("factor", factor, 0.0, 1.0, open_minimum=True, open_maximum=True)
    # equivalent mutant (FLOAT_TYPES dropped): it is require_float_dtype's default.
    dtype = require_float_dtype("dtype", dtype, FLOAT_TYPES)
    max_depth = require_int("max_depth", max_depth, minimum=1, maximum=1_000_000)
    with np.errstate(under="ignore"):  # reaching the subnormals and 0 is the point
        products = running_product(factor, max_depth, dtype)
    smallest_normal = np.finfo(dtype).smallest_normal
    subnormal = np.flatnonzero(products < smallest_normal)
    zero = np.flatnonzero(products == 0)
    if zero.size == 0:
        raise ValueError(f"max_depth must be large enough for the product to reach 0: it is "
                         f"not yet 0 after max_depth={max_depth} factors")
    return int(subnormal[0]), int(zero[0])
# --8<-- [end:running_product]
