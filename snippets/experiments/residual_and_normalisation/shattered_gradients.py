"""Shattered gradients (figures 6.3 and 6.4, after Balduzzi et al. 2017): networks with one
input and one output, ReLU units at He's scale, evaluated on a grid of inputs; the gradient
∂y/∂x along the grid, and the correlation of the gradients at neighbouring grid points as the
networks get deeper. Batch normalisation uses the statistics of the whole grid, held fixed
for the gradient, so that each point's gradient is its own."""

import numpy as np

from snippets.core import deep_networks
from snippets.core.statistics import spawn_generators
from snippets.experiments import experiment

SEED = 1702
GRID = np.linspace(-2.0, 2.0, 256)[:, None]   # 256 inputs in [−2, 2]
WIDTH = 64
DEPTHS = (1, 3, 6, 12, 24, 50)
SEEDS = 5
WEIGHT_VARIANCE = 2.0                          # He's scale for ReLU
# (name, residual, normalisation, σ_b²): feedforward with and without batch normalisation,
# and a residual network with batch normalisation (branch scale 1). Without normalisation the
# biases are drawn with σ_b² = 0.1: a ReLU network without biases is positively homogeneous,
# y(x) = x y(1) for x > 0, so with one input its gradient would take just two values.
VARIANTS = (("feedforward", False, "none", 0.1),
            ("feedforward, batch-normalised", False, "batch", 0.0),
            ("residual, batch-normalised", True, "batch", 0.0))


@experiment
def grid_gradients():
    """{(variant, depth): ∂y/∂x on GRID, shape (SEEDS, len(GRID))}; the networks of setting k
    (in the order of the loops) draw from spawn_generators(SEED + k, SEEDS)."""
    results = {}
    settings = [(variant, depth) for variant in VARIANTS for depth in DEPTHS]
    for k, ((name, residual, normalisation, bias_variance), depth) in enumerate(settings):
        network = deep_networks.init_network(spawn_generators(SEED + k, SEEDS),
                                             [1] + [WIDTH] * depth + [1], "relu",
                                             WEIGHT_VARIANCE, bias_variance, residual, 1.0,
                                             normalisation)
        gradient = deep_networks.backward(network, GRID, np.ones((SEEDS, len(GRID), 1)),
                                          reference=GRID)["errors"][0]
        results[name, depth] = gradient[..., 0]
    return results


def neighbour_correlations():
    """{variant: (SEEDS, len(DEPTHS)) correlation of the gradients at neighbouring grid
    points, per network}."""
    gradients = grid_gradients()
    return {name: np.array([[deep_networks.gradient_correlation(gradients[name, depth][[k]])
                             for depth in DEPTHS] for k in range(SEEDS)])
            for name, *_ in VARIANTS}
