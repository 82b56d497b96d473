"""Figure and table on standardising the inputs (LeCun et al. 1998) on the digits: figure
input-standardisation of chapter 3 (initialisation-and-variance.md)."""

from snippets.experiments.initialisation_and_variance.standardisation import (
    BATCH,
    EPOCHS,
    NETWORKS,
    RATES,
    RAW_MAX,
    SEED,
    SIZES,
    final_losses,
    standardisation_runs,
)
from snippets.figures import style
from snippets.figures.formatting import markdown_table
from snippets.figures.registry import figure, quoted


# --8<-- [start:input-standardisation]
@figure("input-standardisation", experiment=standardisation_runs,
        alt="Training loss against epochs for the same small tanh network on digit images "
            "under four preprocessings, each at its own best learning rate. Standardised and "
            "centred inputs reach a low loss fastest; raw intensities from 0 to "
            f"{RAW_MAX:g} are slowest.",
        caption=f"Training loss (cross-entropy) of a {'–'.join(map(str, SIZES))} tanh network "
                f"(Xavier initialisation, mini-batches of {BATCH}) on the digits under four "
                f"preprocessings, each at its best learning rate from "
                f"{', '.join(f'{rate:g}' for rate in RATES)} (lowest mean loss after {EPOCHS} "
                f"epochs). Lines: mean over {NETWORKS} networks (spawned from seed {SEED}); "
                f"bands: min to max.",
        shows=("snippets/core/preprocessing.py:standardise",
               "snippets/core/networks.py:train_sgd"))
def input_standardisation(runs):
    """Training loss per epoch for each preprocessing at its best rate (figure
    input-standardisation)."""
    fig, ax = style.new_figure()
    for color, (label, run) in zip(style.colors(), runs.items()):
        losses = run["losses"]
        ax.fill_between(run["epochs"], losses.min(axis=0), losses.max(axis=0), color=color,
                        alpha=0.15, lw=0)
        ax.plot(run["epochs"], losses.mean(axis=0), "o-", ms=3, color=color,
                label=f"{label} (η = {run['rate']:g})")
    ax.set(yscale="log", xlabel="epoch", ylabel="training loss")
    ax.legend(loc="upper right", fontsize=style.SMALL_TEXT)
    return fig
# --8<-- [end:input-standardisation]


@quoted("standardisation-table")
def _table():
    rows = []
    for label, run in standardisation_runs().items():
        mean, spread = final_losses(label)
        rows.append([label, f"{100 * run['same_sign']:.0f} %", f"{run['rate']:g}",
                     f"{mean:.3f} ± {spread:.3f}"])
    return markdown_table(["inputs", "examples whose non-zero inputs share one sign", "best η",
                           f"loss after {EPOCHS} epochs (mean ± sd, {NETWORKS} networks)"],
                          rows)
