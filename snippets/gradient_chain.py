"""The one-neuron-per-layer sigmoid chain of chapter 1.

Layer t computes v_t = w_t · y_{t−1} and y_t = σ(v_t), starting from the input y_0 = x.
Back-propagation multiplies the gradient by one factor per layer,

    ∂J/∂y_{t−1} = w_t · σ′(v_t) · ∂J/∂y_t,

so r layers below the top the gradient has been scaled by ρ_r = ∏ |w_t σ′(v_t)| over the
r topmost layers. Since σ′ ≤ 1/4, ρ_r ≤ (1/4)^r · ∏ |w_t|.
"""

import math

import numpy as np

from snippets.activations import sigmoid, sigmoid_derivative
from snippets.validation import require_array, require_generator, require_int, require_real

# A centred normal with standard deviation √(π/2) has E|w| = √(π/2)·√(2/π) = 1,
# which is the article's assumption "expected absolute value of w equal to 1".
UNIT_MEAN_ABS_SCALE = math.sqrt(math.pi / 2)


# --8<-- [start:chain_gradient_ratios]
def chain_gradient_ratios(weights, inputs):
    """Gradient ratios ρ_r = |∂J/∂y_{m−r}| / |∂J/∂y_m| for r = 1 … m, one row per chain.

    ``weights`` has shape (chains, m), column t holding w_{t+1}; ``inputs`` has shape
    (chains,). Returns an array of shape (chains, m) whose column r − 1 is ρ_r.
    """
    weights = require_array("weights", weights, ndim=2)
    inputs = require_array("inputs", inputs, ndim=1)
    if inputs.shape[0] != weights.shape[0]:
        raise ValueError(f"inputs must have one entry per chain ({weights.shape[0]}), "
                         f"got {inputs.shape[0]}")
    activation = inputs
    factors = np.empty_like(weights)
    for layer in range(weights.shape[1]):
        pre_activation = weights[:, layer] * activation
        factors[:, layer] = np.abs(weights[:, layer]) * sigmoid_derivative(pre_activation)
        activation = sigmoid(pre_activation)
    # ρ_r multiplies the factors of the r topmost layers: a cumulative product from the top.
    return np.cumprod(factors[:, ::-1], axis=1)
# --8<-- [end:chain_gradient_ratios]


# --8<-- [start:simulate_chain]
def sample_chain(rng, chains, depth, weight_scale=UNIT_MEAN_ABS_SCALE):
    """Draw weights w ~ N(0, weight_scale²) of shape (chains, depth) and inputs x ~ N(0, 1).

    ``weight_scale = 0`` is read as the deterministic chain w ≡ 1 instead.
    """
    rng = require_generator("rng", rng)
    chains = require_int("chains", chains, minimum=1)
    depth = require_int("depth", depth, minimum=1)
    weight_scale = require_real("weight_scale", weight_scale, minimum=0.0)
    inputs = rng.standard_normal(chains)
    if weight_scale == 0.0:
        return np.ones((chains, depth)), inputs
    return weight_scale * rng.standard_normal((chains, depth)), inputs


def chain_ratio_statistics(ratios, bound_factor=0.25):
    """Per-depth statistics of ρ_r: 5 %, 50 % and 95 % quantiles, the mean, and the
    fraction of chains whose ρ_r exceeds bound_factor^r."""
    ratios = require_array("ratios", ratios, ndim=2)
    bound_factor = require_real("bound_factor", bound_factor, minimum=0.0, open_minimum=True)
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
    tolerance = require_real("tolerance", tolerance, minimum=0.0, open_minimum=True)
    value = 0.5
    for _ in range(200):
        updated = float(sigmoid(value))
        if abs(updated - value) < tolerance:
            return updated
        value = updated
    return value


# --8<-- [start:unit_gain_half_width]
def unit_gain_half_width(weight):
    """Half-width h of the pre-activations v with |w|·σ′(v) ≥ 1, i.e. the band |v| ≤ h.

    σ′(v) = 1 / (4 cosh²(v/2)), so |w|·σ′(v) ≥ 1 ⇔ cosh(v/2) ≤ √|w| / 2 ⇔
    |v| ≤ 2 arccosh(√|w| / 2). The band is empty (returns None) when |w| < 4.
    """
    weight = require_real("weight", weight)
    if abs(weight) < 4.0:
        return None
    return 2.0 * math.acosh(math.sqrt(abs(weight)) / 2.0)
# --8<-- [end:unit_gain_half_width]
