"""One He-initialised ReLU unit on the digit images: the share of images that activate it as its
bias sweeps from strongly negative to positive, and gradient descent started with the bias just
below the threshold −max_x w·x, where the unit is dead (chapter 2, figure 2.8)."""

import numpy as np

from snippets.core import relu_unit
from snippets.core.data import digits_pixels
from snippets.core.initialisation import he_std
from snippets.experiments import experiment

SEED = 0
BIAS_POINTS = 400
SWEEP_MARGIN = 1.0     # the sweep runs this far beyond the two ends of the active range
DEAD_START = 0.5       # training starts with the bias this far below the threshold
STEPS = 300
LEARNING_RATE = 0.1


@experiment
def bias_sweep():
    """{"biases", "active": share of images with w·x + b > 0 for each bias, "threshold"
    −max_x w·x, "weights" w ~ N(0, 2/64) of the unit (seed SEED)}."""
    pixels = digits_pixels()
    rng = np.random.default_rng(SEED)
    weights = rng.normal(0.0, he_std(pixels.shape[1]), size=pixels.shape[1])
    scores = pixels @ weights
    biases = np.linspace(-scores.max() - SWEEP_MARGIN, -scores.min() + SWEEP_MARGIN, BIAS_POINTS)
    return {"biases": biases, "active": relu_unit.active_share_by_bias(pixels, weights, biases),
            "threshold": -scores.max(), "weights": weights}


@experiment
def dead_bias_training():
    """(weights, biases, active shares) after each of STEPS gradient-descent steps on the unit of
    :func:`bias_sweep` fitting the mean pixel intensity, its bias starting DEAD_START below the
    threshold."""
    sweep = bias_sweep()
    pixels = digits_pixels()
    return relu_unit.train_single_unit(pixels, pixels.mean(axis=1), sweep["weights"],
                                       sweep["threshold"] - DEAD_START,
                                       learning_rate=LEARNING_RATE, steps=STEPS)


def parameter_change():
    """Largest change of any weight plus the change of the bias over the whole run."""
    weights, biases, _ = dead_bias_training()
    return float(np.max(np.abs(weights - weights[0])) + np.max(np.abs(biases - biases[0])))
