"""The home page's figure (docs/index.md): the error reaching each layer of a 50-layer network
at initialisation, for three activations and three initialisations — the site in one picture."""

import numpy as np

from snippets.experiments.home import gradient_by_initialisation as experiment
from snippets.experiments.home.gradient_by_initialisation import (
    DEPTH,
    EXAMPLES,
    INITIALISATIONS,
    SEEDS,
    WIDTH,
)
from snippets.figures import style
from snippets.figures.formatting import scientific
from snippets.figures.registry import figure

DECADES = 10  # a tick every 10 powers of ten: the curves span more than 40


def _first_layer(results):
    """{activation: {initialisation: the share of the top layer's error reaching layer 1}}."""
    return {activation: {name: float(ratios[0]) for name, ratios in runs.items()}
            for activation, runs in results.items()}


def _alt(results):
    ends = _first_layer(results)
    parts = [f"{activation}: " + ", ".join(f"{scientific(share, 2)} with {name}"
                                            for name, share in shares.items())
             for activation, shares in ends.items()]
    return (f"Three panels, one per activation ({', '.join(results)}), each with three lines, "
            f"one per initialisation ({', '.join(INITIALISATIONS)}): the size of the error "
            f"back-propagated to each of {DEPTH} layers, relative to the top layer, on a "
            f"logarithmic axis. The share that reaches the first layer is, for "
            + "; for ".join(parts) + ".")


def _caption(results):
    return (f"How much of the error at the top of a {DEPTH}-layer network of width {WIDTH} "
            f"reaches each layer below it at initialisation (root-mean-square of "
            f"$\\delta^l = \\partial C/\\partial z^l$ over its value at the top hidden layer; "
            f"{EXAMPLES} standardised digits, zero biases, geometric mean over {SEEDS} seeds). "
            f"The sigmoid loses it whatever the initialisation; tanh keeps it with Xavier's "
            f"(He's makes it grow) and ReLU only with He's. The chapters explain why, one step "
            f"at a time.")


# --8<-- [start:gradient-by-initialisation]
@figure("gradient-by-initialisation", experiment=experiment.gradient_by_initialisation,
        alt=_alt, caption=_caption,
        shows=("snippets/core/networks.py:forward_backward",))
def gradient_by_initialisation(results):
    """The error reaching each layer, relative to the top: one panel per activation, one line
    per initialisation, each labelled at its end (the home page's figure)."""
    size = (style.MAX_WIDTH, 3.1)
    fig, axes = style.new_figure(size, panels=len(results), sharey=True)
    below_top = np.arange(DEPTH)  # 0 = the top hidden layer, DEPTH − 1 = the first
    lowest = min(ratios.min() for runs in results.values() for ratios in runs.values())
    highest = max(ratios.max() for runs in results.values() for ratios in runs.values())
    bottom = DECADES * np.floor(np.log10(lowest) / DECADES)
    ticks = 10.0 ** np.arange(bottom, np.log10(highest) + 1, DECADES)
    for index, (ax, (activation, runs)) in enumerate(zip(axes, results.items())):
        lines = [ax.plot(below_top, ratios[::-1], color=color, label=name)[0]
                 for color, (name, ratios) in zip(style.colors(), runs.items())]
        ax.set(yscale="log", title=activation, xlim=(0, DEPTH - 1),
               ylim=(10.0 ** bottom, 10 * highest), yticks=ticks,
               xticks=np.arange(0, DEPTH, 20))
        ax.minorticks_off()
        style.label_line_ends(ax, lines)
        if index == len(axes) - 1 and style.narrow():
            ax.set_xlabel("layers below the top")
        if index == (len(axes) // 2 if style.narrow() else 0):
            ax.set_ylabel("error, relative to the top")
    if not style.narrow():
        fig.supxlabel("layers below the top", fontsize=style.SMALL_TEXT)
    return fig
# --8<-- [end:gradient-by-initialisation]
