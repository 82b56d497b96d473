import math

import numpy as np
import pytest

from snippets.core import activations, networks, variance
from snippets.core.statistics import spawn_generators
from snippets.experiments.vanishing_gradient_problem import learning_speed as nielsen
from tests.numerical import assert_parameter_gradients


def _small_problem(hidden, seed=0, sizes=(5, 4, 3, 2)):
    rng = np.random.default_rng(seed)
    network = networks.init_network(rng, list(sizes), weights="lecun", bias_std=0.5,
                                    hidden=hidden)
    inputs = rng.standard_normal((7, sizes[0]))
    targets = networks.one_hot(rng.integers(0, sizes[-1], 7), sizes[-1])
    return network, inputs, targets


@pytest.mark.parametrize("output", ["sigmoid", "softmax"])
@pytest.mark.parametrize("hidden", ["sigmoid", "tanh", "relu", "leaky_relu"])
def test_backpropagation_matches_finite_differences_of_the_cost(hidden, output):
    network, inputs, targets = _small_problem(hidden)
    network.output = output
    grads = networks.gradients(network, inputs, targets)
    grad_w, grad_b = grads["weights"], grads["biases"]
    assert_parameter_gradients(network, lambda: networks.cost(network, inputs, targets),
                               grad_w, grad_b)


def test_earlier_layers_learn_slower_as_in_nielsens_experiment():
    speeds = nielsen.speeds_at_initialisation()
    for depth, values in speeds.items():
        # Every seed: each hidden layer learns faster than the one below it.
        assert np.all(np.diff(values, axis=1) > 0), depth
        # Published number: Nielsen's last/first ratio on MNIST; the mean over our seeds agrees
        # within a factor 2 (the digits are not MNIST: 64 inputs instead of 784).
        published = nielsen.NIELSEN_MNIST_SPEEDS[depth]
        ours = np.mean(nielsen.last_over_first(values))
        assert 0.5 < ours / (published[-1] / published[0]) < 2.0, depth
        # "Four to five times per layer" (the chapter's wording), on average over seeds.
        assert 3.0 < nielsen.per_layer_factor(values) < 7.0, depth


def test_each_hidden_layer_added_puts_the_first_layer_a_further_factor_behind_the_top():
    # "Many more small numbers partaking in a product" (001), "especially relevant when we
    # have several hidden layers" (000): with every hidden layer added, the first layer's
    # speed of learning falls a further per-layer factor below the top layer's, beyond the
    # spread of the 100 networks per depth.
    speeds = nielsen.speeds_at_initialisation()
    logs = {depth: np.log(nielsen.last_over_first(values)) for depth, values in speeds.items()}
    for shallow, deep in zip(nielsen.HIDDEN_LAYERS, nielsen.HIDDEN_LAYERS[1:]):
        gap = logs[deep].mean() - logs[shallow].mean()
        error = np.sqrt(logs[deep].var(ddof=1) / logs[deep].size
                        + logs[shallow].var(ddof=1) / logs[shallow].size)
        assert gap > 3 * error and gap > np.log(2), (shallow, deep)
        # Second measurement of the same thing: one more factor of the layer-to-layer ratio.
        assert gap == pytest.approx(np.log(nielsen.per_layer_factor(speeds[deep])), rel=0.25)
    # And trained with Nielsen's settings, the deepest networks learn less than the shallowest
    # (mean training accuracy over the trained seeds, beyond three standard errors).
    runs = nielsen.speeds_during_training()
    shallow = runs[min(nielsen.HIDDEN_LAYERS)]["train_accuracy"]
    deep = runs[max(nielsen.HIDDEN_LAYERS)]["train_accuracy"]
    error = np.sqrt(shallow.var(ddof=1) / shallow.size + deep.var(ddof=1) / deep.size)
    assert shallow.mean() - deep.mean() > 3 * error


def test_training_keeps_the_ordering_and_learns_little_with_nielsens_settings():
    for depth, run in nielsen.speeds_during_training().items():
        speeds = run["speeds"]  # (seeds, epochs + 1, hidden layers)
        assert speeds.shape == (nielsen.TRAINED_SEEDS, nielsen.EPOCHS + 1, depth)
        ratios = nielsen.final_speed_ratios(depth)
        if depth >= 3:
            # Deeper networks: ordered at every epoch in every seed, and at the end the first
            # layer is the slowest by more than 10× on average over seeds.
            assert np.all(speeds[:, :, 1:] > speeds[:, :, :-1]), depth
            assert np.exp(np.mean(np.log(ratios))) > 10
        else:
            # Two hidden layers: the gap closes (the ratio ends near 1 on average over seeds).
            assert np.all(nielsen.last_over_first(speeds[:, 0]) > 3)
            assert 0.5 < np.exp(np.mean(np.log(ratios))) < 2
        # As the chapter says: with η = 0.1 and 500 full-batch steps, little is learned (mean
        # accuracy over seeds about 0.23 for two hidden layers, sd 0.07 between seeds: the
        # bound 0.35 is more than 3 standard errors away) and deeper networks stay near chance.
        for accuracy in (run["train_accuracy"], run["held_out_accuracy"]):
            assert np.mean(accuracy) < (0.35 if depth == 2 else 0.15), depth


def test_float32_training_gives_the_speeds_of_a_float64_run():
    # Second method for the chapter's training runs, which use float32 to save time: the
    # first two networks of the deepest setting, trained again in float64. The two agree to
    # about 6e-5 relative on this machine; rounding differences on another CPU stay far below
    # the tolerance of 1e-3.
    depth, count = max(nielsen.HIDDEN_LAYERS), 2
    inputs, targets, labels = nielsen.training_data()
    speeds, trained = networks.train_recording_speeds(
        nielsen.initial_networks(depth, count), inputs, targets, nielsen.EPOCHS,
        nielsen.LEARNING_RATE, nielsen.L2)
    run = nielsen.speeds_during_training()[depth]
    assert run["speeds"].dtype == np.dtype(nielsen.TRAINING_DTYPE)
    np.testing.assert_allclose(run["speeds"][:count], speeds, rtol=1e-3)
    np.testing.assert_allclose(run["train_accuracy"][:count],
                               networks.accuracy(trained, inputs, labels), atol=0.01)


def test_learning_speed_is_the_norm_of_the_mean_bias_gradient():
    network, inputs, targets = _small_problem("sigmoid", sizes=(5, 4, 4, 3, 2))
    grad_b = networks.gradients(network, inputs, targets)["biases"]
    np.testing.assert_allclose(networks.learning_speeds(network, inputs, targets),
                               [np.sqrt(np.sum(g ** 2)) for g in grad_b[:-1]])


def test_a_third_of_unit_normal_weights_lie_outside_minus_one_one():
    network = networks.init_network(np.random.default_rng(0), [500, 400, 300],
                                    weights="unit_normal")
    weights = np.concatenate([w.ravel() for w in network.weights])
    share = np.mean(np.abs(weights) > 1)
    exact = math.erfc(1 / math.sqrt(2))  # P(|w| > 1) for w ~ N(0, 1)
    assert exact == pytest.approx(0.3173, abs=1e-4)
    assert share == pytest.approx(exact, abs=4 * math.sqrt(exact * (1 - exact) / weights.size))


def test_positive_weights_and_inputs_make_a_relu_network_linear():
    rng = np.random.default_rng(2)
    network = networks.init_network(rng, [64, 30, 30, 10], weights="he", bias_std=0.0,
                                    hidden="relu")
    network.weights = [np.abs(w) for w in network.weights]
    inputs = rng.uniform(0, 1, size=(50, 64))  # "normalised between 0 and 1"
    pre_activations, activations, _ = networks.forward(network, inputs)
    # Every hidden unit is active on every input: no unit can die, but ReLU is the identity …
    assert all(np.all(z >= 0) for z in pre_activations[:-1])
    # … so the hidden layers compute the linear map x ↦ x W¹ W², exactly as a second method.
    linear = inputs @ network.weights[0] @ network.weights[1]
    np.testing.assert_allclose(activations[2], linear, rtol=1e-12)


@pytest.mark.parametrize("gain", [0.8, 1.0, 1.2])
def test_relu_activations_grow_by_the_gain_squared_per_layer(gain):
    runs = np.array([networks.activation_growth(np.random.default_rng(seed), 100, 50, gain)
                     for seed in range(6)])
    ratios = runs[:, 2:] / runs[:, 1:-1]
    standard_error = ratios.std(ddof=1) / math.sqrt(ratios.size)
    assert ratios.mean() == pytest.approx(gain ** 2, abs=4 * standard_error)


RELU_DEPTH = 50


def _relu_error_decades(gain, seeds=6, hidden="relu"):
    """log10(RMS δ of the first hidden layer / RMS δ of the top one) in 50-layer ReLU (or
    ``hidden``) networks of width 100 with weights gain·He, zero biases, one value per seed."""
    rng = np.random.default_rng(0)
    inputs = rng.standard_normal((256, 100))
    targets = networks.one_hot(rng.integers(0, 10, 256))
    decades = []
    for generator in spawn_generators(1, seeds):
        network = networks.init_network(generator, [100] * (RELU_DEPTH + 1) + [10],
                                        weights="he", bias_std=0.0, hidden=hidden, gain=gain)
        assert np.max(np.abs(network.weights[10])) < 1.0  # every weight is small
        _, activations, derivatives = networks.forward(network, inputs)
        deltas = networks.backward(network, derivatives, activations[-1], targets)
        rms = np.array([np.sqrt(np.mean(delta ** 2)) for delta in deltas[:-1]])
        decades.append(np.log10(rms[0] / rms[-1]))
    return np.array(decades)


def test_tiny_he_weights_keep_gradients_alive_through_fifty_relu_layers():
    # Oracle: He et al.'s backward recursion. With weights gain·He, each ReLU layer multiplies
    # the second moment of δ by gain² on average, the root-mean-square by gain, so over 50
    # layers log10(RMS bottom / RMS top) ≈ 50·log10(gain): 0 at gain 1, −7.7 at gain 0.7.
    for gain in (0.7, 1.0):
        decades = _relu_error_decades(gain)
        predicted = (RELU_DEPTH - 1) * np.log10(gain)  # layers between the first and the last
        margin = max(3 * decades.std(ddof=1) / np.sqrt(decades.size), 0.5)
        assert abs(decades.mean() - predicted) < margin, (gain, decades)
    # At gain 0.7 the RMS falls by well over five orders of magnitude, at gain 1 by less
    # than one: small weights alone do not make gradients vanish.


def test_relu_derivative_is_bounded_by_one_and_relu_gradients_can_still_vanish():
    # "Solved: ReLU's derivative isn't bounded by (0, 1)". Its slopes, from finite differences
    # of ReLU itself (h a power of two, so exact), are 0 and 1: bounded by 1, and 0 for every
    # inactive unit. And a ReLU network at 0.7 times He's scale loses its back-propagated
    # error by more than five orders of magnitude over 50 layers, in every seed.
    h = 2.0 ** -20
    grid = np.concatenate([np.arange(1.0, 200.0), -np.arange(1.0, 200.0)])
    slopes = (activations.relu(grid + h) - activations.relu(grid - h)) / (2 * h)
    assert set(slopes.tolist()) == {0.0, 1.0} and slopes.max() == 1.0
    assert np.all(_relu_error_decades(0.7) < -5)


def test_a_slope_of_one_not_smoothness_keeps_gradients_alive():
    # "Smoother gradients for positive inputs prevent small gradients in early layers." On
    # positive inputs ReLU's derivative is the constant 1. Two affine units are exactly as
    # smooth (constant derivatives α = 1 and α = 1/4) with n·Var[w] = 1: per the recursion
    # Var[∂C/∂a^{i−1}] = α² n Var[w] Var[∂C/∂a^i], the first keeps the gradient variance and
    # the second divides it by 16 per layer. And ReLU itself, at 0.7 times He's scale, loses
    # its gradients too: the value of the slope and the weights' scale decide, not smoothness.
    width, depth = 100, 20
    kept, shrunk = [], []
    for rng in spawn_generators(4, 3):
        for alpha, out in ((1.0, kept), (0.25, shrunk)):
            _, backward = variance.simulate_variances(rng, "affine", width, depth,
                                                      1 / np.sqrt(width), alpha=alpha, beta=0.0)
            out.append(np.log10(backward[0] / backward[-1]))
    assert np.all(np.abs(kept) < 1)                          # within a factor of 10
    assert np.all(np.abs(np.array(shrunk) - depth * np.log10(1 / 16)) < 1)  # 16 per layer
    assert np.all(_relu_error_decades(0.7) < -5)


def test_leaky_relus_small_slope_does_not_make_gradients_vanish_where_relus_do_not():
    # "Due to the small constant, this could cause vanishing gradients again." On its negative
    # side a leaky unit passes back a = 0.01 of the gradient (finite differences), where ReLU
    # passes back exactly 0: never less. In 50-layer networks at He's scale, from the same
    # weights (the same generators), leaky ReLU keeps its back-propagated error as ReLU does.
    h = 2.0 ** -20
    grid = -np.arange(1.0, 100.0)
    leaky = (activations.leaky_relu(grid + h, 0.01)
             - activations.leaky_relu(grid - h, 0.01)) / (2 * h)
    relu = (activations.relu(grid + h) - activations.relu(grid - h)) / (2 * h)
    np.testing.assert_allclose(leaky, 0.01, rtol=1e-6)
    assert np.all(leaky > relu)
    relu_decades = _relu_error_decades(1.0)
    leaky_decades = _relu_error_decades(1.0, hidden="leaky_relu")
    assert np.all(np.abs(leaky_decades) < 1)                       # within a factor of 10
    assert np.all(np.abs(leaky_decades - relu_decades) < 0.2)      # as ReLU, seed by seed


def test_a_slight_uniform_weight_change_scales_a_relu_networks_output_by_a_power_of_depth():
    # "Update weights in the wrong direction even the slightest, and the activations can blow
    # up." Oracle: positive homogeneity, ReLU(c z) = c ReLU(z) for c > 0. With zero biases,
    # scaling every one of the L + 1 weight matrices by 1 + ε scales the output layer's
    # pre-activations by exactly (1 + ε)^(L + 1): a growth in depth, not a blow-up. At
    # ε = 1 % a 50-layer network's output grows by less than a factor 2.
    rng = np.random.default_rng(5)
    inputs = rng.standard_normal((64, 100))
    network = networks.init_network(rng, [100] * 51 + [10], weights="he", bias_std=0.0,
                                    hidden="relu")
    epsilon = 0.01
    before = networks.forward(network, inputs, derivatives=False)[0][-1]
    network.weights = [(1 + epsilon) * w for w in network.weights]
    after = networks.forward(network, inputs, derivatives=False)[0][-1]
    factor = (1 + epsilon) ** len(network.weights)
    np.testing.assert_allclose(after, factor * before, rtol=1e-9)
    assert factor < 2


def test_train_sgd_records_once_per_epoch_by_default():
    network, inputs, targets = _small_problem("tanh")
    inputs, targets = np.tile(inputs, (3, 1)), np.tile(targets, (3, 1))  # 21 examples
    runs = [networks.train_sgd(network, inputs, targets, np.random.default_rng(0), 4,
                               batch_size=5, record=lambda n: networks.cost(n, inputs, targets),
                               record_every=every) for every in (None, 5)]
    # 21 examples in batches of 5: 5 updates per epoch, so both schedules coincide.
    np.testing.assert_array_equal(runs[0][1], [0, 5, 10, 15, 20])
    np.testing.assert_array_equal(runs[0][1], runs[1][1])
    assert runs[0][2] == runs[1][2]
    assert runs[0][2][-1] < runs[0][2][0]  # and it learns


@pytest.mark.parametrize("hidden", ["relu", "rrelu", "prelu"])
def test_stacked_networks_train_as_each_would_alone(hidden):
    # Second method: S networks trained one by one, each with its own generator, against the
    # same S trained at once as one stacked network.
    rng = np.random.default_rng(5)
    inputs = rng.standard_normal((23, 6))
    targets = networks.one_hot(rng.integers(0, 3, 23), 3)
    alone = [networks.init_network(np.random.default_rng(seed), [6, 5, 4, 3], weights="he",
                                   bias_std=0.1, hidden=hidden, output="softmax")
             for seed in range(3)]
    trained = [networks.train_sgd(net, inputs, targets, np.random.default_rng(10 + seed), 3,
                                  batch_size=4, learning_rate=0.2)[0]
               for seed, net in enumerate(alone)]
    stacked, _, _ = networks.train_sgd(networks.stack_networks(alone), inputs, targets,
                                       [np.random.default_rng(10 + seed) for seed in range(3)],
                                       3, batch_size=4, learning_rate=0.2)
    for index, single in enumerate(trained):
        for ours, theirs in zip(stacked.weights, single.weights):
            np.testing.assert_allclose(ours[index], theirs, rtol=1e-10, atol=1e-12)
        np.testing.assert_allclose(networks.cost(stacked, inputs, targets)[index],
                                   networks.cost(single, inputs, targets), rtol=1e-10)
        assert networks.accuracy(stacked, inputs, targets.argmax(1))[index] == \
            networks.accuracy(single, inputs, targets.argmax(1))


def test_train_sgd_keeps_frozen_layers_and_trains_the_others():
    """A frozen layer keeps its starting weights and biases bit for bit; the other layers
    move exactly as they do when nothing is frozen (the frozen layer did not move in either
    run, up to the first update: one mini-batch gives the oracle)."""
    from snippets.core.statistics import spawn_generators

    rng = np.random.default_rng(4)
    network = networks.init_network(rng, [5, 6, 4, 3])
    inputs, targets = rng.random((8, 5)), networks.one_hot(rng.integers(0, 3, 8), 3)
    trained, _, _ = networks.train_sgd(network, inputs, targets, spawn_generators(1, 1)[0], 3,
                                       batch_size=4, learning_rate=0.5, frozen=[1])
    assert np.array_equal(trained.weights[1], network.weights[1])
    assert np.array_equal(trained.biases[1], network.biases[1])
    assert not np.array_equal(trained.weights[0], network.weights[0])
    # One full batch, one update: the unfrozen layers take the plain gradient step.
    one, _, _ = networks.train_sgd(network, inputs, targets, spawn_generators(1, 1)[0], 1,
                                   batch_size=8, learning_rate=0.5, frozen=[1])
    grads = networks.gradients(network, inputs, targets)
    for layer in (0, 2):
        assert np.allclose(one.weights[layer], network.weights[layer]
                           - 0.5 * grads["weights"][layer], rtol=1e-12, atol=1e-15)


def test_a_frozen_random_first_layer_slows_the_network_but_does_not_corrupt_it():
    """Paired by seed (same start, same mini-batches): with the first layer frozen the network
    still learns the digits far above chance and keeps improving, yet stays below full
    training at epoch 20 and at the end. Margins: five standard errors of the seed means
    (three for the final gap, which is a tenth the size of the early one)."""
    from snippets.experiments.vanishing_gradient_problem import frozen_first_layer

    runs = frozen_first_layer.frozen_runs()
    full, frozen = runs["every layer trains"], runs["first layer frozen"]
    seeds = frozen.shape[0]

    def error(values):
        return values.std(ddof=1) / np.sqrt(seeds)

    assert frozen[:, -1].mean() > 0.7 and frozen[:, -1].min() > 0.5
    gain = frozen[:, -1] - frozen[:, 1]
    assert gain.mean() > 5 * error(gain)
    for index, errors in ((1, 5), (-1, 3)):
        gap = full[:, index] - frozen[:, index]
        assert gap.mean() > errors * error(gap), index


def test_a_slight_weight_change_in_the_worst_direction_blows_a_relu_networks_output_up():
    """The uniform change is the mildest: scaling all 51 matrices by 1.01 multiplies the
    output by exactly 1.01⁵¹ (positive homogeneity, the oracle). Moving each matrix by 1 % of
    its Frobenius norm along the gradient of log ‖z^L‖² multiplies it by over 100 in every
    network (and by 0.1 % over 2). The gradient that picks the direction is checked against a
    central finite difference along a random direction."""
    from snippets.experiments.vanishing_gradient_problem import slight_update

    runs = slight_update.slight_updates()
    layers = slight_update.HIDDEN_LAYERS + 1
    for step, factors in runs.items():
        np.testing.assert_allclose(factors[:, 0], (1 + step) ** layers, rtol=1e-9)
    assert np.all(runs[0.01][:, 1] > 100) and np.all(runs[0.001][:, 1] > 2)
    # The direction really is the gradient: a finite difference on a smaller network.
    rng = np.random.default_rng(8)
    inputs = rng.standard_normal((16, 20))
    network = networks.init_network(rng, [20] * 6 + [10], weights="he", bias_std=0.0,
                                    hidden="relu")
    value, grads = slight_update.output_size_gradient(network, inputs)
    direction = [rng.standard_normal(w.shape) for w in network.weights]
    h = 1e-6

    def moved(sign):
        net = network.copy()
        net.weights = [w + sign * h * d for w, d in zip(network.weights, direction)]
        return slight_update.output_size_gradient(net, inputs)[0]

    finite = (moved(1) - moved(-1)) / (2 * h)
    analytic = sum(float(np.sum(g * d)) for g, d in zip(grads, direction))
    assert finite == pytest.approx(analytic, rel=1e-5)
