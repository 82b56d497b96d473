"""Measured cost of evaluating activations with numpy on this machine (chapter 1).

Wall-clock timings are noisy; each is the minimum over several repetitions, which estimates
the cost with the least interference from the rest of the machine.
"""

import time

import numpy as np

from snippets.core.activations import relu, sigmoid, tanh
from snippets.core.validation import require_generator, require_int


def _naive_sigmoid(x):
    # One exponential and one division: the textbook form, safe here because |x| is small.
    return 1.0 / (1.0 + np.exp(-x))


ACTIVATIONS = {
    "ReLU, max(0, x)": relu,
    "sigmoid, 1/(1+exp(−x))": _naive_sigmoid,
    "sigmoid, overflow-safe form": sigmoid,
    "tanh (numpy)": tanh,
}


# --8<-- [start:activation_costs]
def activation_costs(rng, size=1_000_000, repeats=15):
    """Nanoseconds per element for each activation in ``ACTIVATIONS`` on x ~ N(0, 1).

    Each entry is min over ``repeats`` timed calls of one vectorised evaluation on ``size``
    float64 values, divided by ``size``.
    """
    rng = require_generator("rng", rng)
    size = require_int("size", size, minimum=1)
    repeats = require_int("repeats", repeats, minimum=1, maximum=1000)
    x = rng.standard_normal(size)
    costs = {}
    for name, function in ACTIVATIONS.items():
        function(x)  # warm-up: page in the output buffer once
        best = np.inf
        for _ in range(repeats):
            start = time.perf_counter()
            function(x)
            best = min(best, time.perf_counter() - start)
        costs[name] = best / size * 1e9
    return costs
# --8<-- [end:activation_costs]
