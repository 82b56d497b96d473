"""Activation functions φ and their derivatives φ′, written to stay exact and silent for every
finite z, up to ±1.8e308 (no overflow, no RuntimeWarning), and :data:`ACTIVATIONS`, the one
table that names them: every page, experiment, test and legend uses these names and labels.

Inputs may be float64 or float32 (the result keeps the type); integers become float64; other
types (booleans, float16, complex, strings, objects) raise a ValueError. NaN propagates:
φ(NaN) and φ′(NaN) are NaN, never a plausible number.

Used by chapter 1 (Why ReLU works so well) and every later chapter.
"""

import dataclasses
from collections.abc import Callable

import numpy as np

from snippets.core.validation import (
    real_array,
    require_callable,
    require_choice,
    require_float_dtype,
    require_int,
    require_real,
)


# --8<-- [start:sigmoid]
def sigmoid(z):
    """Logistic sigmoid σ(z) = 1 / (1 + e^{−z}), with values in (0, 1).

    No exponential of a positive number is ever evaluated, so nothing overflows: for z ≥ 0
    this is 1 / (1 + e^{−z}), for z < 0 the equal form e^{z} / (1 + e^{z}); both are
    e^{min(z, 0)} / (1 + e^{−|z|}).
    """
    z = real_array("z", z)
    # Two exponentials and no branch: faster than selecting with np.where, and this runs in
    # every training step.
    return np.exp(np.minimum(z, 0)) / (1 + np.exp(-np.abs(z)))


def sigmoid_derivative(z):
    """σ′(z) = σ(z)(1 − σ(z)) = e^{−|z|} / (1 + e^{−|z|})², whose maximum is σ′(0) = 1/4.

    The right-hand form keeps full relative precision in the tails, where 1 − σ(z)
    would round to 0 long before σ′(z) does.
    """
    decay = np.exp(-np.abs(real_array("z", z)))
    denominator = decay + 1.0
    denominator *= denominator
    return decay / denominator
# --8<-- [end:sigmoid]


# --8<-- [start:tanh]
def tanh(z):
    """Hyperbolic tangent tanh(z) = (e^{z} − e^{−z}) / (e^{z} + e^{−z}) = 2σ(2z) − 1, in (−1, 1)."""
    return np.tanh(real_array("z", z))


def tanh_derivative(z):
    """tanh′(z) = 1 − tanh²(z) = 4e^{−2|z|} / (1 + e^{−2|z|})², whose maximum is tanh′(0) = 1."""
    z = real_array("z", z)
    # −2|z| would overflow near the largest float: cap |z| far beyond where e^{−2|z|} is 0.
    # equivalent mutant (max / 5): e^(−2 · max/5) is 0 as e^(−2 · max/4) is.
    decay = np.exp(-2.0 * np.minimum(np.abs(z), np.finfo(z.dtype).max / 4))
    return 4.0 * decay / (1.0 + decay) ** 2
# --8<-- [end:tanh]


# --8<-- [start:relu]
def relu(z):
    """Rectified linear unit ReLU(z) = max(0, z)."""
    return np.maximum(real_array("z", z), 0.0)


def relu_derivative(z, at_zero=0.0):
    """ReLU′(z) = 1 for z > 0 and 0 for z < 0.

    At z = 0 ReLU has no derivative; any value in [0, 1] is a subgradient. ``at_zero``
    picks one (0 is the common convention, also PyTorch's and TensorFlow's).
    """
    at_zero = require_real("at_zero", at_zero, 0.0, 1.0)
    z = real_array("z", z)
    derivative = (z > 0).astype(z.dtype)  # one comparison: this runs in every training step
    if at_zero != 0.0:
        derivative = np.where(z == 0, at_zero, derivative)
    if np.isnan(z).any():  # NaN in, NaN out: never a plausible 0
        derivative = np.where(np.isnan(z), np.nan, derivative)
    return derivative
# --8<-- [end:relu]


# --8<-- [start:leaky_relu]
def leaky_relu(z, slope=0.01):
    """Leaky ReLU: z for z > 0 and slope·z otherwise (Maas, Hannun & Ng 2013 use slope 0.01)."""
    slope = require_real("slope", slope, 0.0, 1.0, open_maximum=True)
    z = real_array("z", z)
    if slope == 0.0:  # plain ReLU; 0·(−∞) would be NaN, not ReLU(−∞) = 0
        return np.maximum(z, 0.0)
    return np.maximum(z, slope * z)  # = z for z > 0 and slope·z otherwise, since slope < 1


def leaky_relu_derivative(z, slope=0.01):
    """Leaky ReLU′(z) = 1 for z > 0 and ``slope`` for z ≤ 0: never zero when slope > 0."""
    slope = require_real("slope", slope, 0.0, 1.0, open_maximum=True)
    z = real_array("z", z)
    derivative = (z > 0).astype(z.dtype)
    derivative *= 1 - slope
    derivative += slope
    # equivalent mutant (np.where always): without a NaN it returns the same array.
    return np.where(np.isnan(z), np.nan, derivative) if np.isnan(z).any() else derivative
# --8<-- [end:leaky_relu]


# --8<-- [start:derivative_peak]
def derivative_peak(derivative, low=-10.0, high=10.0, points=200_001):
    """Locate max φ′ on a uniform grid over [low, high]; returns (argmax z*, φ′(z*)).

    A grid search rather than calculus, so the quoted maxima are measured, not assumed.
    """
    derivative = require_callable("derivative", derivative)
    low = require_real("low", low, -1e6, 1e6)
    # equivalent mutant (a lower minimum for high): high below −1e6 is below any valid low,
    # refused by the check low < high, whose message names high as well.
    high = require_real("high", high, -1e6, 1e6)
    if not low < high:
        raise ValueError(f"low must be below high, got low={low}, high={high}")
    points = require_int("points", points, minimum=3)
    grid = np.linspace(low, high, points)
    try:
        values = real_array("derivative", derivative(grid))
    except Exception as error:  # noqa: BLE001 - whatever the caller's function raised
        raise ValueError(f"derivative must map the grid to real values: {error}") from error
    if values.shape != grid.shape or not np.all(np.isfinite(values)):
        raise ValueError(f"derivative must return {points} finite values, one per grid point")
    best = int(np.argmax(values))
    return float(grid[best]), float(values[best])
# --8<-- [end:derivative_peak]


# --8<-- [start:saturation_onset]
def saturation_onset(dtype=np.float64):
    """Smallest z ≥ 0 at which σ(z), computed in ``dtype``'s own arithmetic, equals exactly 1.

    Mathematically σ(z) < 1 for every z; computed as 1 / (1 + e^{−z}) it is exactly 1 once
    1 + e^{−z} rounds to 1, i.e. e^{−z} ≤ ε/2 for machine ε: z ≥ ln(2/ε), about 36.7 in
    float64 and 16.6 in float32. Found by bisection on the computed sigmoid itself, its
    argument and arithmetic in ``dtype`` (a float64 result cast to float32 would round to 1
    only later, from ln(4/ε₃₂) ≈ 17.3). float32 or float64: the activations here compute in
    no narrower type.
    """
    dtype = require_float_dtype("dtype", dtype, (np.float32, np.float64))
    one = dtype.type(1)

    def saturated(z):
        return sigmoid(dtype.type(z)) >= one

    # equivalent mutants (low 1, high 2, high *= 3, 201 rounds; checked in float32 and
    # float64): the onset is above 16 in both, and 200 halvings already end on adjacent floats.
    low, high = 0.0, 1.0
    while not saturated(high):
        high *= 2.0
    for _ in range(200):
        middle = 0.5 * (low + high)
        if saturated(middle):
            high = middle
        else:
            low = middle
    return high
# --8<-- [end:saturation_onset]


# --8<-- [start:softmax]
def softmax(z, axis=-1):
    """softmax(z)_j = e^{z_j} / Σ_k e^{z_k}, computed as e^{z_j − max z} / Σ_k e^{z_k − max z}
    so no exponential overflows. Outputs are positive and sum to 1 along ``axis``.

    Non-finite input propagates, by design, as in the element-wise activations: a slice holding
    NaN or +∞, or only −∞, gives NaN throughout (a diverged network's outputs are NaN, never
    a plausible distribution); −∞ among finite values gives exactly 0.
    """
    z = real_array("z", z)
    if z.ndim == 0 or z.size == 0:
        raise ValueError(f"z must be a non-empty array, got shape {z.shape}")
    axis = require_int("axis", axis, minimum=-z.ndim, maximum=z.ndim - 1)
    # ∞ − ∞ is the NaN documented above; z − max z below −1.8e308 overflows to −∞, whose
    # exponential is the exact 0.
    with np.errstate(invalid="ignore", over="ignore"):
        shifted = np.exp(z - np.max(z, axis=axis, keepdims=True))
        return shifted / np.sum(shifted, axis=axis, keepdims=True)
# --8<-- [end:softmax]


# --8<-- [start:rescaled_activations]
def rescaled_sigmoid(z):
    """4σ(z) − 2 = 2 tanh(z/2) (Xu, Huang & Li 2016): the sigmoid moved to be zero-centred
    with slope 1 at 0, so α = 1 and β = 0 in its linear regime."""
    return 4.0 * sigmoid(z) - 2.0


def rescaled_sigmoid_derivative(z):
    """(4σ(z) − 2)′ = 4σ′(z), equal to 1 at z = 0."""
    return 4.0 * sigmoid_derivative(z)


def penalized_tanh(z, penalty=0.25):
    """tanh(z) for z > 0 and penalty · tanh(z) otherwise (Xu, Huang & Li 2016 use 0.25)."""
    penalty = require_real("penalty", penalty, 0.0, 1.0)
    value = tanh(z)
    # equivalent mutant (>= 0): at z = 0 both branches give tanh(0) = 0.
    return np.where(np.asarray(z) > 0, value, penalty * value)


def penalized_tanh_derivative(z, penalty=0.25):
    """tanh′(z) for z > 0 and penalty · tanh′(z) otherwise."""
    penalty = require_real("penalty", penalty, 0.0, 1.0)
    slope = tanh_derivative(z)
    return np.where(np.asarray(z) > 0, slope, penalty * slope)
# --8<-- [end:rescaled_activations]


@dataclasses.dataclass(frozen=True)
class Activation:
    """An activation φ with its derivative φ′: ``name`` is how code refers to it, ``label``
    how pages and legends print it."""

    name: str
    label: str
    function: Callable
    derivative: Callable


ACTIVATIONS = {a.name: a for a in (
    Activation("sigmoid", "sigmoid", sigmoid, sigmoid_derivative),
    Activation("tanh", "tanh", tanh, tanh_derivative),
    Activation("relu", "ReLU", relu, relu_derivative),
    Activation("leaky_relu", "leaky ReLU", leaky_relu, leaky_relu_derivative),
    Activation("rescaled_sigmoid", "rescaled sigmoid", rescaled_sigmoid,
               rescaled_sigmoid_derivative),
    Activation("penalized_tanh", "penalized tanh", penalized_tanh, penalized_tanh_derivative),
)}


def activation(name):
    """The :class:`Activation` called ``name`` in :data:`ACTIVATIONS`."""
    return ACTIVATIONS[require_choice("name", name, tuple(ACTIVATIONS))]
