"""Tests that kill surviving mutants of snippets/core/networks.py (issue 20): each against an
independent oracle."""

import math

import numpy as np
import pytest

from snippets.core import networks

RRELU_LOW, RRELU_HIGH = 1.0 / 8.0, 1.0 / 3.0


# ------------------------------------------------------------- plain-numpy reference helpers


def _sigma(z):
    return 1.0 / (1.0 + np.exp(-z))


def _reference_forward(weights, biases, x):
    """Sigmoid hidden layers, sigmoid output: a^l = σ(a^{l−1} W^l + b^l)."""
    a = x
    for w, b in zip(weights, biases):
        a = _sigma(a @ w + b)
    return a


def _reference_gradients(weights, biases, x, y, hidden_slope=None):
    """Mean ∂C/∂W, ∂C/∂b of the cross-entropy cost, back-propagated by hand (Nielsen ch. 2).
    Hidden layers are sigmoids, or, when ``hidden_slope`` gives the slope array of each hidden
    layer, leaky rectifiers z·slope for z ≤ 0 (RReLU in training mode)."""
    activations, derivatives = [x], []
    for layer, (w, b) in enumerate(zip(weights, biases)):
        z = activations[-1] @ w + b
        if layer == len(weights) - 1:
            activations.append(_sigma(z))
        elif hidden_slope is None:
            s = _sigma(z)
            activations.append(s)
            derivatives.append(s * (1 - s))
        else:
            d = np.where(z > 0, 1.0, hidden_slope[layer])
            activations.append(z * d)
            derivatives.append(d)
    deltas = [activations[-1] - y]
    for layer in range(len(weights) - 1, 0, -1):
        deltas.insert(0, (deltas[0] @ weights[layer].T) * derivatives[layer - 1])
    n = x.shape[0]
    return ([a.T @ d / n for a, d in zip(activations[:-1], deltas)],
            [d.mean(axis=0) for d in deltas])


def _net(weights, biases, **fields):
    return networks.Network([np.array(w, dtype=float) for w in weights],
                            [np.array(b, dtype=float) for b in biases], **fields)


# ----------------------------------------------------------------------------- Network checks


def test_network_refuses_weights_that_are_not_a_list_naming_their_type():
    # Hand check: a dict is not a list; the message names the type actually given.
    with pytest.raises(ValueError, match="weights must be a non-empty list of arrays, got dict"):
        networks.Network({}, [np.zeros(1)])


def test_network_refuses_one_dimensional_weights_even_if_they_chain():
    # Hand check: W^l must be 2-d (3-d stacked); 1-d arrays of matching length are no network.
    with pytest.raises(ValueError, match="weights must hold non-empty 2-dimensional arrays"):
        networks.Network([np.ones(3)], [np.ones(3)])


def test_a_one_weight_network_is_accepted_and_computes_sigmoid_of_w_x_plus_b():
    # Closed form: σ(2 · 0.5 − 1) = σ(0) = 1/2 exactly.
    network = _net([[[2.0]]], [[-1.0]])
    outputs = networks.forward(network, [[0.5]])[1][-1]
    assert outputs.tolist() == [[0.5]]


def test_prelu_slopes_message_counts_the_hidden_layers():
    # Hand count: weights [1→2, 2→1] have one hidden layer.
    with pytest.raises(ValueError, match=r"one PReLU slope per hidden layer \(1\)"):
        _net([[[1.0, 1.0]], [[1.0], [1.0]]], [[0.0, 0.0], [0.0]], hidden="prelu", slopes=[])


# ------------------------------------------------------------------------------- _pass_budget


def test_pass_budget_operations_exactly_at_the_limit_pass_and_one_example_more_is_refused():
    # Exact arithmetic: sizes [1999, 1575] have 1575 · 2000 = 3 150 000 parameters, and
    # 6 · 5291 · 3 150 000 + STEP_COST = 99 999 900 000 + 100 000 = 1e11 = MAX_OPERATIONS
    # (the elements, 3 · 5291 · 3574 = 56 730 102, stay below 2^26).
    network = networks.Network([np.zeros((1999, 1575))], [np.zeros(1575)])
    assert network.parameter_count == 3_150_000
    networks._pass_budget(network, 5291)
    with pytest.raises(ValueError, match=r"one pass × \(6 × stacked networks × the examples of "
                                         r"inputs × parameters of network \+ STEP_COST\)"):
        networks._pass_budget(network, 5292)


def test_pass_budget_elements_at_the_largest_accepted_count_pass_and_one_more_is_refused():
    # Exact arithmetic: sizes [1, 1] sum to 2; 3 · 11 184 810 · 2 = 67 108 860 ≤ 2^26 and
    # 3 · 11 184 811 · 2 = 67 108 866 > 2^26 (2^26 is not a multiple of 3: no exact edge).
    network = _net([[[1.0]]], [[0.0]])
    networks._pass_budget(network, 11_184_810)
    with pytest.raises(ValueError, match=r"3 × stacked networks × the examples of inputs"):
        networks._pass_budget(network, 11_184_811)


# ------------------------------------------------------------------------------- init_network


def test_init_network_draws_unit_normal_biases_by_default():
    # Nielsen's N(0, 1) biases: the sample standard deviation of 20 000 draws is 1 ± 0.005.
    network = networks.init_network(np.random.default_rng(3), [1, 20_000])
    assert abs(np.std(network.biases[0]) - 1.0) < 0.03


def test_init_network_hidden_bias_shifts_hidden_layers_only():
    # Docstring: hidden biases N(hidden_bias, 0) = hidden_bias, the output layer's 0.
    network = networks.init_network(np.random.default_rng(0), [2, 3, 4, 1], bias_std=0.0,
                                    hidden_bias=5.0)
    assert [b.tolist() for b in network.biases] == [[5.0] * 3, [5.0] * 4, [0.0]]


def test_init_network_draws_each_layers_weights_then_its_biases_from_one_stream():
    # Second implementation: per layer W^l ~ N(0, 1), then b^l = mean + N(0, σ²) (no bias
    # draw when σ = 0), in that order from the one generator.
    g = np.random.default_rng(12)
    w1, b1 = g.normal(0.0, 1.0, size=(2, 3)), 1.0 + g.normal(0.0, 0.5, size=3)
    w2, b2 = g.normal(0.0, 1.0, size=(3, 1)), 0.0 + g.normal(0.0, 0.5, size=1)
    network = networks.init_network(np.random.default_rng(12), [2, 3, 1], weights="unit_normal",
                                    bias_std=0.5, hidden_bias=1.0)
    for got, want in zip(network.weights + network.biases, [w1, w2, b1, b2]):
        np.testing.assert_array_equal(got, want)
    g = np.random.default_rng(12)
    w1, w2 = g.normal(0.0, 1.0, size=(2, 3)), g.normal(0.0, 1.0, size=(3, 1))
    network = networks.init_network(np.random.default_rng(12), [2, 3, 1], weights="unit_normal",
                                    bias_std=0.0, hidden_bias=1.0)
    np.testing.assert_array_equal(network.weights[1], w2)
    assert [b.tolist() for b in network.biases] == [[1.0] * 3, [0.0]]


def test_init_network_stores_float32_parameters_when_asked():
    # Docstring: drawn in float64, stored as dtype: the float64 draws rounded to float32.
    wide = networks.init_network(np.random.default_rng(2), [2, 3, 1])
    narrow = networks.init_network(np.random.default_rng(2), [2, 3, 1], dtype=np.float32)
    for got, want in zip(narrow.weights + narrow.biases, wide.weights + wide.biases):
        assert got.dtype == np.float32
        np.testing.assert_array_equal(got, want.astype(np.float32))


@pytest.mark.parametrize("gain", [0.0, -1.0, float(np.nextafter(1e6, np.inf))])
def test_init_network_refuses_a_gain_outside_zero_to_a_million_before_other_arguments(gain):
    # Hand check: gain must lie in (0, 1e6]; it is checked before the output name.
    with pytest.raises(ValueError, match=r"^gain must lie in \(0.0, 1000000.0\]"):
        networks.init_network(np.random.default_rng(0), [1, 1], gain=gain, output="tanh")


def test_init_network_accepts_a_gain_of_exactly_a_million():
    # Edge of (0, 1e6]: LeCun N(0, 1/1) weights scaled by 1e6 (|w| < 1e7 for this seed).
    network = networks.init_network(np.random.default_rng(0), [1, 1], gain=1e6)
    assert 0.0 < abs(network.weights[0][0, 0]) < 1e7


# -------------------------------------------------------------------------------- _check_sizes


def test_parameter_budget_of_sizes_is_exact_at_two_to_the_26():
    # Exact arithmetic: 8191 · 8192 + 8192 = 8192² = 2^26 parameters pass; 8192 · 8192 + 8192
    # is over; so is [1, 8191, 8192], whose second layer alone holds 2^26.
    assert networks._check_sizes([8191, 8192]) == [8191, 8192]
    with pytest.raises(ValueError, match=r"n_\{L−1\} n_L \+ n_L of sizes"):
        networks._check_sizes([8192, 8192])
    with pytest.raises(ValueError, match="parameters"):
        networks._check_sizes([1, 8191, 8192])


# ------------------------------------------------------------------------------ stack_networks


def test_stack_networks_stacks_a_single_network():
    # Hand check: one network stacks to a leading axis of length 1 holding its parameters.
    network = _net([[[2.0]]], [[-1.0]])
    stacked = networks.stack_networks([network])
    assert stacked.stack == (1,)
    assert stacked.weights[0].tolist() == [[[2.0]]]


def test_stack_networks_refuses_networks_differing_only_in_hidden_activation():
    a = _net([[[1.0]], [[1.0]]], [[0.0], [0.0]], hidden="sigmoid")
    b = _net([[[1.0]], [[1.0]]], [[0.0], [0.0]], hidden="tanh")
    # Hand check: same sizes and output, different hidden activation.
    with pytest.raises(ValueError, match=r"networks must be single \(unstacked\) networks "
                                         r"sharing sizes, hidden activation and output to be "
                                         r"stacked"):
        networks.stack_networks([a, b])


def test_stack_networks_budget_is_networks_times_parameters(monkeypatch):
    # Exact arithmetic with an element budget of 8: four [1, 1] networks (2 parameters each)
    # fill it, five overflow it.
    monkeypatch.setattr(networks, "MAX_ELEMENTS", 8)
    network = _net([[[1.0]]], [[0.0]])
    assert networks.stack_networks([network] * 4).stack == (4,)
    with pytest.raises(ValueError, match="^networks × parameters of each must be at most"):
        networks.stack_networks([network] * 5)


# ----------------------------------------------------------------- generators and inputs


def _stacked_pair():
    first = _net([[[1.0, -1.0, 0.5], [0.0, 2.0, 1.0]], [[1.0], [-1.0], [0.5]]],
                 [[0.1, 0.2, 0.3], [0.0]])
    second = _net([[[-1.0, 0.5, 0.0], [1.0, 1.0, -2.0]], [[0.5], [1.0], [-1.0]]],
                  [[0.0, -0.1, 0.2], [0.3]])
    return first, second, networks.stack_networks([first, second])


def test_stacked_networks_refuse_a_wrong_number_of_generators_naming_rng():
    _, _, stacked = _stacked_pair()
    # Hand count: two stacked networks, one generator given.
    with pytest.raises(ValueError, match=r"^rng must hold 2 generators, one per stacked network "
                                         r"of network, got 1"):
        networks.forward(stacked, [[0.0, 0.0]], rng=[np.random.default_rng(0)])
    with pytest.raises(ValueError, match=r"^rng must be a non-empty list"):
        networks.forward(stacked, [[0.0, 0.0]], rng=[5])


def test_stacked_networks_take_one_set_of_inputs_per_network():
    first, second, stacked = _stacked_pair()
    inputs = np.array([[[0.5, -1.0], [1.0, 2.0], [0.0, 0.3]],
                       [[-0.5, 1.0], [2.0, 0.0], [1.5, -0.3]]])  # (2 networks, 3 examples, 2)
    outputs = networks.forward(stacked, inputs)[1][-1]
    # Second implementation: each network's own sigmoid forward pass on its own inputs.
    for k, network in enumerate((first, second)):
        expected = _reference_forward(network.weights, network.biases, inputs[k])
        np.testing.assert_allclose(outputs[k], expected, rtol=1e-14, atol=0)
    with pytest.raises(ValueError, match=r"inputs must have shape \(examples, 2\)"):
        networks.forward(stacked, np.zeros((3, 3, 2)))  # three input sets, two networks
    with pytest.raises(ValueError, match=r"inputs must have shape \(examples, 2\)"):
        networks.forward(stacked, np.zeros((2, 3, 2, 2)))


def test_inputs_message_names_the_input_width():
    _, _, stacked = _stacked_pair()
    # Hand check: n_0 = 2 (n_1 = 3).
    with pytest.raises(ValueError, match=r"inputs must have shape \(examples, 2\)"):
        networks.forward(stacked, np.zeros((3, 5)))


# ------------------------------------------------------------------------ forward, PReLU, RReLU


def test_prelu_derivative_at_exactly_zero_is_the_slope():
    # Convention of the code's comment (1 for z > 0, the slope otherwise), as ReLU′(0) = 0.
    network = _net([[[1.0]], [[1.0]]], [[0.0], [0.0]], hidden="prelu", slopes=[0.25])
    derivatives = networks.forward(network, [[0.0]])[2]
    assert derivatives[0].tolist() == [[0.25]]


def _rrelu_problem():
    # z^1 = 0.5 x − 5 < 0 for x in (0, 1): every hidden unit is on its random-slope side.
    network = _net([[[0.5, 1.0]], [[1.0], [-2.0]]], [[-5.0, -5.0], [0.5]], hidden="rrelu")
    inputs = np.array([[0.2], [0.7], [0.9]])
    return network, inputs


def test_rrelu_forward_with_a_generator_draws_one_slope_per_unit_and_example():
    network, inputs = _rrelu_problem()
    z = inputs @ network.weights[0] + network.biases[0]
    # Second implementation: a ~ U(1/8, 1/3) per example and unit, drawn from the same seed.
    slopes = np.random.default_rng(7).uniform(RRELU_LOW, RRELU_HIGH, size=z.shape)
    _, acts, derivs = networks.forward(network, inputs, rng=np.random.default_rng(7))
    np.testing.assert_array_equal(derivs[0], slopes)
    np.testing.assert_allclose(acts[1], z * slopes, rtol=1e-15, atol=0)
    _, acts, derivs = networks.forward(network, inputs, rng=np.random.default_rng(7),
                                       derivatives=False)
    assert derivs == []
    np.testing.assert_allclose(acts[1], z * slopes, rtol=1e-15, atol=0)


def test_forward_without_derivatives_returns_an_empty_list():
    # Docstring: "an empty list when derivatives is False".
    network, inputs = _rrelu_problem()
    assert networks.forward(network, inputs, derivatives=False)[2] == []


def test_rrelu_gradients_with_a_generator_use_the_drawn_slopes():
    network, inputs = _rrelu_problem()
    targets = np.array([[1.0], [0.0], [1.0]])
    slopes = np.random.default_rng(11).uniform(RRELU_LOW, RRELU_HIGH, size=(3, 2))
    # Second implementation: hand back-propagation through z · a for z ≤ 0.
    grad_w, grad_b = _reference_gradients(network.weights, network.biases, inputs, targets,
                                          hidden_slope=[slopes])
    grads = networks.gradients(network, inputs, targets, rng=np.random.default_rng(11))
    for got, want in zip(grads["weights"] + grads["biases"], grad_w + grad_b):
        np.testing.assert_allclose(got, want, rtol=1e-12, atol=0)


# --------------------------------------------------------------------------------- backward


def test_backward_propagates_nan_outputs_and_nan_derivatives_of_a_diverged_run():
    # NaN in, NaN out (a diverged run must never look plausible).
    network = _net([[[1.0]], [[2.0]]], [[0.0], [0.0]])
    deltas = networks.backward(network, [np.array([[0.25]])], [[np.nan]], [[0.5]])
    assert np.isnan(deltas[0]).all() and np.isnan(deltas[1]).all()
    deltas = networks.backward(network, [np.array([[np.nan]])], [[0.75]], [[0.5]])
    # δ^2 = 0.75 − 0.5 exactly; δ^1 = 0.25 · 2 · NaN.
    assert deltas[1].tolist() == [[0.25]] and np.isnan(deltas[0]).all()


def test_backward_of_a_stacked_network_takes_outputs_shared_by_all_networks():
    first, second, stacked = _stacked_pair()
    outputs = np.array([[0.25], [0.75]])
    targets = np.array([[1.0], [0.0]])
    derivs = np.array([[0.5, 0.25, 1.0], [1.0, 0.5, 0.125]])
    deltas = networks.backward(stacked, [derivs], outputs, targets)
    # Hand back-propagation per network: δ^1 = (δ^2 W^2ᵀ) ⊙ φ′.
    for k, network in enumerate((first, second)):
        expected = ((outputs - targets) @ network.weights[1].T) * derivs
        np.testing.assert_allclose(deltas[0][k], expected, rtol=1e-15, atol=0)


def test_backward_messages_name_the_output_width_and_the_derivatives():
    _, _, stacked = _stacked_pair()  # sizes [2, 3, 1]
    with pytest.raises(ValueError, match="outputs must have 1 columns"):
        networks.backward(stacked, [np.zeros((1, 3))], [[0.5, 0.5]], [[0.5, 0.5]])
    with pytest.raises(ValueError, match=r"^derivatives must hold real numbers"):
        networks.backward(stacked, [np.array([["a", "b", "c"]])], [[0.5]], [[0.5]])


# ------------------------------------------------------------------------------ cross_entropy


def test_cross_entropy_of_a_certain_wrong_output_is_finite_1022_ln_2():
    # Closed form: ln(0 + tiny) = ln 2^−1022 = −1022 ln 2, for either wrong certainty.
    expected = 1022 * math.log(2)
    assert networks.cross_entropy([[0.0]], [[1.0]]) == pytest.approx(expected, rel=1e-15, abs=0)
    assert networks.cross_entropy([[1.0]], [[0.0]]) == pytest.approx(expected, rel=1e-15, abs=0)


def test_cross_entropy_of_one_network_is_a_python_float():
    # Docstring: one value (a float) for unstacked outputs; ln 2 at a = y = 1/2.
    value = networks.cross_entropy([[0.5]], [[0.5]])
    assert type(value) is float


# ----------------------------------------------------------------------------- one_hot, labels


def test_one_hot_accepts_a_single_class_and_a_single_label():
    # Hand check: one class, one label: the 1 × 1 identity.
    assert networks.one_hot([0], classes=1).tolist() == [[1.0]]


def test_one_hot_refuses_zero_classes_naming_classes():
    with pytest.raises(ValueError, match=r"^classes must lie in \[1, 100000\]"):
        networks.one_hot([0], classes=0)


def test_one_hot_refuses_a_label_equal_to_classes_stating_the_range():
    # Hand check: labels of 3 classes lie in [0, 2].
    with pytest.raises(ValueError, match=r"^labels must be a non-empty 1-d array of integers in "
                                         r"\[0, classes − 1\] = \[0, 2\]"):
        networks.one_hot([3], classes=3)


# ------------------------------------------------------------------------------------ accuracy


def _argmax_network():
    # a^1 = σ([x, −x]) has its largest entry first for x > 0; z^2 = [0, a^1_1 + a^1_2] = [0, 1]
    # puts the largest output second.
    return _net([[[1.0, -1.0]], [[0.0, 1.0], [0.0, 1.0]]], [[0.0, 0.0], [0.0, 0.0]])


def test_accuracy_uses_the_output_layer_not_a_hidden_one():
    # Hand count: the largest output is class 1 = the label: accuracy 1, a Python float.
    value = networks.accuracy(_argmax_network(), [[1.0]], [1])
    assert value == 1.0 and type(value) is float


def test_accuracy_labels_must_be_below_the_number_of_outputs():
    network = _net([[[1.0, 1.0, 1.0]], [[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]]],
                   [[0.0, 0.0, 0.0], [0.0, 0.0]])  # sizes [1, 3, 2]
    # Hand check: 2 outputs, so label 2 is out of [0, 1] (though below the hidden width 3).
    with pytest.raises(ValueError, match=r"^labels must be a shape \(1,\) array of integers in "
                                         r"\[0, outputs of the network − 1\] = \[0, 1\]"):
        networks.accuracy(network, [[1.0]], [2])


def test_accuracy_of_stacked_networks_with_their_own_inputs():
    # Output [σ(x), σ(−x)]: class 0 for x > 0, class 1 for x < 0 (both networks alike).
    single = _net([[[1.0, -1.0]]], [[0.0, 0.0]])
    stacked = networks.stack_networks([single, single.copy()])
    inputs = np.array([[[1.0], [2.0]], [[-1.0], [3.0]]])
    # Hand count with labels [0, 0]: network 1 gets both right, network 2 one of two.
    np.testing.assert_array_equal(networks.accuracy(stacked, inputs, [0, 0]), [1.0, 0.5])


# --------------------------------------------------------------------- train_recording_speeds


def _speed_problem():
    rng = np.random.default_rng(5)
    network = networks.init_network(rng, [1, 2, 1])
    inputs = np.array([[0.5], [-1.0], [2.0]])
    targets = np.array([[1.0], [0.0], [0.25]])
    return network, inputs, targets


def test_train_recording_speeds_defaults_eta_a_tenth_and_lambda_five():
    network, inputs, targets = _speed_problem()
    speeds, trained = networks.train_recording_speeds(network, inputs, targets, 1)
    # Hand back-propagation and Nielsen's update with η = 0.1, λ = 5, n = 3.
    grad_w, grad_b = _reference_gradients(network.weights, network.biases, inputs, targets)
    decay = 1.0 - 0.1 * 5.0 / 3
    for k in range(2):
        np.testing.assert_allclose(trained.weights[k],
                                   decay * network.weights[k] - 0.1 * grad_w[k],
                                   rtol=1e-13, atol=0)
        np.testing.assert_allclose(trained.biases[k], network.biases[k] - 0.1 * grad_b[k],
                                   rtol=1e-13, atol=0)
    assert speeds[0, 0] == pytest.approx(np.linalg.norm(grad_b[0]), rel=1e-13, abs=0)


def test_train_recording_speeds_accepts_zero_epochs_and_no_weight_decay():
    network, inputs, targets = _speed_problem()
    speeds, trained = networks.train_recording_speeds(network, inputs, targets, 0)
    grad_w, grad_b = _reference_gradients(network.weights, network.biases, inputs, targets)
    # Zero epochs: one measurement, parameters unchanged.
    assert speeds.shape == (1, 1)
    assert speeds[0, 0] == pytest.approx(np.linalg.norm(grad_b[0]), rel=1e-13, abs=0)
    np.testing.assert_array_equal(trained.weights[0], network.weights[0])
    # λ = 0: plain gradient descent W − η ∂C/∂W.
    _, trained = networks.train_recording_speeds(network, inputs, targets, 1, l2=0.0)
    np.testing.assert_allclose(trained.weights[1], network.weights[1] - 0.1 * grad_w[1],
                               rtol=1e-13, atol=0)


def test_train_recording_speeds_budgets_epochs_plus_one_passes(monkeypatch):
    # Exact arithmetic: [1, 1, 1] has 4 parameters; one example costs 6 · 4 + 1e5 = 100 024
    # per pass; a budget of 3 passes admits 2 epochs and refuses 3.
    monkeypatch.setattr(networks, "MAX_OPERATIONS", 3 * 100_024.0)
    network = _net([[[1.0]], [[1.0]]], [[0.0], [0.0]])
    speeds, _ = networks.train_recording_speeds(network, [[1.0]], [[1.0]], 2)
    assert speeds.shape == (3, 1)
    with pytest.raises(ValueError, match=r"^\(epochs \+ 1\) passes × \(6 × stacked networks × "
                                         r"the examples of inputs"):
        networks.train_recording_speeds(network, [[1.0]], [[1.0]], 3)


def test_training_data_of_stacked_networks_must_be_shared_two_dimensional_arrays():
    first = _net([[[1.0] * 4, [0.5] * 4], [[1.0]] * 4], [[0.0] * 4, [0.0]])  # sizes [2, 4, 1]
    stacked = networks.stack_networks([first, first.copy()])
    # Hand check: n_0 = 2; 3 examples and n_L = 1 give targets of shape (3, 1).
    with pytest.raises(ValueError, match=r"^inputs must have shape \(examples, 2\): every"):
        networks.train_recording_speeds(stacked, np.zeros((2, 3, 2)), np.zeros((3, 1)), 1)
    with pytest.raises(ValueError, match=r"^targets must have shape \(3, 1\): every"):
        networks.train_recording_speeds(stacked, np.zeros((3, 2)), np.zeros((2, 3, 1)), 1)


# ---------------------------------------------------------------------------- activation_growth


def test_activation_growth_feeds_256_examples_by_default():
    # Second implementation of layer 0: E[x²] over the first 256 × 3 normal draws of the seed.
    x = np.random.default_rng(4).standard_normal((256, 3))
    moments = networks.activation_growth(np.random.default_rng(4), 3, 1, 1.0)
    assert moments[0] == pytest.approx(np.mean(x ** 2), rel=1e-15, abs=0)


def test_activation_growth_refuses_a_width_over_ten_thousand_naming_width():
    with pytest.raises(ValueError, match=r"^width must lie in \[1, 10000\]"):
        networks.activation_growth(np.random.default_rng(0), 10_001, 1, 1.0, examples=1)


def test_activation_growth_gain_bound_applies_to_rectifiers_only():
    # tanh is bounded: (a^l)² ≤ 1 whatever the gain, so gain 1000 over 500 layers runs.
    moments = networks.activation_growth(np.random.default_rng(0), 1, 500, 1000.0,
                                         hidden="tanh", examples=1)
    assert moments.shape == (501,) and np.all(moments[1:] <= 1.0)
    # Leaky ReLU: 51 · 2 · log10(1000) = 306 > 300.
    with pytest.raises(ValueError, match=r"gain\^\(2 × depth\)"):
        networks.activation_growth(np.random.default_rng(0), 1, 51, 1000.0, hidden="leaky_relu",
                                   examples=1)


def test_activation_growth_gain_bound_is_exact_at_1e300():
    # Exact: 150 · 2 · log10(10) = 300 is allowed; 100 · 2 · log10(31.8) = 300.49 is not.
    moments = networks.activation_growth(np.random.default_rng(0), 1, 150, 10.0, examples=1)
    assert moments.shape == (151,)
    with pytest.raises(ValueError, match=r"gain\^\(2 × depth\)"):
        networks.activation_growth(np.random.default_rng(0), 1, 100, 31.8, examples=1)


def test_growth_budget_elements_are_exact_at_two_to_the_26():
    # Exact: width 2 and 2^25 − 2 examples hold 2 (2^25 − 2) + 4 = 2^26 entries; one more
    # example is over.
    networks._growth_budget(2, 1, 1.0, 2 ** 25 - 2)
    with pytest.raises(ValueError,
                       match=r"^examples × width \+ width² of examples and width must be"):
        networks._growth_budget(2, 1, 1.0, 2 ** 25 - 1)


def test_growth_budget_operations_are_exact_at_1e11():
    # Exact: 500 000 · (2 · 500 · 10² + 1e5) = 500 000 · 200 000 = 1e11 = MAX_OPERATIONS.
    networks._growth_budget(10, 500_000, 1.0, 500)
    with pytest.raises(ValueError, match=r"depth × \(2 × examples × width² \+ STEP_COST\)"):
        networks._growth_budget(10, 500_001, 1.0, 500)


# ------------------------------------------------------------------------------------ train_sgd


def _logistic_problem():
    network = _net([[[0.5]]], [[0.0]])  # sizes [1, 1]: logistic regression
    inputs = np.linspace(-1.0, 2.0, 10)[:, None]
    targets = np.array([[1.0], [0.0]] * 5)
    return network, inputs, targets


def test_train_sgd_defaults_one_batch_of_ten_and_eta_a_tenth():
    network, inputs, targets = _logistic_problem()
    trained, counts, records = networks.train_sgd(
        network, inputs, targets, np.random.default_rng(0), 1,
        record=lambda n: n.weights[0].copy(), record_every=1)
    # Closed form for a single sigmoid unit: ∂C/∂w = mean x (σ(w x) − y), over all ten.
    grad = np.mean(inputs * (_sigma(0.5 * inputs) - targets))
    assert counts.tolist() == [0, 1]
    assert trained.weights[0][0, 0] == pytest.approx(0.5 - 0.1 * grad, rel=1e-13, abs=0)


def test_train_sgd_accepts_zero_epochs_and_leaves_the_network_unchanged():
    network, inputs, targets = _logistic_problem()
    trained, counts, records = networks.train_sgd(network, inputs, targets,
                                                  np.random.default_rng(0), 0,
                                                  record=lambda n: None)
    # Hand check: no epoch, no update; only the record before the first update.
    assert counts.tolist() == [0]
    assert trained.weights[0].tolist() == [[0.5]] and trained.biases[0].tolist() == [0.0]


def test_train_sgd_without_a_generator_says_a_numpy_generator_is_needed():
    network, inputs, targets = _logistic_problem()
    with pytest.raises(ValueError, match="^rng must be a numpy Generator"):
        networks.train_sgd(network, inputs, targets, None, 1)


def test_train_sgd_budgets_epochs_times_the_rounded_up_number_of_batches(monkeypatch):
    # Exact: 10 examples in batches of 3 make ⌈10/3⌉ = 4 updates an epoch, each costing
    # 6 · 3 · 2 + 1e5 = 100 036; a budget of 20 updates admits 5 epochs and refuses 6.
    monkeypatch.setattr(networks, "MAX_OPERATIONS", 20 * 100_036.0)
    network, inputs, targets = _logistic_problem()
    networks.train_sgd(network, inputs, targets, np.random.default_rng(0), 5, batch_size=3)
    with pytest.raises(ValueError, match=r"^epochs × ⌈examples of inputs / batch_size⌉ updates "
                                         r"× \(6 × stacked networks × batch_size × parameters"):
        networks.train_sgd(network, inputs, targets, np.random.default_rng(0), 6, batch_size=3)


def test_train_sgd_trains_rrelu_with_random_slopes():
    network, inputs = _rrelu_problem()
    inputs, targets = inputs[:1], np.array([[1.0]])
    # Second implementation: the generator shuffles the one example, then draws a slope per
    # unit; one update with η = 0.5 of the hand back-propagated gradient.
    g = np.random.default_rng(9)
    g.permutation(1)
    slopes = g.uniform(RRELU_LOW, RRELU_HIGH, size=(1, 2))
    grad_w, grad_b = _reference_gradients(network.weights, network.biases, inputs, targets,
                                          hidden_slope=[slopes])
    trained, _, _ = networks.train_sgd(network, inputs, targets, np.random.default_rng(9), 1,
                                       batch_size=1, learning_rate=0.5)
    np.testing.assert_allclose(trained.weights[0], network.weights[0] - 0.5 * grad_w[0],
                               rtol=1e-13, atol=0)


def test_train_sgd_moves_prelu_slopes_against_their_gradient():
    network = _net([[[1.0, -2.0]], [[1.5], [-1.0]]], [[-1.0, 0.5], [0.2]], hidden="prelu",
                   slopes=[0.25])
    inputs, targets = np.array([[1.5]]), np.array([[0.0]])  # z^1 = [0.5, −2.5]
    h = 1e-6

    def cost_at(slope):
        probe = network.copy()
        probe.slopes = [slope]
        return networks.cost(probe, inputs, targets)

    # Finite difference: ∂C/∂a ≈ (C(a + h) − C(a − h)) / 2h; one step a − η ∂C/∂a.
    derivative = (cost_at(0.25 + h) - cost_at(0.25 - h)) / (2 * h)
    assert abs(derivative) > 0.1
    trained, _, _ = networks.train_sgd(network, inputs, targets, np.random.default_rng(0), 1,
                                       batch_size=1, learning_rate=0.1)
    assert float(trained.slopes[0]) == pytest.approx(0.25 - 0.1 * derivative, rel=1e-7, abs=0)


# ------------------------------------------------------------------------------- frozen layers


def _two_layer_problem():
    network = _net([[[1.0, -1.0]], [[1.0], [2.0]]], [[0.5, -0.5], [0.0]])
    return network, np.array([[1.0], [-1.0]]), np.array([[1.0], [0.0]])


@pytest.mark.parametrize("frozen", [np.array([0]), [1]])
def test_train_sgd_freezes_the_first_or_the_last_layer(frozen):
    network, inputs, targets = _two_layer_problem()
    trained, _, _ = networks.train_sgd(network, inputs, targets, np.random.default_rng(0), 1,
                                       batch_size=2, frozen=frozen)
    # Hand check: the frozen layer keeps its values; the other one moves.
    layer = int(frozen[0])
    np.testing.assert_array_equal(trained.weights[layer], network.weights[layer])
    assert not np.array_equal(trained.weights[1 - layer], network.weights[1 - layer])


def test_frozen_layers_are_indices_in_zero_to_layers_minus_one():
    network, inputs, targets = _two_layer_problem()
    # Hand count: two weight layers, indices 0 and 1.
    with pytest.raises(ValueError, match=r"^frozen must lie in \[0, 1\]"):
        networks.train_sgd(network, inputs, targets, np.random.default_rng(0), 1, batch_size=2,
                           frozen=[2])
    with pytest.raises(ValueError, match=r"layer indices in \[0, 1\], got \[\]"):
        networks.train_sgd(network, inputs, targets, np.random.default_rng(0), 1, batch_size=2,
                           frozen=[])
