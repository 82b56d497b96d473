"""Figure and table of Glorot & Bengio's (2010) saturation experiment on the digits: figure
saturation-during-training of chapter 3 (initialisation-and-variance.md)."""

import numpy as np

from snippets.experiments.initialisation_and_variance.saturation import (
    BATCH,
    HIDDEN_LAYERS,
    LEARNING_RATE,
    NETWORKS,
    PROBE,
    SEED,
    WIDTH,
    over_networks,
    saturation_runs,
    top_layer_summary,
)
from snippets.figures import style
from snippets.figures.formatting import markdown_table
from snippets.figures.registry import figure, quoted


def _lower_layers(runs):
    """How far each layer below the top moves during training, over ``runs``, in words."""
    means = np.concatenate([run["stats"][:, :-1, 0] for run in runs])   # (records, layers)
    start = np.mean([run["stats"][0, :-1, 0] for run in runs], axis=0)
    parts = []
    for layer in range(means.shape[1]):
        low, high = means[:, layer].min(), means[:, layer].max()
        parts.append(f"layer {layer + 1} starts near {start[layer]:.2f} and stays between "
                     f"{low:.2f} and {high:.2f}")
    return "; ".join(parts)


def _top_layer(runs):
    top = [run["stats"][:, -1, 0] for run in runs]
    lowest_update = max(int(run["updates"][np.argmin(t)]) for run, t in zip(runs, top))
    return (f"the top hidden layer's mean falls from about {np.mean([t[0] for t in top]):.2f} "
            f"to at most {max(t.min() for t in top):.2f}, by update {lowest_update} at the "
            f"latest, then rises again to {min(t[-1] for t in top):.2f} or more by the end")


def _saturation_alt(runs):
    return (f"Mean of the sigmoid activations of {HIDDEN_LAYERS} hidden layers during "
            f"training, with bands for their standard deviation, first network. In it "
            f"{_top_layer(runs[:1])}. The lower layers move without saturating: "
            f"{_lower_layers(runs[:1])}.")


# --8<-- [start:saturation-during-training]
@figure("saturation-during-training", experiment=saturation_runs,
        alt=_saturation_alt,
        caption=f"Glorot & Bengio's saturation experiment on the digits: mean (lines) and "
                f"standard deviation (bands, cut at the sigmoid's range 0 to 1) of each hidden "
                f"layer's sigmoid activations on "
                f"{PROBE} fixed images during training ({HIDDEN_LAYERS} × {WIDTH} units, "
                f"standard initialisation, softmax output, mini-batches of {BATCH}, learning "
                f"rate {LEARNING_RATE:g}; the first of {NETWORKS} networks, seed {SEED}).",
        shows=("snippets/core/networks.py:train_sgd",))
def saturation_during_training(runs):
    """Mean and spread of each hidden layer's activations during training, first network
    (figure saturation-during-training)."""
    fig, ax = style.new_figure()
    run = runs[0]
    for layer, color in zip(range(HIDDEN_LAYERS), style.colors()):
        mean, spread = run["stats"][:, layer, 0], run["stats"][:, layer, 1]
        # A sigmoid's output lies in [0, 1]: the band is cut there rather than drawn below 0.
        ax.fill_between(run["updates"], np.clip(mean - spread, 0, 1),
                        np.clip(mean + spread, 0, 1), color=color, alpha=0.15, lw=0)
        ax.plot(run["updates"], mean, color=color, label=f"layer {layer + 1}")
    ax.set(xlabel="mini-batch updates", ylabel="activation value", ylim=(0, 1.0))
    # The key sits above the plot, where it covers no band.
    fig.legend(loc="outside upper center", ncols=2 if style.narrow() else HIDDEN_LAYERS)
    return fig
# --8<-- [end:saturation-during-training]


@quoted("saturation-table")
def _saturation_table():
    rows = [[str(index), f"{run['start']:.3f}",
             f"{run['lowest']:.3f} at update {run['lowest_update']}", f"{run['end']:.3f}",
             f"{100 * run['accuracy']:.1f} %"]
            for index, run in enumerate(top_layer_summary(), start=1)]
    (start, start_sd), (lowest, lowest_sd), (update, update_sd), (end, end_sd), \
        (accuracy, accuracy_sd) = (over_networks(key) for key in
                                   ("start", "lowest", "lowest_update", "end", "accuracy"))
    rows.append(["mean ± sd", f"{start:.3f} ± {start_sd:.3f}",
                 f"{lowest:.3f} ± {lowest_sd:.3f} at update {update:.0f} ± {update_sd:.0f}",
                 f"{end:.3f} ± {end_sd:.3f}",
                 f"{100 * accuracy:.1f} ± {100 * accuracy_sd:.1f} %"])
    return markdown_table(["network", "top layer mean at start", "lowest mean", "at the end",
                           "training accuracy at the end"], rows, align="rrrrr")


@quoted("saturation-networks")
def _networks():
    return str(NETWORKS)


@quoted("saturation-top-layer")
def _top_layer_all():
    return _top_layer(saturation_runs())


@quoted("saturation-lower-layers")
def _lower_layers_all():
    return _lower_layers(saturation_runs())
