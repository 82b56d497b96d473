"""What evaluating each activation costs with numpy on this machine (chapter 1). Timings depend
on the machine and on what else runs; see snippets/core/activation_timing.py."""

import numpy as np

from snippets.core.activation_timing import activation_costs
from snippets.experiments import experiment

SEED = 0


@experiment
def costs():
    """Nanoseconds per element for each timed activation."""
    return activation_costs(np.random.default_rng(SEED))
