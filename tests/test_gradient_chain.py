import itertools
import math
from fractions import Fraction

import numpy as np
import pytest

from snippets.core import gradient_chain as chain
from snippets.core.activations import derivative_peak, sigmoid, sigmoid_derivative


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
    exceeding, means, steps_above, chains_with_a_step_above = [], [], [], []
    for seed in range(5):
        weights, inputs = chain.sample_chain(np.random.default_rng(seed), 20_000, depth)
        assert np.mean(np.abs(weights)) == pytest.approx(1.0, abs=0.01)  # E|w| = 1
        ratios = chain.chain_gradient_ratios(weights, inputs)
        final = ratios[:, -1]
        exceeding.append(np.mean(final > bound))
        means.append(final.mean())
        # The article's step: ∂J/∂y⁽ᵗ⁾ below 0.25 ∂J/∂y⁽ᵗ⁺¹⁾ at every layer. The step ratios
        # are the quotients ρ_r / ρ_{r−1} (ρ_0 = 1) of the finite-difference-checked ratios.
        steps = ratios / np.hstack([np.ones((ratios.shape[0], 1)), ratios[:, :-1]])
        steps_above.append(np.mean(steps > 0.25))
        chains_with_a_step_above.append(np.mean(np.any(steps > 0.25, axis=1)))
    # The per-step bound fails at about a third of the layers (|w| > 1 in 42 % of draws) and
    # in nearly every chain: a share of 10 % is far outside sampling error at 20 000 chains.
    assert min(steps_above) > 0.1 and min(chains_with_a_step_above) > 0.5
    # Individual chains break the bound: with 100 000 chains, a share of ≥ 1 % is not noise.
    assert min(exceeding) > 0.01
    # The mean respects it with a wide margin (E ∏|w_t|σ′ ≤ 0.25^r ∏ E|w_t| = 0.25^r).
    assert max(means) < 0.5 * bound
    # With |w| ≤ 1 the bound is deterministic: no chain may exceed it.
    rng = np.random.default_rng(5)
    small = rng.uniform(-1, 1, size=(20_000, depth))
    ratios = chain.chain_gradient_ratios(small, rng.standard_normal(20_000))
    assert np.all(ratios <= 0.25 ** np.arange(1, depth + 1))


def test_weights_of_mean_one_do_not_keep_the_mean_ratio_below_the_quarter_power():
    # The article first assumes E[w] = 1, later E|w| = 1. Only the second gives the bound on
    # the mean (E ∏|w_t|σ′ ≤ 0.25^r ∏ E|w_t|). Counterexample: w = 3 with probability 2/3 and
    # w = −3 with 1/3, so E[w] = 1 but E|w| = 3. Oracle: the exact expectation, every one of
    # the 2^10 weight sequences enumerated in plain Python floats (math.exp, not our code).
    from snippets.experiments.why_relu_works import sigmoid_chain as experiment

    def sigma(z):
        return 1 / (1 + math.exp(-z))

    depth, start = 10, 1.0
    law = {3.0: Fraction(2, 3), -3.0: Fraction(1, 3)}
    assert sum(w * p for w, p in law.items()) == 1 and sum(abs(w) * p for w, p in law.items()) == 3
    expected = 0.0
    for sequence in itertools.product(law, repeat=depth):
        y, ratio, probability = start, 1.0, 1.0
        for w in sequence:
            z = w * y
            ratio *= abs(w) * sigma(z) * (1 - sigma(z))
            probability *= float(law[w])
            y = sigma(z)
        expected += probability * ratio
    result = experiment.mean_one_counterexample()
    assert result["mean_ratio"][-1] == pytest.approx(expected, rel=1e-9)
    assert (result["mean_weight"], result["mean_absolute_weight"]) == pytest.approx((1, 3))
    assert expected > 10 * 0.25 ** depth          # the bound on the mean fails, by far


def test_quarter_to_the_tenth_is_one_over_two_to_the_twenty():
    assert Fraction(1, 4) ** 10 == Fraction(1, 2 ** 20)
    peak = derivative_peak(sigmoid_derivative)[1]
    assert peak ** 10 == pytest.approx(1 / 2 ** 20, rel=1e-12)
    assert 1 / 2 ** 20 < 1e-6


def test_sigmoid_factor_is_one_only_on_a_narrow_band_or_for_the_one_input_a_bias_centres():
    z = np.linspace(-20, 20, 400_001)
    for weight in (0.5, 1.0, 2.0, 3.99):
        assert chain.unit_gain_half_width(weight) is None
        assert np.max(abs(weight) * sigmoid_derivative(z)) < 1.0
    for weight in (4.5, 8.0, -16.0):
        band = z[abs(weight) * sigmoid_derivative(z) >= 1.0]
        half_width = chain.unit_gain_half_width(weight)
        assert band.max() == pytest.approx(half_width, abs=2e-4)
        assert band.min() == pytest.approx(-half_width, abs=2e-4)
    # For w = 8 the activations y = z / w that keep the factor ≥ 1 span less than ±0.25.
    assert chain.unit_gain_half_width(8.0) / 8.0 < 0.25
    # With biases the product can be made exactly one: w = 4 and b_t = −w·y_{t−1} put every
    # pre-activation at 0, where 4·σ′(0) = 4 · 1/4 = 1 (closed form) ...
    weights, biases, inputs = chain.exploding_chain(4.0, 10, first_input=0.5)
    assert chain.chain_factors(weights, inputs, biases) == pytest.approx(np.ones((1, 10)),
                                                                        abs=1e-15)
    # ... but only for the input the biases were chosen for: any other input moves the
    # first pre-activation off 0 and its factor below 1.
    for other in (-1.0, 0.0, 0.4, 0.6, 2.0):
        assert chain.chain_factors(weights, np.array([other]), biases)[0, 0] < 1.0


def test_statistics_are_the_quantiles_of_the_sample():
    ratios = np.arange(1.0, 101.0)[:, None] * np.array([[1.0, 0.5]])
    stats = chain.chain_ratio_statistics(ratios, bound_factor=0.5)
    assert stats["median"].tolist() == [50.5, 25.25]
    assert stats["fraction_above_bound"].tolist() == [1.0, 1.0]
    np.testing.assert_allclose(stats["bound"], [0.5, 0.25])


def test_nielsens_chain_multiplies_the_gradient_by_w_over_four():
    for weight in (2.0, 4.0, 100.0):
        weights, biases, inputs = chain.exploding_chain(weight, 10)
        ratios = chain.chain_gradient_ratios(weights, inputs, biases)[0]
        np.testing.assert_allclose(ratios, (weight / 4) ** np.arange(1, 11), rtol=1e-12)
    # Second method: finite differences through the chain with w = 8 (factor 2 per layer).
    weights, biases, inputs = chain.exploding_chain(8.0, 6)

    def top(y, start):
        for layer in range(start, 6):
            y = sigmoid(weights[0, layer] * y + biases[0, layer])
        return y

    activation = inputs[0]
    activations = [activation]
    for layer in range(6):
        activation = float(sigmoid(weights[0, layer] * activation + biases[0, layer]))
        activations.append(activation)
    for r in range(1, 7):
        start, step = 6 - r, 1e-5
        numeric = (top(activations[start] + step, start) - top(activations[start] - step, start))
        assert abs(numeric) / (2 * step) == pytest.approx(2.0 ** r, rel=1e-6)


def test_unit_normal_weights_push_some_factors_above_a_quarter():
    weights, inputs = chain.sample_chain(np.random.default_rng(0), 100_000, 3, weight_scale=1.0)
    factors = chain.chain_factors(weights, inputs)
    above = np.mean(factors > 0.25)
    assert above > 0.1  # far from "every factor is below 1/4"
    # A factor above 1/4 needs |w| > 1, since σ′ ≤ 1/4.
    assert np.all(np.abs(weights[factors > 0.25]) > 1)
    # And the vanishing still holds for the typical product of two factors.
    assert np.median(factors[:, 1] * factors[:, 2]) < 1 / 16


def test_first_weight_gradient_matches_a_finite_difference():
    rng = np.random.default_rng(4)
    for _ in range(5):
        weights, x = rng.standard_normal(3), float(rng.standard_normal())

        def cost(w1, weights=weights, x=x):
            out = sigmoid(weights[2] * sigmoid(weights[1] * sigmoid(w1 * x)))
            return 0.5 * (out - 1.0) ** 2

        _, product = chain.first_weight_gradient(weights, x)
        numeric = (cost(weights[0] + 1e-6) - cost(weights[0] - 1e-6)) / 2e-6
        assert product == pytest.approx(numeric, rel=1e-5, abs=1e-12)
    with pytest.raises(ValueError, match="weights"):
        chain.first_weight_gradient(np.ones(2), 1.0)


def test_product_of_two_fractions_is_below_both():
    # Exact rational arithmetic: no rounding can make the comparison pass or fail.
    assert Fraction(1, 3) * Fraction(1, 3) == Fraction(1, 9)
    fractions = [Fraction(p, q) for q in range(2, 40) for p in range(1, q)]
    for a in fractions[::7]:
        for b in fractions[::11]:
            assert a * b < min(a, b)


def test_a_deep_chains_first_weight_reaches_the_optimum_only_in_time_growing_twentyfold_per_layer():
    # "Even if we train for a long time, it is not possible to reach the optimum" (article
    # 000). The first weight of chains of 1 … 10 sigmoid layers is trained towards a teacher
    # weight, so the optimum is known; oracles: central differences for the curvature, the
    # linear rate (1 − ηλ)^t for the step counts, the fixed point σ′(y*) for the growth.
    from snippets.experiments.why_relu_works import sigmoid_chain as experiment

    result = experiment.long_training()
    depths, curvature = np.array(experiment.TRAINED_DEPTHS), result["curvature"]
    teacher, step = experiment.TEACHER_WEIGHT, 1e-4
    for depth, value in zip(depths, curvature):
        weights = np.ones(depth)
        slope = ((_top_output(np.r_[teacher + step, weights[1:]], 0, 1.0)
                  - _top_output(np.r_[teacher - step, weights[1:]], 0, 1.0)) / (2 * step))
        assert value == pytest.approx(float(slope) ** 2, rel=1e-3), depth
    # Each layer added divides the curvature, hence multiplies the steps, by 1/σ′(y*)².
    factor = float(sigmoid_derivative(chain.sigmoid_fixed_point())) ** -2
    assert (curvature[-2] / curvature[-1]) ** (1 / (depths[-1] - depths[-2])) == \
        pytest.approx(factor, rel=1e-3)
    # With one rate for every depth, the runs that finish take the steps the linear rate
    # predicts (the one-layer chain, at its best rate, is not in the linear regime) …
    contraction = result["rate"] * curvature
    gap = abs(experiment.START_WEIGHT - teacher) / experiment.GAP_TOLERANCE
    steps = result["steps"]
    for depth, taken, rate in zip(depths[1:], steps[1:], contraction[1:]):
        predicted = np.log(gap) / -np.log1p(-rate)
        if predicted <= experiment.STEP_BUDGET:
            assert taken == pytest.approx(predicted, rel=0.15), depth
        else:   # … and those it puts beyond the budget do not get there within it;
            assert taken == -1 and result["final_gap"][depths == depth] > 1e-6, depth
    # the ten-layer chain has not closed even 1 % of its gap after the long run …
    assert result["final_gap"][-1] > 0.99 * abs(experiment.START_WEIGHT - teacher)
    # … yet the optimum is reachable: a step scaled to the layer's own curvature gets there
    # within 20 steps at every depth.
    assert np.all((result["own_rate_steps"] >= 0) & (result["own_rate_steps"] <= 20))


def test_a_gradient_ratio_of_exactly_two_to_the_1024_is_refused():
    # v = w · ½ − w/2 = 0 exactly, so σ′(v) = 1/4 and each factor is |w|/4 = 2^256 exactly: four
    # layers make 2^1024, one past float64's range (ln of it rounds to ln(max float), which a
    # test on logarithms let through); three make 2^768, finite and exact.
    w = np.full((1, 4), 4 * 2.0**256)
    with pytest.raises(ValueError, match="weights"):
        chain.chain_gradient_ratios(w, [0.5], -w * 0.5)
    ratios = chain.chain_gradient_ratios(w[:, :3], [0.5], -w[:, :3] * 0.5)
    assert ratios.tolist() == [[2.0**256, 2.0**512, 2.0**768]]


def test_a_gradient_ratio_that_overflows_above_a_vanishing_factor_is_refused_not_nan():
    # Layer 1: v = 0.5 − 1000, so σ′(v) = e^-999.5 underflows to 0 and so does a = σ(v); the
    # four layers above sit at v = 0 with |w|/4 = 2^300 (|w| = 2^302, within the weights'
    # bound 1e100). From the top: 2^300 … 2^1200 (beyond float64), then that times 0 — an
    # undefined product, refused like the overflow it comes from.
    big = 4 * 2.0**300
    w = np.array([[1.0, big, big, big, big]])
    biases = np.array([[-1000.0, 0.0, -big * 0.5, -big * 0.5, -big * 0.5]])
    factors = chain.chain_factors(w, [0.5], biases)
    assert factors.tolist() == [[0.0, 2.0**300, 2.0**300, 2.0**300, 2.0**300]]
    with pytest.raises(ValueError, match="weights"):
        chain.chain_gradient_ratios(w, [0.5], biases)
