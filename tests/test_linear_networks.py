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


def test_the_chain_rule_product_pairs_each_activation_with_its_own_pre_activation():
    # The article's product runs over ∂a_{i+1}/∂s_i · ∂s_{i+1}/∂a_{i+1}; the chain rule needs
    # ∂a_i/∂s_i · ∂s_{i+1}/∂a_i (the chapter's). Each factor of the chain rule is a local
    # derivative: of one quantity with respect to what it is computed from directly. Here
    # they come from finite differences of the layer maps s_i = w_i a_{i−1}, a_i = tanh(s_i),
    # and the two products are compared with a finite difference of the loss ½ a_l².
    rng = np.random.default_rng(7)
    layers, n, h = 6, 2, 1e-6
    w = rng.uniform(0.5, 1.5, size=layers + 1)          # w[1] … w[layers]; w[0] unused
    x = 0.8

    def forward(weights):
        a, s = [x], [None]
        for i in range(1, layers + 1):
            s.append(weights[i] * a[i - 1])
            a.append(np.tanh(s[i]))
        return s, a

    s, a = forward(w)

    def local(output, index, wrt, wrt_index):
        """∂output_index/∂wrt_wrt_index, holding everything else fixed (0 if output is not
        computed directly from that quantity)."""
        if output == "a" and wrt == "s" and index == wrt_index:
            return (np.tanh(s[index] + h) - np.tanh(s[index] - h)) / (2 * h)
        if output == "s" and wrt == "a" and wrt_index == index - 1:
            return (w[index] * (a[index - 1] + h) - w[index] * (a[index - 1] - h)) / (2 * h)
        return 0.0

    head = a[n - 1] * local("a", layers, "s", layers) * a[layers]   # ∂s_n/∂w_n · … · ∂L/∂a_l
    corrected = head * np.prod([local("a", i, "s", i) * local("s", i + 1, "a", i)
                                for i in range(n, layers)])
    printed = head * np.prod([local("a", i + 1, "s", i) * local("s", i + 1, "a", i + 1)
                              for i in range(n, layers)])
    plus, minus = w.copy(), w.copy()
    plus[n] += h
    minus[n] -= h
    numeric = (0.5 * forward(plus)[1][-1] ** 2 - 0.5 * forward(minus)[1][-1] ** 2) / (2 * h)
    assert corrected == pytest.approx(numeric, rel=1e-6)
    assert printed == 0.0 and abs(numeric) > 1e-3


def test_a_product_of_exactly_two_to_the_1024_is_refused_and_a_tiny_input_keeps_one_finite():
    # 2^512 · 2^512 = 2^1024 is one past float64's range: ln of it rounds to ln(max float), so
    # a test on logarithms let it through (found by a mutant). Powers of two are exact.
    for call in (lambda: linear.linear_chain_gradients([2.0**512, 2.0**512, 1.0]),
                 lambda: linear.linear_chain_backward([1.0, 2.0**512, 2.0**512])):
        with pytest.raises(ValueError, match="weights"):
            call()
    # a_2 = x w_1 w_2 = 2^-600 · 2^1000 = 2^400: finite, though w_1 w_2 alone is not.
    gradients = linear.linear_chain_gradients([2.0**500, 2.0**500, 1.0], x=2.0**-600)
    assert gradients.tolist() == [2.0**-100, 2.0**-100, 2.0**400]


def test_a_chain_that_overflows_above_a_zero_weight_is_refused_not_nan():
    # Above layer 1 the weights 0, 2^600, 2^600 give the products 2^600, 2^1200 (beyond
    # float64) and that times 0: undefined, refused like the overflow it comes from. In the
    # gradient, layer 2 has a_1 = x · 0 = 0 and ∂L/∂a_2 = 2^1200: 0 times an overflow.
    for call in (lambda: linear.linear_chain_backward([1.0, 0.0, 2.0**600, 2.0**600]),
                 lambda: linear.linear_chain_gradients([1.0, 0.0, 2.0**600, 2.0**600]),
                 lambda: linear.linear_chain_gradients([0.0, 1.0, 2.0**600, 2.0**600])):
        with pytest.raises(ValueError, match="weights"):
            call()
