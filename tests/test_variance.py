import numpy as np
import pytest

from snippets.core import initialisation, variance
from snippets.figures import glorot_figures, saturation_figures


@pytest.mark.parametrize("alpha, beta, gain", [(0.25, 0.5, 1.0), (0.25, 0.5, 16.0),
                                               (1.0, 0.0, 1.0), (0.5, 0.2, 3.0)])
def test_linear_regime_recursion_matches_simulation(alpha, beta, gain):
    width, depth = 200, 12
    measured = np.mean([variance.simulate_variances(
        np.random.default_rng(seed), "affine", width, depth, np.sqrt(gain / width),
        alpha=alpha, beta=beta)[0] for seed in range(6)], axis=0)
    predicted = variance.predicted_forward_variance(alpha, beta, gain, depth, 1.0)
    np.testing.assert_allclose(measured, predicted, rtol=0.12)


def test_sigmoid_constant_term_makes_variance_grow_only_when_the_slope_is_compensated():
    settled = variance.predicted_forward_variance(0.25, 0.5, 1.0, 200, 1.0)
    compensated = variance.predicted_forward_variance(0.25, 0.5, 16.0, 200, 1.0)
    # nσ² = 1: Var → β² α² / (1 − α²) = (1/64)/(15/16) = 1/60.
    assert settled[-1] == pytest.approx(1 / 60, rel=1e-12)
    # nσ² = 16 (α² nσ² = 1): each layer adds β² = 1/4, so the variance grows without bound.
    np.testing.assert_allclose(np.diff(compensated[1:]), 0.25, rtol=1e-12)


def test_sixteen_times_holds_for_the_variance_in_the_linear_regime():
    rng = np.random.default_rng(3)
    affine, _, _ = variance.balancing_gain(rng, "affine", alpha=0.25, beta=0.5)
    linear_tanh, _, _ = variance.balancing_gain(rng, "affine", alpha=1.0, beta=0.0)
    assert affine == pytest.approx(16.0, rel=0.1)     # α² = 1/16 → 16× the weight variance
    assert linear_tanh == pytest.approx(1.0, rel=0.1)
    assert np.sqrt(affine / linear_tanh) == pytest.approx(4.0, rel=0.1)  # only 4× in std
    # Real sigmoid networks need much more than 16× the variance of real tanh networks.
    sigmoid, _, _ = variance.balancing_gain(rng, "sigmoid")
    tanh, _, _ = variance.balancing_gain(rng, "tanh")
    assert sigmoid / tanh > 30


def test_glorot_bound_has_the_harmonic_variance():
    bound = initialisation.glorot_bound(300, 100)
    samples = np.random.default_rng(0).uniform(-bound, bound, 400_000)
    assert samples.var() == pytest.approx(2 / (300 + 100), rel=0.01)


def test_xavier_keeps_deep_tanh_signals_alive_where_the_standard_scale_does_not():
    profiles = glorot_figures.xavier_profiles()
    forward, backward = profiles["Xavier"]
    assert forward[-1] > 1e-3 and backward[0] > 1e-3
    forward, backward = profiles["standard U[±1/√n]"]
    assert forward[-1] < 1e-15 and backward[0] < 1e-15
    forward, backward = profiles["2 × Xavier"]
    assert forward[-1] > 0.3 and backward[0] > 1e3  # saturated forward, exploding backward


def test_standard_initialisation_narrows_layers_and_normalised_does_not():
    samples = glorot_figures.layer_samples()
    standard = [a.std() for a in samples["standard"]["activations"]]
    normalised = [a.std() for a in samples["normalised"]["activations"]]
    assert all(np.diff(standard) < 0) and standard[-1] / standard[0] < 0.2
    assert normalised[-1] / normalised[0] > 0.5
    # Back-propagated gradients: smaller towards the input under the standard law.
    g_standard = [g.std() for g in samples["standard"]["gradients"]]
    g_normalised = [g.std() for g in samples["normalised"]["gradients"]]
    assert g_standard[-1] / g_standard[0] > 5
    assert g_normalised[-1] / g_normalised[0] < 2.5


def test_weights_are_identically_distributed_in_every_layer():
    # Bradley's peaking is in activations and gradients, not weights: each layer's weights are
    # U[±1/√n] with the same n, whatever the depth.
    from snippets import networks
    network = networks.init_network(np.random.default_rng(0), [256] * 6, weights="standard_uniform")
    stds = [w.std() for w in network.weights]
    np.testing.assert_allclose(stds, 1 / np.sqrt(3 * 256), rtol=0.01)


def test_top_hidden_layer_saturates_then_recovers_as_glorot_and_bengio_report():
    for run in saturation_figures.saturation_runs():
        top = run["stats"][:, 3, 0]
        early = run["updates"] <= 2000
        assert top[0] > 0.45 and top[early].min() < 0.05      # driven to 0 early
        assert top[-1] > 0.1                                   # slowly leaves saturation
        lower = run["stats"][:, :3, 0]
        assert np.all((lower > 0.15) & (lower < 0.95))         # lower layers never collapse


@pytest.mark.parametrize("call, parameter", [
    (lambda: variance.simulate_variances(np.random.default_rng(0), "relu6", 4, 2, 1.0),
     "activation"),
    (lambda: variance.simulate_variances(np.random.default_rng(0), "affine", 4, 2, 1.0),
     "alpha"),
    (lambda: variance.simulate_variances(np.random.default_rng(0), "tanh", 4, 0, 1.0), "depth"),
    (lambda: variance.simulate_variances(np.random.default_rng(0), "tanh", 4, 2, 0.0),
     "weight_std"),
    (lambda: variance.predicted_forward_variance(1, 0, -1.0, 3, 1.0),
     "fan_in_times_weight_variance"),
])
def test_bad_arguments_raise_value_error_naming_the_parameter(call, parameter):
    with pytest.raises(ValueError, match=parameter):
        call()


def test_figure_predictions_lie_within_the_error_bars():
    from snippets.figures.taylor_figures import recursion_runs

    inside, total = 0, 0
    for predicted, measured, two_standard_errors in recursion_runs().values():
        # Layer 0 is the sampled input itself; compare the 20 simulated layers, at 3 s.e.
        inside += np.sum(np.abs(measured[1:] - predicted[1:]) <= 1.5 * two_standard_errors[1:])
        total += predicted.size - 1
    assert inside / total >= 0.9
