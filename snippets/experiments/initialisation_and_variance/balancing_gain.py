"""The "16 times" claim (chapter 3, "Initialisation and variance", figure sixteen-times): the
weight variance n·Var[w] at which the back-propagated gradient variance neither grows nor
shrinks per layer, for an affine unit with the sigmoid's linear regime (α = 1/4, β = 1/2), a
real tanh network and a real sigmoid network, located on a logarithmic grid of gains."""

import numpy as np

from snippets.core import variance
from snippets.core.statistics import spawn_generators
from snippets.experiments import experiment

WIDTH = 100
DEPTH = 20
NETWORKS_PER_POINT = 2            # networks averaged (in log) at each gain
GRID = np.geomspace(0.25, 512.0, 23)   # n·Var[w] tried
SEED = 0
SIGMOID_SLOPE, SIGMOID_OFFSET = 0.25, 0.5   # α, β of the sigmoid's linear regime
AFFINE = "affine α = 1/4 (linear regime of σ)"
CASES = {  # label: (activation, α and β for "affine")
    AFFINE: ("affine", {"alpha": SIGMOID_SLOPE, "beta": SIGMOID_OFFSET}),
    "tanh": ("tanh", {}),
    "sigmoid": ("sigmoid", {}),
}


def balancing_point(grid, rates):
    """The gain at which the per-layer rate first crosses 1 upwards, interpolated linearly in
    log gain and log rate between the two grid points around it (the root-finding of
    snippets/core/variance.py:balancing_gain)."""
    crossing = np.flatnonzero(np.diff(np.sign(np.log(rates))) > 0)
    if crossing.size == 0:
        raise ValueError(f"no balancing gain between {grid[0]} and {grid[-1]}")
    k = crossing[0]
    fraction = -np.log(rates[k]) / (np.log(rates[k + 1]) - np.log(rates[k]))
    return float(np.exp(np.log(grid[k]) + fraction * np.log(grid[k + 1] / grid[k])))


@experiment
def balancing_runs():
    """{case: (balancing gain, GRID, per-layer rate of change of Var[∂C/∂a] at each gain)}.
    Every point of every grid draws its networks from its own generator."""
    generators = iter(spawn_generators(SEED, len(CASES) * GRID.size))
    runs = {}
    for label, (activation, affine) in CASES.items():
        rates = np.array([variance.backward_rate(next(generators), activation, WIDTH, DEPTH,
                                                 gain, seeds=NETWORKS_PER_POINT, **affine)
                          for gain in GRID])
        runs[label] = (balancing_point(GRID, rates), GRID, rates)
    return runs


def balancing_gain(label):
    """The balancing gain n·Var[w] of one case."""
    return balancing_runs()[label][0]


def sigmoid_over_tanh():
    """How many times tanh's balancing weight variance a real sigmoid network needs."""
    return balancing_gain("sigmoid") / balancing_gain("tanh")
