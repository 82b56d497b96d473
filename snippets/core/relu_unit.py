"""Sparsity and death of ReLU units (chapter 1).

A ReLU unit computes a = max(0, z) with z = w·x + b. Its output and its gradient with respect
to w and b are exactly zero whenever z ≤ 0 (taking ReLU′(0) = 0). A unit with z ≤ 0 on every
training input therefore receives no gradient at all: it is dead.
"""

import numpy as np

from snippets.core.activations import leaky_relu, leaky_relu_derivative, relu, relu_derivative
from snippets.core.initialisation import draw_weights, he_std
from snippets.core.validation import (
    MAX_ELEMENTS,
    MAX_OPERATIONS,
    STEP_COST,
    require_array,
    require_budget,
    require_generator,
    require_int,
    require_real,
)

# Inputs, targets, weights and biases lie in [−MAX_VALUE, MAX_VALUE], so z = Xw + b and the
# squared residual stay far inside float64 (|z| ≤ 1e17 for 100 000 inputs). A learning rate
# large enough to make training diverge still can: that run ends in ±∞ or NaN.
MAX_VALUE = 1e6


# --8<-- [start:relu_layer_sparsity]
def he_normal_layer(rng, inputs, units):
    """Weights W ~ N(0, 2/n_in) of shape (n_in, units) and zero biases (He et al. 2015)."""
    rng = require_generator("rng", rng)
    inputs = require_int("inputs", inputs, minimum=1, maximum=100_000)
    units = require_int("units", units, minimum=1, maximum=100_000)
    return draw_weights(rng, "he", inputs, units), np.zeros(units)


def relu_layer_sparsity(inputs, weights, biases):
    """Fraction of exact zeros in ReLU(X W + b): the representational sparsity of the layer."""
    inputs = _data("inputs", inputs, ndim=2)
    weights = _data("weights", weights, ndim=2)
    biases = _data("biases", biases, ndim=1)
    if weights.shape[0] != inputs.shape[1]:
        raise ValueError(f"weights must have one row per column of inputs ({inputs.shape[1]}), "
                         f"got {weights.shape}")
    if biases.shape[0] != weights.shape[1]:
        raise ValueError(f"biases must have one entry per column of weights "
                         f"({weights.shape[1]}), got {biases.shape}")
    require_budget("rows of inputs × columns of weights", inputs.shape[0] * weights.shape[1],
                   MAX_ELEMENTS)
    return float(np.mean(relu(inputs @ weights + biases) == 0.0))
# --8<-- [end:relu_layer_sparsity]


# --8<-- [start:train_single_unit]
def _unit_activation(slope):
    # equivalent mutant (slope == 1.0): slope 1 is refused, and leaky ReLU of slope 0 and its
    # derivative are ReLU and ReLU′ (0 at z = 0) exactly.
    if slope == 0.0:
        return relu, relu_derivative
    return (lambda z: leaky_relu(z, slope)), (lambda z: leaky_relu_derivative(z, slope))


def _data(name, value, ndim, minimum=-MAX_VALUE):
    return require_array(name, value, ndim=ndim, minimum=minimum, maximum=MAX_VALUE)


def _unit_arguments(inputs, targets, weights, bias, slope):
    inputs = _data("inputs", inputs, ndim=2)
    targets = _data("targets", targets, ndim=1)
    weights = _data("weights", weights, ndim=1)
    bias = require_real("bias", bias, -MAX_VALUE, MAX_VALUE)
    slope = require_real("slope", slope, 0.0, 1.0, open_maximum=True)
    if targets.shape[0] != inputs.shape[0]:
        raise ValueError(f"targets must have one entry per row of inputs ({inputs.shape[0]}), "
                         f"got {targets.shape[0]}")
    if weights.shape[0] != inputs.shape[1]:
        raise ValueError(f"weights must have one entry per column of inputs "
                         f"({inputs.shape[1]}), got {weights.shape[0]}")
    return inputs, targets, weights, bias, slope


def single_unit_loss_and_gradient(inputs, targets, weights, bias, slope=0.0):
    """J(w, b) = mean((φ(z) − t)²) / 2 with z = Xw + b, and its gradient (∂J/∂w, ∂J/∂b).

    φ is ReLU when ``slope`` is 0 and leaky ReLU with that slope otherwise; with
    δ = (φ(z) − t) ⊙ φ′(z), ∂J/∂w = Xᵀδ / n and ∂J/∂b = mean(δ).
    """
    inputs, targets, weights, bias, slope = _unit_arguments(inputs, targets, weights, bias, slope)
    return _loss_and_gradient(inputs, targets, weights, bias, slope)


def _loss_and_gradient(inputs, targets, weights, bias, slope):
    forward, derivative = _unit_activation(slope)
    z = inputs @ weights + bias
    residual = forward(z) - targets
    delta = residual * derivative(z)
    return 0.5 * np.mean(residual ** 2), inputs.T @ delta / len(targets), float(np.mean(delta))


def train_single_unit(inputs, targets, weights, bias, slope=0.0, learning_rate=0.1, steps=800):
    """Full-batch gradient descent on J(w, b) of :func:`single_unit_loss_and_gradient`.

    Returns the weights after every step (steps + 1, d), the biases (steps + 1,) and the
    fraction of inputs with z = Xw + b > 0 at every step (steps + 1,).
    """
    inputs, targets, weights, bias, slope = _unit_arguments(inputs, targets, weights, bias, slope)
    weights = weights.copy()
    learning_rate = require_real("learning_rate", learning_rate, 0.0, 1e3, open_minimum=True)
    # equivalent mutants (minimum dropped: 0 is the default; maximum raised or dropped: the
    # operations budget refuses more than 1e6 steps on any input, (1e6 + 1) · (6 + 1e5) > 1e11).
    steps = require_int("steps", steps, minimum=0, maximum=1_000_000)
    _training_budget(inputs, steps)
    weight_history, bias_history = [weights], [bias]
    for _ in range(steps):
        _, weight_gradient, bias_gradient = _loss_and_gradient(inputs, targets, weights, bias,
                                                               slope)
        weights = weights - learning_rate * weight_gradient
        bias = bias - learning_rate * bias_gradient
        weight_history.append(weights)
        bias_history.append(bias)
    weight_history = np.array(weight_history)
    bias_history = np.array(bias_history)
    active = np.mean(inputs @ weight_history.T + bias_history > 0, axis=0)
    return weight_history, bias_history, active
# --8<-- [end:train_single_unit]


def _training_budget(inputs, steps, runs=1):
    """Steps of full-batch descent on ``inputs``: about 6 operations per entry each, and the
    history of the weights and the final z = X Wᵀ, steps + 1 rows each."""
    examples, features = inputs.shape
    require_budget("runs × (steps + 1) × (features + examples) of steps and inputs",
                   runs * (steps + 1) * (features + examples), MAX_ELEMENTS)
    require_budget("runs × steps × (6 × the size of inputs + STEP_COST) of steps and inputs",
                   runs * steps * (6.0 * inputs.size + STEP_COST), MAX_OPERATIONS)


# --8<-- [start:dying_unit_experiment]
def dying_unit_experiment(rng, pixels, slopes=(0.0, 0.01, 0.1), steps=800, learning_rate=0.1):
    """The article's dying neuron on real, all-non-negative inputs (digit pixels).

    One unit starts with every weight negative (w = −|N(0, 2/d)|) and bias 0, so z = Xw ≤ 0 on
    every image. It is trained to output the mean pixel intensity, which a unit with
    w = 1/d fits exactly. Returns {slope: fraction of images with z > 0 after each step}.
    """
    rng = require_generator("rng", rng)
    pixels = _data("pixels", pixels, ndim=2, minimum=0.0)
    if not isinstance(slopes, (list, tuple)) or not slopes:
        raise ValueError(f"slopes must be a non-empty list of slopes in [0, 1), got {slopes!r}")
    slopes = [require_real("slopes", slope, 0.0, 1.0, open_maximum=True) for slope in slopes]
    # equivalent mutants: as in train_single_unit (the budget refuses more than 1e6 steps).
    steps = require_int("steps", steps, minimum=0, maximum=1_000_000)
    learning_rate = require_real("learning_rate", learning_rate, 0.0, 1e3, open_minimum=True)
    _training_budget(pixels, steps, runs=len(slopes))
    targets = pixels.mean(axis=1)
    start = -np.abs(rng.normal(0.0, he_std(pixels.shape[1]), size=pixels.shape[1]))
    return {slope: train_single_unit(pixels, targets, start, 0.0, slope, learning_rate, steps)
            for slope in slopes}
# --8<-- [end:dying_unit_experiment]


# --8<-- [start:active_share_by_bias]
def active_share_by_bias(inputs, weights, biases):
    """For each bias b in ``biases``, the share of inputs x with w·x + b > 0.

    Below b = −max_x w·x the unit is inactive on every input: its output and all its
    gradients are exactly 0, so gradient descent cannot move it again.
    """
    inputs = _data("inputs", inputs, ndim=2)
    weights = _data("weights", weights, ndim=1)
    biases = _data("biases", biases, ndim=1)
    if weights.shape[0] != inputs.shape[1]:
        raise ValueError(f"weights must have one entry per column of inputs ({inputs.shape[1]}), "
                         f"got {weights.shape[0]}")
    require_budget("biases × rows of inputs", biases.size * inputs.shape[0], MAX_ELEMENTS)
    scores = inputs @ weights
    return np.mean(scores[None, :] + biases[:, None] > 0, axis=1)
# --8<-- [end:active_share_by_bias]
