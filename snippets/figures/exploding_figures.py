"""Figures and numbers on exploding gradients (Nielsen's chain) and exploding ReLU
activations (chapter 2)."""

import functools

import numpy as np

from snippets.core import gradient_chain as chain
from snippets.core import networks
from snippets.figures import style
from snippets.figures.registry import figure, quoted, scientific

CHAIN_DEPTH = 10
CHAIN_WEIGHTS = (2.0, 4.0, 8.0, 100.0)
WIDTH = 100
DEPTH = 50
GAINS = (0.8, 0.9, 1.0, 1.1, 1.2)
SEEDS = (0, 1, 2)


@functools.lru_cache(maxsize=1)
def exploding_ratios():
    """ρ_r for Nielsen's chains with pre-activations held at 0, one per weight."""
    return {weight: chain.chain_gradient_ratios(*_chain(weight))[0] for weight in CHAIN_WEIGHTS}


def _chain(weight):
    weights, biases, inputs = chain.exploding_chain(weight, CHAIN_DEPTH)
    return weights, inputs, biases


# --8<-- [start:exploding-chain]
@figure("exploding-chain", data=exploding_ratios,
        alt="Gradient ratio against depth on a logarithmic axis for chains whose "
            "pre-activations are all zero: with weight 2 it halves at every layer, with weight "
            "4 it stays at 1, with weight 8 it doubles, and with weight 100 it grows 25-fold "
            "per layer, reaching about ten to the fourteenth after ten layers.",
        caption="Nielsen's exploding-gradient construction: every weight equals $w$ and every "
                "bias is set so that each pre-activation is 0, where $\\sigma' = 1/4$. Each "
                "layer then multiplies the gradient by exactly $w/4$.",
        shows=("snippets/core/gradient_chain.py:chain_gradient_ratios",
               "snippets/core/gradient_chain.py:exploding_chain"))
def exploding_chain_figure(ratios):
    fig, ax = style.new_figure()
    for color, (weight, values) in zip(style.colors(), ratios.items()):
        ax.plot(np.arange(1, len(values) + 1), values, "o-", ms=3, color=color,
                label=f"w = {weight:g}: factor w/4 = {weight / 4:g}")
    ax.set(yscale="log", xlabel="layers back from the top, r", ylabel=r"gradient ratio $\rho_r$")
    ax.legend(loc="upper left")
    return fig
# --8<-- [end:exploding-chain]


@functools.lru_cache(maxsize=1)
def activation_growth_runs():
    """{gain: array (seeds, depth + 1)} of mean squared activations per layer."""
    return {gain: np.array([networks.activation_growth(np.random.default_rng(seed), WIDTH,
                                                       DEPTH, gain) for seed in SEEDS])
            for gain in GAINS}


# --8<-- [start:relu-activation-growth]
@figure("relu-activation-growth", data=activation_growth_runs,
        alt="Mean squared activation against layer depth, on a logarithmic axis, in 50-layer "
            "ReLU networks whose weight scale is 0.8 to 1.2 times the critical He scale. Below "
            "the critical scale the activations shrink geometrically, above it they grow "
            "geometrically, and at the critical scale they stay roughly level; dashed lines "
            "show the predicted rate.",
        caption=f"Activations of a deep ReLU network (width {WIDTH}, zero biases) whose "
                f"weights are $\\mathcal N(0, g^2 \\cdot 2/n)$, for several gains $g$. Lines: "
                f"mean over {len(SEEDS)} seeds of the mean squared activation per layer; "
                f"dashed: the prediction $g^{{2l}}$.",
        shows=("snippets/core/networks.py:activation_growth",))
def relu_activation_growth(runs):
    fig, ax = style.new_figure()
    layers = np.arange(DEPTH + 1)
    for color, (gain, values) in zip(style.colors(), runs.items()):
        ax.plot(layers, values.mean(axis=0), color=color, label=f"g = {gain:g}")
        ax.plot(layers, gain ** (2 * layers), color=color, ls="--", lw=1)
    ax.set(yscale="log", xlabel="layer l", ylabel=r"mean of $(a^l)^2$")
    ax.legend(loc="upper left", ncols=2)
    return fig
# --8<-- [end:relu-activation-growth]


@quoted("exploding-ratio-ten-layers")
def _exploding_ten():
    return scientific(exploding_ratios()[100.0][-1])


@quoted("relu-growth-table")
def _growth_table():
    rows = []
    for gain, values in activation_growth_runs().items():
        # Per-layer ratios E[(a^l)²] / E[(a^{l−1})²] over layers 2 … DEPTH (layer 0 is the raw
        # input, which ReLU has not yet halved). Their mean estimates g²; their geometric mean
        # is the typical growth, lower by about half the variance of the log-ratio.
        ratios = values[:, 2:] / values[:, 1:-1]
        standard_error = ratios.std(ddof=1) / np.sqrt(ratios.size)
        rows.append(f"| {gain:g} | {gain ** 2:.3f} | {ratios.mean():.3f} ± {standard_error:.3f} "
                    f"| {np.exp(np.log(ratios).mean()):.3f} "
                    f"| {scientific(values[:, -1].mean(), 2)} |")
    return "\n".join([f"| gain g | predicted g² | measured mean ratio (± s.e., {len(SEEDS)} "
                      f"seeds) | typical (geometric) ratio | mean of $(a^{{{DEPTH}}})^2$ |",
                      "|---:|---:|---:|---:|---:|", *rows])
