"""The "16 times" claim (chapter 3, "Initialisation and variance", figure sixteen-times): the
weight variance n·Var[w] at which the back-propagated gradient variance neither grows nor
shrinks per layer, for an affine unit with the sigmoid's linear regime (α = 1/4, β = 1/2), a
real tanh network and a real sigmoid network, located on a logarithmic grid of gains."""


from snippets.core import variance
from snippets.core.statistics import spawn_generators
from snippets.core.validation import require_choice
from snippets.experiments import experiment

WIDTH = 100
DEPTH = 20
GRID = (0.25, 512.0, 23)          # n·Var[w] tried: 23 points spaced evenly in log
NETWORKS_PER_POINT = 2            # networks averaged (in log) at each gain
SEED = 0
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
    return balancing_runs()[require_choice("label", label, tuple(CASES))][0]


def sigmoid_over_tanh():
    """How many times tanh's balancing weight variance a real sigmoid network needs."""
    return balancing_gain("sigmoid") / balancing_gain("tanh")
