"""Mean squared activations layer by layer in deep ReLU networks with zero biases and He weights
scaled by a gain g: they change by g² per layer, so they explode for g > 1 and vanish for
g < 1 at any depth (He et al. 2015; chapter 2, figure 2.9)."""

import numpy as np

from snippets.core import networks
from snippets.core.statistics import spawn_generators
from snippets.core.validation import require_choice
from snippets.experiments import experiment

WIDTH = 100
DEPTH = 50
GAINS = (0.8, 0.9, 1.0, 1.1, 1.2)
SEED = 0
SEEDS = 5        # independent networks per gain, each from its own generator


@experiment
def activation_growth_runs():
    """{gain: array (SEEDS, DEPTH + 1)} of the mean squared activation of each layer."""
    generators = iter(spawn_generators(SEED, len(GAINS) * SEEDS))
    return {gain: np.array([networks.activation_growth(next(generators), WIDTH, DEPTH, gain)
                            for _ in range(SEEDS)])
            for gain in GAINS}


def growth_ratios(gain):
    """Per-layer ratios E[(a^l)²] / E[(a^{l−1})²] over layers 2 … DEPTH, shape
    (SEEDS, DEPTH − 1). Layer 0 is the raw input, which ReLU has not yet halved, so the first
    ratio is left out."""
    gain = require_choice("gain", gain, GAINS)  # before the slow, cached runs
    values = activation_growth_runs()[gain]
    return values[:, 2:] / values[:, 1:-1]


def growth_summary(gain):
    """The mean ratio (an estimate of g²) with its standard error, the typical (geometric mean)
    ratio, and the mean over seeds of E[(a^DEPTH)²]. The geometric mean is lower than the mean
    by about half the variance of the log-ratio."""
    gain = require_choice("gain", gain, GAINS)
    ratios = growth_ratios(gain)
    return {"mean": float(ratios.mean()),
            "standard_error": float(ratios.std(ddof=1) / np.sqrt(ratios.size)),
            "geometric": float(np.exp(np.log(ratios).mean())),
            "last_layer": float(activation_growth_runs()[gain][:, -1].mean())}
