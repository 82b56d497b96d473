"""The explorable "Try it" page: random networks over a grid of activations, weight and bias
variances, NETWORKS of them per point, each run forward and backward through DEPTH layers, with
the mean-field prediction for every layer (chapter 5). The page draws any depth up to DEPTH from
these runs.

The mean-field χ predicts the *mean* of the squared gradient over random networks. A single
network of finite width scatters around it multiplicatively: the log of its gradient is a sum
of one random term per layer, whose variance grows with the sum of 1/width over the layers
(Hanin 2018; Hanin & Nica 2020), so the typical (median) network's gradient lies below the
mean. The grid keeps, per layer, the mean and the spread of that log over the networks, and the
log of the mean step, so the page can show all three."""

import functools

import numpy as np

from snippets.core import mean_field
from snippets.core.activations import ACTIVATIONS
from snippets.core.statistics import spawn_generators
from snippets.core.validation import require_choice, require_generator
from snippets.experiments import experiment

SEED = 55
ACTIVATION_NAMES = ("sigmoid", "tanh", "relu", "leaky_relu", "penalized_tanh")
BIAS_VARIANCES = (0.0, 0.05, 0.3)
# Half an octave apart from 0.25 to 128, plus the critical points the chapter names that fall
# between: tanh's at σ_b² = 0.05 and 0.3, the sigmoid's without biases (ReLU's 2 and tanh's 1
# are on the grid already).
NAMED_CRITICAL_POINTS = (("tanh", 0.05), ("tanh", 0.3), ("sigmoid", 0.0))
DEPTH = 50
WIDTH = 128
EXAMPLES = 1  # one input: the gradient of a single example, whose spread Hanin (2018) describes
NETWORKS = 6  # random networks per grid point, each with its own generator
INPUT_LENGTH = 1.0  # q^0: the inputs' pre-activations are N(0, 1)
QUANTILES = (0.1, 0.9)  # the band that holds the middle 80 % of the activations
WEAK = 0.1  # a unit is weak when φ′(h) < WEAK · max φ′ (saturated, or an inactive rectifier)


def explore_point(rng, activation, weight_variance, bias_variance):
    """One grid point: NETWORKS random networks, each from its own generator spawned from
    ``rng``; a dict of per-layer arrays.

    For the step k = 1 … DEPTH, s_k = ‖δ^{k−1}‖²/‖δ^k‖², the factor by which passing back
    through layer k changes the squared error of one network (in a network of depth D,
    ‖δ^l‖²/‖δ^D‖² is the product of s_k over k = l+1 … D):
    step_mean_log10[k]: log10 of the mean of s_k over the networks (the mean square);
    step_log10_mean[k], step_log10_sd[k]: mean and standard deviation of log10 s_k over them;
    step_predicted[k]: the mean-field χ(q^{k−1}).
    quantiles (len(QUANTILES), DEPTH + 1): quantiles of the activations φ(h^l), all networks;
    weak_measured, weak_predicted (DEPTH + 1,): share of weak units, sampled and exact.
    """
    require_choice("activation", activation, ACTIVATION_NAMES)
    rng = require_generator("rng", rng)
    act = ACTIVATIONS[activation]
    steps, activations_, weak = [], [], []
    peak = act.derivative(np.array([1e-300]))[0]
    for network in spawn_generators(rng.integers(2**63), NETWORKS):
        pre, errors = mean_field.simulate(network, activation, weight_variance, bias_variance,
                                          WIDTH, DEPTH, INPUT_LENGTH, EXAMPLES)
        squares = mean_field.mean_squares(errors)
        if not np.all((squares > 0) & np.isfinite(squares)):  # no logarithm or ratio to take
            raise ValueError(f"weight_variance={weight_variance} and bias_variance="
                             f"{bias_variance} must keep the mean squared error of every layer "
                             f"within float64 over depth={DEPTH} layers: it underflowed to 0 "
                             f"or overflowed")
        steps.append(squares[:-1] / squares[1:])
        activations_.append(act.function(pre))
        weak.append(np.mean(act.derivative(pre) < WEAK * peak, axis=(1, 2)))
    steps = np.array(steps)
    lengths = mean_field.length_sequence(activation, INPUT_LENGTH, weight_variance,
                                         bias_variance, DEPTH)
    return {
        "step_mean_log10": np.log10(steps.mean(axis=0)),
        "step_log10_mean": np.log10(steps).mean(axis=0),
        "step_log10_sd": np.log10(steps).std(axis=0, ddof=1),
        "step_predicted": np.array([mean_field.gradient_factor(activation, q, weight_variance)
                                    for q in lengths[:-1]]),
        "quantiles": np.quantile(np.concatenate(activations_, axis=1), QUANTILES, axis=(1, 2)),
        "weak_measured": np.mean(weak, axis=0),
        "weak_predicted": np.array([mean_field.weak_derivative_share(activation, q, WEAK)
                                    for q in lengths]),
    }


@functools.cache  # computed when first needed, not on import
def critical_on_grid():
    """{(activation, σ_b²): its critical σ_w², to 3 decimals} for NAMED_CRITICAL_POINTS."""
    return {point: round(mean_field.critical_weight_variance(*point), 3)
            for point in NAMED_CRITICAL_POINTS}


@functools.cache
def weight_variances():
    """The grid's σ_w², ascending: half octaves from 0.25 to 128 and the named critical points."""
    return tuple(sorted({*(0.25 * 2.0 ** (np.arange(19) / 2)), *critical_on_grid().values()}))


@experiment
def explorer_grid():
    """{(activation, σ_b², σ_w²): explore_point(…)} over the whole grid, every point with its
    own generator."""
    points = [(name, bias, weight) for name in ACTIVATION_NAMES for bias in BIAS_VARIANCES
              for weight in weight_variances()]
    return {point: explore_point(rng, *point[:1], point[2], point[1])
            for point, rng in zip(points, spawn_generators(SEED, len(points)))}
