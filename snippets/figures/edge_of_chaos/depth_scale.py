"""Figure 5.4 of chapter 5 (edge-of-chaos.md): the depth scale diverges at the edge of chaos."""

import math

import numpy as np

from snippets.experiments.edge_of_chaos.depth_scale import (
    COMPARED_BIAS_VARIANCE,
    SHRINK_DECADES,
    TRAINABLE_MULTIPLE,
    WEIGHT_VARIANCES,
    compared_scales,
    depth_scales,
)
from snippets.figures import style
from snippets.figures.formatting import markdown_table
from snippets.figures.registry import figure, quoted


def _lost_after(scale):
    """Layers after which the squared gradient has changed by 10^SHRINK_DECADES: ξ·ln 10^k."""
    return scale * SHRINK_DECADES * math.log(10)


# --8<-- [start:depth-scale]
@figure("depth-scale", experiment=depth_scales,
        alt=lambda scales: (
            f"Two depth scales against weight variance on logarithmic axes for tanh networks "
            f"at three bias variances. Both rise to a sharp peak at the critical weight "
            f"variance ({', '.join(f'{c:.2f}' for *_, c in scales.values())}); left of it "
            f"they are one curve, right of it the correlation depth scale (solid) lies above "
            f"the gradient depth scale (dashed). Away from the peak both are a few layers."),
        caption="Depth scales of tanh networks. Over $\\xi = 1/\\lvert\\ln\\chi_1\\rvert$ "
                "layers (dashed) the squared gradient shrinks by a factor $e$ left of the "
                "critical line (dotted) and grows by that factor right of it; over $\\xi_c$ "
                "(solid) the correlation of two inputs settles at its fixed point. They "
                "coincide in the ordered phase and part in the chaotic one.",
        shows=("snippets/core/mean_field.py:correlation",))
def depth_scale(scales):
    """ξ and ξ_c against σ_w² for a few σ_b², with the critical points (figure 5.4)."""
    fig, ax = style.new_figure()
    for color, (bias_variance, (xi, xi_c, critical)) in zip(style.colors(), scales.items()):
        chaotic = WEIGHT_VARIANCES > critical
        ax.plot(WEIGHT_VARIANCES, np.minimum(xi_c, 1e4), color=color,
                label=f"$\\sigma_b^2 = {bias_variance}$")
        ax.plot(WEIGHT_VARIANCES[chaotic], np.minimum(xi, 1e4)[chaotic], color=color, ls="--")
        ax.axvline(critical, color=color, lw=0.8, ls=":")
    ax.plot([], [], color=style.muted(), label="$\\xi_c$ (correlation)")
    ax.plot([], [], color=style.muted(), ls="--", label="$\\xi$ (gradient)")
    ax.set(xscale="log", yscale="log", ylim=(0.3, 1e4), xlabel="weight variance $\\sigma_w^2$",
           ylabel="depth scale (layers)")
    ax.set_xticks([0.5, 1, 2, 4, 8], ["0.5", "1", "2", "4", "8"])
    ax.set_xticks([], minor=True)
    style.legend(ax, loc="upper left")
    return fig
# --8<-- [end:depth-scale]


@quoted("depth-scale-decades")
def _decades():
    return str(SHRINK_DECADES)


@quoted("layers-lost-at-standard-init")
def _standard():
    # Glorot & Bengio's standard initialisation, σ_w² = 1/3 with σ_b² = 0: χ₁ = 1/3 exactly.
    return f"{_lost_after(1 / math.log(3)):.1f}"


@quoted("trainable-multiple")
def _trainable_multiple():
    return str(TRAINABLE_MULTIPLE)


@quoted("depth-scale-comparison")
def _comparison():
    """The two scales at the chaotic points the page names, as a Markdown table."""
    rows = [[f"{s:g}", f"{c_star:.2f}", f"{xi:.1f}", f"{xi_c:.1f}",
             f"{TRAINABLE_MULTIPLE * xi_c:.0f}"]
            for s, xi, xi_c, c_star in compared_scales()]
    return markdown_table(["σ_w²", "c*", "ξ", "ξ_c", f"{TRAINABLE_MULTIPLE} ξ_c"], rows)


@quoted("depth-scale-compared-bias")
def _compared_bias():
    return f"{COMPARED_BIAS_VARIANCE:g}"
