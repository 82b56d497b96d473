"""Seeds and summaries shared by the experiments: an independent generator per point of a sweep,
and the spread over seeds that every page quotes."""

import math

import numpy as np

from snippets.core.validation import MAX_MAGNITUDE, require_array, require_int, require_real


def spawn_generators(seed, count):
    """``count`` independent generators derived from ``seed`` (numpy's SeedSequence.spawn):
    point k of a sweep gets the k-th, so no point depends on the points computed before it.
    At most 100 000 (about 100 MB and a second: each generator holds its own state)."""
    # equivalent mutant (minimum dropped): 0 is require_int's default minimum.
    seed = require_int("seed", seed, minimum=0, maximum=2 ** 63)
    count = require_int("count", count, minimum=1, maximum=100_000)
    return [np.random.default_rng(child) for child in np.random.SeedSequence(seed).spawn(count)]


def mean_and_spread(values):
    """Mean and sample standard deviation (ddof = 1) of ``values`` over the first axis."""
    values = require_array("values", values, minimum=-MAX_MAGNITUDE, maximum=MAX_MAGNITUDE)
    if values.ndim == 0 or values.shape[0] < 2:
        raise ValueError(f"values must hold at least 2 entries along axis 0, got {values.shape}")
    return values.mean(axis=0), values.std(axis=0, ddof=1)


def wilson_interval(successes, trials, z=1.96):
    """Wilson score interval for a binomial proportion (95 % for z = 1.96)."""
    trials = require_int("trials", trials, minimum=1, maximum=10 ** 15)
    # equivalent mutant (minimum dropped): 0 is require_int's default minimum.
    successes = require_int("successes", successes, minimum=0, maximum=10 ** 15)
    if successes > trials:
        raise ValueError(f"successes must not exceed trials ({trials}), got {successes}")
    z = require_real("z", z, 0.0, 40.0, open_minimum=True, open_maximum=True)
    p = successes / trials
    centre = (p + z * z / (2 * trials)) / (1 + z * z / trials)
    spread = math.sqrt(p * (1 - p) / trials + z * z / (4 * trials * trials))
    half = z * spread / (1 + z * z / trials)
    return max(0.0, centre - half), min(1.0, centre + half)
