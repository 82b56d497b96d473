"""Figure and numbers on the "16 times" claim: figure sixteen-times of chapter 3
(initialisation-and-variance.md)."""

from fractions import Fraction

import numpy as np

from snippets.experiments.initialisation_and_variance.balancing_gain import (
    AFFINE,
    DEPTH,
    NETWORKS_PER_POINT,
    REPEATS,
    SEED,
    SIGMOID_SLOPE,
    TANH_DEPTHS,
    WIDTH,
    balancing_gain,
    balancing_runs,
    ratio_over_repeats,
    ratio_repeats,
    tanh_gain_by_depth,
)
from snippets.figures import style
from snippets.figures.formatting import markdown_table
from snippets.figures.registry import figure, quoted


# --8<-- [start:sixteen-times]
@figure("sixteen-times", experiment=balancing_runs,
        alt="Per-layer change of the back-propagated gradient variance against the weight "
            "variance times the width, on logarithmic axes, for a tanh network, a sigmoid "
            f"network and an affine unit of slope {Fraction(SIGMOID_SLOPE)}. Each curve crosses "
            "the level 1 at its balancing point, marked: lowest for tanh, near "
            f"1/α² = {1 / SIGMOID_SLOPE ** 2:g} for the affine model and far higher for the "
            "sigmoid.",
        caption=f"How the back-propagated gradient variance changes per layer, "
                f"$(\\mathrm{{Var}}[\\partial C/\\partial a^0] / \\mathrm{{Var}}[\\partial "
                f"C/\\partial a^{{{DEPTH}}}])^{{1/{DEPTH}}}$, as a function of "
                f"$n\\,\\mathrm{{Var}}[w]$ (width {WIDTH}, {DEPTH} layers, {NETWORKS_PER_POINT} "
                f"networks per point, each point its own generator from seed {SEED}). Where a "
                f"curve crosses 1 (dots), gradients keep their size. One measurement per "
                f"curve; the text quotes the mean of {REPEATS} repetitions.",
        shows=("snippets/core/variance.py:balancing_gain",))
def sixteen_times(runs):
    """Per-layer change of the gradient variance against n·Var[w], with each case's
    balancing point (figure sixteen-times)."""
    fig, ax = style.new_figure()
    for color, (label, (gain, grid, rates)) in zip(style.colors(), runs.items()):
        ax.plot(grid, rates, color=color, label=f"{label}: {gain:.3g}")
        ax.plot([gain], [1.0], "o", color=color, ms=7)
    ax.axhline(1.0, color=style.muted(), ls="--", lw=1)
    ax.set(xscale="log", yscale="log", xlabel=r"$n\,\mathrm{Var}[w]$",
           ylabel="change per layer" if style.narrow() else "gradient variance change per layer")
    style.legend(ax, loc="upper left", fontsize=style.SMALL_TEXT)
    return fig
# --8<-- [end:sixteen-times]


@quoted("balancing-gain-affine")
def _gain_affine():
    return f"{balancing_gain(AFFINE):.1f}"


def _mean_sd(values, digits):
    return f"{np.mean(values):.{digits}f} ± {np.std(values, ddof=1):.{digits}f}"


@quoted("balancing-depth")
def _depth():
    return str(DEPTH)


@quoted("balancing-repeats")
def _repeats():
    return f"{REPEATS} independent repetitions"


@quoted("balancing-gain-tanh")
def _gain_tanh():
    return _mean_sd(ratio_repeats()["tanh"], 2)


@quoted("balancing-gain-sigmoid")
def _gain_sigmoid():
    return _mean_sd(ratio_repeats()["sigmoid"], 0)


@quoted("balancing-ratio-variance")
def _ratio_variance():
    ratios = ratio_over_repeats()
    return (f"{np.mean(ratios):.0f} (from {np.min(ratios):.0f} to {np.max(ratios):.0f} over the "
            f"repetitions)")


@quoted("balancing-ratio-std")
def _ratio_std():
    return f"{np.mean(np.sqrt(ratio_over_repeats())):.1f}"


@quoted("balancing-gain-table")
def _gain_table():
    """The balancing points of the paragraph under figure sixteen-times, as one table."""
    slope = Fraction(SIGMOID_SLOPE).limit_denominator(100)
    rows = [[f"affine units (α = {slope})", _gain_affine(),
             f"one sweep; theory 1/α² = {1 / slope ** 2}"],
            ["tanh", _gain_tanh(), f"{REPEATS} repetitions"],
            ["sigmoid", _gain_sigmoid(), f"{REPEATS} repetitions"]]
    return markdown_table(["network", f"balancing n Var[w], {DEPTH} layers", "from"], rows,
                          align="lrl")


@quoted("tanh-balancing-gain-by-depth")
def _tanh_by_depth():
    gains = tanh_gain_by_depth()
    return ", ".join(f"{gain:.2f} at {depth} layers" for depth, gain in zip(TANH_DEPTHS, gains))
