import numpy as np
import pytest

from snippets.core import initialisation, networks, variance
from snippets.core.statistics import mean_and_spread
from snippets.experiments.initialisation_and_variance import (
    balancing_gain,
    glorot_histograms,
    saturation,
    xavier,
)
from snippets.experiments.initialisation_and_variance.variance_recursion import recursion_runs


def _low(values):
    """Low end of the spread over seeds: mean − 3 standard deviations."""
    mean, spread = mean_and_spread(values)
    return mean - 3 * spread


def _high(values):
    """High end of the spread over seeds: mean + 3 standard deviations."""
    mean, spread = mean_and_spread(values)
    return mean + 3 * spread


@pytest.mark.parametrize("alpha, beta, gain", [(0.25, 0.5, 1.0), (0.25, 0.5, 16.0),
                                               (1.0, 0.0, 1.0), (0.5, 0.2, 3.0)])
def test_linear_regime_recursion_matches_simulation(alpha, beta, gain):
    width, depth = 200, 12
    runs = [variance.simulate_variances(np.random.default_rng(seed), "affine", width, depth,
                                        np.sqrt(gain / width), alpha=alpha, beta=beta)
            for seed in range(6)]
    forward = np.mean([run[0] for run in runs], axis=0)
    predicted = variance.predicted_forward_variance(alpha, beta, gain, depth, 1.0)
    np.testing.assert_allclose(forward, predicted, rtol=0.12)
    # Backward: each layer multiplies Var[∂C/∂a] by α² n σ² (here fan-out = fan-in = width),
    # from Var = 1 at the top; compared in log, since the values span orders of magnitude.
    backward = np.exp(np.mean([np.log(run[1]) for run in runs], axis=0))
    exponents = np.arange(depth, -1, -1)
    np.testing.assert_allclose(backward, (alpha ** 2 * gain) ** exponents, rtol=0.15)


def test_backward_variance_scales_with_the_fan_out_not_the_fan_in():
    # One affine layer a¹ = α a⁰W + β with n_in ≠ n_out: ∂C/∂a⁰ = α (∂C/∂a¹) Wᵀ sums n_out
    # terms, so Var[∂C/∂a⁰] = α² n_out σ² Var[∂C/∂a¹] (closed form), not α² n_in σ² ...
    rng = np.random.default_rng(0)
    fan_in, fan_out, alpha, sigma = 50, 400, 0.5, 0.05
    ratios = []
    for _ in range(20):
        weights = rng.normal(0.0, sigma, (fan_in, fan_out))
        upstream = rng.standard_normal((500, fan_out))      # ∂C/∂a¹
        ratios.append(np.var(alpha * upstream @ weights.T) / np.var(upstream))
    assert np.mean(ratios) == pytest.approx(alpha ** 2 * fan_out * sigma ** 2, rel=0.05)
    assert np.mean(ratios) > 4 * alpha ** 2 * fan_in * sigma ** 2  # ... which is 8× smaller


def test_sigmoid_constant_term_makes_variance_grow_only_when_the_slope_is_compensated():
    settled = variance.predicted_forward_variance(0.25, 0.5, 1.0, 200, 1.0)
    compensated = variance.predicted_forward_variance(0.25, 0.5, 16.0, 200, 1.0)
    # nσ² = 1: Var → β² α² / (1 − α²) = (1/64)/(15/16) = 1/60.
    assert settled[-1] == pytest.approx(1 / 60, rel=1e-12)
    # nσ² = 16 (α² nσ² = 1): each layer adds β² = 1/4, so the variance grows without bound.
    np.testing.assert_allclose(np.diff(compensated[1:]), 0.25, rtol=1e-12)


def test_sixteen_times_holds_for_the_variance_in_the_linear_regime():
    # The page's numbers (each grid point its own generator). Over seeds 0-5 the affine gain
    # varied by ±0.06 and the sigmoid/tanh ratio by ±3.2 (68 on average): far inside these bounds.
    affine = balancing_gain.balancing_gain(balancing_gain.AFFINE)
    linear_tanh, _, _ = variance.balancing_gain(np.random.default_rng(3), "affine", alpha=1.0,
                                                beta=0.0)
    assert affine == pytest.approx(16.0, rel=0.1)     # α² = 1/16 → 16× the weight variance
    assert linear_tanh == pytest.approx(1.0, rel=0.1)
    assert np.sqrt(affine / linear_tanh) == pytest.approx(4.0, rel=0.1)  # only 4× in std
    # Real sigmoid networks need much more than 16× the variance of real tanh networks: the
    # mean ratio over independent repetitions clears 16 by far more than its spread, and so
    # does the smallest repetition.
    ratios = balancing_gain.ratio_over_repeats()
    assert ratios.size >= 5
    assert _low(ratios) > 2 * 16 and ratios.min() > 2 * 16
    # Tanh's balancing variance is no constant either: it falls with depth towards the
    # mean-field critical point n·Var[w] = 1 (Poole et al. 2016), staying above it.
    by_depth = balancing_gain.tanh_gain_by_depth()
    assert np.all(by_depth > 1.0)
    assert by_depth[-1] - 1.0 < 0.5 * (by_depth[0] - 1.0)
    assert by_depth[0] - by_depth[-1] > 0.2


def test_glorot_bound_has_the_harmonic_variance():
    bound = initialisation.glorot_bound(300, 100)
    samples = np.random.default_rng(0).uniform(-bound, bound, 400_000)
    assert samples.var() == pytest.approx(2 / (300 + 100), rel=0.01)


def test_xavier_keeps_deep_tanh_signals_alive_where_the_standard_scale_does_not():
    # log10 of the top activations' and the bottom gradients' variance, one value per network.
    def top_and_bottom(law):
        runs = xavier.xavier_profiles()[law]
        return np.log10(runs["forward"][:, -1]), np.log10(runs["backward"][:, 0])

    forward, backward = top_and_bottom("Xavier")
    assert _low(forward) > -3 and _low(backward) > -3
    forward, backward = top_and_bottom("standard U[±1/√n]")
    assert _high(forward) < -15 and _high(backward) < -15
    forward, backward = top_and_bottom("2 × Xavier")
    assert _low(forward) > np.log10(0.3) and _low(backward) > 3  # saturated, exploding


def test_growing_variance_saturates_units_that_a_variance_keeping_control_leaves_alone():
    # Counts saturated units (tanh′ < 0.1, i.e. |a| > 0.95) in the top layer, against the
    # control of Xavier's scale, which does not grow the variance, from the same generators.
    shares = xavier.saturation_by_scale()
    doubled, control = shares["2 × Xavier"], shares["Xavier"]
    difference = doubled - control                      # paired network by network
    error = difference.std(ddof=1) / np.sqrt(difference.size)
    assert difference.mean() > 10 * error and difference.mean() > 0.1
    assert np.all(control < 0.01)                       # the control saturates (almost) nothing
    # … and the variance did grow where the units saturate.
    runs = xavier.xavier_profiles()
    assert _low(np.log10(runs["2 × Xavier"]["forward"][:, -1])) > np.log10(0.3)
    assert _high(np.log10(runs["Xavier"]["forward"][:, -1])) < np.log10(0.1)


def test_standard_initialisation_narrows_layers_and_normalised_does_not():
    # Spreads per network and layer; every bound holds at 3 standard deviations over networks.
    standard = glorot_histograms.layer_samples()["standard"]["activation_std"]
    assert np.all(_high(np.diff(standard, axis=1)) < 0)   # narrower in every layer
    assert _high(glorot_histograms.top_to_bottom("standard", "activation_std")) < 0.2
    assert _low(glorot_histograms.top_to_bottom("normalised", "activation_std")) > 0.5
    # Back-propagated gradients: smaller towards the input under the standard law.
    assert _low(glorot_histograms.top_to_bottom("standard", "gradient_std")) > 5
    assert _high(glorot_histograms.top_to_bottom("normalised", "gradient_std")) < 2.5


def test_weights_are_not_peaked_at_any_depth_while_the_gradients_narrow():
    # Oracle: the closed-form moments of U[−b, b], variance b²/3 and excess kurtosis −6/5
    # (flat, the opposite of peaked), checked layer by layer of a deep network; a law peaked
    # at zero would have positive excess kurtosis.
    width = 256
    network = networks.init_network(np.random.default_rng(0), [width] * 9,
                                     weights="standard_uniform")
    bound = 1 / np.sqrt(width)
    for weights in network.weights:
        centred = weights.ravel() - weights.mean()
        kurtosis = np.mean(centred ** 4) / np.mean(centred ** 2) ** 2 - 3
        assert weights.var() == pytest.approx(bound ** 2 / 3, rel=0.02)
        assert kurtosis == pytest.approx(-6 / 5, abs=0.02)
    # What does narrow layer after layer is the back-propagated gradient (Bradley 2010, via
    # Glorot & Bengio): its spread in the lowest layer is below the top's in every network.
    gradient = glorot_histograms.layer_samples()["standard"]["gradient_std"]
    assert np.all(gradient[..., 0] < gradient[..., -1])


def test_top_hidden_layer_saturates_then_recovers_as_glorot_and_bengio_report():
    # A layer counts as saturated at 0 when its mean activation is below ``saturated``. Each
    # quantity is taken per network; the bounds hold at 3 standard deviations over networks.
    saturated = 0.05
    start, early_lowest, end, lower_lowest, lower_highest, below_top_rise = np.array([
        (run["stats"][0, -1, 0], run["stats"][run["updates"] <= 2000, -1, 0].min(),
         run["stats"][-1, -1, 0], run["stats"][:, :-1, 0].min(), run["stats"][:, :-1, 0].max(),
         run["stats"][:, -2, 0].max() - run["stats"][0, -2, 0])
        for run in saturation.saturation_runs()]).T
    assert _low(start) > 0.45 and _high(early_lowest) < saturated   # driven to 0 early
    assert _low(end) > saturated                                     # slowly leaves saturation
    # The lower layers never collapse, towards 0 or 1.
    assert _low(lower_lowest) > saturated and _high(lower_highest) < 1 - saturated
    # The layer below the top one moves up while the top one is saturated, as in their figure.
    assert _low(below_top_rise) > 0.1


def test_figure_predictions_lie_within_the_error_bars():
    inside, total = 0, 0
    for predicted, measured, two_standard_errors in recursion_runs().values():
        # Layer 0 is the sampled input itself; compare the 20 simulated layers, at 3 s.e.
        inside += np.sum(np.abs(measured[1:] - predicted[1:]) <= 1.5 * two_standard_errors[1:])
        total += predicted.size - 1
    assert inside / total >= 0.9


def test_tanh_gradients_vanish_at_the_standard_scale_but_not_at_its_critical_point():
    # "This also happened in ... the tanh function" (article 001): it depends on the scale.
    # Oracle for the standard scale: tanh′ ≤ 1, so each of the DEPTH layers multiplies the
    # gradient variance by at most n Var[W] = 1/3 (the closed form of U[±1/√n]).
    runs = xavier.xavier_profiles()

    def bottom_over_top(law):
        backward = runs[law]["backward"]
        return np.log10(backward[:, 0] / backward[:, -1])

    bound = xavier.DEPTH * np.log10(xavier.WIDTH * xavier.weight_laws()["standard U[±1/√n]"] ** 2)
    standard = bottom_over_top("standard U[±1/√n]")
    assert np.all(standard < bound + 1) and _high(standard) < -15    # vanishes outright
    assert bound == pytest.approx(xavier.DEPTH * np.log10(1 / 3))
    # At Xavier's scale with zero biases (tanh's marginal point) it still shrinks, by more
    # than a factor 10 in variance over the 50 layers, but by less than 10³.
    marginal = bottom_over_top("Xavier")
    assert _high(marginal) < -1 and _low(marginal) > -3
    # At tanh's critical point with biases (χ₁ = 1) the error RMS stays level: within a
    # factor 3 of the top over 50 layers in the mean, beyond three standard errors of 10.
    from snippets.experiments.dying_relus import gradient_flow
    rms = gradient_flow.critical_gradient_flow()["tanh, σ_w² = σ_w²*(σ_b²)"]["rms"]
    logs = np.log(rms[0] / rms[-1])
    error = logs.std(ddof=1) / np.sqrt(logs.size)
    assert abs(logs.mean()) < np.log(3) and abs(logs.mean()) < np.log(10) - 3 * error
