import math

import numpy as np
import pytest

from snippets.core import underflow


@pytest.mark.parametrize("dtype", underflow.FLOAT_TYPES)
def test_underflow_depths_match_the_exponent_range(dtype):
    info = np.finfo(dtype)
    # 0.25^r = 2^{−2r}. It is below the smallest normal 2^{e_min} once 2r > −e_min; it rounds
    # to 0 once it is at most half the smallest subnormal 2^{e_min − mantissa bits} (the tie
    # rounds to the even neighbour, 0).
    subnormal_expected = -info.minexp // 2 + 1
    zero_expected = math.ceil((info.nmant - info.minexp + 1) / 2)
    assert underflow.underflow_depths(0.25, dtype) == (subnormal_expected, zero_expected)


def test_published_type_limits():
    # IEEE 754: smallest normal numbers 2^-14, 2^-126, 2^-1022.
    assert underflow.underflow_depths(0.25, np.float16) == (8, 13)
    assert underflow.underflow_depths(0.25, np.float32) == (64, 75)
    assert underflow.underflow_depths(0.25, np.float64) == (512, 538)


def test_products_are_exact_powers_while_normal():
    products = underflow.running_product(0.25, 60, np.float32)
    assert all(products[r] == np.float32(2.0 ** (-2 * r)) for r in range(61))
