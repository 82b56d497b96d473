"""Batch normalisation explodes gradients at initialisation (figure 6.2, after Yang et al.
2019): the per-layer factor of the mean squared error in wide plain networks with batch
normalisation in every layer, against the batch size, for linear, tanh and ReLU units; and
layer normalisation beside it. The same weights serve every batch size and both
normalisations: network k of an activation draws them from generator k."""

import numpy as np

from snippets.core import deep_networks
from snippets.core.statistics import spawn_generators
from snippets.core.validation import MAX_MAGNITUDE, require_array
from snippets.experiments import experiment

SEED = 2019
WIDTH = 192
DEPTH = 20
SEEDS = 3
WEIGHT_VARIANCE = 1.0      # any: a normalised layer does not depend on the scale of W
ACTIVATIONS = ("linear", "tanh", "relu")
BATCH_SIZES = (6, 8, 12, 16, 32, 64)
LAYER_NORM_BATCH = 16      # layer normalisation does not couple examples: one batch size
FIT_FROM, FIT_TO = 4, DEPTH - 2   # layers fitted: past the inputs, short of the outputs


def per_layer_factor(logs):
    """exp of the least-squares slope of ln‖δx^l‖² against −l over layers FIT_FROM … FIT_TO
    (one row per network): the factor by which each layer multiplies the squared error."""
    logs = require_array("logs", logs, ndim=2, minimum=-MAX_MAGNITUDE, maximum=MAX_MAGNITUDE)
    if logs.shape[1] < FIT_TO:
        raise ValueError(f"logs must hold at least {FIT_TO} layers per row, got {logs.shape}")
    layers = np.arange(FIT_FROM, FIT_TO)
    return np.exp(-np.polyfit(layers, logs[:, FIT_FROM:FIT_TO].T, 1)[0])


def _error_logs(network, batch_size, rng):
    """ln ‖δx^l‖²/N, l = 1 … DEPTH, per stacked network, for one batch of N(0, 1) inputs
    (the same for every network)."""
    stack = network.weights[0].shape[0]
    inputs = rng.standard_normal((batch_size, WIDTH))
    top = rng.standard_normal((stack, batch_size, WIDTH))
    errors = deep_networks.backward(network, inputs, top)["errors"][1:]
    return np.log(np.stack([np.mean(e ** 2, axis=(-2, -1)) for e in errors], axis=-1))


@experiment
def normalised_factors():
    """{"batch": {activation: factors, shape (SEEDS, len(BATCH_SIZES))}, "layer":
    {activation: factors, shape (SEEDS,)}}. Inputs and top errors of each measurement come
    from their own generator, spawn_generators(SEED + 1) in the order of the loops."""
    data = iter(spawn_generators(SEED + 1, len(ACTIVATIONS) * (len(BATCH_SIZES) + 1)))
    results = {"batch": {}, "layer": {}}
    for k, activation in enumerate(ACTIVATIONS):
        network = deep_networks.init_network(spawn_generators(SEED + 10 * k, SEEDS),
                                             [WIDTH] * (DEPTH + 1) + [WIDTH], activation,
                                             WEIGHT_VARIANCE, normalisation="batch")
        results["batch"][activation] = np.stack(
            [per_layer_factor(_error_logs(network, batch, next(data))) for batch in BATCH_SIZES],
            axis=-1)
        network.normalisation = "layer"
        results["layer"][activation] = per_layer_factor(
            _error_logs(network, LAYER_NORM_BATCH, next(data)))
    return results
