"""What evaluating each activation costs with numpy on this machine (chapter 1). Timings depend
on the machine and on what else runs: the activations are timed interleaved, ROUNDS rounds of
one evaluation each, and the build renders this module alone, after the other figure modules
(sitebuild/figure_cache.py); see snippets/core/activation_timing.py."""

import numpy as np

from snippets.core.activation_timing import activation_costs, cost_summary
from snippets.experiments import experiment

SEED = 0                 # draws the inputs x ~ N(0, 1) and the order within each round
SIZE = 1_000_000         # values per vectorised evaluation
ROUNDS = 41              # interleaved rounds: each activation timed once per round


@experiment(persist=False)
def costs():
    """{activation: nanoseconds per element in each of the ROUNDS rounds}."""
    return activation_costs(np.random.default_rng(SEED), SIZE, ROUNDS)


@experiment(persist=False)
def cost_quartiles():
    """{activation: (q25, median, q75) of its nanoseconds per element over the rounds}."""
    return cost_summary(costs())
