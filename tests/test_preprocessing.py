import numpy as np
import pytest

from snippets.core import networks
from snippets.core.data import digits_labels, digits_pixels
from snippets.core.preprocessing import same_sign_share, standardise
from snippets.core.statistics import mean_and_spread, spawn_generators
from snippets.experiments.initialisation_and_variance.standardisation import loss_ratios


def test_standardised_features_have_zero_mean_and_unit_variance():
    inputs = standardise(digits_pixels())
    varying = digits_pixels().std(axis=0) > 0
    np.testing.assert_allclose(inputs.mean(axis=0), 0, atol=1e-12)
    np.testing.assert_allclose(inputs.std(axis=0)[varying], 1, rtol=1e-12)


def test_non_negative_inputs_give_one_signed_first_layer_weight_updates():
    pixels = digits_pixels()
    assert same_sign_share(pixels) == 1.0 and same_sign_share(standardise(pixels)) < 0.01
    # Second method: the per-example gradient for the weights into each first-layer unit,
    # x_i δ_j, really has one sign per (example, unit) when x ≥ 0.
    network = networks.init_network(np.random.default_rng(0), [64, 8, 10],
                                    weights="glorot_uniform", hidden="tanh", output="softmax")
    targets = networks.one_hot(digits_labels())
    _, activations, derivatives = networks.forward(network, pixels[:50])
    deltas = networks.backward(network, derivatives, activations[-1], targets[:50])
    for example in range(50):
        for unit in range(8):
            gradient = pixels[example] * deltas[0][example, unit]
            nonzero = gradient[gradient != 0]
            assert np.all(nonzero > 0) or np.all(nonzero < 0)


def _smallest_factor(slower, faster):
    """How many times lower the final loss is with ``faster`` inputs, at the low end of the
    spread over the paired networks: exp(mean − 3 sd) of the per-network log ratio."""
    mean, spread = mean_and_spread(np.log(loss_ratios(slower, faster)))
    return np.exp(mean - 3 * spread)


def test_standardised_inputs_train_fastest():
    assert _smallest_factor("raw, 0 … 16", "scaled to [0, 1]") > 1
    # Each at its own best learning rate: the gap is not a mistuned step size.
    assert _smallest_factor("scaled to [0, 1]", "standardised") > 2


def test_standardising_evens_each_weights_curvature_but_not_the_learning_speeds():
    # A linear unit with squared loss, L(w) = ½ mean((Zw − y)²), has Hessian H = ZᵀZ / n;
    # its diagonal entry E[z_i²] is the curvature seen by the weight of input i alone.
    pixels = digits_pixels()
    varying = pixels.std(axis=0) > 0  # always-blank pixels give no gradient either way
    raw = pixels[:, varying]
    curvature = (raw ** 2).mean(axis=0)
    assert curvature.max() > 1e3 * curvature.min()  # raw pixels: wildly unequal
    inputs = standardise(pixels)[:, varying]
    hessian = inputs.T @ inputs / len(inputs)
    np.testing.assert_allclose(np.diag(hessian), 1.0, rtol=1e-12)  # standardised: all equal
    # But gradient descent learns along the Hessian's eigenvectors, at rates set by the
    # eigenvalues, and correlated pixels keep those spread. Oracle: the closed form
    # e_t = (1 − ηλ_k)^t e_0 along eigenvector k, against gradient descent run step by step.
    eigenvalues, eigenvectors = np.linalg.eigh(hessian)
    assert eigenvalues.max() > 30 * eigenvalues.min()
    targets = digits_labels().astype(float)
    best = np.linalg.lstsq(inputs, targets, rcond=None)[0]
    rate, steps = 1.0 / eigenvalues.max(), 50
    weights = np.zeros(inputs.shape[1])
    for _ in range(steps):
        weights -= rate * inputs.T @ (inputs @ weights - targets) / len(inputs)
    error = eigenvectors.T @ (weights - best)
    predicted = (1 - rate * eigenvalues) ** steps * (eigenvectors.T @ -best)
    np.testing.assert_allclose(error, predicted, atol=1e-9 * np.abs(best).max())
    remaining = np.abs(predicted / (eigenvectors.T @ -best))
    assert remaining[0] > 0.5 and remaining[-1] < 1e-12  # slowest direction barely moved


def test_standardised_inputs_saturate_fewer_first_layer_units_than_raw_ones_but_more_than_scaled():
    # Oracle: counting, unit by unit, where tanh′(z) = 1 − tanh²(z) falls below 0.1 for the
    # same networks fed each preprocessing. Each comparison is paired network by network and
    # must exceed ten standard errors of the paired difference.
    from snippets.experiments.initialisation_and_variance import input_saturation

    shares = input_saturation.first_layer_saturation()
    raw, scaled, standardised = (shares["raw, 0 … 16"], shares["scaled to [0, 1]"],
                                 shares["standardised"])

    def fewer(more, less):
        difference = more - less
        return difference.mean() > 10 * difference.std(ddof=1) / np.sqrt(difference.size)

    assert fewer(raw, standardised) and raw.mean() > 0.5       # standardising helps raw inputs
    assert fewer(standardised, scaled)                          # … scaling alone helps more


def _condition_number(inputs):
    """κ of the least-squares Hessian XᵀX/N of the inputs, from its eigenvalues."""
    eigenvalues = np.linalg.eigvalsh(inputs.T @ inputs / len(inputs))
    return eigenvalues[-1] / eigenvalues[0]


def test_centring_leaves_the_features_scales_and_standardising_removes_them():
    # LeCun et al.'s centring, credited by article 002 with making training "less sensitive to
    # the distinct features scales". Oracles: Var[x − c] = Var[x] exactly; the condition number
    # twice, from the Hessian's eigenvalues and from the data's singular values.
    pixels = digits_pixels()
    pixels = pixels[:, pixels.std(axis=0) > 0]
    centred = pixels - pixels.mean(axis=0)
    np.testing.assert_allclose(centred.std(axis=0), pixels.std(axis=0), rtol=1e-12)
    singular = np.linalg.svd(centred / np.sqrt(len(centred)), compute_uv=False)
    assert _condition_number(centred) == pytest.approx((singular[0] / singular[-1]) ** 2,
                                                       rel=1e-6)
    # Change every pixel's unit by a random factor in [0.1, 10], five independent draws.
    for rng in spawn_generators(20, 5):
        rescaled = pixels * 10.0 ** rng.uniform(-1, 1, pixels.shape[1])
        recentred = rescaled - rescaled.mean(axis=0)
        # Centred inputs keep the new scales, and their conditioning moves by over 10× …
        np.testing.assert_allclose(recentred.std(axis=0), rescaled.std(axis=0), rtol=1e-12)
        moved_centred = _condition_number(recentred) / _condition_number(centred)
        assert moved_centred > 10
        # … at least half as much as the uncentred inputs' does (the claim's comparison:
        # centring does not make the conditioning less sensitive to the units) …
        moved_raw = _condition_number(rescaled) / _condition_number(pixels)
        assert moved_centred > 0.5 * moved_raw
        # … while standardised inputs come out the same whatever the units.
        np.testing.assert_allclose(standardise(rescaled), standardise(pixels), atol=1e-12)
