"""Figure 5.1 of chapter 5 (edge-of-chaos.md): the length map against simulated networks."""

import numpy as np

from snippets.experiments.edge_of_chaos.length_map import (
    ACTIVATION,
    BIAS_VARIANCE,
    DEPTH,
    EXAMPLES,
    SEEDS,
    STARTS,
    WEIGHT_VARIANCES,
    WIDTH,
    length_convergence,
)
from snippets.figures import style
from snippets.figures.registry import figure, quoted


def _largest_gap(runs):
    """Largest relative gap between the mean measured q̂^l and the predicted q^l."""
    return max(np.max(np.abs(measured.mean(axis=0) / predicted - 1))
               for predicted, measured in runs.values())


# --8<-- [start:length-map-convergence]
@figure("length-map-convergence", experiment=length_convergence,
        alt=lambda runs: (
            f"Variance of the pre-activations against layer, logarithmic axis, for tanh "
            f"networks at three weight variances, each started from a small and a large "
            f"input. Lines (the mean-field prediction) and dots (simulated networks) agree "
            f"within {100 * _largest_gap(runs):.0f} %; from either start the variance settles "
            f"at the same level within a few layers, a higher level for a larger weight "
            f"variance."),
        caption=f"The length map $q^l = \\sigma_w^2\\,\\mathbb E_z[\\tanh(\\sqrt{{q^{{l-1}}}}"
                f"\\,z)^2] + \\sigma_b^2$ (lines) against the mean square $\\hat q^l$ of the "
                f"pre-activations of random {ACTIVATION} networks (dots: mean of {SEEDS} seeds, "
                f"width {WIDTH}, {EXAMPLES} inputs each), $\\sigma_b^2 = {BIAS_VARIANCE}$, "
                f"started at $q^0 = {STARTS[0]}$ (solid) and ${STARTS[1]}$ (dashed).",
        shows=("snippets/core/mean_field.py:length_map", "snippets/core/mean_field.py:simulate"))
def length_map_convergence(runs):
    """q^l predicted and measured from two starts at three σ_w² (figure 5.1)."""
    fig, ax = style.new_figure()
    layers = np.arange(DEPTH + 1)
    for color, weight_variance in zip(style.colors(), WEIGHT_VARIANCES):
        for start, line in zip(STARTS, ("-", "--")):
            predicted, measured = runs[weight_variance, start]
            ax.plot(layers, predicted, line, color=color, lw=1.5,
                    label=f"$\\sigma_w^2 = {weight_variance}$" if start == STARTS[0] else None)
            ax.plot(layers, measured.mean(axis=0), "o", ms=3.5, color=color)
    # A phone's panel is too short for the long label (tests/test_browser.py: inside the canvas).
    ax.set(yscale="log", xlabel="layer l",
           ylabel="variance $q^l$" if style.narrow() else "variance of pre-activations $q^l$")
    style.legend(ax, loc="lower right", ncols=3)
    return fig
# --8<-- [end:length-map-convergence]


@quoted("length-map-largest-gap")
def _gap():
    return f"{100 * _largest_gap(length_convergence()):.1f} %"


@quoted("length-map-width")
def _width():
    return str(WIDTH)


@quoted("length-map-seeds")
def _seeds():
    return str(SEEDS)
