"""Nielsen's per-layer speed of learning in deep sigmoid networks (Nielsen 2015, ch. 5),
reproduced on the handwritten digits bundled with scikit-learn: at initialisation, and during
EPOCHS epochs of full-batch gradient descent with L2 weight decay (chapter 2, figures 2.5 and
2.6). Every (depth, seed) network draws from its own generator; the seeds of one depth are
trained at once as one stacked network."""

import numpy as np

from snippets.core import networks
from snippets.core.data import digits_labels, digits_pixels
from snippets.core.statistics import spawn_generators
from snippets.core.validation import (
    require_array,
    require_choice,
    require_float_dtype,
    require_int,
)
from snippets.experiments import experiment

HIDDEN_LAYERS = (2, 3, 4)
WIDTH = 30
INPUTS, CLASSES = 64, 10
TRAINING_EXAMPLES = 1000      # the first 1000 digits train, the other 797 are held out
SEED = 0
SEEDS = 100                   # networks per depth measured at initialisation (means to ~3 %) …
TRAINED_SEEDS = 5             # … of which the first TRAINED_SEEDS are also trained
BATCH_OF_SEEDS = 25           # networks stacked per batch (a speed setting, not a result)
EPOCHS = 500
LEARNING_RATE = 0.1
L2 = 5.0
TRAINING_DTYPE = np.float32

# Nielsen (2015), "Neural Networks and Deep Learning", ch. 5: speeds of learning ‖∂C/∂b^l‖ of
# the hidden layers at initialisation, MNIST, 1000 training images, networks [784, 30, …, 10].
NIELSEN_MNIST_SPEEDS = {
    2: (0.07, 0.31),
    3: (0.012, 0.060, 0.283),
    4: (0.003, 0.017, 0.070, 0.285),
}


def training_data():
    """(pixels, one-hot targets, labels) of the TRAINING_EXAMPLES training digits."""
    labels = digits_labels()[:TRAINING_EXAMPLES]
    # equivalent mutant (CLASSES dropped): one_hot's default classes is 10 = CLASSES.
    return digits_pixels()[:TRAINING_EXAMPLES], networks.one_hot(labels, CLASSES), labels


def held_out_data():
    """(pixels, labels) of the remaining digits."""
    return digits_pixels()[TRAINING_EXAMPLES:], digits_labels()[TRAINING_EXAMPLES:]


def initial_networks(depth, count=SEEDS, dtype=np.float64):
    """The first ``count`` of the SEEDS networks with ``depth`` hidden layers, stacked: weights
    N(0, 1/n_in), biases N(0, 1), sigmoid units. Network k of depth d always comes from the
    same generator, whatever ``count`` is."""
    depth = require_choice("depth", depth, HIDDEN_LAYERS)
    count = require_int("count", count, minimum=1, maximum=SEEDS)
    # equivalent mutant (float16 allowed here): init_network refuses float16 with a ValueError
    # naming dtype.
    dtype = require_float_dtype("dtype", dtype, (np.float32, np.float64))
    return _stacked_networks(depth, 0, count, dtype)


def _stacked_networks(depth, start, stop, dtype=np.float64):
    """Networks start … stop − 1 of depth ``depth``, stacked; each from its own generator."""
    generators = spawn_generators(SEED, len(HIDDEN_LAYERS) * SEEDS)
    first = HIDDEN_LAYERS.index(depth) * SEEDS
    sizes = [INPUTS] + [WIDTH] * depth + [CLASSES]
    return networks.stack_networks([
        # equivalent mutants (weights, bias_std or hidden dropped): "lecun", 1.0 and "sigmoid"
        # are init_network's defaults.
        networks.init_network(rng, sizes, weights="lecun", bias_std=1.0, hidden="sigmoid",
                              dtype=dtype)
        for rng in generators[first + start:first + stop]])


@experiment
def speeds_at_initialisation():
    """{hidden layers: array (SEEDS, hidden layers)} of ‖∂C/∂b^l‖ at initialisation."""
    inputs, targets, _ = training_data()
    # In batches: one stack of all SEEDS networks outgrows the CPU caches and runs ~5× slower.
    return {depth: np.concatenate([
                networks.learning_speeds(_stacked_networks(depth, start, start + BATCH_OF_SEEDS),
                                         inputs, targets)
                for start in range(0, SEEDS, BATCH_OF_SEEDS)])
            for depth in HIDDEN_LAYERS}


@experiment
def speeds_during_training():
    """{hidden layers: {"speeds": array (TRAINED_SEEDS, EPOCHS + 1, hidden layers) measured
    before each epoch, "train_accuracy", "held_out_accuracy": arrays (TRAINED_SEEDS,) after
    training}}."""
    inputs, targets, labels = training_data()
    # Trained in float32, twice as fast; tests/test_networks.py checks that the speeds agree
    # with a float64 run.
    inputs, targets = inputs.astype(TRAINING_DTYPE), targets.astype(TRAINING_DTYPE)
    results = {}
    for depth in HIDDEN_LAYERS:
        speeds, trained = networks.train_recording_speeds(
            initial_networks(depth, TRAINED_SEEDS, TRAINING_DTYPE), inputs, targets, EPOCHS,
            LEARNING_RATE, L2)
        results[depth] = {"speeds": speeds,
                          "train_accuracy": networks.accuracy(trained, inputs, labels),
                          "held_out_accuracy": networks.accuracy(trained, *held_out_data())}
    return results


# Speeds of learning lie in [1e-100, 1e100], so their ratios stay within float64.
SPEED_RANGE = (1e-100, 1e100)


def last_over_first(speeds):
    """Speed of the last hidden layer over that of the first (last axis: hidden layers)."""
    speeds = require_array("speeds", speeds, minimum=SPEED_RANGE[0], maximum=SPEED_RANGE[1])
    if speeds.ndim == 0 or speeds.shape[-1] < 2:
        raise ValueError(f"speeds must have a last axis of at least 2 hidden layers, "
                         f"got shape {speeds.shape}")
    return speeds[..., -1] / speeds[..., 0]


def per_layer_factor(speeds):
    """Geometric mean, over seeds and layers, of each layer's speed over the one below it;
    ``speeds`` has shape (seeds, hidden layers), at least two layers."""
    speeds = require_array("speeds", speeds, ndim=2, minimum=SPEED_RANGE[0],
                           maximum=SPEED_RANGE[1])
    if speeds.shape[1] < 2:
        raise ValueError(f"speeds must hold at least 2 hidden layers, got shape {speeds.shape}")
    return float(np.exp(np.mean(np.log(speeds[:, 1:] / speeds[:, :-1]))))


def final_speed_ratios(depth):
    """Per trained seed: last over first hidden layer's speed after the last epoch."""
    depth = require_choice("depth", depth, HIDDEN_LAYERS)
    return last_over_first(speeds_during_training()[depth]["speeds"][:, -1])
