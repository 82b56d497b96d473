"""Figure and table on exploding and vanishing activations in deep ReLU networks: figure 2.9 of
chapter 2 (vanishing-gradient-problem.md)."""

import math

import numpy as np

from snippets.experiments.vanishing_gradient_problem.relu_activation_growth import (
    DEPTH,
    GAINS,
    SEEDS,
    WIDTH,
    activation_growth_runs,
    growth_summary,
)
from snippets.figures import style
from snippets.figures.formatting import markdown_table, scientific
from snippets.figures.registry import figure, quoted


# --8<-- [start:relu-activation-growth]
@figure("relu-activation-growth", experiment=activation_growth_runs,
        alt=f"Mean squared activation against layer depth, on a logarithmic axis, in "
            f"{DEPTH}-layer ReLU networks whose weight scale is {min(GAINS):g} to "
            f"{max(GAINS):g} times the critical He scale. Below the critical scale the "
            f"activations shrink geometrically, above it they grow geometrically, and at the "
            f"critical scale they stay roughly level; dashed lines show the predicted rate.",
        caption=f"Activations of a deep ReLU network (width {WIDTH}, zero biases) whose "
                f"weights are $\\mathcal N(0, g^2 \\cdot 2/n)$, for several gains $g$. Lines: "
                f"mean over {SEEDS} seeds of the mean squared activation per layer; "
                f"dashed: the prediction $g^{{2l}}$.",
        shows=("snippets/core/networks.py:activation_growth",))
def relu_activation_growth(runs):
    """E[(a^l)²] against l for each gain, with the prediction g^{2l} (figure 2.9)."""
    fig, ax = style.new_figure()
    layers = np.arange(DEPTH + 1)
    lines = []
    for color, (gain, values) in zip(style.colors(), runs.items()):
        lines += ax.plot(layers, values.mean(axis=0), color=color, label=f"g = {gain:g}")
        ax.plot(layers, gain ** (2 * layers), color=color, ls="--", lw=1)
    ax.set(yscale="log", xlabel="layer l", ylabel=r"mean of $(a^l)^2$")
    style.label_line_ends(ax, lines)
    return fig
# --8<-- [end:relu-activation-growth]


@quoted("relu-growth-table")
def _growth_table():
    rows = []
    for gain in GAINS:
        summary = growth_summary(gain)
        rows.append([f"{gain:g}", f"{gain ** 2:.3f}",
                     f"{summary['mean']:.3f} ± {summary['standard_error']:.3f}",
                     f"{summary['geometric']:.3f}", scientific(summary["last_layer"], 2)])
    return markdown_table(["gain g", "predicted g²",
                           f"measured mean ratio (± s.e., {SEEDS} seeds)",
                           "typical (geometric) ratio", f"mean of $(a^{{{DEPTH}}})^2$"], rows)


@quoted("slight-update-growth")
def _slight_update_growth():
    # Positive homogeneity: scaling all L + 1 weight matrices by 1 + ε scales the output by
    # (1 + ε)^(L + 1) (zero biases).
    epsilon, layers = 0.01, 51
    tenfold = math.log(10) / math.log(1 + epsilon)
    return (f"scaling every weight of a 50-layer ReLU network up by 1 % multiplies its output "
            f"by exactly $1.01^{{{layers}}}$ = {(1 + epsilon) ** layers:.2f}; a tenfold growth "
            f"would take {math.ceil(tenfold)} weight matrices")
