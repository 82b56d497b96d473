"""Gradient descent on quadratic costs: why an elongated cost is slow (chapter 2).

The cost J(θ) = ½ Σ_i λ_i θ_i² has gradient λ_i θ_i along axis i. Gradient descent with step
η multiplies coordinate i by (1 − η λ_i) per step, so it converges only if η < 2 / λ_max, and
the slowest coordinate then shrinks by max_i |1 − η λ_i| per step. The best fixed step,
η* = 2 / (λ_min + λ_max), gives the rate (κ − 1) / (κ + 1) with condition number
κ = λ_max / λ_min.
"""

import math

import numpy as np

from snippets.core.validation import require_array, require_int, require_real


def _curvatures(curvatures):
    curvatures = require_array("curvatures", curvatures, ndim=1)
    if np.any(curvatures <= 0):
        raise ValueError("curvatures must all be > 0 (a convex quadratic bowl)")
    return curvatures


# --8<-- [start:gradient_descent_path]
def gradient_descent_path(curvatures, start, learning_rate, steps):
    """Iterates θ_{k+1} = θ_k − η ∇J(θ_k) = (1 − η λ) ⊙ θ_k on J(θ) = ½ Σ λ_i θ_i².

    Returns an array of shape (steps + 1, dimension) holding θ_0 … θ_steps.
    """
    curvatures = _curvatures(curvatures)
    start = require_array("start", start, ndim=1)
    if start.shape != curvatures.shape:
        raise ValueError(f"start must have the shape of curvatures {curvatures.shape}, "
                         f"got {start.shape}")
    learning_rate = require_real("learning_rate", learning_rate, 0.0, 1e6, open_minimum=True)
    steps = require_int("steps", steps, minimum=0, maximum=1_000_000)
    contraction = 1.0 - learning_rate * curvatures
    return start * contraction ** np.arange(steps + 1)[:, None]


def steps_to_tolerance(curvatures, start, learning_rate, tolerance=1e-6, max_steps=100_000):
    """Fewest steps k with J(θ_k) ≤ tolerance · J(θ_0), found by running the iteration.

    Returns None if ``max_steps`` steps are not enough (for example when η ≥ 2 / λ_max).
    """
    curvatures = _curvatures(curvatures)
    theta = require_array("start", start, ndim=1).copy()
    if theta.shape != curvatures.shape:
        raise ValueError(f"start must have the shape of curvatures {curvatures.shape}, "
                         f"got {theta.shape}")
    learning_rate = require_real("learning_rate", learning_rate, 0.0, 1e6, open_minimum=True)
    tolerance = require_real("tolerance", tolerance, 0.0, 1.0, open_minimum=True,
                             open_maximum=True)
    max_steps = require_int("max_steps", max_steps, minimum=1)
    initial = 0.5 * np.sum(curvatures * theta ** 2)
    for step in range(1, max_steps + 1):
        with np.errstate(over="ignore", invalid="ignore"):  # a diverging run ends in None
            theta -= learning_rate * curvatures * theta
            current = 0.5 * np.sum(curvatures * theta ** 2)
        if current <= tolerance * initial:
            return step
        if not np.isfinite(current):
            return None
    return None


def best_learning_rate(curvatures):
    """η* = 2 / (λ_min + λ_max), the fixed step with the fastest worst-case convergence."""
    curvatures = _curvatures(curvatures)
    return 2.0 / (curvatures.min() + curvatures.max())


def condition_number(curvatures):
    """κ = λ_max / λ_min."""
    curvatures = _curvatures(curvatures)
    return float(curvatures.max() / curvatures.min())


def predicted_steps(curvatures, tolerance=1e-6):
    """Steps predicted by the worst-case rate ρ = (κ − 1)/(κ + 1) at η*: the cost falls like
    ρ^{2k}, so k ≈ ln(1/tolerance) / (2 ln(1/ρ)). (For κ = 1 one step is exact.)"""
    kappa = condition_number(curvatures)
    tolerance = require_real("tolerance", tolerance, 0.0, 1.0, open_minimum=True,
                             open_maximum=True)
    if kappa == 1.0:
        return 1
    rate = (kappa - 1.0) / (kappa + 1.0)
    return math.ceil(math.log(1.0 / tolerance) / (2.0 * math.log(1.0 / rate)))
# --8<-- [end:gradient_descent_path]
