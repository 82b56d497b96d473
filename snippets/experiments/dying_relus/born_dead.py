"""Networks born dead: the share of narrow deep ReLU networks that compute a constant function
at initialisation, against depth and width, with He and with randomized asymmetric
initialisation (after Lu et al. 2019; chapter 4, figure 4.3)."""

import numpy as np

from snippets.core import dead_networks
from snippets.core.statistics import spawn_generators
from snippets.experiments import experiment

WIDTHS = (2, 3, 4, 5, 10)
DEPTHS = (1, 2, 3, 5, 7, 10, 15, 20, 30, 40, 50)
RAI_WIDTHS = (3, 5)
TRIALS = 1000
SEED = 0


@experiment
def born_dead_runs():
    """{(init, width): array (depths, 2)}: per depth, the number of networks (of TRIALS) born
    dead and the number dead at the input x = 1. Every (init, width, depth) point draws from
    its own generator."""
    points = [(init, width, depth) for init, widths in (("he", WIDTHS), ("rai", RAI_WIDTHS))
              for width in widths for depth in DEPTHS]
    counts = {point: dead_networks.born_dead_share(rng, point[1], point[2], TRIALS, point[0])
              for point, rng in zip(points, spawn_generators(SEED, len(points)))}
    return {(init, width): np.array([counts[(init, width, depth)] for depth in DEPTHS])
            for init, width, _ in points[::len(DEPTHS)]}
