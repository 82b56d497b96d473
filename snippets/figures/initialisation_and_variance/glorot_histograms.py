"""Figures and numbers reproducing Glorot & Bengio's (2010) figures 6 and 7 on the digits:
figures init-activation-histograms and init-gradient-histograms of chapter 3
(initialisation-and-variance.md)."""

import numpy as np

from snippets.experiments.initialisation_and_variance.glorot_histograms import (
    HIDDEN,
    INITS,
    NETWORKS,
    SEED,
    WIDTH,
    layer_samples,
    spread_over_networks,
)
from snippets.figures import style
from snippets.figures.formatting import markdown_table
from snippets.figures.registry import figure, quoted


def _histograms(ax, layers, bins, title):
    for color, (index, values) in zip(style.colors(), enumerate(layers, start=1)):
        counts, edges = np.histogram(values.ravel(), bins=bins, density=True)
        ax.plot(0.5 * (edges[1:] + edges[:-1]), counts, color=color, lw=1.5,
                label=f"layer {index}")
    ax.set(title=title)


def _layer_legend(fig, ax):
    """One key above both panels (their layers share colours), clear of every curve."""
    entries = list(zip(*ax.get_legend_handles_labels()))
    columns = 3 if style.narrow() else len(entries)
    # matplotlib fills a legend column by column; this order reads layer 1, 2, 3 across.
    entries = [entry for start in range(columns) for entry in entries[start::columns]]
    if style.narrow():  # the figure grows by the key's rows: the panels keep their height
        width, height = fig.get_size_inches()
        rows = -(-len(entries) // columns)
        fig.set_size_inches(width, height + rows * 1.3 * style.SMALL_TEXT / 72)
    fig.legend(*zip(*entries), loc="outside upper center", ncols=columns, columnspacing=1.2)


# --8<-- [start:init-activation-histograms]
@figure("init-activation-histograms", experiment=layer_samples,
        alt=f"Two panels of normalised histograms of the tanh activation values of {HIDDEN} "
            f"hidden layers at initialisation. With the standard initialisation the histograms "
            f"get narrower and more peaked at zero from layer 1 to layer {HIDDEN}; with the "
            f"normalised initialisation they keep about the same width in every layer.",
        caption=f"Histograms of the activations $\\tanh(s^l)$ of each hidden layer at "
                f"initialisation ({HIDDEN} layers of {WIDTH} tanh units, zero biases, all "
                f"standardised digits; the first of {NETWORKS} networks, seed {SEED}). Left: "
                f"standard initialisation $U[\\pm 1/\\sqrt{{n}}]$; right: normalised "
                f"$U[\\pm\\sqrt6/\\sqrt{{n_{{in}} + n_{{out}}}}]$ (Glorot & Bengio 2010, "
                f"figure 6).",
        shows=("snippets/core/networks.py:init_network",
               "snippets/core/networks.py:forward_backward"))
def init_activation_histograms(samples):
    """Per-layer histograms of the tanh activations under both initialisations (figure
    init-activation-histograms)."""
    fig, axes = style.new_figure(style.DOUBLE, panels=2)
    bins = np.linspace(-1, 1, 61)
    for ax, (label, data) in zip(axes, samples.items()):
        _histograms(ax, data["activations"], bins, f"{label} initialisation")
        ax.set(xlabel="activation value", yscale="log", ylim=(1e-2, 30))
    axes[0].set_ylabel("density")
    _layer_legend(fig, axes[0])
    return fig
# --8<-- [end:init-activation-histograms]


# --8<-- [start:init-gradient-histograms]
@figure("init-gradient-histograms", experiment=layer_samples,
        alt=f"Two panels of normalised histograms of the back-propagated gradients of {HIDDEN} "
            "hidden layers at initialisation. With the standard initialisation the lower "
            "layers' histograms are narrower, so their gradients are smaller; with the "
            f"normalised initialisation all {HIDDEN} layers overlap.",
        caption="Histograms of the back-propagated gradients $\\partial C/\\partial s^l$ (one "
                "value per unit and example) of each hidden layer, same networks as the "
                "previous figure (Glorot & Bengio 2010, figure 7).",
        shows=("snippets/core/networks.py:forward_backward",))
def init_gradient_histograms(samples):
    """Per-layer histograms of the back-propagated gradients under both initialisations
    (figure init-gradient-histograms)."""
    fig, axes = style.new_figure(style.DOUBLE, panels=2)
    spread = max(np.quantile(np.abs(samples["normalised"]["gradients"][-1]), 0.995), 1e-12)
    bins = np.linspace(-spread, spread, 61)
    for ax, (label, data) in zip(axes, samples.items()):
        _histograms(ax, data["gradients"], bins, f"{label} initialisation")
        ax.set(xlabel=r"$\partial C/\partial s^l$", yscale="log")
        ax.ticklabel_format(axis="x", style="sci", scilimits=(-2, 2))
    axes[0].set_ylabel("density")
    _layer_legend(fig, axes[0])
    return fig
# --8<-- [end:init-gradient-histograms]


@quoted("init-spread-table")
def _spread_table():
    rows = [[str(layer + 1)] for layer in range(HIDDEN)]
    for label in INITS:
        activations = spread_over_networks(label, "activation_std")
        gradients = spread_over_networks(label, "gradient_std")
        for layer, cells in enumerate(rows):
            cells.append(f"{activations[0][layer]:.3f} ± {activations[1][layer]:.3f}")
            cells.append(f"{gradients[0][layer]:.2e} ± {gradients[1][layer]:.0e}")
    header = [f"layer (mean ± sd, {NETWORKS} networks)"] + [
        f"std of {quantity}, {label}"
        for label in INITS for quantity in ("activations", "gradients")]
    return markdown_table(header, rows, align="r" * len(header))
