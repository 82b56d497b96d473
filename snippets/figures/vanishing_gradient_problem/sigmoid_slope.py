"""Figure of the sigmoid's slope against its output: figure 2.3 of chapter 2
(vanishing-gradient-problem.md)."""

from fractions import Fraction

from snippets.experiments.vanishing_gradient_problem.sigmoid_slope import slope_by_output
from snippets.figures import style
from snippets.figures.registry import figure


def _fraction(value):
    return Fraction(value).limit_denominator(100)


_PEAK_AT, _PEAK = (_fraction(value) for value in slope_by_output()["peak"])


# --8<-- [start:sigmoid-slope-by-output]
@figure("sigmoid-slope-by-output", experiment=slope_by_output,
        alt=f"A downward parabola over the sigmoid's output s from 0 to 1: the slope s(1 − s) "
            f"is 0 at both ends and peaks at {_PEAK} when s is {_PEAK_AT}.",
        caption=f"The sigmoid's slope written through its own output, $\\sigma' = s(1-s)$ with "
                f"$s = \\sigma(z)$: its range is $(0, {_PEAK}]$, reaching ${_PEAK}$ only at "
                f"$s = {_PEAK_AT}$ and approaching 0 as the unit saturates towards 0 or 1.",
        shows=("snippets/core/activations.py:sigmoid",))
def sigmoid_slope_by_output(data):
    """σ′ = s(1 − s) against the output s, with its maximum marked (figure 2.3)."""
    fig, ax = style.new_figure()
    peak_at, peak = data["peak"]
    ax.plot(data["s"], data["slope"], color=style.colors()[0])
    ax.plot([peak_at], [peak], "o", color=style.colors()[0])
    ax.axhline(peak, color=style.muted(), ls="--", lw=1)
    # Named where the dashed line ends, in the right margin: under the arch the words hid
    # the curve on a phone.
    style.label_line_ends(ax, [(f"max {_fraction(peak)}\nat s = {_fraction(peak_at)}",
                                (1.0, peak), style.muted())])
    # The prime stays outside $…$: mathtext would write it as "0" of a TeX font (cmsy10).
    ax.set(xlabel=r"sigmoid output $s = \sigma(z)$", ylabel=r"slope $\sigma$′$(z) = s(1-s)$",
           xlim=(0, 1), ylim=(0, 0.3))
    ax.xaxis.set_major_formatter("{x:g}")  # 0, 0.25, …, 1: no trailing zeros to crowd a phone
    return fig
# --8<-- [end:sigmoid-slope-by-output]
