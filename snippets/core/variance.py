"""Variance of activations and back-propagated gradients through deep networks: the linear
regime argument of Glorot & Bengio (2010) and Xu, Huang & Li (2016), and Xavier
initialisation (chapter 3).

Layer i computes s^i = a^{i−1} W^i (zero biases) and a^i = f(s^i). With weights of variance
σ² drawn independently of zero-mean inputs and n inputs per unit, Var[s^i] = n σ² E[(a^{i−1})²].
In the linear regime f(s) = α s + β this gives the forward recursion

    Var[a^i] = α² n σ² (Var[a^{i−1}] + β²),

(E[a^{i−1}] = β because E[s] = 0), and, for the back-propagated gradient,

    Var[∂C/∂a^{i−1}] = α² n σ² Var[∂C/∂a^i].
"""

import math

import numpy as np

from snippets.core.activations import ACTIVATIONS
from snippets.core.validation import (
    MAX_ELEMENTS,
    MAX_OPERATIONS,
    STEP_COST,
    require_budget,
    require_choice,
    require_generator,
    require_int,
    require_real,
)


def _affine(alpha, beta):
    return (lambda s: alpha * s + beta), (lambda s: np.full_like(s, alpha))


# The activations whose variance the chapter follows, by their names in ACTIVATIONS.
FUNCTIONS = ("sigmoid", "tanh", "rescaled_sigmoid", "penalized_tanh")


# --8<-- [start:predicted_forward_variance]
def predicted_forward_variance(alpha, beta, fan_in_times_weight_variance, depth, input_variance,
                               input_mean=0.0):
    """Var[a^i] for i = 0 … depth from Var[a^i] = α² nσ² (Var[a^{i−1}] + E[a^{i−1}]²), where
    E[a^0] = input_mean and E[a^i] = β for i ≥ 1 (zero-mean weights give E[s^i] = 0)."""
    alpha = require_real("alpha", alpha, -1e3, 1e3)
    beta = require_real("beta", beta, -1e3, 1e3)
    gain = require_real("fan_in_times_weight_variance", fan_in_times_weight_variance, 0.0, 1e6)
    depth = require_int("depth", depth, minimum=1, maximum=10_000)
    variance = [require_real("input_variance", input_variance, 0.0, 1e6)]
    mean = require_real("input_mean", input_mean, -1e3, 1e3)
    for _ in range(depth):
        variance.append(alpha ** 2 * gain * (variance[-1] + mean ** 2))
        mean = beta
    if not math.isfinite(variance[-1]):  # Python floats overflow to ∞ without a warning
        raise ValueError(f"alpha² × fan_in_times_weight_variance over depth={depth} layers must "
                         f"keep Var[a^depth] within float64 (≤ 1.8e308), got alpha={alpha}, "
                         f"fan_in_times_weight_variance={gain}")
    return np.array(variance)
# --8<-- [end:predicted_forward_variance]


# --8<-- [start:simulate_variances]
def simulate_variances(rng, activation, width, depth, weight_std, examples=500,
                       input_std=1.0, alpha=None, beta=None):
    """Forward Var[a^i] (i = 0 … depth) and backward Var[∂C/∂a^i] (i = depth … 0, listed
    from the bottom) in one random deep network with weights N(0, weight_std²), zero biases.

    ``activation`` is a name in FUNCTIONS, or "affine" (f(s) = α s + β, needs alpha, beta).
    The backward pass starts from ∂C/∂a^depth ~ N(0, 1), independent of the forward pass.
    """
    rng = require_generator("rng", rng)
    activation = require_choice("activation", activation, ("affine", *FUNCTIONS))
    width = require_int("width", width, minimum=1, maximum=10_000)
    depth = require_int("depth", depth, minimum=1, maximum=10_000)
    weight_std = require_real("weight_std", weight_std, 0.0, 1e3, open_minimum=True)
    examples = require_int("examples", examples, minimum=2, maximum=1_000_000)
    input_std = require_real("input_std", input_std, 0.0, 1e3, open_minimum=True)
    alpha, beta = _affine_parameters(activation, alpha=alpha, beta=beta)
    _simulation_budget(width, depth, examples)
    # The variances change by at most width · weight_std² · max f′² per layer: keep them
    # within float64 (underflow to 0 is a faithful answer; overflow is not).
    steepest = abs(alpha) if activation == "affine" else 1.0
    growth = max(1.0, width * weight_std ** 2 * max(1.0, steepest) ** 2)
    start = max(1.0, input_std ** 2 + (beta or 0.0) ** 2)
    if depth * math.log10(growth) + math.log10(start) > 290:
        raise ValueError(f"width × weight_std² × alpha² (at least 1) raised to depth must be at "
                         f"most 1e290, or the variances overflow float64: got width={width}, "
                         f"weight_std={weight_std}, depth={depth}, alpha={alpha}")
    if activation == "affine":
        f, f_prime = _affine(alpha, beta)
    else:
        f, f_prime = ACTIVATIONS[activation].function, ACTIVATIONS[activation].derivative
    a = rng.normal(0.0, input_std, size=(examples, width))
    weights, pre_activations, forward = [], [], [a.var()]
    for _ in range(depth):
        w = rng.normal(0.0, weight_std, size=(width, width))
        s = a @ w
        a = f(s)
        weights.append(w)
        pre_activations.append(s)
        forward.append(a.var())
    gradient = rng.standard_normal((examples, width))  # ∂C/∂a^depth
    backward = [gradient.var()]
    for w, s in zip(reversed(weights), reversed(pre_activations)):
        gradient = (gradient * f_prime(s)) @ w.T  # ∂C/∂a^{i−1} = (∂C/∂a^i ⊙ f′(s^i)) Wᵀ
        backward.append(gradient.var())
    return np.array(forward), np.array(backward[::-1])
# --8<-- [end:simulate_variances]


def _affine_parameters(activation, **affine):
    """(α, β) of the activation "affine", each in [−1e3, 1e3]; (None, None) for the others,
    which take neither."""
    unknown = sorted(set(affine) - {"alpha", "beta"})
    if unknown:
        raise ValueError(f"only alpha and beta may follow the activation, got {unknown}")
    values = []
    for name in ("alpha", "beta"):
        value = affine.get(name)
        if activation == "affine" and value is None:
            raise ValueError(f"{name} must be given for activation 'affine' (f(s) = α s + β)")
        if activation != "affine" and value is not None:
            raise ValueError(f"{name} must be None unless activation is 'affine', got {value} "
                             f"with activation {activation!r}")
        values.append(None if value is None else require_real(name, value, -1e3, 1e3))
    return tuple(values)


def _simulation_budget(width, depth, examples, runs=1):
    """One simulated network keeps every layer's weights and pre-activations (for the
    backward pass) and costs two products of 2 · examples · width² per layer."""
    require_budget("depth × width × (width + examples) + 4 × examples × width of depth, width "
                   "and examples", depth * width * (width + examples) + 4 * examples * width,
                   MAX_ELEMENTS)
    require_budget("runs × depth × (4 × examples × width² + STEP_COST) of depth, width and "
                   "examples (runs: seeds × points)",
                   runs * depth * (4.0 * examples * width * width + STEP_COST), MAX_OPERATIONS)


# --8<-- [start:balancing_gain]
def backward_rate(rng, activation, width, depth, gain, examples=100, seeds=2, **affine):
    """Geometric mean, per layer, of the change in Var[∂C/∂a] from the top to the bottom of a
    deep network with weights N(0, gain / width), averaged in log over ``seeds`` networks
    (gain = n·Var[w] in (0, 1e6])."""
    rng = require_generator("rng", rng)
    activation = require_choice("activation", activation, ("affine", *FUNCTIONS))
    width = require_int("width", width, minimum=1, maximum=10_000)
    depth = require_int("depth", depth, minimum=1, maximum=10_000)
    gain = require_real("gain", gain, 0.0, 1e6, open_minimum=True)
    examples = require_int("examples", examples, minimum=2, maximum=1_000_000)
    seeds = require_int("seeds", seeds, minimum=1, maximum=10_000)
    _affine_parameters(activation, **affine)
    _simulation_budget(width, depth, examples, runs=seeds)
    logs = []
    for _ in range(seeds):
        _, backward = simulate_variances(rng, activation, width, depth, np.sqrt(gain / width),
                                         examples, **affine)
        if not backward[0] > 0:  # underflowed to 0 (saturated units, or a tiny gain)
            raise ValueError(f"gain={gain} over depth={depth} layers makes Var[∂C/∂a] underflow "
                             f"to 0 in float64: no rate to measure")
        logs.append(np.log(backward[0] / backward[-1]) / depth)
    return float(np.exp(np.mean(logs)))


def balancing_gain(rng, activation, width=100, depth=20, low=0.25, high=512.0, points=23,
                   seeds=2, **affine):
    """The weight variance, in units of 1/width (i.e. n·Var[w]), at which the backward
    gradient variance neither grows nor shrinks per layer: the root of log backward_rate,
    interpolated on a logarithmic grid of gains, ``seeds`` networks at each. ``affine``
    passes alpha and beta for the activation "affine". Every grid point draws from its own
    generator, spawned from ``rng``, so no point depends on the ones before it. Returns
    (gain, grid, rates)."""
    rng = require_generator("rng", rng)
    activation = require_choice("activation", activation, ("affine", *FUNCTIONS))
    width = require_int("width", width, minimum=1, maximum=10_000)
    depth = require_int("depth", depth, minimum=1, maximum=10_000)
    low = require_real("low", low, 0.0, 1e6, open_minimum=True)
    high = require_real("high", high, 0.0, 1e6, open_minimum=True)
    if not low < high:
        raise ValueError(f"low must be below high, got low={low}, high={high}")
    seeds = require_int("seeds", seeds, minimum=1, maximum=10_000)
    points = require_int("points", points, minimum=3, maximum=10_000)
    _affine_parameters(activation, **affine)
    _simulation_budget(width, depth, 100, runs=seeds * points)  # backward_rate's 100 examples
    grid = np.geomspace(low, high, points)
    generators = rng.spawn(grid.size)
    try:
        rates = np.array([backward_rate(generator, activation, width, depth, gain, seeds=seeds,
                                        **affine)
                          for generator, gain in zip(generators, grid)])
    except ValueError as error:  # every argument is checked: a gain of the grid out of reach
        raise ValueError(f"the grid from low={low} to high={high} reaches a gain that cannot be "
                         f"measured: {error}") from None
    crossing = np.flatnonzero(np.diff(np.sign(np.log(rates))) > 0)
    if crossing.size == 0:
        raise ValueError(f"no balancing gain for {activation!r} between low={low} and high={high}")
    k = crossing[0]
    fraction = -np.log(rates[k]) / (np.log(rates[k + 1]) - np.log(rates[k]))
    return float(np.exp(np.log(grid[k]) + fraction * np.log(grid[k + 1] / grid[k]))), grid, rates
# --8<-- [end:balancing_gain]
