"""Figure and numbers on gradients in deep linear networks: figure linear-network-gradients of
chapter 3 (initialisation-and-variance.md)."""

import numpy as np

from snippets.experiments.initialisation_and_variance.linear_networks import (
    DEPTH,
    INPUT,
    PRODUCT_DEPTH,
    PRODUCTS,
    SCALAR_WEIGHTS,
    SCALES,
    SEED,
    WIDTH,
    backward_to_first_layer,
    linear_gradients,
    median_product_norm,
)
from snippets.figures import style
from snippets.figures.formatting import scientific
from snippets.figures.registry import figure, quoted

BAND = (0.1, 0.9)                 # quantiles bounding the shaded band of the products


# --8<-- [start:linear-network-gradients]
@figure("linear-network-gradients", experiment=linear_gradients,
        alt=f"Left: for a {DEPTH}-layer scalar linear network, on a logarithmic axis, the "
            f"back-propagated factor at each layer (solid) grows exponentially towards the "
            f"input with weight {max(SCALAR_WEIGHTS):g} and shrinks with "
            f"{min(SCALAR_WEIGHTS):g}, while the gradient of each weight (dashed) is the same "
            f"for every layer. Right: size of a product of random {WIDTH} by {WIDTH} matrices "
            f"against the number of factors, growing, flat or shrinking depending on the "
            f"scale, with spread widening.",
        caption=f"Left: in a scalar linear chain of {DEPTH} layers with every weight equal to "
                f"$w$, input $x = {INPUT:g}$ and $L = a_{{{DEPTH}}}$: the back-propagated factor "
                f"$|\\partial L/\\partial a_n| = w^{{{DEPTH}-n}}$ (solid) and the weight "
                f"gradient $|\\partial L/\\partial w_n| = |a_{{n-1}}|\\,w^{{{DEPTH}-n}} = "
                f"w^{{{DEPTH - 1}}}$ (dashed). Right: "
                f"$\\|W_k \\cdots W_1\\|_F/\\sqrt{{n}}$ for {WIDTH}×{WIDTH} matrices with "
                f"entries $\\mathcal N(0, c^2/n)$: median and {100 * BAND[0]:.0f}–"
                f"{100 * BAND[1]:.0f} % band over {PRODUCTS} products (seed {SEED}).",
        shows=("snippets/core/linear_networks.py:linear_chain_gradients",
               "snippets/core/linear_networks.py:random_product_norms"))
def linear_network_gradients(data):
    """Back-propagated factor and weight gradient per layer of the scalar chain, and the size
    of random matrix products against their length (figure linear-network-gradients)."""
    fig, (left, right) = style.new_figure(style.DOUBLE, panels=2)
    layers = np.arange(1, DEPTH + 1)
    dashed = []
    for color, weight in zip(style.colors(), SCALAR_WEIGHTS):
        left.plot(layers, data["backward"][weight], "o-", ms=3, color=color)
        dashed += left.plot(layers, data["weights"][weight], "--", color=color, lw=1.2,
                            label=f"w = {weight:g}")
    left.set(yscale="log", xlabel="layer n", ylabel="size", xticks=[1, 5, 10, 15, 20])
    # The solid lines all end at 1 on the top layer; the dashed ones end apart, so they carry
    # each colour's label.
    style.label_line_ends(left, dashed)
    depths = np.arange(PRODUCT_DEPTH + 1)
    medians = []
    for color, (scale, norms) in zip(style.colors(), data["matrix"].items()):
        low, median, high = np.quantile(norms, [BAND[0], 0.5, BAND[1]], axis=0)
        right.fill_between(depths, low, high, color=color, alpha=0.2, lw=0)
        medians += right.plot(depths, median, color=color, label=f"c = {scale:g}")
    right.set(yscale="log", xlabel="number of factors k", ylabel="normalised norm")
    style.label_line_ends(right, medians)
    return fig
# --8<-- [end:linear-network-gradients]


@quoted("linear-backward-first-layer-125")
def _first_layer():
    return scientific(backward_to_first_layer(1.25))


@quoted("matrix-product-median-40")
def _matrix_median():
    return ", ".join(f"{scientific(median_product_norm(c), 2)} (c = {c:g})" for c in SCALES)
