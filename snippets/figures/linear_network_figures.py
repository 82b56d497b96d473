"""Figures and numbers on gradients in deep linear networks (chapter 3)."""

import functools

import numpy as np

from snippets.core import linear_networks as linear
from snippets.figures import style
from snippets.figures.registry import figure, quoted, scientific

DEPTH = 20
SCALAR_WEIGHTS = (0.8, 1.0, 1.25)
WIDTH = 64
PRODUCT_DEPTH = 40
SCALES = (0.9, 1.0, 1.1)
SEED = 0


@functools.lru_cache(maxsize=1)
def linear_gradients():
    return {
        "backward": {w: np.abs(linear.linear_chain_backward(np.full(DEPTH, w)))
                     for w in SCALAR_WEIGHTS},
        "weights": {w: np.abs(linear.linear_chain_gradients(np.full(DEPTH, w)))
                    for w in SCALAR_WEIGHTS},
        "matrix": {scale: linear.random_product_norms(np.random.default_rng(SEED), WIDTH,
                                                       PRODUCT_DEPTH, scale)
                   for scale in SCALES},
    }


# --8<-- [start:linear-network-gradients]
@figure("linear-network-gradients", data=linear_gradients,
        alt="Left: for a 20-layer scalar linear network, on a logarithmic axis, the "
            "back-propagated factor at each layer (solid) grows exponentially towards the "
            "input with weight 1.25 and shrinks with 0.8, while the gradient of each weight "
            "(dashed) is the same for every layer. Right: "
            "size of a product of random 64 by 64 matrices against the number of factors, "
            "growing, flat or shrinking depending on the scale, with spread widening.",
        caption=f"Left: in a scalar linear chain of {DEPTH} layers with every weight equal to "
                f"$w$, input $x = 1$ and $L = a_{{{DEPTH}}}$: the back-propagated factor "
                f"$|\\partial L/\\partial a_n| = w^{{{DEPTH}-n}}$ (solid) and the weight "
                f"gradient $|\\partial L/\\partial w_n| = |a_{{n-1}}|\\,w^{{{DEPTH}-n}} = "
                f"w^{{{DEPTH - 1}}}$ (dashed). Right: "
                f"$\\|W_k \\cdots W_1\\|_F/\\sqrt{{n}}$ for {WIDTH}×{WIDTH} matrices with "
                f"entries $\\mathcal N(0, c^2/n)$: median and 10–90 % band over 20 products "
                f"(seed {SEED}).",
        shows=("snippets/core/linear_networks.py:linear_chain_gradients",
               "snippets/core/linear_networks.py:random_product_norms"))
def linear_network_gradients(data):
    fig, (left, right) = style.new_figure(style.DOUBLE, panels=2)
    layers = np.arange(1, DEPTH + 1)
    for color, weight in zip(style.colors(), SCALAR_WEIGHTS):
        left.plot(layers, data["backward"][weight], "o-", ms=3, color=color,
                  label=f"w = {weight:g}")
        left.plot(layers, data["weights"][weight], "--", color=color, lw=1.2)
    left.set(yscale="log", xlabel="layer n", ylabel="size", xticks=[1, 5, 10, 15, 20])
    left.legend(loc="upper right")
    depths = np.arange(PRODUCT_DEPTH + 1)
    for color, (scale, norms) in zip(style.colors(), data["matrix"].items()):
        low, median, high = np.quantile(norms, [0.1, 0.5, 0.9], axis=0)
        right.fill_between(depths, low, high, color=color, alpha=0.2, lw=0)
        right.plot(depths, median, color=color, label=f"c = {scale:g}")
    right.set(yscale="log", xlabel="number of factors k", ylabel="normalised norm")
    right.legend(loc="upper left")
    return fig
# --8<-- [end:linear-network-gradients]


@quoted("linear-backward-first-layer-125")
def _first_layer():
    return scientific(linear_gradients()["backward"][1.25][0])


@quoted("matrix-product-median-40")
def _matrix_median():
    norms = linear_gradients()["matrix"]
    return ", ".join(f"{scientific(np.median(norms[c][:, -1]), 2)} (c = {c:g})" for c in SCALES)
