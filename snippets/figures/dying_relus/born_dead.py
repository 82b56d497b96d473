"""Figure and table on networks born dead: figure 4.3 of chapter 4 (dying-relus.md)."""

import numpy as np

from snippets.core import dead_networks
from snippets.core.statistics import wilson_interval
from snippets.experiments.dying_relus.born_dead import (
    DEPTHS,
    RAI_WIDTHS,
    TRIALS,
    WIDTHS,
    born_dead_runs,
)
from snippets.figures import style
from snippets.figures.formatting import markdown_table
from snippets.figures.registry import figure, quoted

TABLE_DEPTHS = (10, 50)


# --8<-- [start:born-dead-probability]
@figure("born-dead-probability", experiment=born_dead_runs,
        alt=f"Probability that a ReLU network with one input is a constant function at "
            f"initialisation, against depth, for widths {WIDTHS[0]} to {WIDTHS[-1]}, with "
            f"confidence bars. Narrow networks die quickly with depth, wide ones less so. "
            f"Dashed lines give the exact probability of being dead at a single input. "
            f"Randomized asymmetric initialisation (open markers) is drawn for widths "
            f"{' and '.join(map(str, RAI_WIDTHS))}.",
        caption=f"Share of networks born dead (constant on [−1, 1]) among {TRIALS} per point, "
                f"with 95 % Wilson intervals; He initialisation, zero biases (solid), and "
                f"randomized asymmetric initialisation (open markers, dotted). Dashed: the "
                f"exact probability of being dead at one input, "
                f"$1 - (1 - 2^{{-N}})^L$ for width $N$ and depth $L$.",
        shows=("snippets/core/dead_networks.py:born_dead",))
def born_dead_probability(results):
    """P(born dead) against depth per width, with the one-input closed form (figure 4.3)."""
    fig, ax = style.new_figure()
    depths = np.array(DEPTHS)
    colors = dict(zip(WIDTHS, style.colors()))
    labelled = []
    for (init, width), counts in results.items():
        share = counts[:, 0] / TRIALS
        bounds = np.array([wilson_interval(int(c), TRIALS) for c in counts[:, 0]])
        err = np.abs(bounds.T - share)
        if init == "he":
            bars = ax.errorbar(depths, share, yerr=err, fmt="o-", ms=3, capsize=2, lw=1.5,
                               color=colors[width])
            labelled.append((f"N = {width}", bars.lines[0]))
            exact = [dead_networks.single_input_dead_probability(width, d) for d in depths]
            ax.plot(depths, exact, "--", lw=1, color=colors[width])
        else:
            bars = ax.errorbar(depths, share, yerr=err, fmt="o:", ms=5, mfc="none", capsize=2,
                               color=colors[width])
            labelled.append((f"N = {width}, RAI", bars.lines[0]))
    ax.set(xscale="log", xlabel="hidden layers L", ylabel="P(born dead)", ylim=(-0.03, 1.03))
    style.label_line_ends(ax, labelled, gap=8.0)  # clear of the open markers' caps
    return fig
# --8<-- [end:born-dead-probability]


@quoted("born-dead-table")
def _born_dead_table():
    results = born_dead_runs()
    rows = []
    for width in WIDTHS:
        cells = []
        for depth in TABLE_DEPTHS:
            count = int(results[("he", width)][DEPTHS.index(depth), 0])
            low, high = wilson_interval(count, TRIALS)
            cells.append(f"{count / TRIALS:.3f} [{low:.3f}, {high:.3f}]")
        rows.append([str(width), *cells])
    return markdown_table(["width N", *(f"P(born dead), {depth} layers [95 % CI]"
                                        for depth in TABLE_DEPTHS)], rows, "rrr")


def _born_dead_share(width, depth):
    """'0.907 [0.888, 0.923]': the share born dead with He initialisation and its interval."""
    count = int(born_dead_runs()[("he", width)][DEPTHS.index(depth), 0])
    low, high = wilson_interval(count, TRIALS)
    return f"{count / TRIALS:.3f} (95 % interval {low:.3f} to {high:.3f})"


@quoted("born-dead-narrowest-deepest")
def _narrowest_deepest():
    return f"{_born_dead_share(min(WIDTHS), max(DEPTHS))} at width {min(WIDTHS)}"


@quoted("born-dead-widest-deepest")
def _widest_deepest():
    return f"{_born_dead_share(max(WIDTHS), max(DEPTHS))} at width {max(WIDTHS)}"


@quoted("born-dead-deepest")
def _deepest():
    return str(max(DEPTHS))
