"""Chapter 6: residual and normalised networks. Back-propagation against finite differences,
the mean-field recursions against simulated wide networks, batch normalisation's per-layer
factor against closed forms and an independent integrator, shattered gradients and training
on the digits over several seeds, with margins taken from the seed-to-seed spread."""

import math

import numpy as np
import pytest

from snippets.core import deep_networks as dn
from snippets.experiments.residual_and_normalisation import (
    batch_normalisation,
    digits_training,
    residual_gradients,
    shattered_gradients,
)
from tests.numerical import assert_parameter_gradients


def _network(activation, residual, normalisation, stack=2):
    return dn.init_network([np.random.default_rng(10 + k) for k in range(stack)],
                           [3, 5, 5, 5, 4], activation, 1.5, 0.1, residual, 0.7,
                           normalisation)


def _data(examples=6):
    rng = np.random.default_rng(7)
    return rng.normal(size=(examples, 3)), np.eye(4)[rng.integers(0, 4, examples)]


@pytest.mark.parametrize("normalisation", dn.NORMALISATIONS)
@pytest.mark.parametrize("residual", [False, True])
@pytest.mark.parametrize("activation", ["tanh", "relu", "linear"])
def test_back_propagation_matches_finite_differences(activation, residual, normalisation):
    """Every weight and bias gradient of the softmax cross-entropy, through residual
    connections and batch or layer normalisation (whose backward pass carries the mean and
    variance of the whole batch), against central differences of the cost; and the input
    gradient δx^0 against central differences in each input."""
    network = _network(activation, residual, normalisation)
    inputs, targets = _data()
    _, grads = dn.cost_and_gradients(network, inputs, targets)
    assert_parameter_gradients(network, lambda: dn.cost_and_gradients(network, inputs,
                                                                       targets)[0].sum(),
                               grads["weights"], grads["biases"], atol=1e-6)
    outputs = dn.forward(network, inputs)["outputs"]
    probabilities = np.exp(outputs - outputs.max(-1, keepdims=True))
    probabilities /= probabilities.sum(-1, keepdims=True)
    errors = dn.backward(network, inputs, (probabilities - targets) / len(inputs))["errors"]
    for row, column in [(0, 0), (3, 2), (5, 1)]:
        step = np.zeros_like(inputs)
        step[row, column] = 1e-6
        numeric = (dn.cost_and_gradients(network, inputs + step, targets)[0]
                   - dn.cost_and_gradients(network, inputs - step, targets)[0]) / 2e-6
        assert np.allclose(errors[0][:, row, column], numeric, atol=1e-6)


def test_frozen_batch_statistics_give_each_example_its_own_gradient():
    """With reference statistics (as at evaluation, and in the shattered-gradients
    experiment) the input gradient of one output is that of a fixed function of that input
    alone: central differences of ``forward`` with the reference held fixed agree."""
    network = dn.init_network([np.random.default_rng(3)], [1, 6, 6, 6, 1], "relu", 2.0, 0.0,
                              True, 1.0, "batch")
    grid = np.linspace(-2, 2, 8)[:, None]   # no point at a kink (x = 0)
    gradient = dn.backward(network, grid, np.ones((1, 8, 1)), reference=grid)["errors"][0]
    numeric = (dn.forward(network, grid + 1e-6, reference=grid)["outputs"]
               - dn.forward(network, grid - 1e-6, reference=grid)["outputs"]) / 2e-6
    assert np.allclose(gradient, numeric, atol=1e-6)
    # and those statistics are the reference's: the batch's own would differ
    own = dn.forward(network, grid[:4])["outputs"]
    fixed = dn.forward(network, grid[:4], reference=grid)["outputs"]
    assert not np.allclose(own, fixed)


def test_normalisation_keeps_every_layer_at_unit_scale():
    """Forward: batch normalisation gives every unit mean 0 and variance var/(var + ε) over
    the batch, layer normalisation every example over its units — in every layer, however
    the signal of the plain network at the same weights shrinks."""
    for normalisation, axis in (("batch", -2), ("layer", -1)):
        network = dn.init_network([np.random.default_rng(5)], [16] + [32] * 20 + [4], "tanh",
                                  1 / 3, 0.0, False, 1.0, normalisation)
        inputs = np.random.default_rng(6).normal(size=(40, 16))
        for x in dn.forward(network, inputs)["streams"][1:]:
            assert np.allclose(x.mean(axis=axis), 0.0, atol=1e-12)
            assert np.allclose(x.var(axis=axis), 1.0, atol=1e-3)
        network.normalisation = "none"
        assert np.mean(dn.forward(network, inputs)["streams"][-1] ** 2) < 1e-6


def test_batch_normalised_gradients_do_not_depend_on_the_weight_scale():
    """Multiplying every hidden weight by 3 leaves a batch-normalised network's outputs and
    stream gradients unchanged, up to the ε in √(var + ε): the reason no σ_w² can tune away
    the explosion (Yang et al. 2019)."""
    network = dn.init_network([np.random.default_rng(8)], [8] + [16] * 6 + [3], "relu", 1.0,
                              0.0, False, 1.0, "batch")
    scaled = network.copy()
    for layer in range(len(scaled.weights) - 1):
        scaled.weights[layer] *= 3.0
    inputs = np.random.default_rng(9).normal(size=(12, 8))
    top = np.random.default_rng(10).normal(size=(1, 12, 3))
    for a, b in zip(dn.backward(network, inputs, top)["errors"][1:],
                    dn.backward(scaled, inputs, top)["errors"][1:]):
        assert np.allclose(a, b, rtol=1e-3, atol=1e-4 * np.abs(a).max())


def test_alpha_zero_passes_the_gradient_through_unchanged():
    """With branch scale α = 0 (ReZero, SkipInit at initialisation) every residual layer is
    the identity: the stream error is exactly the same at every layer."""
    network = dn.init_network([np.random.default_rng(1)], [8] * 12 + [8], "tanh", 1.0, 0.0,
                              True, 0.0)
    inputs = np.random.default_rng(2).normal(size=(4, 8))
    errors = dn.backward(network, inputs, np.ones((1, 4, 8)))["errors"]
    assert all(np.array_equal(e, errors[-1]) for e in errors)


def test_simulated_networks_follow_the_residual_mean_field():
    """At layers 1, 26, 51 and 76 of every setting, the seed mean of ln‖δx^l‖²/‖δx^L‖² lies
    within four standard errors (the seed spread pooled over the setting's layers) plus 2 %
    of the prediction and 0.3 of the mean-field recursion. The margin is decisive: it is less
    than a tenth of the gap between plain and residual networks, and would not hold the
    residual networks' predictions without the α² in r^l (the scaled networks would then
    grow as the unscaled ones do)."""
    profiles = residual_gradients.gradient_profiles()
    for (activation, name), run in profiles.items():
        measured, predicted = run["measured"], run["predicted"]
        pooled = math.sqrt(np.mean(measured.var(axis=0, ddof=1)[:-1]))
        for layer in (0, 25, 50, 75):
            margin = 4 * pooled / math.sqrt(len(measured)) + 0.02 * abs(predicted[layer]) + 0.3
            assert abs(measured[:, layer].mean() - predicted[layer]) <= margin, \
                (activation, name, layer, measured[:, layer].mean(), predicted[layer], margin)
        gap = abs(profiles[activation, "residual"]["predicted"][0]
                  - profiles[activation, "plain"]["predicted"][0])
        assert margin < gap / 10
    # without α², the scaled networks' prediction would be the unscaled one's, far off
    for activation in residual_gradients.WEIGHT_VARIANCE:
        scaled = profiles[activation, "scaled"]["measured"][:, 0].mean()
        assert abs(scaled - profiles[activation, "residual"]["predicted"][0]) > 5


def test_plain_exponential_residual_tanh_subexponential_relu_exponential_scaled_bounded():
    """The mean-field scan to depth 400. ln G (the log squared gradient at layer 1 relative
    to the top) grows in proportion to L − 1 for plain networks (χ^{L−1}) and for residual
    ReLU ((1 + σ_w²/2)^{L−1} exactly: exponential); for residual tanh it grows like √L
    (quadrupling the depth multiplies it by about 2: subexponential); with α = 1/√L it stays
    below α² Σ χ ≤ σ_w² (bounded)."""
    scan = residual_gradients.depth_scan()
    depths = np.array(residual_gradients.SCAN_DEPTHS)
    for activation, weight_variance in residual_gradients.WEIGHT_VARIANCE.items():
        plain = scan[activation, "plain"]
        assert plain[-1] / plain[-2] == pytest.approx((depths[-1] - 1) / (depths[-2] - 1),
                                                      rel=0.02)
        scaled = scan[activation, "scaled"]
        assert np.all((0 < scaled) & (scaled < weight_variance))
        assert np.ptp(scaled) < 0.05
    relu = scan["relu", "residual"]
    assert np.allclose(relu, (depths - 1) * math.log(1.5), rtol=1e-12)
    tanh = scan["tanh", "residual"]
    assert 1.9 < tanh[-1] / tanh[-2] < 2.4 and 1.9 < tanh[-2] / tanh[-3] < 2.8


def test_large_batch_factor_matches_closed_forms_and_an_independent_integrator():
    """λ = E[φ′(z)²]/Var[φ(z)]: π/(π − 1) for ReLU, 1 for linear units (closed forms), and
    for tanh scipy's adaptive quadrature; layer normalisation's E[φ′²]/E[φ²] is 1 for ReLU
    and linear units. Batch normalisation's λ ≥ 1 (Gaussian Poincaré inequality)."""
    from scipy import integrate

    def gaussian(function):
        return integrate.quad(lambda z: function(z) * math.exp(-z * z / 2)
                              / math.sqrt(2 * math.pi), -12, 12, limit=200)[0]

    assert dn.normalised_gradient_factor("relu", "batch") == pytest.approx(
        math.pi / (math.pi - 1), rel=1e-12)
    assert dn.normalised_gradient_factor("linear", "batch") == 1.0
    assert dn.normalised_gradient_factor("relu", "layer") == 1.0
    slope = gaussian(lambda z: math.cosh(z) ** -4)
    assert dn.normalised_gradient_factor("tanh", "batch") == pytest.approx(
        slope / gaussian(lambda z: math.tanh(z) ** 2), rel=1e-8)
    assert all(dn.normalised_gradient_factor(a, "batch") >= 1 for a in dn.ACTIVATIONS)


def test_linear_batch_factor_rests_on_the_inverse_chi_square_mean():
    """The derivation's one non-obvious step, E[1/χ²_k] = 1/(k − 2), by scipy's chi2."""
    from scipy import stats

    for batch_size in (4, 6, 16):
        k = batch_size - 1
        inverse_mean = stats.chi2(k).expect(lambda x: 1 / x)
        assert inverse_mean == pytest.approx(1 / (k - 2), rel=1e-6)
        assert dn.linear_batch_factor(batch_size) == pytest.approx(
            k * inverse_mean * (batch_size - 2) / (batch_size - 1), rel=1e-6)


@pytest.fixture(scope="module")
def factors():
    return batch_normalisation.normalised_factors()


def test_batch_normalisation_explodes_gradients_at_every_batch_size(factors):
    """Every measured per-layer factor with batch normalisation exceeds 1 by more than two
    seed standard deviations (exponential growth with depth), for linear, tanh and ReLU
    units at every batch size; for tanh and ReLU it falls with the batch size towards the
    large-batch λ, which it approaches from above within 2 % + 2 SE at the largest batch."""
    sizes = batch_normalisation.BATCH_SIZES
    for activation, values in factors["batch"].items():
        mean, spread = values.mean(axis=0), values.std(axis=0, ddof=1)
        assert np.all(mean - 2 * spread > 1.0), (activation, mean, spread)
        if activation == "linear":
            continue
        limit = dn.normalised_gradient_factor(activation, "batch")
        assert mean[0] > mean[-1] + 2 * (spread[0] + spread[-1])
        assert limit < mean[-1] <= limit * 1.02 + 2 * spread[-1] / math.sqrt(len(values)), \
            (activation, sizes[-1], mean[-1], limit)


def test_linear_batch_normalised_network_follows_b_minus_2_over_b_minus_3(factors):
    """For linear units the measured factor agrees with (B − 2)/(B − 3) within three
    standard errors plus 0.02 at every B ≤ 32 (B at most an eighth of the width, where the
    wide-network derivation applies); the large-batch value 1 is refused at B ≤ 12."""
    values = factors["batch"]["linear"]
    for k, batch_size in enumerate(batch_normalisation.BATCH_SIZES):
        if batch_size > batch_normalisation.WIDTH // 6:
            continue
        mean = values[:, k].mean()
        margin = 3 * values[:, k].std(ddof=1) / math.sqrt(len(values)) + 0.02
        assert abs(mean - dn.linear_batch_factor(batch_size)) <= margin, (batch_size, mean)
        if batch_size <= 12:
            assert abs(mean - 1.0) > margin


def test_layer_normalisation_factor_is_the_mean_square_ratio(factors):
    """Layer normalisation: the measured factor is E[φ′²]/E[φ²] within three standard errors
    plus 0.03 — 1 for ReLU and linear units, where batch normalisation's exceeds it."""
    for activation, values in factors["layer"].items():
        predicted = dn.normalised_gradient_factor(activation, "layer")
        margin = 3 * values.std(ddof=1) / math.sqrt(len(values)) + 0.03
        assert abs(values.mean() - predicted) <= margin, (activation, values, predicted)
    assert factors["batch"]["relu"].mean() - 0.3 > factors["layer"]["relu"].mean()


def test_gradient_correlation_tells_brown_from_white_noise():
    """The oracle for the shattering measure: a random walk (brown noise) has neighbour
    correlation near 1, white noise near 0 (within 4/√n), a smooth curve 1."""
    rng = np.random.default_rng(0)
    white = rng.standard_normal((4, 2000))
    assert abs(dn.gradient_correlation(white)) < 4 / math.sqrt(white.size)
    assert dn.gradient_correlation(np.cumsum(white, axis=1)) > 0.95
    assert dn.gradient_correlation(np.sin(np.linspace(0, 3, 500))[None]) > 0.999


def test_batch_normalised_feedforward_gradients_shatter_residual_ones_do_not():
    """Balduzzi et al.'s contrast: batch-normalised feedforward ReLU networks lose the
    correlation of neighbouring gradients with depth (mean + 2 sd below 0.3 from 24 layers),
    while residual networks with batch normalisation keep it (mean − 2 sd above that bound at
    24 and 50 layers, and above 0.5 at 24)."""
    correlations = shattered_gradients.neighbour_correlations()
    depths = shattered_gradients.DEPTHS
    names = [name for name, *_ in shattered_gradients.VARIANTS]
    feedforward, residual = correlations[names[1]], correlations[names[2]]
    for depth in (24, 50):
        k = depths.index(depth)
        shattered = feedforward[:, k].mean() + 2 * feedforward[:, k].std(ddof=1)
        kept = residual[:, k].mean() - 2 * residual[:, k].std(ddof=1)
        assert shattered < 0.3 < kept, (depth, shattered, kept)
    assert residual[:, depths.index(24)].mean() > 0.5
    # at one layer all three are smooth
    assert all(correlations[n][:, 0].mean() > 0.9 for n in names)


@pytest.fixture(scope="module")
def trained():
    return digits_training.trained_variants()


def test_deep_plain_network_stalls_and_residual_or_normalised_ones_train(trained):
    """At Glorot & Bengio's standard scale the plain 30-layer tanh network's speed of
    learning falls by over 10⁶ from the last hidden layer to the first and it stays at
    chance (mean + 2 sd of the held-out accuracy ≤ STALLS = 0.2), while the residual, the
    batch-normalised and the residual normalised networks from the same draws train (mean −
    2 sd ≥ TRAINS = 0.5) with speeds within a factor 100 across the layers."""
    plain = trained["plain"]
    assert np.all(plain["speeds"][:, -1] / plain["speeds"][:, 0] > 1e6)
    assert plain["accuracy"].mean() + 2 * plain["accuracy"].std(ddof=1) \
        <= digits_training.STALLS
    for name in ("residual, α = 1/√L", "batch-normalised", "residual + batch norm",
                 "residual + layer norm"):
        accuracy, speeds = trained[name]["accuracy"], trained[name]["speeds"]
        assert accuracy.mean() - 2 * accuracy.std(ddof=1) >= digits_training.TRAINS, \
            (name, accuracy)
        assert np.all(speeds.max(axis=1) / speeds.min(axis=1) < 100), name


def test_population_statistics_are_those_of_the_reference_batch():
    """accuracy(…, reference) normalises with the reference's per-layer mean and variance:
    evaluating the reference itself with its own statistics equals the plain batch pass."""
    network = dn.init_network([np.random.default_rng(4)], [5, 7, 7, 3], "tanh", 1.0, 0.1,
                              True, 0.5, "batch")
    reference = np.random.default_rng(5).normal(size=(30, 5))
    assert np.allclose(dn.forward(network, reference, reference=reference)["outputs"],
                       dn.forward(network, reference)["outputs"], atol=1e-12)
