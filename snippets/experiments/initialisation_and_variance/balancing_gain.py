"""The "16 times" claim (chapter 3, "Initialisation and variance", figure sixteen-times): the
weight variance n·Var[w] at which the back-propagated gradient variance neither grows nor
shrinks per layer, for an affine unit with the sigmoid's linear regime (α = 1/4, β = 1/2), a
real tanh network and a real sigmoid network, located on a logarithmic grid of gains."""

import numpy as np

from snippets.core import variance
from snippets.core.statistics import spawn_generators
from snippets.core.validation import require_choice
from snippets.experiments import experiment

WIDTH = 100
DEPTH = 20
GRID = (0.25, 512.0, 23)          # n·Var[w] tried: 23 points spaced evenly in log
NETWORKS_PER_POINT = 2            # networks averaged (in log) at each gain
SEED = 0
REPEATS = 6                       # independent measurements of the sigmoid/tanh ratio …
LOCAL_GRIDS = {"tanh": (1.0, 2.5, 5), "sigmoid": (40.0, 300.0, 5)}  # … each on a local grid
TANH_DEPTHS = (20, 50, 100, 200)  # depths at which tanh's balancing gain is located …
TANH_DEPTH_GRID = (0.95, 2.0, 5)  # … on this grid, NETWORKS_PER_POINT networks per point
SIGMOID_SLOPE, SIGMOID_OFFSET = 0.25, 0.5   # α, β of the sigmoid's linear regime
AFFINE = "affine α = 1/4 (linear regime of σ)"
CASES = {  # label: (activation, α and β for "affine")
    AFFINE: ("affine", {"alpha": SIGMOID_SLOPE, "beta": SIGMOID_OFFSET}),
    "tanh": ("tanh", {}),
    "sigmoid": ("sigmoid", {}),
}


@experiment
def balancing_runs():
    """{case: (balancing gain, grid of n·Var[w], per-layer rate of change of Var[∂C/∂a] at
    each gain)}. Each case has its own generator, and core's balancing_gain gives every grid
    point its own generator spawned from it."""
    return {label: variance.balancing_gain(rng, activation, WIDTH, DEPTH, *GRID,
                                           seeds=NETWORKS_PER_POINT, **affine)
            for (label, (activation, affine)), rng in zip(CASES.items(),
                                                          spawn_generators(SEED, len(CASES)))}


def balancing_gain(label):
    """The balancing gain n·Var[w] of one case."""
    label = require_choice("label", label, tuple(CASES))  # before the slow, cached runs
    return balancing_runs()[label][0]


@experiment
def ratio_repeats():
    """{"tanh", "sigmoid": array (REPEATS,) of balancing gains at DEPTH}, each repetition and
    each case from its own generator, on LOCAL_GRIDS (finer than GRID around each root)."""
    generators = spawn_generators(SEED + 1, 2 * REPEATS)
    return {case: np.array([
                variance.balancing_gain(rng, case, WIDTH, DEPTH, *LOCAL_GRIDS[case],
                                        seeds=NETWORKS_PER_POINT)[0]
                for rng in generators[k * REPEATS:(k + 1) * REPEATS]])
            for k, case in enumerate(("tanh", "sigmoid"))}


def ratio_over_repeats():
    """Sigmoid over tanh balancing gain, one value per repetition."""
    gains = ratio_repeats()
    return gains["sigmoid"] / gains["tanh"]


@experiment
def tanh_gain_by_depth():
    """Array (len(TANH_DEPTHS),): tanh's balancing gain n·Var[w] at each depth, each depth
    from its own generator."""
    return np.array([variance.balancing_gain(rng, "tanh", WIDTH, depth, *TANH_DEPTH_GRID,
                                             seeds=NETWORKS_PER_POINT)[0]
                     for depth, rng in zip(TANH_DEPTHS,
                                           spawn_generators(SEED + 2, len(TANH_DEPTHS)))])
