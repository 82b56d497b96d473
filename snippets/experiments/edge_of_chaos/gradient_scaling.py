"""Gradients scale like χ₁^L: the squared length of the back-propagated error in simulated
wide networks against the mean-field prediction, on both sides of the edge of chaos and on it
(figure 5.3, the test of Schoenholz et al. 2017, fig. 4, on our own grid)."""

import numpy as np

from snippets.core import mean_field
from snippets.core.statistics import spawn_generators
from snippets.core.validation import MAX_MAGNITUDE, require_array
from snippets.experiments import experiment

SEED = 53
DEPTH = 40
WIDTH = 400
EXAMPLES = 4
SEEDS = 4
BIAS_VARIANCE = {"tanh": 0.05, "relu": 0.0, "sigmoid": 0.05}
# σ_w² as multiples of each activation's critical value: ordered, critical, chaotic.
MULTIPLES = (0.6, 0.8, 1.0, 1.25, 1.6)


def _setting_points():
    return [(name, multiple * mean_field.critical_weight_variance(name, bias_variance))
            for name, bias_variance in BIAS_VARIANCE.items() for multiple in MULTIPLES]


def error_logs(rng, activation, weight_variance, bias_variance, width=WIDTH, depth=DEPTH,
               examples=EXAMPLES):
    """ln of the mean squared error ‖δ^l‖²/N at l = 0 … depth in one random network started at
    its fixed point, q^0 = q*, so that every layer multiplies it by χ₁ on average (for the
    rectifiers, whose χ does not depend on q, or a signal that dies or explodes, at q^0 = 1)."""
    q_star = mean_field.fixed_point(activation, weight_variance, bias_variance)
    q0 = q_star if 0 < q_star < np.inf else 1.0
    _, errors = mean_field.simulate(rng, activation, weight_variance, bias_variance, width,
                                    depth, q0, examples)
    squares = mean_field.mean_squares(errors)
    if not np.all((squares > 0) & np.isfinite(squares)):  # no logarithm or ratio to take
        raise ValueError(f"weight_variance={weight_variance} and bias_variance={bias_variance} "
                         f"must keep the mean squared error of every layer within float64 "
                         f"over depth={depth} layers: it underflowed to 0 or overflowed")
    return np.log(squares)


@experiment
def gradient_norms():
    """[(activation, σ_w², predicted ln χ₁, error_logs of each seed, shape
    (SEEDS, DEPTH + 1))]."""
    settings = _setting_points()
    results = []
    for (name, weight_variance), root in zip(settings, spawn_generators(SEED, len(settings))):
        bias_variance = BIAS_VARIANCE[name]
        logs = [error_logs(rng, name, weight_variance, bias_variance)
                for rng in spawn_generators(root.integers(2**63), SEEDS)]
        predicted = np.log(mean_field.chi_1(name, weight_variance, bias_variance))
        results.append((name, weight_variance, predicted, np.array(logs)))
    return results


def measured_slope(logs):
    """The per-layer change of ln|δ^l|² (least-squares slope against l, top to bottom): the
    measured ln χ₁ of each seed."""
    logs = require_array("logs", logs, ndim=2, minimum=-MAX_MAGNITUDE, maximum=MAX_MAGNITUDE)
    if logs.shape[1] < 2:
        raise ValueError(f"logs must hold at least 2 layers per seed, got shape {logs.shape}")
    # equivalent mutant (shape[+1]): logs is 2-dimensional (require_array), so axis 1 is the last.
    layers = np.arange(logs.shape[-1])
    return -np.polyfit(layers, logs.T, 1)[0]
