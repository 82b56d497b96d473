"""The linear-regime variance recursion Var[a^i] = α² nσ² (Var[a^{i−1}] + β²) of Xu, Huang &
Li (2016), checked against simulated deep networks whose units are exactly affine,
f(s) = α s + β (chapter 3, "Initialisation and variance", figure variance-recursion)."""

import numpy as np

from snippets.core import variance
from snippets.core.statistics import spawn_generators
from snippets.experiments import experiment

WIDTH = 200
DEPTH = 20
REPETITIONS = 10                  # independent networks per case
SEED = 0
STANDARD_ERRORS = 2               # half-height of the error bars, in standard errors
SIGMOID = (0.25, 0.5)             # α, β of the sigmoid's linear regime
TANH = (1.0, 0.0)                 # α, β of tanh's
COMPENSATED_GAIN = 1.0 / SIGMOID[0] ** 2   # the nσ² that makes α² nσ² = 1 for the sigmoid
CASES = {  # label: (α, β, n·Var[w])
    "α = 1/4, β = 1/2, nσ² = 1 (sigmoid-like)": (*SIGMOID, 1.0),
    f"α = 1/4, β = 1/2, nσ² = {COMPENSATED_GAIN:g}": (*SIGMOID, COMPENSATED_GAIN),
    "α = 1, β = 0, nσ² = 1 (tanh-like)": (*TANH, 1.0),
}


@experiment
def recursion_runs():
    """{case: (predicted Var[a^i], measured mean over the repetitions, STANDARD_ERRORS
    standard errors of that mean)}, i = 0 … DEPTH, inputs N(0, 1). Every case uses the same
    REPETITIONS generators."""
    runs = {}
    for label, (alpha, beta, gain) in CASES.items():
        samples = np.array([variance.simulate_variances(
            rng, "affine", WIDTH, DEPTH, np.sqrt(gain / WIDTH), alpha=alpha, beta=beta)[0]
            for rng in spawn_generators(SEED, REPETITIONS)])
        predicted = variance.predicted_forward_variance(alpha, beta, gain, DEPTH, 1.0)
        error = STANDARD_ERRORS * samples.std(axis=0, ddof=1) / np.sqrt(REPETITIONS)
        runs[label] = (predicted, samples.mean(axis=0), error)
    return runs
