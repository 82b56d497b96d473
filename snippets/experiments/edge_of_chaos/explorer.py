"""The explorable "Try it" page: random networks over a grid of activations, weight and bias
variances, each run forward and backward through DEPTH layers, with the mean-field prediction
for every layer (chapter 5). The page draws any depth up to DEPTH from these runs."""

import numpy as np

from snippets.core import mean_field
from snippets.core.activations import ACTIVATIONS
from snippets.core.statistics import spawn_generators
from snippets.core.validation import require_choice
from snippets.experiments import experiment

SEED = 55
ACTIVATION_NAMES = ("sigmoid", "tanh", "relu", "leaky_relu", "penalized_tanh")
WEIGHT_VARIANCES = 0.25 * 2.0 ** (np.arange(19) / 2)  # 0.25 … 128, half an octave apart
BIAS_VARIANCES = (0.0, 0.05, 0.3)
DEPTH = 50
WIDTH = 128
EXAMPLES = 8
INPUT_LENGTH = 1.0  # q^0: the inputs' pre-activations are N(0, 1)
QUANTILES = (0.1, 0.9)  # the band that holds the middle 80 % of the activations
WEAK = 0.1  # a unit is weak when φ′(h) < WEAK · max φ′ (saturated, or an inactive rectifier)


def explore_point(rng, activation, weight_variance, bias_variance):
    """One grid point: a dict of per-layer arrays.

    step_measured[k], step_predicted[k] (k = 1 … DEPTH): ‖δ^{k−1}‖²/‖δ^k‖², the factor by which
    passing back through layer k changes the squared error, measured and as the mean-field
    χ(q^{k−1}); in a network of depth D, ‖δ^l‖²/‖δ^D‖² is their product over k = l+1 … D.
    quantiles (len(QUANTILES), DEPTH + 1): quantiles of the activations φ(h^l);
    weak_measured, weak_predicted (DEPTH + 1,): share of weak units, sampled and exact.
    """
    require_choice("activation", activation, ACTIVATION_NAMES)
    pre, errors = mean_field.simulate(rng, activation, weight_variance, bias_variance, WIDTH,
                                      DEPTH, INPUT_LENGTH, EXAMPLES)
    act = ACTIVATIONS[activation]
    squares = mean_field.mean_squares(errors)
    if not np.all((squares > 0) & np.isfinite(squares)):  # no logarithm or ratio to take
        raise ValueError(f"weight_variance={weight_variance} and bias_variance={bias_variance} "
                         f"must keep the mean squared error of every layer within float64 "
                         f"over depth={DEPTH} layers: it underflowed to 0 or overflowed")
    lengths = mean_field.length_sequence(activation, INPUT_LENGTH, weight_variance,
                                         bias_variance, DEPTH)
    peak = act.derivative(np.array([1e-300]))[0]
    return {
        "step_measured": squares[:-1] / squares[1:],
        "step_predicted": np.array([mean_field.gradient_factor(activation, q, weight_variance)
                                    for q in lengths[:-1]]),
        "quantiles": np.quantile(act.function(pre), QUANTILES, axis=(1, 2)),
        "weak_measured": np.mean(act.derivative(pre) < WEAK * peak, axis=(1, 2)),
        "weak_predicted": np.array([mean_field.weak_derivative_share(activation, q, WEAK)
                                    for q in lengths]),
    }


@experiment
def explorer_grid():
    """{(activation, σ_b², σ_w²): explore_point(…)} over the whole grid, every point with its
    own generator."""
    points = [(name, bias, weight) for name in ACTIVATION_NAMES for bias in BIAS_VARIANCES
              for weight in WEIGHT_VARIANCES]
    return {point: explore_point(rng, *point[:1], point[2], point[1])
            for point, rng in zip(points, spawn_generators(SEED, len(points)))}
