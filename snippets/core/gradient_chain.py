"""The one-neuron-per-layer sigmoid chain of chapter 1.

Layer t computes v_t = w_t · y_{t−1} and y_t = σ(v_t), starting from the input y_0 = x.
Back-propagation multiplies the gradient by one factor per layer,

    ∂J/∂y_{t−1} = w_t · σ′(v_t) · ∂J/∂y_t,

so r layers below the top the gradient has been scaled by ρ_r = ∏ |w_t σ′(v_t)| over the
r topmost layers. Since σ′ ≤ 1/4, ρ_r ≤ (1/4)^r · ∏ |w_t|.
"""

import math

import numpy as np

from snippets.core.activations import sigmoid, sigmoid_derivative
from snippets.core.validation import (
    MAX_ELEMENTS,
    MAX_MAGNITUDE,
    MAX_OPERATIONS,
    STEP_COST,
    require_array,
    require_budget,
    require_generator,
    require_int,
    require_real,
)

# A centred normal with standard deviation √(π/2) has E|w| = √(π/2)·√(2/π) = 1,
# which is the article's assumption "expected absolute value of w equal to 1".
UNIT_MEAN_ABS_SCALE = math.sqrt(math.pi / 2)


# --8<-- [start:chain_gradient_ratios]
def chain_factors(weights, inputs, biases=None):
    """Per-layer back-propagation factors |w_t σ′(v_t)|, with v_t = w_t y_{t−1} + b_t.

    ``weights`` (and ``biases``, zero if omitted) have shape (chains, m), column t holding
    layer t + 1; ``inputs`` has shape (chains,). Returns an array of shape (chains, m).
    """
    weights = _chain_array("weights", weights, ndim=2)
    inputs = _chain_array("inputs", inputs, ndim=1)
    # equivalent mutant (ndim=None): the shape check below refuses any biases not 2-D.
    biases = np.zeros_like(weights) if biases is None else _chain_array("biases", biases, ndim=2)
    if inputs.shape[0] != weights.shape[0]:
        raise ValueError(f"inputs must have one entry per chain ({weights.shape[0]}), "
                         f"got {inputs.shape[0]}")
    if biases.shape != weights.shape:
        raise ValueError(f"biases must have the shape of weights {weights.shape}, "
                         f"got {biases.shape}")
    require_budget("layers × (20 × chains + STEP_COST) of weights",
                   weights.shape[1] * (20.0 * weights.shape[0] + STEP_COST), MAX_OPERATIONS)
    activation = inputs
    factors = np.empty_like(weights)
    for layer in range(weights.shape[1]):
        pre_activation = weights[:, layer] * activation + biases[:, layer]
        factors[:, layer] = np.abs(weights[:, layer]) * sigmoid_derivative(pre_activation)
        activation = sigmoid(pre_activation)
    return factors


def chain_gradient_ratios(weights, inputs, biases=None):
    """Gradient ratios ρ_r = |∂J/∂y_{m−r}| / |∂J/∂y_m| for r = 1 … m, one row per chain.

    Column r − 1 of the result is ρ_r: the product of the factors of the r topmost layers.
    """
    factors = chain_factors(weights, inputs, biases)
    # Each entry is a product the chain itself forms, so a ratio beyond float64 shows as inf
    # (or as inf · 0 = nan past a vanishing factor) and is refused: no test on logarithms,
    # whose rounding let a product of exactly 2^1024 through.
    with np.errstate(over="ignore", invalid="ignore"):
        ratios = np.cumprod(factors[:, ::-1], axis=1)
    if not np.all(np.isfinite(ratios)):
        raise ValueError("weights make the gradient ratio ρ_r = ∏ |w_t σ′(v_t)| overflow float64 "
                         "(> 1.8e308): use fewer layers or smaller weights")
    return ratios


def _chain_array(name, value, ndim, shape=None):
    return require_array(name, value, ndim=ndim, shape=shape, minimum=-MAX_MAGNITUDE,
                         maximum=MAX_MAGNITUDE)
# --8<-- [end:chain_gradient_ratios]


# --8<-- [start:simulate_chain]
def sample_chain(rng, chains, depth, weight_scale=UNIT_MEAN_ABS_SCALE):
    """Draw weights w ~ N(0, weight_scale²) of shape (chains, depth) and inputs x ~ N(0, 1).

    ``weight_scale = 0`` is read as the deterministic chain w ≡ 1 instead.
    """
    rng = require_generator("rng", rng)
    chains = require_int("chains", chains, minimum=1)
    depth = require_int("depth", depth, minimum=1, maximum=100_000)
    weight_scale = require_real("weight_scale", weight_scale, minimum=0.0, maximum=1e6)
    require_budget("chains × depth", chains * depth, MAX_ELEMENTS)
    inputs = rng.standard_normal(chains)
    if weight_scale == 0.0:
        return np.ones((chains, depth)), inputs
    return weight_scale * rng.standard_normal((chains, depth)), inputs


def chain_ratio_statistics(ratios, bound_factor=0.25):
    """Per-depth statistics of ρ_r: 5 %, 50 % and 95 % quantiles, the mean, and the
    fraction of chains whose ρ_r exceeds bound_factor^r."""
    ratios = require_array("ratios", ratios, ndim=2, minimum=0.0, maximum=MAX_MAGNITUDE)
    bound_factor = require_real("bound_factor", bound_factor, 0.0, 1.0, open_minimum=True)
    depths = np.arange(1, ratios.shape[1] + 1)
    bound = bound_factor ** depths
    low, median, high = np.quantile(ratios, [0.05, 0.5, 0.95], axis=0)
    return {
        "depth": depths,
        "bound": bound,
        "q05": low,
        "median": median,
        "q95": high,
        "mean": ratios.mean(axis=0),
        "fraction_above_bound": (ratios > bound).mean(axis=0),
    }
# --8<-- [end:simulate_chain]


def sigmoid_fixed_point(tolerance=1e-15):
    """The y* with σ(y*) = y*, where the activations of the chain w ≡ 1 settle (≈ 0.659).

    Found by fixed-point iteration, which converges because |σ′| ≤ 1/4 < 1.
    """
    tolerance = require_real("tolerance", tolerance, 0.0, 1e-3, open_minimum=True)
    # equivalent mutant (201 rounds): from 1/2 the float64 iterates reach σ(y) == y exactly by
    # round 25, a change of 0, below any tolerance > 0.
    value = 0.5
    for _ in range(200):
        updated = float(sigmoid(value))
        if abs(updated - value) < tolerance:
            return updated
        value = updated
    return value


# --8<-- [start:unit_gain_half_width]
def unit_gain_half_width(weight):
    """Half-width h of the pre-activations z with |w|·σ′(z) ≥ 1, i.e. the band |z| ≤ h.

    σ′(z) = 1 / (4 cosh²(z/2)), so |w|·σ′(z) ≥ 1 ⇔ cosh(z/2) ≤ √|w| / 2 ⇔
    |z| ≤ 2 arccosh(√|w| / 2). The band is empty (returns None) when |w| < 4.
    """
    weight = require_real("weight", weight)
    if abs(weight) < 4.0:
        return None
    return 2.0 * math.acosh(math.sqrt(abs(weight)) / 2.0)
# --8<-- [end:unit_gain_half_width]


# --8<-- [start:exploding_chain]
def exploding_chain(weight, depth, first_input=0.5):
    """Nielsen's exploding-gradient chain: every weight equals ``weight`` and each bias is
    b_t = −w · y_{t−1}, so every pre-activation is exactly 0 and every factor is
    w σ′(0) = w/4. Returns (weights, biases, inputs) for one chain, ready for
    :func:`chain_gradient_ratios`; ρ_r = (w/4)^r grows when w > 4.
    """
    weight = require_real("weight", weight, 0.0, 1e3, open_minimum=True)
    depth = require_int("depth", depth, minimum=1, maximum=10_000)
    first_input = require_real("first_input", first_input, -1e3, 1e3)
    weights = np.full((1, depth), weight)
    biases = np.empty((1, depth))
    activation = first_input
    for layer in range(depth):
        biases[0, layer] = -weight * activation
        activation = float(sigmoid(weight * activation + biases[0, layer]))
    return weights, biases, np.array([first_input])
# --8<-- [end:exploding_chain]


# --8<-- [start:first_weight_gradient]
def first_weight_gradient(weights, x, target=1.0):
    """The article's univariate network x → h1 → h2 → out with h1 = σ(w1 x), h2 = σ(w2 h1),
    out = σ(w3 h2) and J = ½ (out − target)², differentiated for the first weight:

        ∂J/∂w1 = ∂J/∂out · ∂out/∂h2 · ∂h2/∂h1 · ∂h1/∂w1
               = (out − target) · w3 σ′(z3) · w2 σ′(z2) · x σ′(z1).

    Returns the four factors (in that order, as a dict) and their product.
    """
    # equivalent mutant (ndim=None): shape=(3,) already requires one dimension.
    w1, w2, w3 = _chain_array("weights", weights, ndim=1, shape=(3,))
    x = require_real("x", x, -1e6, 1e6)
    target = require_real("target", target, 0.0, 1.0)
    z1 = w1 * x
    h1 = float(sigmoid(z1))
    z2 = w2 * h1
    h2 = float(sigmoid(z2))
    z3 = w3 * h2
    out = float(sigmoid(z3))
    factors = {
        "∂J/∂out": out - target,
        "∂out/∂h2": w3 * float(sigmoid_derivative(z3)),
        "∂h2/∂h1": w2 * float(sigmoid_derivative(z2)),
        "∂h1/∂w1": x * float(sigmoid_derivative(z1)),
    }
    return factors, float(np.prod(list(factors.values())))
# --8<-- [end:first_weight_gradient]
