"""Deep linear networks: the gradient for one layer is a product of the weights above it
(chapter 3)."""

import math

import numpy as np

from snippets.core.validation import (
    MAX_ELEMENTS,
    MAX_OPERATIONS,
    STEP_COST,
    require_array,
    require_budget,
    require_generator,
    require_int,
    require_real,
)


def _products_within_float64(*products):
    """Refuse a chain whose products left float64. Each array holds products the chain itself
    forms, so one beyond float64 shows as inf (or as inf · 0 = nan), never silently."""
    if not all(np.all(np.isfinite(values)) for values in products):
        raise ValueError("weights (with x) make a product of the chain overflow float64 "
                         "(> 1.8e308): use fewer or smaller weights")


def _backward_products(weights):
    # The products of the weights above each layer, never the product of all of them, which
    # may overflow where every factor carried is within float64.
    with np.errstate(over="ignore", invalid="ignore"):
        return np.concatenate([np.cumprod(weights[:0:-1])[::-1], [1.0]])


# --8<-- [start:linear_chain_gradients]
def linear_chain_backward(weights):
    """∂L/∂a_n = Π_{i=n+1}^{l} w_i for n = 1 … l, in the scalar linear chain a_i = w_i a_{i−1}
    with loss L = a_l: the factor back-propagation carries down to layer n. With identical
    weights it is w^{l−n}."""
    weights = require_array("weights", weights, ndim=1)
    backward = _backward_products(weights)
    _products_within_float64(backward)
    return backward


def linear_chain_gradients(weights, x=1.0):
    """∂L/∂w_n = a_{n−1} · ∂L/∂a_n for n = 1 … l, with a_0 = x and a_{n−1} = x Π_{i<n} w_i.

    With identical weights w: a_{n−1} w^{l−n} = x w^{n−1} w^{l−n} = x w^{l−1}, the same for
    every layer — the forward factor exactly offsets the backward one.
    """
    x = require_real("x", x)
    weights = require_array("weights", weights, ndim=1)
    backward = _backward_products(weights)
    with np.errstate(over="ignore", invalid="ignore"):
        # a_{n−1} from a_0 = x on: a tiny x keeps finite what Π w_i alone would overflow.
        inputs = np.cumprod(np.concatenate([[x], weights[:-1]]))
        gradients = inputs * backward
    # equivalent mutants (backward or inputs left out): a non-finite factor makes its
    # gradient inf or nan (inf · 0), so the gradients alone would show it.
    _products_within_float64(backward, inputs, gradients)
    return gradients
# --8<-- [end:linear_chain_gradients]


# --8<-- [start:random_product_norms]
def random_product_norms(rng, width, depth, scale, trials=20):
    """‖W_k ⋯ W_1‖_F / √width for k = 0 … depth, with W_i having entries N(0, scale²/width).

    Each factor preserves the mean squared norm of a vector when scale = 1, so the product's
    typical size grows like scale^k, with a fluctuation that widens with depth.
    Returns an array of shape (trials, depth + 1).
    """
    rng = require_generator("rng", rng)
    # equivalent mutants (width's or trials' maximum raised or dropped): the operations budget
    # below refuses more than 10 000 units or 1e6 trials whatever the other counts.
    width = require_int("width", width, minimum=1, maximum=10_000)
    depth = require_int("depth", depth, minimum=1, maximum=10_000)
    scale = require_real("scale", scale, 0.0, 1e3, open_minimum=True)
    trials = require_int("trials", trials, minimum=1, maximum=1_000_000)
    require_budget("trials × depth × (2 × width³ + STEP_COST) of trials, depth and width",
                   trials * depth * (2.0 * width ** 3 + STEP_COST), MAX_OPERATIONS)
    require_budget("3 × width² + trials × (depth + 1) of width, trials and depth",
                   3 * width * width + trials * (depth + 1), MAX_ELEMENTS)
    # The product grows like scale^depth: keep it within float64 (with a margin for spread).
    if depth * math.log10(scale) > 250:
        raise ValueError(f"scale^depth must be at most 1e250 (float64), got scale={scale} "
                         f"and depth={depth}")
    norms = np.empty((trials, depth + 1))
    for trial in range(trials):
        product = np.eye(width)
        norms[trial, 0] = 1.0
        for k in range(1, depth + 1):
            product = rng.normal(0.0, scale / np.sqrt(width), size=(width, width)) @ product
            # Scaled by the largest entry first: squaring entries near 1e250 would overflow.
            largest = np.max(np.abs(product))
            norms[trial, k] = (largest * np.linalg.norm(product / largest) if largest > 0
                               else 0.0) / np.sqrt(width)
    return norms
# --8<-- [end:random_product_norms]
