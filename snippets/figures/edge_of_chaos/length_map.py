"""Figure 5.1 of chapter 5 (edge-of-chaos.md): the length map against simulated networks."""

import math

import numpy as np

from snippets.experiments.edge_of_chaos.length_map import (
    ACTIVATION,
    BIAS_VARIANCE,
    DEPTH,
    EXAMPLES,
    MARGINAL_DEPTH,
    SEEDS,
    STARTS,
    WEIGHT_VARIANCES,
    WIDTH,
    length_convergence,
    marginal_tanh,
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


@quoted("marginal-depth")
def _marginal_depth():
    return str(MARGINAL_DEPTH)


@quoted("marginal-final-length")
def _marginal_length():
    return f"{marginal_tanh()[0][-1]:.3f}"


@quoted("marginal-gradient-decades")
def _marginal_decades():
    """log10 of the squared gradient's change over MARGINAL_DEPTH layers: Σ log10 χ(q^l)."""
    return f"{np.sum(np.log10(marginal_tanh()[1])):.1f}".replace("-", "−")


@quoted("marginal-halving-ratio")
def _marginal_halving():
    """ln of G(L)/G(L/2), the gradient at depth L against depth L/2: −ln 2 for G ∝ 1/L."""
    logs = np.cumsum(np.log(marginal_tanh()[1]))
    return f"{math.exp(logs[-1] - logs[MARGINAL_DEPTH // 2 - 1]):.2f}"


@quoted("gauss-hermite-share")
def _gauss_hermite_share():
    """Gauss–Hermite quadrature with 200 nodes for E[tanh′(√q z)²] at q = 100, as a share of
    the value the module's quadrature gives (tests/test_mean_field.py checks both against
    adaptive integration)."""
    from snippets.core import mean_field
    from snippets.core.activations import ACTIVATIONS

    def squared_slope(h):
        return ACTIVATIONS["tanh"].derivative(h) ** 2

    nodes, weights = np.polynomial.hermite_e.hermegauss(200)
    hermite = np.dot(weights / math.sqrt(2 * math.pi), squared_slope(10.0 * nodes))
    return f"{100 * hermite / mean_field.gaussian_expectation(squared_slope, 100.0):.0f} %"
