"""Gradients in deep linear networks (chapter 3, "Initialisation and variance", figure
linear-network-gradients): in a scalar chain with every weight equal to w, the factor that
back-propagation carries down to layer n is w^{DEPTH−n}, while every weight receives the same
gradient; and products of random WIDTH × WIDTH matrices grow or shrink with the matrices'
scale c, although every entry is far below 1."""

import numpy as np

from snippets.core import linear_networks as linear
from snippets.core.statistics import spawn_generators
from snippets.core.validation import require_choice
from snippets.experiments import experiment

DEPTH = 20                        # layers of the scalar chain
SCALAR_WEIGHTS = (0.8, 1.0, 1.25)
INPUT = 1.0                       # x = a_0; the loss is L = a_DEPTH
WIDTH = 64
PRODUCT_DEPTH = 40                # factors in the longest product
SCALES = (0.9, 1.0, 1.1)          # c: entries N(0, c²/WIDTH)
PRODUCTS = 20                     # independent products per scale
SEED = 0


@experiment
def linear_gradients():
    """{"backward": {w: |∂L/∂a_n|}, "weights": {w: |∂L/∂w_n|}} for n = 1 … DEPTH, and
    {"matrix": {c: ‖W_k ⋯ W_1‖_F/√WIDTH, shape (PRODUCTS, PRODUCT_DEPTH + 1)}}, each scale
    drawn with its own generator."""
    generators = spawn_generators(SEED, len(SCALES))
    return {
        "backward": {w: np.abs(linear.linear_chain_backward(np.full(DEPTH, w)))
                     for w in SCALAR_WEIGHTS},
        "weights": {w: np.abs(linear.linear_chain_gradients(np.full(DEPTH, w), INPUT))
                    for w in SCALAR_WEIGHTS},
        "matrix": {scale: linear.random_product_norms(rng, WIDTH, PRODUCT_DEPTH, scale,
                                                       trials=PRODUCTS)
                   for scale, rng in zip(SCALES, generators)},
    }


def backward_to_first_layer(weight):
    """|∂L/∂a_1| = w^{DEPTH−1}: the factor carried down to the lowest layer."""
    weight = require_choice("weight", weight, SCALAR_WEIGHTS)
    return float(linear_gradients()["backward"][weight][0])


def median_product_norm(scale):
    """Median over the PRODUCTS products of the normalised norm after PRODUCT_DEPTH factors."""
    scale = require_choice("scale", scale, SCALES)
    return float(np.median(linear_gradients()["matrix"][scale][:, -1]))
