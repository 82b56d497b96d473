import math

import numpy as np
import pytest

from snippets.core import linear_networks as linear


def test_gradient_exponent_counts_the_layers_above():
    depth, x = 12, 0.7
    for weight in (0.8, 1.3):
        weights = np.full(depth, weight)
        gradients = linear.linear_chain_gradients(weights, x)
        for n in range(1, depth + 1):
            # Second method: finite difference of L = x Π w_i with respect to w_n alone.
            step = 1e-7
            plus, minus = weights.copy(), weights.copy()
            plus[n - 1] += step
            minus[n - 1] -= step
            numeric = (x * np.prod(plus) - x * np.prod(minus)) / (2 * step)
            assert gradients[n - 1] == pytest.approx(numeric, rel=1e-6)
            # ∂L/∂w_n = a_{n−1} w^{l−n}: the exponent is l − n, not n − l.
            exponent = math.log(gradients[n - 1] / (x * weight ** (n - 1))) / math.log(weight)
            assert exponent == pytest.approx(depth - n, abs=1e-9)


def test_backward_factor_is_w_to_the_layers_above_and_weight_gradients_are_equal():
    weights = np.full(15, 1.3)
    np.testing.assert_allclose(linear.linear_chain_backward(weights),
                               1.3 ** (15 - np.arange(1, 16)))
    # The input factor a_{n−1} = w^{n−1} offsets it: every weight gets x w^{l−1}.
    np.testing.assert_allclose(linear.linear_chain_gradients(weights, 2.0), 2.0 * 1.3 ** 14)


def test_distinct_weights_multiply_the_ones_above():
    weights = np.array([2.0, 3.0, 5.0, 7.0])
    np.testing.assert_allclose(linear.linear_chain_gradients(weights, 1.0),
                               [3 * 5 * 7, 2 * 5 * 7, 2 * 3 * 7, 2 * 3 * 5])


@pytest.mark.parametrize("scale", [0.9, 1.0, 1.1])
def test_matrix_products_grow_like_the_scale_not_the_elements(scale):
    norms = linear.random_product_norms(np.random.default_rng(0), 32, 10, scale, trials=300)
    squared = norms[:, -1] ** 2
    # E‖W_k ⋯ W_1‖_F² / n = c^{2k} exactly for independent N(0, c²/n) entries.
    assert squared.mean() == pytest.approx(scale ** 20, abs=4 * squared.std() / math.sqrt(300))
    # Every entry of every factor is tiny: |w| ≲ 4c/√n < 1, yet c > 1 makes the product grow.
    assert 4 * scale / math.sqrt(32) < 1
