"""Tests that kill surviving mutants of snippets/experiments/dying_relus/*,
snippets/experiments/vanishing_gradient_problem/* and
snippets/experiments/why_relu_works/sigmoid_chain.py (issue 20): each against an independent
oracle. Every test builds a tiny input by hand (or replaces an experiment by a hand-made result),
so none runs an experiment."""

import math

import numpy as np
import pytest

from snippets.core import networks
from snippets.experiments.dying_relus import (
    digits_training,
    fixes_compared,
    gradient_flow,
    sparsity_speed,
)
from snippets.experiments.vanishing_gradient_problem import double_well, learning_speed
from snippets.experiments.why_relu_works import sigmoid_chain


def _sigmoid(x):
    return 1.0 / (1.0 + math.exp(-x))


# ------------------------------------------------------------ fixes_compared.variant_networks


def test_xavier_variant_draws_every_layer_from_glorots_uniform_law():
    # Oracle: Glorot & Bengio (2010), W ~ U(−b, b) with b = √(6 / (n_in + n_out)): every weight
    # within b, and among ≥ 1000 draws one within 1 % of b (P(miss) = 0.99^1000 < 1e-4). He's
    # N(0, 2/n_in) puts about a quarter of its draws beyond b.
    network = fixes_compared.variant_networks("ReLU, Xavier", [np.random.default_rng(3)])
    assert network.hidden == "relu"
    for w, (n_in, n_out) in zip(network.weights, zip(digits_training.SIZES[:-1],
                                                     digits_training.SIZES[1:])):
        bound = math.sqrt(6 / (n_in + n_out))
        assert np.abs(w).max() <= bound
        assert np.abs(w).max() >= 0.99 * bound


def test_leaky_variant_passes_a_hundredth_of_a_negative_pre_activation():
    # Oracle: leaky ReLU 0.01 by its definition, a = z for z > 0 and 0.01 z otherwise,
    # written here in numpy on the network's own first-layer pre-activations.
    network = fixes_compared.variant_networks("leaky ReLU 0.01", [np.random.default_rng(4)])
    inputs = np.random.default_rng(5).uniform(0.0, 1.0, size=(6, digits_training.SIZES[0]))
    pre, activations, _ = networks.forward(network, inputs, derivatives=False)
    z = pre[0]
    assert np.any(z < 0)
    np.testing.assert_array_equal(activations[1], np.where(z > 0, z, 0.01 * z))


# ------------------------------------------------------------------- digits_training.train


def _single_relu_network(seed):
    return networks.init_network(np.random.default_rng(seed), digits_training.SIZES,
                                 weights="he", bias_std=0.0, hidden="relu", output="softmax")


def _pixels_and_targets(examples, seed=6):
    rng = np.random.default_rng(seed)
    pixels = rng.uniform(0.0, 1.0, size=(examples, digits_training.SIZES[0]))
    return pixels, networks.one_hot(np.arange(examples) % 10)


def test_train_takes_an_unstacked_network_with_its_one_generator_and_exactly_one_batch():
    # Oracle: a hand count. BATCH examples make one mini-batch, so one update per epoch and
    # a record at the start and after each of the EPOCHS epochs: counts 0, 1, …, EPOCHS.
    pixels, targets = _pixels_and_targets(digits_training.BATCH)
    start = _single_relu_network(7)
    trained, counts, records = digits_training.train(
        start, [np.random.default_rng(8)], 0.1, pixels, targets, record=lambda n: n.stack)
    np.testing.assert_array_equal(counts, np.arange(digits_training.EPOCHS + 1))
    assert records == [()] * (digits_training.EPOCHS + 1)     # unstacked all along
    assert not np.array_equal(trained.weights[-1], start.weights[-1])


def test_train_refuses_one_example_fewer_than_a_batch_naming_inputs_and_the_count():
    # Oracle: the edge, BATCH − 1 = 31 examples (BATCH = 32 passes, above).
    pixels, targets = _pixels_and_targets(digits_training.BATCH - 1)
    with pytest.raises(ValueError, match=r"inputs must hold at least BATCH = 32 examples, "
                                         r"got 31$"):
        digits_training.train(_single_relu_network(7), [np.random.default_rng(8)], 0.1,
                              pixels, targets)


# ---------------------------------------------------------- digits_training.inactive_shares


def _hand_network(stacked=None):
    """64 → 2 → 2 → 2 → 1 with zero weights: the pre-activations are the biases. Hidden layer
    1 has no unit with z ≤ 0, layer 2 one (z = −1), layer 3 two (z = −1 and z = 0); the output
    unit has z = −1 (not a hidden unit)."""
    weights = [np.zeros((64, 2)), np.zeros((2, 2)), np.zeros((2, 2)), np.zeros((2, 1))]
    biases = [np.array([1.0, 2.0]), np.array([1.0, -1.0]), np.array([-1.0, 0.0]),
              np.array([-1.0])]
    network = networks.Network(weights, biases, "relu", "sigmoid")
    return network if stacked is None else networks.stack_networks([network] * stacked)


def test_inactive_shares_count_every_hidden_layer_and_not_the_output():
    # Oracle: hand count on _hand_network, 0 + 1 + 2 inactive of 6 hidden units = 1/2.
    inputs = np.full((3, 64), 0.5)
    assert digits_training.inactive_shares(_hand_network(), inputs) == 0.5


def test_inactive_shares_accept_pixels_at_exactly_zero_and_one_and_nothing_beyond():
    # Oracle: the pixel range [0, 1], tested at its edges and one float step beyond each.
    network = _hand_network()
    edges = np.zeros((2, 64))
    edges[1] = 1.0
    assert digits_training.inactive_shares(network, edges) == 0.5
    for beyond in (np.nextafter(0.0, -1.0), np.nextafter(1.0, 2.0), -0.5, 1.5):
        inputs = np.full((2, 64), 0.5)
        inputs[1, 3] = beyond
        with pytest.raises(ValueError, match=r"inputs must hold values in \[0\.0, 1\.0\]"):
            digits_training.inactive_shares(network, inputs)


def test_inactive_shares_refuse_inputs_given_per_stacked_network():
    # Oracle: the documented shape (examples, 64); (networks, examples, 64) is not it.
    network = _hand_network(stacked=2)
    assert digits_training.inactive_shares(network, np.full((3, 64), 0.5)) == \
        pytest.approx([0.5, 0.5], rel=0, abs=0)
    with pytest.raises(ValueError, match=r"inputs must have shape \(any, 64\)"):
        digits_training.inactive_shares(network, np.full((2, 3, 64), 0.5))


# ---------------------------------------------------------------- gradient_flow._error_sizes


def test_error_sizes_are_the_rms_of_delta_in_every_hidden_layer():
    # Oracle: back-propagation written out here in numpy for a 3 → 4 → 4 → 4 → 2 tanh network
    # with a softmax output: δ^L = a^L − y, δ^l = (δ^{l+1} W^{l+1}ᵀ) ⊙ tanh′(z^l).
    rng = np.random.default_rng(9)
    network = networks.init_network(rng, [3, 4, 4, 4, 2], weights="lecun", gain=1.5,
                                    bias_std=0.1, hidden="tanh", output="softmax")
    inputs = rng.standard_normal((5, 3))
    targets = networks.one_hot([0, 1, 1, 0, 1], 2)
    a, zs = inputs, []
    for w, b in zip(network.weights, network.biases):
        zs.append(a @ w + b)
        a = np.tanh(zs[-1])
    output = np.exp(zs[-1]) / np.exp(zs[-1]).sum(axis=1, keepdims=True)
    delta, expected = output - targets, []
    for layer in (2, 1, 0):
        delta = (delta @ network.weights[layer + 1].T) * (1 - np.tanh(zs[layer]) ** 2)
        expected.insert(0, math.sqrt(np.mean(delta ** 2)))
    rms, slopes = gradient_flow._error_sizes(network, inputs, targets)
    assert rms == pytest.approx(expected, rel=1e-12, abs=0)
    # φ′ of every hidden layer, the deepest included (an earlier version dropped it).
    assert slopes.shape == (3, 5, 4)
    for layer in range(3):
        assert slopes[layer] == pytest.approx(1 - np.tanh(zs[layer]) ** 2, rel=1e-12, abs=0)


# ------------------------------------------------------------ sparsity_speed._hidden_shares


def test_hidden_shares_average_each_layers_share_per_stacked_network():
    # Oracle: hand count. Zero weights, so each hidden unit's activation is ReLU of its bias.
    # Network 0: layer 1 (2 units) has 1 zero, layer 2 (4 units) 1 zero: (1/2 + 1/4) / 2 = 3/8.
    # Network 1: layer 1 none, layer 2 all four: (0 + 1) / 2 = 1/2. Layer shares are averaged
    # with equal weight (not pooled over units) and never over the networks.
    def single(first, second):
        return networks.Network([np.zeros((1, 2)), np.zeros((2, 4)), np.zeros((4, 1))],
                                [np.array(first), np.array(second), np.array([0.0])],
                                "relu", "sigmoid")
    network = networks.stack_networks([single([1.0, -1.0], [1.0, 1.0, 1.0, -1.0]),
                                       single([1.0, 1.0], [-1.0, -1.0, -1.0, -1.0])])
    inputs = np.array([[0.5], [1.0], [2.0]])
    shares = sparsity_speed._hidden_shares(network, inputs, lambda a: a == 0.0)
    assert shares.shape == (2,)
    assert shares == pytest.approx([3 / 8, 1 / 2], rel=0, abs=0)


# ---------------------------------------------------------------- sparsity_speed.loss_area


def test_loss_area_takes_a_single_epoch_and_refuses_none():
    # Oracle: the edge. (seeds, 2) is a start and one epoch: the area is that epoch's loss.
    assert sparsity_speed.loss_area([[2.0, 1.5], [3.0, 0.25]]) == \
        pytest.approx([1.5, 0.25], rel=0, abs=0)
    with pytest.raises(ValueError, match=r"losses must have shape \(seeds, epochs \+ 1\)"):
        sparsity_speed.loss_area([[2.0], [3.0]])


# ----------------------------------------------------------------------- double_well._cost


def test_double_well_cost_at_hand_computed_points():
    # Oracle: J(θ) = (θ² − 1)² + TILT·θ by hand: J(0) = 1, J(±1) = ±TILT, J(2) = 9 + 2 TILT,
    # J(−2) = 9 − 2 TILT.
    tilt = double_well.TILT
    assert double_well._cost(0.0) == 1.0
    assert double_well._cost(1.0) == pytest.approx(tilt, rel=1e-15, abs=0)
    assert double_well._cost(-1.0) == pytest.approx(-tilt, rel=1e-15, abs=0)
    assert double_well._cost(2.0) == pytest.approx(9 + 2 * tilt, rel=1e-15, abs=0)
    assert double_well._cost(-2.0) == pytest.approx(9 - 2 * tilt, rel=1e-15, abs=0)


def test_double_well_cost_has_the_derivative_4_theta_cubed_minus_4_theta_plus_tilt():
    # Oracle: central finite differences of the cost against J′(θ) = 4θ³ − 4θ + TILT.
    h = 1e-5
    for theta in (-1.7, -0.4, 0.3, 1.2):
        numeric = (double_well._cost(theta + h) - double_well._cost(theta - h)) / (2 * h)
        assert numeric == pytest.approx(4 * theta ** 3 - 4 * theta + double_well.TILT,
                                        rel=1e-7, abs=1e-9)


# ------------------------------------------------------------ learning_speed.initial_networks


def test_initial_networks_take_a_single_network_and_refuse_zero():
    # Oracle: the edge of count's range [1, SEEDS].
    assert learning_speed.initial_networks(2, count=1).stack == (1,)
    with pytest.raises(ValueError, match=r"count must lie in \[1, 100\]"):
        learning_speed.initial_networks(2, count=0)


def test_initial_networks_are_stored_in_the_dtype_asked_for():
    # Oracle: the dtype passed in; float32 is not the default float64.
    network = learning_speed.initial_networks(2, count=1, dtype=np.float32)
    assert all(w.dtype == np.float32 for w in network.weights)
    assert all(b.dtype == np.float32 for b in network.biases)


# ---------------------------------------------------------- learning_speed.final_speed_ratios


def test_final_speed_ratios_read_the_last_epoch(monkeypatch):
    # Oracle: powers of two. Speeds (seeds, epochs + 1, layers); at the last epoch the last
    # over the first layer is 4 / 1 = 4 and 2 / 0.25 = 8 (the epoch before: 1 and 1).
    speeds = np.array([[[0.5, 0.5], [1.0, 1.0], [1.0, 4.0]],
                       [[0.5, 0.5], [2.0, 2.0], [0.25, 2.0]]])
    monkeypatch.setattr(learning_speed, "speeds_during_training",
                        lambda: {2: {"speeds": speeds}})
    assert learning_speed.final_speed_ratios(2) == pytest.approx([4.0, 8.0], rel=0, abs=0)


# ------------------------------------------------------------------ sigmoid_chain.over_seeds


def test_over_seeds_is_the_mean_and_sample_deviation_at_the_deepest_layer(monkeypatch):
    # Oracle: by hand. The depth-DEPTH values 1, 2, 3 (last entries) have mean 2 and sample
    # standard deviation (ddof = 1) √((1 + 0 + 1) / 2) = 1; the other entries are decoys.
    runs = [({"median": np.array([10.0 + k, 20.0 + k, 30.0 + k, value])}, None)
            for k, value in enumerate((1.0, 2.0, 3.0))]
    monkeypatch.setattr(sigmoid_chain, "chain_experiment", lambda: {"w = 1": runs})
    mean, deviation = sigmoid_chain.over_seeds("w = 1", "median")
    assert mean == 2.0
    assert deviation == 1.0


# ------------------------------------------------- sigmoid_chain._outputs_and_slopes, _diagonal


def _chain_oracle(weight):
    """y_m and ∂y_m/∂w for m = 1 … 10 in plain Python: y_1 = σ(w), y_t = σ(y_{t−1}); the
    chain rule with σ′ = σ(1 − σ)."""
    y = _sigmoid(weight)
    slope = y * (1 - y)
    outputs, slopes = [y], [slope]
    for _ in range(2, 11):
        y = _sigmoid(y)
        slope *= y * (1 - y)
        outputs.append(y)
        slopes.append(slope)
    return ([outputs[m - 1] for m in sigmoid_chain.TRAINED_DEPTHS],
            [slopes[m - 1] for m in sigmoid_chain.TRAINED_DEPTHS])


def test_outputs_and_slopes_are_the_chain_values_at_each_trained_depth():
    # Oracle: _chain_oracle (plain Python), and by hand at w = 0: y_1 = 1/2, ∂y_1/∂w = 1/4.
    weight = [2.0, 0.0, -1.5]
    outputs, slopes = sigmoid_chain._outputs_and_slopes(weight)
    assert outputs.shape == slopes.shape == (3, len(sigmoid_chain.TRAINED_DEPTHS))
    assert outputs[1, 0] == 0.5 and slopes[1, 0] == 0.25
    for row, w in enumerate(weight):
        expected_outputs, expected_slopes = _chain_oracle(w)
        assert outputs[row] == pytest.approx(expected_outputs, rel=1e-14, abs=0)
        assert slopes[row] == pytest.approx(expected_slopes, rel=1e-12, abs=0)


def test_outputs_and_slopes_slope_is_the_finite_difference_of_the_output():
    # Oracle: central finite difference of y_m(w), independent of the chain rule.
    h = 1e-4
    up, _ = sigmoid_chain._outputs_and_slopes(1.3 + h)
    down, _ = sigmoid_chain._outputs_and_slopes(1.3 - h)
    _, slopes = sigmoid_chain._outputs_and_slopes(1.3)
    assert slopes[0] == pytest.approx((up[0] - down[0]) / (2 * h), rel=1e-4, abs=0)


def test_outputs_and_slopes_give_every_entry_of_a_2d_weight_its_own_row():
    # Oracle: _chain_oracle entry by entry; the depths form the last axis.
    weight = np.array([[2.0, 0.0, -1.5], [0.5, 1.0, -3.0]])
    outputs, slopes = sigmoid_chain._outputs_and_slopes(weight)
    assert outputs.shape == slopes.shape == (2, 3, len(sigmoid_chain.TRAINED_DEPTHS))
    for index in np.ndindex(weight.shape):
        expected_outputs, expected_slopes = _chain_oracle(float(weight[index]))
        assert outputs[index] == pytest.approx(expected_outputs, rel=1e-14, abs=0)
        assert slopes[index] == pytest.approx(expected_slopes, rel=1e-12, abs=0)


def test_outputs_and_slopes_compute_in_float64_for_a_float32_weight():
    # Oracle: _chain_oracle in Python floats (float64); 2.0 is exact in float32.
    outputs, slopes = sigmoid_chain._outputs_and_slopes(np.array([2.0], dtype=np.float32))
    assert outputs.dtype == slopes.dtype == np.float64
    expected_outputs, expected_slopes = _chain_oracle(2.0)
    assert outputs[0] == pytest.approx(expected_outputs, rel=1e-14, abs=0)
    assert slopes[0] == pytest.approx(expected_slopes, rel=1e-12, abs=0)


def test_diagonal_takes_entry_i_of_row_i():
    # Oracle: in an 8 × 8 array holding 0 … 63 row by row, entry (i, i) is 9 i.
    values = np.arange(64.0).reshape(8, 8)
    np.testing.assert_array_equal(sigmoid_chain._diagonal(values), 9.0 * np.arange(8))
