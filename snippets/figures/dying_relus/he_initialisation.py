"""Figures and table on He initialisation, derived and trained: figures 4.5 and 4.6 of
chapter 4 (dying-relus.md)."""

import numpy as np

from snippets.experiments.dying_relus.he_initialisation import (
    DEEP_BATCH,
    DEEP_RATE,
    DEEP_SEEDS,
    DEEP_SIZES,
    LOSS_EXAMPLES,
    VARIANCE_DEPTH,
    VARIANCE_SEEDS,
    VARIANCE_SETUPS,
    VARIANCE_WIDTH,
    deep_training,
    he_variances,
)
from snippets.figures import style
from snippets.figures.formatting import markdown_table, mean_and_sd
from snippets.figures.registry import figure, quoted


# --8<-- [start:he-variance]
@figure("he-variance", experiment=he_variances,
        alt=f"Mean squared activation per layer of a {VARIANCE_DEPTH}-layer ReLU network on a "
            f"logarithmic axis: with Xavier weights it halves at every layer, following the "
            f"dashed prediction one half to the power l; with He weights it stays near its "
            f"starting value.",
        caption=f"Second moment $\\mathbb E[(a^l)^2]$ of the activations of a "
                f"{VARIANCE_DEPTH}-layer ReLU network (width {VARIANCE_WIDTH}, zero biases, "
                f"inputs $\\mathcal N(0, 1)$, mean of {VARIANCE_SEEDS} seeds). Dashed: He et "
                f"al.'s prediction $(\\tfrac12 n \\mathrm{{Var}}[w])^l$.",
        shows=("snippets/core/initialisation.py:he_std",
               "snippets/core/networks.py:activation_growth"))
def he_variance(runs):
    """E[(a^l)²] per layer under Xavier's and He's scale, with the prediction (figure 4.5)."""
    fig, ax = style.new_figure()
    layers = np.arange(VARIANCE_DEPTH + 1)
    for color, (label, values) in zip(style.colors(), runs.items()):
        factor = VARIANCE_SETUPS[label] ** 2  # ½ n Var[w] = g² for He's scale times gain g
        ax.plot(layers, values, color=color, label=label)
        ax.plot(layers, factor ** layers, "--", lw=1, color=color)
    # 𝔼 as a character: mathtext's \mathbb writes a private-use STIX code point (a box).
    ax.set(yscale="log", xlabel="layer l", ylabel=r"𝔼$[(a^l)^2]$")
    style.legend(ax, loc="lower left")
    return fig
# --8<-- [end:he-variance]


def _he_losses(curves):
    """What the He runs' losses do, in words: lowest and last loss of each seed."""
    losses = curves["He"][0]
    lowest, last = losses.min(axis=1), losses[:, -1]
    above = int(np.sum(last > np.log(10)))
    ending = (f"; {above} of the {len(last)} seeds {'ends' if above == 1 else 'end'} above "
              f"ln 10 after jumping back up" if above else "")
    return (f"every seed's loss falls below ln 10 at some epoch (lowest losses "
            f"{lowest.min():.2f} to {lowest.max():.2f}), but unevenly: the last epoch's losses "
            f"range from {last.min():.2f} to {last.max():.2f}{ending}")


def _deep_training_alt(curves):
    xavier = curves["Xavier"][0]
    flat = bool(np.all(np.abs(xavier - np.log(10)) < 0.01))
    return (f"Training loss against epochs for a {len(DEEP_SIZES) - 2}-layer plain ReLU network "
            f"on the digits, {DEEP_SEEDS} seeds per initialisation. With Xavier initialisation "
            + ("every seed stays flat at the starting loss, ln 10" if flat else
               f"the losses stay between {xavier.min():.2f} and {xavier.max():.2f}")
            + f"; with He initialisation {_he_losses(curves)}.")


# --8<-- [start:he-versus-xavier-training]
@figure("he-versus-xavier-training", experiment=deep_training,
        alt=_deep_training_alt,
        caption=f"A {len(DEEP_SIZES) - 2}-layer plain ReLU network (width {DEEP_SIZES[1]}, zero "
                f"biases) trained with mini-batch SGD (learning rate {DEEP_RATE}, batches of "
                f"{DEEP_BATCH}) on the standardised digits: the setting of He et al. (2015), "
                f"figure 3, reduced to build in seconds. Loss on {LOSS_EXAMPLES} training digits "
                f"drawn once; thin lines: each of {DEEP_SEEDS} seeds; thick: their median.",
        shows=("snippets/core/networks.py:init_network", "snippets/core/networks.py:train_sgd"))
def he_versus_xavier_training(curves):
    """Training loss per epoch of every seed, Xavier against He (figure 4.6)."""
    fig, ax = style.new_figure()
    for color, (label, (losses, _)) in zip(style.colors(), curves.items()):
        epochs = np.arange(losses.shape[1])
        for seed_losses in losses:
            ax.plot(epochs, seed_losses, color=color, lw=0.9, alpha=0.6)
        ax.plot(epochs, np.median(losses, axis=0), "o-", ms=3, color=color,
                label=f"{label} (median)")
    ax.axhline(np.log(10), color=style.muted(), lw=0.8, ls=":")
    ax.plot([], [], color=style.muted(), lw=0.8, label="one seed")  # legend entry only
    ax.set(xlabel="epoch", ylabel="training loss")
    style.legend(ax, loc="lower center", bbox_to_anchor=(0.5, 1.0), ncols=3)
    return fig
# --8<-- [end:he-versus-xavier-training]


@quoted("deep-training-table")
def _deep_table():
    rows = []
    for label, (losses, accuracy) in deep_training().items():
        rows.append([label, mean_and_sd(losses[:, 0], 3), mean_and_sd(losses.min(axis=1), 3),
                     mean_and_sd(losses[:, -1], 3), mean_and_sd(accuracy, 1, 100, " %")])
    return markdown_table(["initialisation", "loss at start", "lowest loss",
                           "loss at the end", "training accuracy at the end"], rows)


@quoted("deep-training-seeds")
def _deep_seeds():
    return str(DEEP_SEEDS)


@quoted("he-loss-behaviour")
def _he_loss_behaviour():
    return _he_losses(deep_training())


_SUPERSCRIPTS = str.maketrans("-0123456789.", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹·")


def _power_of_two(exponent):
    return "2" + f"{exponent:g}".translate(_SUPERSCRIPTS)


@quoted("xavier-output-second-moment")
def _xavier_output_second_moment():
    """Xavier halves the second moment once per ReLU layer: 2^−L over L hidden layers."""
    return _power_of_two(-(len(DEEP_SIZES) - 2))


@quoted("xavier-output-amplitude")
def _xavier_output_amplitude():
    return _power_of_two(-(len(DEEP_SIZES) - 2) / 2)
