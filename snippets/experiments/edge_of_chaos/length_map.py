"""The length map settles within a few layers: q^l predicted by the mean-field map against q̂^l
measured in wide random tanh networks, from a small and a large start, in the ordered phase,
near the edge of chaos and in the chaotic phase (figure 5.1, after Poole et al. 2016, fig. 1)."""

import numpy as np

from snippets.core import mean_field
from snippets.core.statistics import spawn_generators
from snippets.experiments import experiment

SEED = 51
ACTIVATION = "tanh"
BIAS_VARIANCE = 0.05
WEIGHT_VARIANCES = (0.8, 1.76, 4.0)  # ordered, close to the edge at σ_b² = 0.05, chaotic
STARTS = (0.02, 4.0)                 # q^0: a small and a large input
DEPTH = 15
WIDTH = 500
EXAMPLES = 4
SEEDS = 4


@experiment
def length_convergence():
    """{(σ_w², q^0): (predicted q^l, shape (DEPTH + 1,); measured q̂^l, shape (SEEDS, DEPTH + 1))}.
    Every setting draws its own independent generators."""
    settings = [(s, q0) for s in WEIGHT_VARIANCES for q0 in STARTS]
    results = {}
    for (weight_variance, q0), root in zip(settings, spawn_generators(SEED, len(settings))):
        predicted = mean_field.length_sequence(ACTIVATION, q0, weight_variance,
                                               BIAS_VARIANCE, DEPTH)
        measured = [mean_field.mean_squares(mean_field.simulate(
            rng, ACTIVATION, weight_variance, BIAS_VARIANCE, WIDTH, DEPTH, q0, EXAMPLES)[0])
            for rng in spawn_generators(root.integers(2**63), SEEDS)]
        results[weight_variance, q0] = (predicted, np.array(measured))
    return results


MARGINAL_WEIGHT_VARIANCE = 1.0  # tanh's critical point without biases: Xavier / LeCun
MARGINAL_DEPTH = 50


@experiment
def marginal_tanh():
    """Tanh at σ_w² = 1, σ_b² = 0, from q^0 = 1: (q^l for l = 0 … MARGINAL_DEPTH, χ(q^l) for
    l = 0 … MARGINAL_DEPTH − 1). The fixed point q* = 0 has slope exactly 1, so q^l creeps
    towards it as a power law, and so does the gradient."""
    lengths = mean_field.length_sequence(ACTIVATION, 1.0, MARGINAL_WEIGHT_VARIANCE, 0.0,
                                         MARGINAL_DEPTH)
    factors = np.array([mean_field.gradient_factor(ACTIVATION, q, MARGINAL_WEIGHT_VARIANCE)
                        for q in lengths[:-1]])
    return lengths, factors
