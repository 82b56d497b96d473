"""Independent oracles shared by the tests."""

import numpy as np


def central_difference(function, x, step=1e-6):
    """(f(x + h) − f(x − h)) / 2h, elementwise: error O(h²) plus rounding O(ε/h)."""
    x = np.asarray(x, dtype=float)
    return (function(x + step) - function(x - step)) / (2 * step)
