"""Trainability against the depth scales (chapter 5, figure 5.5): the cached training grid of
snippets/experiments/edge_of_chaos/trainability.py read against ξ_c and ξ = 1/|ln χ₁|.

The claim (Schoenholz et al. 2017): random networks train only up to a small multiple of ξ_c.
A cell (σ_w², depth) "stays near chance" when its mean held-out accuracy plus two standard
deviations over the seeds is at most FAILS, and "trains" when the mean less two standard
deviations is at least TRAINS: the margins are the seeds' own spread."""

import numpy as np
import pytest

from snippets.core import mean_field, networks
from snippets.core.data import digits_labels, digits_pixels
from snippets.experiments.edge_of_chaos import trainability as experiment

DEPTHS = np.asarray(experiment.DEPTHS)


@pytest.fixture(scope="module")
def grid():
    result = experiment.trained_grid()
    accuracy = result["accuracy"]
    assert accuracy.shape == (len(experiment.WEIGHT_VARIANCES), len(DEPTHS), experiment.SEEDS)
    assert np.all(np.isfinite(accuracy)), "a network diverged: its accuracy is NaN"
    mean, spread = accuracy.mean(axis=-1), accuracy.std(axis=-1, ddof=1)
    return result, mean, spread


def test_trainable_depth_is_a_small_multiple_of_xi_c(grid):
    """Every cell at least BEYOND ξ_c deep stays near chance; away from the critical line
    (ξ ≤ AWAY layers) every cell at most INSIDE ξ_c deep trains."""
    result, mean, spread = grid
    depth_in_xi_c = DEPTHS[None, :] / result["xi_c"][:, None]
    beyond = depth_in_xi_c >= experiment.BEYOND
    inside = (depth_in_xi_c <= experiment.INSIDE) & (result["xi"] <= experiment.AWAY)[:, None]
    # Both sides must be measured, in more than one column of the grid.
    assert beyond.sum() >= 5 and beyond.any(axis=1).sum() >= 3
    assert inside.sum() >= 4 and inside.any(axis=1).sum() >= 2
    assert np.all((mean + 2 * spread)[beyond] <= experiment.FAILS), (mean[beyond], spread[beyond])
    assert np.all((mean - 2 * spread)[inside] >= experiment.TRAINS), (mean[inside], spread[inside])


def test_chaotic_edge_follows_the_gradient_scale(grid):
    """In the chaotic phase, within this budget, cells between 6 ξ and 6 ξ_c stay near chance:
    there ξ, not ξ_c, marks the edge (the page's nuance)."""
    result, mean, spread = grid
    chaotic = (experiment.WEIGHT_VARIANCES > result["critical"])[:, None]
    between = chaotic & (DEPTHS[None, :] >= experiment.TRAINABLE_MULTIPLE * result["xi"][:, None]) \
        & (DEPTHS[None, :] < experiment.TRAINABLE_MULTIPLE * result["xi_c"][:, None])
    assert between.sum() >= 2
    assert np.all((mean + 2 * spread)[between] <= experiment.FAILS)


def test_grid_depth_scales_are_the_mean_field_ones(grid):
    """The stored scales: ξ_c and ξ from mean_field at each σ_w² (themselves checked against
    scipy in tests/test_mean_field.py), equal in the ordered phase, ξ_c > ξ in the chaotic."""
    result, _, _ = grid
    for s, xi_c, xi in zip(experiment.WEIGHT_VARIANCES, result["xi_c"], result["xi"]):
        assert xi_c == pytest.approx(mean_field.correlation_depth_scale(
            "tanh", s, experiment.BIAS_VARIANCE), rel=1e-12)
        assert xi == pytest.approx(mean_field.depth_scale(mean_field.chi_1(
            "tanh", s, experiment.BIAS_VARIANCE)), rel=1e-12)
    ordered = experiment.WEIGHT_VARIANCES < result["critical"]
    np.testing.assert_allclose(result["xi_c"][ordered], result["xi"][ordered], rtol=1e-6)
    assert np.all(result["xi_c"][~ordered] > result["xi"][~ordered] + 1)
    assert ordered.any() and (~ordered).any()  # the grid spans both phases


def test_starting_network_has_the_mean_field_variances():
    """Weights N(0, σ_w²/n_in), hidden biases N(0, σ_b²): sample moments of one deep network
    (about 45 000 weights, 1 400 biases) within a few standard errors."""
    weight_variance, depth = 2.5, 45
    network = experiment._starting_network(np.random.default_rng(3), weight_variance, depth)
    assert network.sizes == [64] + [experiment.WIDTH] * depth + [10]
    assert network.hidden == "tanh" and network.output == "softmax"
    scaled = np.concatenate([(w * np.sqrt(w.shape[0])).ravel() for w in network.weights])
    assert abs(scaled.mean()) < 4 * np.sqrt(weight_variance / scaled.size)
    assert scaled.var() == pytest.approx(weight_variance, rel=4 * np.sqrt(2 / scaled.size))
    biases = np.concatenate(network.biases[:-1])
    assert biases.var() == pytest.approx(experiment.BIAS_VARIANCE, rel=4 * np.sqrt(2 / biases.size))


def test_chunked_held_out_accuracy_is_the_accuracy_of_each_network():
    """The grid's held-out accuracy, in chunks over a stack, against each network alone on
    every held-out digit at once (and against an argmax computed here)."""
    pixels, labels = digits_pixels(), digits_labels()
    held = slice(experiment.TRAINING_EXAMPLES, None)
    singles = [experiment._starting_network(np.random.default_rng(k), s, 4)
               for k, s in enumerate((0.5, 1.0, 3.0))]
    stacked = experiment._held_out_accuracy(networks.stack_networks(singles), pixels[held],
                                            labels[held])
    for single, value in zip(singles, stacked):
        assert value == pytest.approx(networks.accuracy(single, pixels[held], labels[held]),
                                      abs=1e-12)
        activation = pixels[held]
        for w, b in zip(single.weights[:-1], single.biases[:-1]):
            activation = np.tanh(activation @ w + b)
        logits = activation @ single.weights[-1] + single.biases[-1]
        assert value == pytest.approx(np.mean(logits.argmax(axis=1) == labels[held]), abs=1e-12)
