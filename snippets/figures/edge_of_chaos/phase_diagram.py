"""Figure 5.2 and the table of critical points, chapter 5 (edge-of-chaos.md)."""

import matplotlib.colors
import numpy as np

from snippets.core.activations import ACTIVATIONS
from snippets.experiments.edge_of_chaos.phase_diagram import (
    DIAGRAM_ACTIVATION,
    DIAGRAM_BIAS_VARIANCES,
    DIAGRAM_WEIGHT_VARIANCES,
    LINE_BIAS_VARIANCES,
    TABLE_BIAS_VARIANCES,
    chi_1_grid,
    critical_points,
)
from snippets.figures import style
from snippets.figures.formatting import markdown_table
from snippets.figures.registry import figure, quoted

STANDARD_INIT = 1 / 3  # Glorot & Bengio's U[±1/√n]: n·Var[w] = 1/3 (chapter 3)


# --8<-- [start:phase-diagram]
@figure("phase-diagram", experiment=chi_1_grid,
        alt=lambda result: (
            f"Map of the per-layer gradient factor chi-one of tanh networks over weight "
            f"variance ({DIAGRAM_WEIGHT_VARIANCES[0]:g} to {DIAGRAM_WEIGHT_VARIANCES[-1]:g}) "
            f"and bias variance ({DIAGRAM_BIAS_VARIANCES[0]:g} to "
            f"{DIAGRAM_BIAS_VARIANCES[-1]:g}). Blue, where gradients vanish, lies to the left; "
            f"red, where they explode, to the right. The critical line between them starts at "
            f"weight variance {result[1][0]:.2f} without biases and bends right to "
            f"{result[1][-1]:.2f} at bias variance {LINE_BIAS_VARIANCES[-1]:.1f}. Glorot and "
            f"Bengio's standard initialisation sits deep in the vanishing region."),
        caption="The order-to-chaos phase diagram of deep tanh networks: $\\ln\\chi_1$ over "
                "$(\\sigma_w^2, \\sigma_b^2)$, with the critical line $\\chi_1 = 1$ found by "
                "bisection (black). Left of it every layer shrinks the squared gradient by "
                "$\\chi_1 < 1$ (ordered phase), right of it grows it (chaotic phase). Markers at "
                "$\\sigma_b^2 = 0$: the standard initialisation $U[\\pm 1/\\sqrt n]$ "
                "($\\sigma_w^2 = 1/3$) and LeCun's or Xavier's $\\sigma_w^2 = 1$.",
        shows=("snippets/core/mean_field.py:fixed_point",))
def phase_diagram(result):
    """ln χ₁ of tanh networks over (σ_w², σ_b²) with the critical line (figure 5.2)."""
    chi, line = result
    fig, ax = style.new_figure()
    logs = np.log(chi)
    # Centred at ln χ₁ = 0, each side using the full colour range: the chaotic side spans a
    # smaller range of ln χ₁ than the ordered one.
    norm = matplotlib.colors.TwoSlopeNorm(0.0, logs.min(), logs.max())
    # One image, not a vector cell each: a browser anti-aliases every cell's edges, leaving
    # hairline seams through which a dark page showed as a grid.
    mesh = ax.pcolormesh(DIAGRAM_WEIGHT_VARIANCES, DIAGRAM_BIAS_VARIANCES, logs, cmap="RdBu_r",
                         norm=norm, shading="nearest", rasterized=True)
    ax.plot(line, LINE_BIAS_VARIANCES, color="black", lw=2.2)
    ax.plot([STANDARD_INIT, 1.0], [0, 0], "o", ms=7, color="white", mec="black", clip_on=False)
    # The two markers are closer than either name is long, and the critical line leaves the
    # second one to the right: each name stands upright on its marker, clear of both.
    for variance, name in ((STANDARD_INIT, "standard init"), (1.0, "LeCun / Xavier")):
        ax.annotate(name, (variance, 0), xytext=(0, 7), textcoords="offset points",
                    rotation=90, ha="center", va="bottom", color="black",
                    fontsize=style.SMALL_TEXT)
    ax.text(0.55, 0.42, "ordered:\ngradients vanish", color="black", fontsize=style.SMALL_TEXT)
    ax.text(3.0, 0.06, "chaotic:\ngradients\nexplode", color="black", fontsize=style.SMALL_TEXT)
    ax.grid(False)
    ax.set(xlabel="weight variance $\\sigma_w^2$", ylabel="bias variance $\\sigma_b^2$",
           title=f"{ACTIVATIONS[DIAGRAM_ACTIVATION].label}: $\\ln \\chi_1$")
    if style.narrow():  # the colour bar goes below, leaving the map the phone's whole width
        fig.set_size_inches(style.NARROW_WIDTH, style.SINGLE[1])
        bar = fig.colorbar(mesh, ax=ax, location="bottom", label="$\\ln \\chi_1$")
    else:
        bar = fig.colorbar(mesh, ax=ax, label="$\\ln \\chi_1$")
    # The ordered side fills half the bar; across a phone, labels every 0.5 would touch.
    step = 1.0 if style.narrow() else 0.5
    bar.set_ticks([t for t in np.arange(-3.0, 3.01, step) if logs.min() <= t <= logs.max()])
    return fig
# --8<-- [end:phase-diagram]


def _row(name):
    return {bias: (critical, q_star, weak) for bias, critical, q_star, weak
            in critical_points()[name]}


@quoted("critical-points-table")
def _table():
    rows = []
    for name, points in critical_points().items():
        for bias, critical, q_star, weak in points:
            rows.append([ACTIVATIONS[name].label, f"{bias:g}", f"{critical:.3f}",
                         _fixed_point_text(q_star, bias), f"{100 * weak:.0f} %"])
    return markdown_table(["activation", "σ_b²", "critical σ_w²", "q* there",
                           "units passing < 1/10 of the largest gradient"], rows)


def _fixed_point_text(q_star, bias_variance):
    if q_star is None:  # a rectifier on its critical line
        return "none: q grows by σ_b² a layer" if bias_variance > 0 else "any: q^l = q^0"
    return "→ 0" if q_star < 1e-6 else f"{q_star:.3g}"


@quoted("tanh-critical-005")
def _tanh_critical():
    return f"{_row('tanh')[0.05][0]:.2f}"


@quoted("sigmoid-critical-0")
def _sigmoid_critical():
    return f"{_row('sigmoid')[0.0][0]:.0f}"


@quoted("sigmoid-critical-q")
def _sigmoid_q():
    return f"{_row('sigmoid')[0.0][1]:.0f}"


@quoted("sigmoid-critical-weak")
def _sigmoid_weak():
    return f"{100 * _row('sigmoid')[0.0][2]:.0f} %"


@quoted("tanh-critical-weak-005")
def _tanh_weak():
    return f"{100 * _row('tanh')[0.05][2]:.0f} %"


@quoted("critical-table-bias-variances")
def _biases():
    return ", ".join(f"{b:g}" for b in TABLE_BIAS_VARIANCES)
