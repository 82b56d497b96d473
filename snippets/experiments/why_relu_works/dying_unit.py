"""A single ReLU unit on the digits: how sparse a random He layer is, and a unit that starts
dead (every weight negative on non-negative pixels) next to leaky units that revive
(chapter 1, figure 1.6)."""

import numpy as np

from snippets.core import relu_unit
from snippets.core.data import digits_pixels
from snippets.core.statistics import spawn_generators
from snippets.core.validation import require_choice
from snippets.experiments import experiment

SEED = 0
SPARSITY_SEEDS = 10
HIDDEN_UNITS = 256
STEPS = 800
LEARNING_RATE = 0.1
SLOPES = (0.0, 0.01, 0.1)   # 0 is plain ReLU


@experiment
def dying_unit_runs():
    """{slope: (weights per step, biases per step, share of images with z > 0 per step)}."""
    return relu_unit.dying_unit_experiment(np.random.default_rng(SEED), digits_pixels(),
                                           slopes=SLOPES, steps=STEPS,
                                           learning_rate=LEARNING_RATE)


def first_active_step(slope):
    """First step at which the unit with this slope is active on some image (None: never)."""
    slope = require_choice("slope", slope, SLOPES)  # before the slow, cached runs
    active = dying_unit_runs()[slope][2]
    return int(np.argmax(active > 0)) if np.any(active > 0) else None


@experiment
def layer_sparsity():
    """Share of exact zeros in a random He-initialised ReLU layer on the digits, per seed."""
    pixels = digits_pixels()
    return np.array([relu_unit.relu_layer_sparsity(
        pixels, *relu_unit.he_normal_layer(rng, pixels.shape[1], HIDDEN_UNITS))
        for rng in spawn_generators(SEED, SPARSITY_SEEDS)])
