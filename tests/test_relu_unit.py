import numpy as np
import pytest

from snippets.core import relu_unit
from snippets.core.data import digits_pixels


@pytest.fixture(scope="module")
def pixels():
    return digits_pixels()


def test_random_relu_layer_is_half_sparse(pixels):
    shares = []
    for seed in range(10):
        weights, biases = relu_unit.he_normal_layer(np.random.default_rng(seed), 64, 256)
        shares.append(relu_unit.relu_layer_sparsity(pixels, weights, biases))
        # Second method: with zero-mean symmetric weights, an output is 0 exactly when its
        # pre-activation is ≤ 0, which happens with probability 1/2 for each unit.
        assert shares[-1] == np.mean(pixels @ weights + biases <= 0)
    assert all(0.35 < share < 0.65 for share in shares)
    assert np.mean(shares) == pytest.approx(0.5, abs=3 * np.std(shares, ddof=1) / np.sqrt(10))


@pytest.mark.parametrize("slope", [0.0, 0.01, 0.3])
def test_unit_gradient_matches_finite_differences(pixels, slope):
    rng = np.random.default_rng(3)
    inputs, targets = pixels[:200], pixels[:200].mean(axis=1)
    weights, bias, step = rng.normal(0, 0.2, 64), 0.05, 1e-6
    _, weight_gradient, bias_gradient = relu_unit.single_unit_loss_and_gradient(
        inputs, targets, weights, bias, slope)
    for index in range(0, 64, 7):
        shift = np.zeros(64)
        shift[index] = step
        plus = relu_unit.single_unit_loss_and_gradient(inputs, targets, weights + shift, bias,
                                                        slope)[0]
        minus = relu_unit.single_unit_loss_and_gradient(inputs, targets, weights - shift, bias,
                                                         slope)[0]
        assert weight_gradient[index] == pytest.approx((plus - minus) / (2 * step), abs=1e-8)
    plus = relu_unit.single_unit_loss_and_gradient(inputs, targets, weights, bias + step, slope)[0]
    minus = relu_unit.single_unit_loss_and_gradient(inputs, targets, weights, bias - step,
                                                     slope)[0]
    assert bias_gradient == pytest.approx((plus - minus) / (2 * step), abs=1e-8)


def test_dead_unit_never_moves_but_a_positive_bias_keeps_it_alive(pixels):
    targets = pixels.mean(axis=1)
    start = -np.abs(np.random.default_rng(0).normal(0, 0.2, 64))
    weights, biases, active = relu_unit.train_single_unit(pixels, targets, start, 0.0, steps=300)
    assert np.all(weights == start) and np.all(biases == 0.0)  # bit for bit
    assert np.all(active == 0.0)
    _, gradient, bias_gradient = relu_unit.single_unit_loss_and_gradient(pixels, targets, start,
                                                                         0.0)
    assert np.all(gradient == 0.0) and bias_gradient == 0.0
    # The same weights with a bias larger than any |w·x| give an active unit that learns.
    rescue = float(np.max(np.abs(pixels @ start))) + 0.1
    weights, _, active = relu_unit.train_single_unit(pixels, targets, start, rescue, steps=50)
    assert active[0] == 1.0 and not np.array_equal(weights[-1], start)


def test_leaky_unit_revives_where_relu_stays_dead(pixels):
    runs = relu_unit.dying_unit_experiment(np.random.default_rng(0), pixels)
    assert np.all(runs[0.0][2] == 0.0)
    for slope in (0.01, 0.1):
        active = runs[slope][2]
        assert active[0] == 0.0 and active[-1] > 0.9
    # A larger slope carries a larger gradient, so it revives sooner.
    assert np.argmax(runs[0.1][2] > 0) < np.argmax(runs[0.01][2] > 0)


def test_unit_negative_on_some_inputs_still_learns(pixels):
    targets = pixels.mean(axis=1)
    weights = np.random.default_rng(5).normal(0, 0.2, 64)
    bias = -float(np.median(pixels @ weights))  # negative on about half of the images
    z = pixels @ weights + bias
    assert 0.3 < np.mean(z > 0) < 0.7
    _, gradient, bias_gradient = relu_unit.single_unit_loss_and_gradient(pixels, targets,
                                                                          weights, bias)
    assert np.linalg.norm(gradient) > 1e-3 and bias_gradient != 0.0
    trained, _, active = relu_unit.train_single_unit(pixels, targets, weights, bias, steps=100)
    assert not np.array_equal(trained[-1], weights) and active[-1] > 0


def test_bias_below_the_threshold_kills_the_unit_for_good(pixels):
    weights = np.random.default_rng(0).normal(0, np.sqrt(2 / 64), 64)
    threshold = -np.max(pixels @ weights)
    shares = relu_unit.active_share_by_bias(pixels, weights, np.array([threshold - 1e-9,
                                                                        threshold + 1e-6]))
    assert shares[0] == 0.0 and shares[1] > 0.0  # second method: the arg-max image activates
    trained, biases, active = relu_unit.train_single_unit(pixels, pixels.mean(axis=1), weights,
                                                           threshold - 0.5, steps=200)
    assert np.all(trained == weights) and np.all(biases == threshold - 0.5)
    assert np.all(active == 0.0)
