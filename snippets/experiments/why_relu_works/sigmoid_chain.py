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


@experiment
def step_factor_shares():
    """Per repetition, for the random weights with E|w| = 1: the share of chains in which at
    least one layer passes back more than 1/4 of the gradient it receives (|w_t σ′(v_t)| >
    1/4), and the share of all layers that do. The same chains as chain_experiment."""
    scale = WEIGHT_LAWS["w ~ N(0, π/2), E|w| = 1"]
    chains_with_one, layers = [], []
    for rng in spawn_generators(SEED, SEEDS):
        weights, inputs = chain.sample_chain(rng, CHAINS_PER_SEED, DEPTH, scale)
        above = chain.chain_factors(weights, inputs) > 0.25
        chains_with_one.append(np.mean(above.any(axis=1)))
        layers.append(np.mean(above))
    return {"chains": np.array(chains_with_one), "layers": np.array(layers)}


# The article's first assumption, E[w] = 1, is not its later one, E|w| = 1. A two-point law
# has mean 1 and mean absolute value 3: w = 3 with probability 2/3, w = −3 with 1/3.
TWO_POINT_WEIGHTS = (3.0, -3.0)
TWO_POINT_PROBABILITIES = (2 / 3, 1 / 3)
COUNTEREXAMPLE_INPUT = 1.0


@experiment
def mean_one_counterexample():
    """The exact mean of ρ_r (r = 1 … DEPTH) over the two-point weight law, each layer's
    weight drawn independently, for the input COUNTEREXAMPLE_INPUT: every one of the
    2^DEPTH weight sequences enumerated and weighted by its probability. No sampling."""
    choices = np.array(np.meshgrid(*[[0, 1]] * DEPTH, indexing="ij")).reshape(DEPTH, -1).T
    weights = np.array(TWO_POINT_WEIGHTS)[choices]
    probabilities = np.prod(np.array(TWO_POINT_PROBABILITIES)[choices], axis=1)
    inputs = np.full(weights.shape[0], COUNTEREXAMPLE_INPUT)
    ratios = chain.chain_gradient_ratios(weights, inputs)
    return {"mean_ratio": probabilities @ ratios, "bound": 0.25 ** np.arange(1, DEPTH + 1),
            "mean_weight": float(np.dot(TWO_POINT_WEIGHTS, TWO_POINT_PROBABILITIES)),
            "mean_absolute_weight": float(np.dot(np.abs(TWO_POINT_WEIGHTS),
                                                 TWO_POINT_PROBABILITIES))}
