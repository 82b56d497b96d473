"""Figure 5.4 of chapter 5 (edge-of-chaos.md): the depth scale diverges at the edge of chaos."""

import math

import numpy as np

from snippets.experiments.edge_of_chaos.depth_scale import (
    SHRINK_DECADES,
    WEIGHT_VARIANCES,
    depth_scales,
)
from snippets.figures import style
from snippets.figures.registry import figure, quoted


def _lost_after(scale):
    """Layers after which the squared gradient has changed by 10^SHRINK_DECADES: ξ·ln 10^k."""
    return scale * SHRINK_DECADES * math.log(10)


# --8<-- [start:depth-scale]
@figure("depth-scale", experiment=depth_scales,
        alt=lambda scales: (
            f"Depth scale against weight variance on logarithmic axes for tanh networks at "
            f"three bias variances. Each curve rises to a sharp peak at its critical weight "
            f"variance ({', '.join(f'{c:.2f}' for _, c in scales.values())}) and falls on "
            f"either side; away from the peak it is a few layers."),
        caption="Depth scale $\\xi = 1/\\lvert\\ln\\chi_1\\rvert$ of tanh networks: over "
                "$\\xi$ layers the squared gradient shrinks (left of the peak) or grows (right) "
                "by a factor $e$. It diverges on the critical line (dotted).",
        shows=("snippets/core/mean_field.py:fixed_point",))
def depth_scale(scales):
    """ξ against σ_w² for a few σ_b², with the critical points (figure 5.4)."""
    fig, ax = style.new_figure()
    for color, (bias_variance, (xi, critical)) in zip(style.colors(), scales.items()):
        ax.plot(WEIGHT_VARIANCES, np.minimum(xi, 1e4), color=color,
                label=f"$\\sigma_b^2 = {bias_variance}$")
        ax.axvline(critical, color=color, lw=0.8, ls=":")
    ax.set(xscale="log", yscale="log", ylim=(0.3, 3e3), xlabel="weight variance $\\sigma_w^2$",
           ylabel="depth scale $\\xi$ (layers)")
    ax.set_xticks([0.5, 1, 2, 4, 8], ["0.5", "1", "2", "4", "8"])
    ax.set_xticks([], minor=True)
    ax.legend(loc="upper right")
    return fig
# --8<-- [end:depth-scale]


@quoted("depth-scale-decades")
def _decades():
    return str(SHRINK_DECADES)


@quoted("layers-lost-at-standard-init")
def _standard():
    # Glorot & Bengio's standard initialisation, σ_w² = 1/3 with σ_b² = 0: χ₁ = 1/3 exactly.
    return f"{_lost_after(1 / math.log(3)):.1f}"
