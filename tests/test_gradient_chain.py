import math
from fractions import Fraction

import numpy as np
import pytest

from snippets import gradient_chain as chain
from snippets.activations import derivative_peak, sigmoid, sigmoid_derivative


def _top_output(weights, start, activation):
    """y_m computed from the activation ``activation`` entering layer ``start`` (0-based)."""
    for weight in weights[start:]:
        activation = sigmoid(weight * activation)
    return activation


def test_ratios_match_finite_differences_through_the_chain():
    rng = np.random.default_rng(11)
    weights, inputs = chain.sample_chain(rng, chains=5, depth=8)
    ratios = chain.chain_gradient_ratios(weights, inputs)
    depth, step = weights.shape[1], 1e-4
    for row in range(weights.shape[0]):
        activations = [inputs[row]]
        for weight in weights[row]:
            activations.append(float(sigmoid(weight * activations[-1])))
        for r in range(1, depth + 1):
            start = depth - r  # y_{m−r} enters layer m − r + 1
            y = activations[start]
            numeric = (_top_output(weights[row], start, y + step)
                       - _top_output(weights[row], start, y - step)) / (2 * step)
            assert ratios[row, r - 1] == pytest.approx(abs(numeric), rel=1e-5, abs=1e-11)


def test_unit_weight_chain_decays_geometrically_at_the_fixed_point_rate():
    y_star = chain.sigmoid_fixed_point()
    assert abs(float(sigmoid(y_star)) - y_star) < 1e-15
    weights, inputs = chain.sample_chain(np.random.default_rng(0), chains=3, depth=60,
                                         weight_scale=0.0)
    ratios = chain.chain_gradient_ratios(weights, inputs)
    # The top 30 layers sit at the fixed point, so each multiplies by σ′(y*).
    successive = ratios[:, 1:30] / ratios[:, :29]
    np.testing.assert_allclose(successive, float(sigmoid_derivative(y_star)), rtol=1e-9)


def test_quarter_power_bounds_the_mean_but_not_every_chain():
    depth, bound = 10, 0.25 ** 10
    exceeding, means = [], []
    for seed in range(5):
        weights, inputs = chain.sample_chain(np.random.default_rng(seed), 20_000, depth)
        assert np.mean(np.abs(weights)) == pytest.approx(1.0, abs=0.01)  # E|w| = 1
        final = chain.chain_gradient_ratios(weights, inputs)[:, -1]
        exceeding.append(np.mean(final > bound))
        means.append(final.mean())
    # Individual chains break the bound: with 100 000 chains, a share of ≥ 1 % is not noise.
    assert min(exceeding) > 0.01
    # The mean respects it with a wide margin (E ∏|w_t|σ′ ≤ 0.25^r ∏ E|w_t| = 0.25^r).
    assert max(means) < 0.5 * bound
    # With |w| ≤ 1 the bound is deterministic: no chain may exceed it.
    rng = np.random.default_rng(5)
    small = rng.uniform(-1, 1, size=(20_000, depth))
    ratios = chain.chain_gradient_ratios(small, rng.standard_normal(20_000))
    assert np.all(ratios <= 0.25 ** np.arange(1, depth + 1))


def test_quarter_to_the_tenth_is_one_over_two_to_the_twenty():
    assert Fraction(1, 4) ** 10 == Fraction(1, 2 ** 20)
    peak = derivative_peak(sigmoid_derivative)[1]
    assert peak ** 10 == pytest.approx(1 / 2 ** 20, rel=1e-12)
    assert 1 / 2 ** 20 < 1e-6


def test_sigmoid_factor_reaches_one_only_with_large_weights_on_a_narrow_band():
    v = np.linspace(-20, 20, 400_001)
    for weight in (0.5, 1.0, 2.0, 3.99):
        assert chain.unit_gain_half_width(weight) is None
        assert np.max(abs(weight) * sigmoid_derivative(v)) < 1.0
    for weight in (4.5, 8.0, -16.0):
        band = v[abs(weight) * sigmoid_derivative(v) >= 1.0]
        half_width = chain.unit_gain_half_width(weight)
        assert band.max() == pytest.approx(half_width, abs=2e-4)
        assert band.min() == pytest.approx(-half_width, abs=2e-4)
    # For w = 8 the activations y = v / w that keep the factor ≥ 1 span less than ±0.25.
    assert chain.unit_gain_half_width(8.0) / 8.0 < 0.25


def test_statistics_are_the_quantiles_of_the_sample():
    ratios = np.arange(1.0, 101.0)[:, None] * np.array([[1.0, 0.5]])
    stats = chain.chain_ratio_statistics(ratios, bound_factor=0.5)
    assert stats["median"].tolist() == [50.5, 25.25]
    assert stats["fraction_above_bound"].tolist() == [1.0, 1.0]
    np.testing.assert_allclose(stats["bound"], [0.5, 0.25])


@pytest.mark.parametrize("call, parameter", [
    (lambda: chain.sample_chain(np.random.default_rng(0), 10, -1), "depth"),
    (lambda: chain.sample_chain(np.random.default_rng(0), 0, 3), "chains"),
    (lambda: chain.sample_chain(np.random.default_rng(0), 5, 3, math.inf), "weight_scale"),
    (lambda: chain.sample_chain(np.random.default_rng(0), 5, 3, -1.0), "weight_scale"),
    (lambda: chain.sample_chain(0, 5, 3), "rng"),
    (lambda: chain.chain_gradient_ratios(np.ones(3), np.ones(3)), "weights"),
    (lambda: chain.chain_gradient_ratios(np.ones((3, 2)), np.ones(4)), "inputs"),
    (lambda: chain.chain_gradient_ratios(np.full((1, 1), np.nan), np.ones(1)), "weights"),
    (lambda: chain.chain_ratio_statistics(np.ones((2, 2)), bound_factor=0.0), "bound_factor"),
    (lambda: chain.unit_gain_half_width(float("nan")), "weight"),
])
def test_bad_arguments_raise_value_error_naming_the_parameter(call, parameter):
    with pytest.raises(ValueError, match=parameter):
        call()
