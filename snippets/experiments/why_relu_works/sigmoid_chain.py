"""The one-neuron-per-layer sigmoid chain: how far the gradient ratio ρ_r falls below the
bound (1/4)^r, for unit weights and for random weights with E|w| = 1 (chapter 1, figure 1.3)."""

import numpy as np

from snippets.core import gradient_chain as chain
from snippets.core.statistics import spawn_generators
from snippets.core.validation import require_choice
from snippets.experiments import experiment

SEED = 0
SEEDS = 5                   # independent repetitions, each its own generator
CHAINS_PER_SEED = 20_000
DEPTH = 10
STATISTICS = ("q05", "median", "q95", "mean", "fraction_above_bound")
WEIGHT_LAWS = {"w = 1": 0.0, "w ~ N(0, π/2), E|w| = 1": chain.UNIT_MEAN_ABS_SCALE}


@experiment
def chain_experiment():
    """{weight law: [(ρ_r statistics, ρ_DEPTH of every chain) for each repetition]}."""
    results = {}
    for label, scale in WEIGHT_LAWS.items():
        per_seed = []
        for rng in spawn_generators(SEED, SEEDS):
            weights, inputs = chain.sample_chain(rng, CHAINS_PER_SEED, DEPTH, scale)
            ratios = chain.chain_gradient_ratios(weights, inputs)
            per_seed.append((chain.chain_ratio_statistics(ratios), ratios[:, -1]))
        results[label] = per_seed
    return results


def over_seeds(label, statistic):
    """Mean and standard deviation over the repetitions of a statistic at depth DEPTH."""
    label = require_choice("label", label, tuple(WEIGHT_LAWS))
    statistic = require_choice("statistic", statistic, STATISTICS)
    values = np.array([stats[statistic][-1] for stats, _ in chain_experiment()[label]])
    return values.mean(), values.std(ddof=1)
