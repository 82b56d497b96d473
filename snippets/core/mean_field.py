"""Mean-field theory of wide random networks: how the size of the signal and of the gradient
changes from layer to layer (chapter 5, The edge of chaos).

Notation (Poole et al. 2016; Schoenholz et al. 2017): a fully connected network of width N
computes h^l = φ(h^{l−1}) W^l + b^l with weights W^l_{ij} ~ N(0, σ_w²/N) and biases
b^l_i ~ N(0, σ_b²). For a wide network the pre-activations of layer l are Gaussian with variance

    q^l = σ_w² E_z[φ(√q^{l−1} z)²] + σ_b²,    z ~ N(0, 1)        (the length map),

which settles at a fixed point q*. A back-propagated error δ^{l−1} = (δ^l (W^l)ᵀ) ⊙ φ′(h^{l−1})
has its squared length multiplied, layer after layer, by

    χ(q) = σ_w² E_z[φ′(√q z)²],    and at the fixed point  χ₁ = χ(q*),

so over L layers gradients scale like χ₁^L: they vanish when χ₁ < 1 (the ordered phase),
explode when χ₁ > 1 (the chaotic phase) and keep their size on the critical line χ₁ = 1.
|ln χ₁| is one over the depth scale ξ = 1/|ln χ₁| on which they do so. Two inputs' correlation
c^l follows its own map to a fixed point c*; its slope there, χ_c, sets the correlation depth
scale ξ_c = −1/ln χ_c, which equals ξ in the ordered phase only.

Expectations E[f(h)] over h ~ N(0, q) need care when q is large: the Gaussian spreads over
±10√q while f = tanh² or tanh′² changes on a scale of 1 near h = 0. Gauss–Hermite quadrature
(nodes √q·z_i) then steps over the part that matters: with 200 nodes it puts E[tanh′(h)²] at
q = 100 at 41 % of its value (tests/test_mean_field.py shows it). We substitute h = a·sinh(t),
a = min(1, √q), which packs nodes near 0 and spreads them geometrically outwards, and apply the
midpoint rule in t; for integrands analytic in a strip, as here, it converges exponentially.
Nodes come in pairs ±h with equal weights and none sits at h = 0, so the rule integrates the
even part (f(h) + f(−h))/2, which is smooth even for the rectifiers (ReLU² becomes h²/2).
The tests compare it with adaptive integration, Monte Carlo and the closed forms.
"""

import functools
import math

import numpy as np

from snippets.core import activations
from snippets.core.validation import (
    MAX_ELEMENTS,
    MAX_MAGNITUDE,
    MAX_OPERATIONS,
    STEP_COST,
    real_array,
    require_array,
    require_budget,
    require_callable,
    require_choice,
    require_generator,
    require_int,
    require_real,
)

QUADRATURE_STEP = 0.05  # step in t of the midpoint rule on h = a·sinh(t)
QUADRATURE_REACH = 12.0  # nodes cover |h| ≤ 12√q: beyond, the Gaussian weighs < 1e-32
MAX_WEIGHT_VARIANCE = 1e4
MAX_BIAS_VARIANCE = 1e4
MAX_LENGTH = 1e12  # a q beyond this counts as infinite: the signal explodes
SMALLEST_LENGTH = 1e-300  # χ at q = 0 is its limit q → 0⁺, evaluated here
# Activations with φ bounded, so that q* is finite at every σ_w² and σ_b²: the correlation map
# is evaluated at q*.
BOUNDED_ACTIVATIONS = ("sigmoid", "tanh", "penalized_tanh")


def _lookup(activation):
    """The :class:`~snippets.core.activations.Activation` named ``activation``."""
    require_choice("activation", activation, tuple(activations.ACTIVATIONS))
    return activations.ACTIVATIONS[activation]


def _bisect(below, low, high, geometric=False, tolerance=1e-14, steps=200):
    """The point of [low, high] where ``below(x)`` turns from True (at low) to False (at
    high), by bisection — at the geometric mean of the ends when ``geometric`` — until the
    bracket is narrower than ``tolerance`` times its upper end."""
    for _ in range(steps):
        # √low · √high, not √(low · high), which underflows to 0 for ends below 1e-154.
        middle = math.sqrt(low) * math.sqrt(high) if geometric else 0.5 * (low + high)
        if below(middle):
            low = middle
        else:
            high = middle
        if high - low <= tolerance * high:
            break
    return 0.5 * (low + high)


def _check_scales(weight_variance, bias_variance):
    weight_variance = require_real("weight_variance", weight_variance, 0.0,
                                   MAX_WEIGHT_VARIANCE, open_minimum=True)
    bias_variance = require_real("bias_variance", bias_variance, 0.0, MAX_BIAS_VARIANCE)
    return weight_variance, bias_variance


def gaussian_nodes(variance):
    """Nodes h_i and weights w_i with Σ_i w_i f(h_i) ≈ E[f(h)] for h ~ N(0, variance) > 0:
    the midpoint rule in t for h = a·sinh(t), a = min(1, √variance), weights
    a·cosh(t_i)·Δt·N(h_i; 0, variance)."""
    variance = require_real("variance", variance, 0.0, MAX_LENGTH, open_minimum=True)
    sd = math.sqrt(variance)
    scale = min(1.0, sd)
    half = math.ceil(math.asinh(QUADRATURE_REACH * sd / scale) / QUADRATURE_STEP)
    t = (np.arange(-half, half) + 0.5) * QUADRATURE_STEP
    nodes = scale * np.sinh(t)
    density = np.exp(-0.5 * (nodes / sd) ** 2) / (sd * math.sqrt(2 * math.pi))
    return nodes, scale * np.cosh(t) * QUADRATURE_STEP * density


def gaussian_expectation(function, variance):
    """E[f(h)] for h ~ N(0, variance) > 0, by the quadrature of :func:`gaussian_nodes`.
    ``function`` maps an array of values of h to an array of the same shape, of finite
    float32 or float64 values."""
    require_callable("function", function)
    nodes, weights = gaussian_nodes(variance)
    try:
        values = real_array("function", function(nodes))
    except Exception as error:  # noqa: BLE001 - whatever the caller's function raised
        raise ValueError(f"function must map an array of h to real values: {error}") from error
    if values.shape != nodes.shape or not np.all(np.isfinite(values)):
        raise ValueError(f"function must return one finite value per value of h, "
                         f"got shape {values.shape}")
    return float(np.dot(weights, values))


# --8<-- [start:length_map]
def length_map(activation, q, weight_variance, bias_variance):
    """The length map q ↦ σ_w² E_z[φ(√q z)²] + σ_b²: the variance of the pre-activations of
    the next layer when this layer's have variance q."""
    phi = _lookup(activation).function
    weight_variance, bias_variance = _check_scales(weight_variance, bias_variance)
    q = require_real("q", q, 0.0, MAX_LENGTH)
    if q == 0:
        return weight_variance * float(phi(np.array([0.0]))[0]) ** 2 + bias_variance
    return weight_variance * gaussian_expectation(lambda h: phi(h) ** 2, q) + bias_variance


def gradient_factor(activation, q, weight_variance):
    """χ(q) = σ_w² E_z[φ′(√q z)²]: the factor by which one layer whose pre-activations have
    variance q multiplies the mean squared back-propagated error. At q = 0 it is the limit
    q → 0⁺ (for ReLU 1/2·σ_w², not the 0 that the convention φ′(0) = 0 would give)."""
    derivative = _lookup(activation).derivative
    weight_variance = require_real("weight_variance", weight_variance, 0.0,
                                   MAX_WEIGHT_VARIANCE, open_minimum=True)
    q = require_real("q", q, 0.0, MAX_LENGTH)
    return weight_variance * gaussian_expectation(lambda h: derivative(h) ** 2,
                                                  max(q, SMALLEST_LENGTH))
# --8<-- [end:length_map]


def length_sequence(activation, q0, weight_variance, bias_variance, depth):
    """q^0 = q0, q^1, …, q^depth: the length map iterated ``depth`` times."""
    depth = require_int("depth", depth, minimum=1, maximum=10_000)
    lengths = [require_real("q0", q0, 0.0, MAX_LENGTH)]
    for _ in range(depth):
        lengths.append(min(length_map(activation, lengths[-1], weight_variance, bias_variance),
                           MAX_LENGTH))
    return np.array(lengths)


# --8<-- [start:fixed_point]
def fixed_point(activation, weight_variance, bias_variance):
    """The fixed point q* = σ_w² E_z[φ(√q* z)²] + σ_b² that the length map settles at from
    any q^0 > 0; ``math.inf`` if the signal grows without bound (ReLU with σ_w² > 2), 0 if it
    dies out (tanh with σ_b² = 0 and σ_w² ≤ 1).

    Found by bisection on g(q) = map(q) − q, which for the activations here changes sign once
    on (0, ∞): positive below q*, negative above (tests compare with iterating the map).
    """
    _lookup(activation)
    weight_variance, bias_variance = _check_scales(weight_variance, bias_variance)

    def excess(q):
        return length_map(activation, q, weight_variance, bias_variance) - q

    # Start above tanh's trivial root q = 0, and below σ_b² ≤ q* (the map adds σ_b²).
    low = SMALLEST_LENGTH ** 0.5
    if bias_variance > 0:
        # equivalent mutant (/ 3): any start below σ_b² has excess > 0, the same bracket end.
        low = min(low, bias_variance / 2)
    if excess(low) <= 0:
        return 0.0  # every positive length shrinks: the signal dies out
    # equivalent mutants (start at 2, double at excess ≥ 0, or triple): the bracket still ends
    # at the first point past q* or at MAX_LENGTH, and bisection finds the same q*.
    high = 1.0
    while excess(high) > 0:
        if high >= MAX_LENGTH:
            return math.inf  # q* > MAX_LENGTH: the signal explodes
        high = min(2.0 * high, MAX_LENGTH)
    # In log space: q* may lie anywhere from 1e-150 to 1e12.
    # equivalent mutants (tolerance dropped, >= 0): the default tolerance is the same 1e-14; a
    # midpoint where excess is exactly 0 is the root itself, which either end then keeps.
    return _bisect(lambda q: excess(q) > 0, low, high, geometric=True, tolerance=1e-14)


def chi_1(activation, weight_variance, bias_variance):
    """χ₁ = σ_w² E_z[φ′(√q* z)²]: the per-layer factor of the squared gradient at the fixed
    point. χ₁ < 1: ordered phase, gradients vanish; χ₁ > 1: chaotic, they explode."""
    q_star = fixed_point(activation, weight_variance, bias_variance)
    if q_star == math.inf:  # an exploding signal: only the signs of h matter (rectifiers)
        derivative = _lookup(activation).derivative
        return weight_variance * 0.5 * float(np.sum(derivative(np.array([-np.inf, np.inf])) ** 2))
    return gradient_factor(activation, q_star, weight_variance)
# --8<-- [end:fixed_point]


def critical_weight_variance(activation, bias_variance, low=0.01, high=1000.0):
    """The σ_w² in [low, high] at which χ₁(σ_w², σ_b²) = 1: the edge of chaos at bias variance
    σ_b². χ₁ grows with σ_w² for the activations here; a ValueError if it does not cross 1 in
    the bracket."""
    _lookup(activation)
    # equivalent mutant (maximum dropped): chi_1 refuses a bias_variance above
    # MAX_BIAS_VARIANCE with the same message (fixed_point's _check_scales).
    bias_variance = require_real("bias_variance", bias_variance, 0.0, MAX_BIAS_VARIANCE)
    low = require_real("low", low, 0.0, MAX_WEIGHT_VARIANCE, open_minimum=True)
    high = require_real("high", high, 0.0, MAX_WEIGHT_VARIANCE, open_minimum=True)
    if not low < high:
        raise ValueError(f"low must be below high, got low={low}, high={high}")
    below, above = (chi_1(activation, s, bias_variance) - 1 for s in (low, high))
    if below == 0 or above == 0:  # an end of the bracket is critical itself
        return low if below == 0 else high
    if not below < 0 < above:
        raise ValueError(f"chi_1 of {activation} must cross 1 between low={low} and "
                         f"high={high} (the bracket of weight_variance) at bias_variance "
                         f"{bias_variance}: chi_1 - 1 = {below:.3g} and {above:.3g} there")
    # equivalent mutants (geometric False/None/dropped, tolerance dropped, <= 1): plain halving
    # and the default 1e-14 reach the same root to within 1e-12 of it, in more steps; a
    # midpoint where χ₁ is exactly 1 is the root itself, which either end then keeps.
    return _bisect(lambda s: chi_1(activation, s, bias_variance) < 1, low, high,
                   geometric=True, tolerance=1e-12)


def depth_scale(chi):
    """ξ = 1/|ln χ|: the number of layers over which χ^l changes the squared gradient by a
    factor e (shrinks when χ < 1, grows when χ > 1); infinite at χ = 1."""
    # equivalent mutants (maximum or its openness dropped): require_real refuses ∞ anyway.
    chi = require_real("chi", chi, 0.0, math.inf, open_minimum=True, open_maximum=True)
    return math.inf if chi == 1.0 else 1.0 / abs(math.log(chi))


# --8<-- [start:correlation]
def correlation_map(activation, c, q, weight_variance, bias_variance):
    """c ↦ (σ_w² E[φ(u₁)φ(u₂)] + σ_b²) / (σ_w² E[φ(u₁)²] + σ_b²): the correlation of the
    pre-activations two inputs produce in the next layer when in this layer both have variance
    q and correlation c, with u₁ = √q z₁, u₂ = √q (c z₁ + √(1 − c²) z₂). At q = q* the
    denominator is q* itself (Poole et al.'s C-map). The quadrature is exact to about 1e-14
    for smooth activations (tanh, the sigmoid); for one with a kink (ReLU and its relatives)
    the inner integral, centred at c·u₁ rather than at the kink, is accurate to a few parts in
    10⁴ (ReLU at c = 0 gives 0.31838 for 1/π = 0.31831): chapter 5 uses only tanh."""
    phi = _lookup(activation).function
    weight_variance, bias_variance = _check_scales(weight_variance, bias_variance)
    c = require_real("c", c, -1.0, 1.0)
    q = require_real("q", q, 0.0, MAX_LENGTH, open_minimum=True)
    joint = _joint_expectation(phi, phi, c, q)
    return (weight_variance * joint + bias_variance) \
        / (weight_variance * gaussian_expectation(lambda h: phi(h) ** 2, q) + bias_variance)


def correlation_slope(activation, c, q, weight_variance):
    """χ_c = σ_w² E[φ′(u₁)φ′(u₂)]: the slope of the correlation map at c when q is the fixed
    point q* (Price's theorem: ∂E[φ(u₁)φ(u₂)]/∂(qc) = E[φ′(u₁)φ′(u₂)]). At c = 1 it is χ₁."""
    derivative = _lookup(activation).derivative
    weight_variance = require_real("weight_variance", weight_variance, 0.0,
                                   MAX_WEIGHT_VARIANCE, open_minimum=True)
    c = require_real("c", c, -1.0, 1.0)
    q = require_real("q", q, 0.0, MAX_LENGTH, open_minimum=True)
    return weight_variance * _joint_expectation(derivative, derivative, c, q)


def correlation_fixed_point(activation, weight_variance, bias_variance):
    """(q*, c*, χ_c): the fixed point c* of the correlation map at q = q*, and the map's slope
    there. In the ordered phase and on the critical line (χ₁ ≤ 1) c* = 1 and χ_c = χ₁; in the
    chaotic phase two inputs decorrelate to c* < 1, a stable fixed point (χ_c < 1) while χ₁ > 1.

    Defined where the length map has a finite fixed point q* > 0: for the bounded activations,
    and not for tanh-like ones whose signal dies out (σ_b² = 0, σ_w² ≤ critical)."""
    require_choice("activation", activation, BOUNDED_ACTIVATIONS)
    weight_variance, bias_variance = _check_scales(weight_variance, bias_variance)
    q_star = fixed_point(activation, weight_variance, bias_variance)
    if q_star <= 0:
        raise ValueError(f"weight_variance={weight_variance} and bias_variance={bias_variance} "
                         f"let the signal of {activation} die out (q* = 0), where two inputs "
                         f"have no correlation: use bias_variance > 0 or a larger "
                         f"weight_variance")
    chi = gradient_factor(activation, q_star, weight_variance)
    # equivalent mutant (< 1): at χ₁ = 1 exactly the map, convex on [0, 1] with slope 1 at
    # c = 1, stays on or above the diagonal, so the search below ends in its else with the
    # same (q*, 1, χ₁), up to the rounding the original meets one float above χ₁ = 1.
    if chi <= 1:
        return q_star, 1.0, chi

    def excess(c):
        return correlation_map(activation, c, q_star, weight_variance, bias_variance) - c

    # Just below c = 1 the map falls under the diagonal, because its slope there is χ₁ > 1.
    # equivalent mutants (range(60), range(2, 60), range(1, 61), 3.0 ** -power): power 0
    # probes c = 0, where excess = map(0) ≥ 0, negative only by rounding when c* = 0, which
    # [−1, 0] then brackets; any probe in (c*, 1), where excess < 0, brackets the same root;
    # power 60 probes 1 − 2⁻⁶⁰ = 1.0, where the map is exactly 1; powers of 3 also reach
    # 1 − 2⁻⁵³, the float next below 1.
    for power in range(1, 60):
        high = 1.0 - 2.0 ** -power
        if excess(high) < 0:
            break
    else:  # χ₁ within rounding of 1: c* is 1 to float64 precision
        return q_star, 1.0, chi
    # equivalent mutants (tolerance dropped, >= 0, −2.0): the default 1e-14 only refines c*
    # below the quadrature's accuracy; a midpoint with excess exactly 0 is the root, which
    # either end keeps; c* ≥ 0 and excess > 0 on [−1, 0), so from −2 the first midpoint
    # (≥ −0.75) moves low up and no c < −1 is evaluated.
    c_star = _bisect(lambda c: excess(c) > 0, -1.0, high, tolerance=1e-13)
    return q_star, c_star, correlation_slope(activation, c_star, q_star, weight_variance)
# --8<-- [end:correlation]


def correlation_depth_scale(activation, weight_variance, bias_variance):
    """ξ_c = −1/ln χ_c: the number of layers over which the correlation of two inputs
    approaches its fixed point c* by a factor e (Schoenholz et al. 2017, eq. 9). Equal to
    ξ = 1/|ln χ₁| in the ordered phase; in the chaotic phase χ_c is the slope at c* < 1, not
    at 1, and the two scales differ."""
    _, _, slope = correlation_fixed_point(activation, weight_variance, bias_variance)
    return depth_scale(slope)


def _joint_expectation(f, g, c, q):
    """E[f(u₁) g(u₂)] for u₁ = √q z₁, u₂ = √q (c z₁ + √(1 − c²) z₂), z₁, z₂ ~ N(0, 1)
    independent: the quadrature of :func:`gaussian_nodes` over u₁, and given u₁, over the part
    of u₂ independent of it, with variance (1 − c²) q."""
    outer, outer_weights = gaussian_nodes(q)
    rest = (1.0 - c * c) * q
    if 1.0 - c * c <= SMALLEST_LENGTH:  # u₂ = c u₁ (relative to q: a tiny q is no reason)
        return float(np.dot(outer_weights, f(outer) * g(c * outer)))
    inner, inner_weights = gaussian_nodes(rest)
    # equivalent mutant (− inner): the inner nodes are ±h with equal weights, so the same
    # terms are summed, in reverse order.
    conditional = g(c * outer[:, None] + inner[None, :]) @ inner_weights
    return float(np.dot(outer_weights, f(outer) * conditional))


def weak_derivative_share(activation, q, threshold=0.1):
    """The share P(φ′(h) < threshold · max φ′) for h ~ N(0, q) of units that pass back less
    than ``threshold`` of the largest gradient the activation can pass: saturated units of a
    sigmoid or tanh, inactive units of a rectifier.

    φ′ of every activation here is largest just right of 0 and does not grow away from it on
    either side, so the weak region is {h < a} ∪ {h > b} with a ≤ 0 ≤ b (see
    :func:`weak_region`); the share is then Φ(a/√q) + 1 − Φ(b/√q), exactly.
    """
    q = require_real("q", q, 0.0, MAX_LENGTH)
    left, right = weak_region(activation, threshold)
    if q == 0:
        return 0.0
    sd = math.sqrt(2 * q)
    share = 0.0 if left is None else 0.5 * math.erfc(-left / sd)
    return share + (0.0 if right is None else 0.5 * math.erfc(right / sd))


def weak_region(activation, threshold=0.1):
    """(a, b): φ′(h) < threshold · max φ′ exactly for h < a and for h > b, found by bisection;
    None for a side where φ′ never falls that low (within |h| ≤ 60, beyond which no Gaussian
    here has mass that matters)."""
    _lookup(activation)
    threshold = require_real("threshold", threshold, 0.0, 1.0, open_minimum=True,
                             open_maximum=True)
    return _weak_edges(activation, threshold)


@functools.cache  # the edges do not depend on q: one bisection per activation and threshold
def _weak_edges(activation, threshold):
    derivative = _lookup(activation).derivative
    level = threshold * float(derivative(np.array([1e-300]))[0])

    def slope(h):
        return float(derivative(np.array([h]))[0])

    def edge(side):
        if slope(side * 60.0) >= level:
            return None
        if slope(side * 1e-300) < level:
            return 0.0  # weak from the start: a rectifier's negative side
        return side * _bisect(lambda h: slope(side * h) >= level, 0.0, 60.0, tolerance=0.0)

    return edge(-1.0), edge(1.0)


# --8<-- [start:simulate]
def simulate(rng, activation, weight_variance, bias_variance, width, depth, q0, examples=4):
    """One wide random network, run forward and backward.

    Pre-activations h^0 ~ N(0, q0) (per example and unit), then h^l = φ(h^{l−1}) W^l + b^l for
    l = 1 … depth with W^l_{ij} ~ N(0, σ_w²/N), b^l_i ~ N(0, σ_b²). An error δ^depth ~ N(0, 1)
    at the top is passed back by δ^{l−1} = (δ^l (W^l)ᵀ) ⊙ φ′(h^{l−1}).

    Returns (pre_activations, errors), each of shape (depth + 1, examples, width).
    """
    rng = require_generator("rng", rng)
    act = _lookup(activation)
    weight_variance, bias_variance = _check_scales(weight_variance, bias_variance)
    width = require_int("width", width, minimum=1, maximum=10_000)
    depth = require_int("depth", depth, minimum=1, maximum=1_000)
    q0 = require_real("q0", q0, 0.0, MAX_LENGTH)
    examples = require_int("examples", examples, minimum=1, maximum=10_000)
    # Kept at once: every layer's weights, and pre-activations and errors of every layer.
    require_budget("depth × width × (width + 2 × examples) of depth, width and examples",
                   depth * width * (width + 2 * examples), MAX_ELEMENTS)
    require_budget("depth × (4 × examples × width² + STEP_COST) of depth, width and examples",
                   depth * (4.0 * examples * width * width + STEP_COST), MAX_OPERATIONS)
    # Per layer q^l and the squared error grow by at most σ_w² (every φ′ here is ≤ 1): keep
    # them within float64. (Underflow to 0 is a faithful answer; overflow is not.)
    if depth * math.log10(max(1.0, weight_variance)) \
            + math.log10(max(1.0, q0) + depth * bias_variance) > 290:
        raise ValueError(f"weight_variance^depth × (q0 + depth × bias_variance) must be at most "
                         f"1e290, or the signal overflows float64: got weight_variance="
                         f"{weight_variance}, depth={depth}, q0={q0}, bias_variance="
                         f"{bias_variance}")
    weight_sd, bias_sd = math.sqrt(weight_variance / width), math.sqrt(bias_variance)
    pre = [math.sqrt(q0) * rng.standard_normal((examples, width))]
    weights = []
    for _ in range(depth):
        weights.append(rng.normal(0.0, weight_sd, (width, width)))
        bias = rng.normal(0.0, bias_sd, width) if bias_sd > 0 else np.zeros(width)
        pre.append(act.function(pre[-1]) @ weights[-1] + bias)
    errors = [rng.standard_normal((examples, width))]
    for layer in range(depth, 0, -1):
        errors.insert(0, (errors[0] @ weights[layer - 1].T) * act.derivative(pre[layer - 1]))
    return np.array(pre), np.array(errors)
# --8<-- [end:simulate]


def mean_squares(arrays):
    """The mean square over examples and units of each layer: q̂^l = mean_{i,j} (h^l_{ij})²
    for an array of shape (layers, examples, width)."""
    arrays = require_array("arrays", arrays, ndim=3, minimum=-MAX_MAGNITUDE,
                           maximum=MAX_MAGNITUDE)
    return np.mean(arrays ** 2, axis=(1, 2))

