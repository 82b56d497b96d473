"""Gradient descent on quadratic costs: why an elongated cost is slow (chapter 2).

The cost J(θ) = ½ Σ_i λ_i θ_i² has gradient λ_i θ_i along axis i. Gradient descent with step
η multiplies coordinate i by (1 − η λ_i) per step, so it converges only if η < 2 / λ_max, and
the slowest coordinate then shrinks by max_i |1 − η λ_i| per step. The best fixed step,
η* = 2 / (λ_min + λ_max), gives the rate (κ − 1) / (κ + 1) with condition number
κ = λ_max / λ_min.
"""

import math

import numpy as np

from snippets.core.validation import (
    MAX_ELEMENTS,
    MAX_OPERATIONS,
    STEP_COST,
    require_array,
    require_budget,
    require_int,
    require_real,
)

# Curvatures and coordinates are bounded so that J(θ) = ½ Σ λ_i θ_i² and η* stay within float64
# whatever the dimension: λ ∈ [1e-50, 1e50] (a convex bowl, κ ≤ 1e100), |θ| ≤ 1e50.
CURVATURE_RANGE = (1e-50, 1e50)
MAX_COORDINATE = 1e50


def _curvatures(curvatures):
    return require_array("curvatures", curvatures, ndim=1, minimum=CURVATURE_RANGE[0],
                         maximum=CURVATURE_RANGE[1])


def _start(start, curvatures):
    # equivalent mutants (ndim dropped): start must have the shape of the 1-D curvatures.
    start = require_array("start", start, ndim=1, minimum=-MAX_COORDINATE,
                          maximum=MAX_COORDINATE)
    if start.shape != curvatures.shape:
        raise ValueError(f"start must have the shape of curvatures {curvatures.shape}, "
                         f"got {start.shape}")
    return start


# --8<-- [start:gradient_descent_path]
def gradient_descent_path(curvatures, start, learning_rate, steps):
    """Iterates θ_{k+1} = θ_k − η ∇J(θ_k) = (1 − η λ) ⊙ θ_k on J(θ) = ½ Σ λ_i θ_i².

    Returns an array of shape (steps + 1, dimension) holding θ_0 … θ_steps.
    """
    curvatures = _curvatures(curvatures)
    start = _start(start, curvatures)
    learning_rate = require_real("learning_rate", learning_rate, 0.0, 1e6, open_minimum=True)
    # equivalent mutant (minimum dropped): 0 is require_int's default minimum.
    steps = require_int("steps", steps, minimum=0, maximum=1_000_000)
    require_budget("(steps + 1) × the length of curvatures", (steps + 1) * curvatures.size,
                   MAX_ELEMENTS)
    contraction = 1.0 - learning_rate * curvatures
    # Row k is θ_k = θ_{k−1} (1 − η λ): every product formed is a point of the path, so a
    # finite path never overflows on the way (contraction^k alone may), and one that leaves
    # float64 shows as inf.
    with np.errstate(over="ignore"):
        path = np.cumprod(np.vstack([start, np.broadcast_to(contraction, (steps, start.size))]),
                          axis=0)
    if not np.all(np.isfinite(path)):
        raise ValueError("learning_rate × curvatures and steps make the path overflow float64 "
                         "(max |θ_0| · max |1 − η λ|^steps > 1.8e308): lower learning_rate or "
                         "steps")
    return path


def steps_to_tolerance(curvatures, start, learning_rate, tolerance=1e-6, max_steps=100_000):
    """Fewest steps k with J(θ_k) ≤ tolerance · J(θ_0), found by running the iteration.

    Returns None if ``max_steps`` steps are not enough (for example when η ≥ 2 / λ_max).
    """
    curvatures = _curvatures(curvatures)
    theta = _start(start, curvatures).copy()
    learning_rate = require_real("learning_rate", learning_rate, 0.0, 1e6, open_minimum=True)
    tolerance = require_real("tolerance", tolerance, 0.0, 1.0, open_minimum=True,
                             open_maximum=True)
    max_steps = require_int("max_steps", max_steps, minimum=1)
    require_budget("max_steps × (6 × the length of curvatures + STEP_COST)",
                   max_steps * (6.0 * curvatures.size + STEP_COST), MAX_OPERATIONS)
    initial = 0.5 * np.sum(curvatures * theta ** 2)
    for step in range(1, max_steps + 1):
        # equivalent mutants (invalid= dropped): a run stops at its first infinite cost, before
        # ∞ − ∞ could make a NaN.
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
    # ln(1/ρ) = ln((κ + 1)/(κ − 1)) = ln(1 + 2/(κ − 1)), exact even where ρ rounds to 1; and
    # −ln(tolerance), since 1/tolerance overflows for a subnormal tolerance.
    return math.ceil(-math.log(tolerance) / (2.0 * math.log1p(2.0 / (kappa - 1.0))))
# --8<-- [end:gradient_descent_path]
