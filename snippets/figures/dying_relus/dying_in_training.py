"""Figure and numbers on ReLU units dying during training: figure 4.2 of chapter 4
(dying-relus.md)."""

import numpy as np

from snippets.core.data import digits_labels
from snippets.experiments.dying_relus.digits_training import BATCH, EPOCHS, SEEDS, SIZES
from snippets.experiments.dying_relus.dying_in_training import BASE_RATE, dying_runs
from snippets.figures import style
from snippets.figures.registry import figure, quoted

SHAPE = "–".join(str(size) for size in SIZES)


def _shares(shares_by_value, epoch, symbol):
    return ", ".join(f"{100 * shares[:, epoch].mean():.0f} % at {symbol} = {value:g}"
                     for value, shares in shares_by_value.items())


def _dead_units_alt(runs):
    return ("Two panels: share of hidden ReLU units inactive on every digit image after each "
            "epoch of training, mean over seeds with the range of the seeds shaded. Left, by "
            f"learning rate, the mean share after the last epoch: "
            f"{_shares(runs['rate'], -1, 'η')}. Right, by initial bias, the mean share before "
            f"training: {_shares(runs['bias'], 0, 'b')}; the more negative the bias, the more "
            "units are dead from the start.")


# --8<-- [start:dead-units-during-training]
@figure("dead-units-during-training", experiment=dying_runs,
        alt=_dead_units_alt,
        caption=f"Dead ReLU units (inactive on all {len(digits_labels())} digit images, pixels "
                f"in [0, 1]) in a {SHAPE} network, He initialisation, mini-batches of {BATCH}; "
                f"lines: mean over {SEEDS} seeds, bands: lowest to highest seed. Left: by "
                f"learning rate, zero biases. Right: by the initial value of every hidden bias, "
                f"learning rate {BASE_RATE}.",
        shows=("snippets/core/networks.py:train_sgd",
               "snippets/core/dead_networks.py:inactive_share",
               "snippets/experiments/dying_relus/digits_training.py"))
def dead_units_during_training(runs):
    """Share of dead units per epoch, by learning rate and by initial bias (figure 4.2)."""
    fig, (left, right) = style.new_figure(style.DOUBLE, panels=2)
    epochs = np.arange(EPOCHS + 1)
    for ax, sweep, symbol in ((left, "rate", "η"), (right, "bias", "b")):
        lines = []
        for color, (value, shares) in zip(style.colors(), runs[sweep].items()):
            ax.fill_between(epochs, shares.min(axis=0), shares.max(axis=0), color=color,
                            alpha=0.15, lw=0)
            lines += ax.plot(epochs, shares.mean(axis=0), "o-", ms=3, color=color,
                             label=f"{symbol} = {value:g}")
        ax.set(xlabel="epoch", ylim=(-0.03, 1.03))
        style.label_line_ends(ax, lines)
    left.set(ylabel="share of dead hidden units", title="by learning rate")
    right.set(title="by initial bias")
    return fig
# --8<-- [end:dead-units-during-training]


@quoted("dead-share-by-rate")
def _dead_by_rate():
    final = {rate: shares[:, -1] for rate, shares in dying_runs()["rate"].items()}
    return ", ".join(f"{100 * last.mean():.0f} % (± {100 * last.std(ddof=1):.0f}) at η = {rate:g}"
                     for rate, last in final.items())
