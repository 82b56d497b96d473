"""Figure and number on exploding gradients in Nielsen's chain: figure 2.7 of chapter 2
(vanishing-gradient-problem.md)."""

import math

import numpy as np

from snippets.experiments.vanishing_gradient_problem.exploding_chain import (
    CHAIN_DEPTH,
    CHAIN_WEIGHTS,
    exploding_ratios,
)
from snippets.figures import style
from snippets.figures.formatting import scientific
from snippets.figures.registry import figure, quoted

_LARGEST = max(CHAIN_WEIGHTS)


# --8<-- [start:exploding-chain]
@figure("exploding-chain", experiment=exploding_ratios,
        alt=lambda ratios: (
            "Gradient ratio against depth on a logarithmic axis for chains whose "
            "pre-activations are all zero, so that each layer multiplies the gradient by w/4: "
            + ", ".join(f"by {w / 4:g} per layer with weight {w:g}" for w in CHAIN_WEIGHTS)
            + f". With weight {_LARGEST:g} the ratio reaches about ten to the power "
              f"{round(math.log10(ratios[_LARGEST][-1]))} after {CHAIN_DEPTH} layers."),
        caption="Nielsen's exploding-gradient construction: every weight equals $w$ and every "
                "bias is set so that each pre-activation is 0, where $\\sigma' = 1/4$. Each "
                "layer then multiplies the gradient by exactly $w/4$.",
        shows=("snippets/core/gradient_chain.py:chain_gradient_ratios",
               "snippets/core/gradient_chain.py:exploding_chain"))
def exploding_chain(ratios):
    """ρ_r against r for each weight w, growing or shrinking by w/4 per layer (figure 2.7)."""
    fig, ax = style.new_figure()
    lines = []
    for color, (weight, values) in zip(style.colors(), ratios.items()):
        lines += ax.plot(np.arange(1, len(values) + 1), values, "o-", ms=3, color=color,
                         label=f"w = {weight:g}: ×{weight / 4:g}")
    ax.set(yscale="log", xlabel="layers back from the top, r", ylabel=r"gradient ratio $\rho_r$")
    style.label_line_ends(ax, lines)
    return fig
# --8<-- [end:exploding-chain]


@quoted("exploding-ratio-ten-layers")
def _exploding_ten():
    return scientific(exploding_ratios()[_LARGEST][-1])
