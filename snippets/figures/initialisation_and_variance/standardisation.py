"""Figure and table on standardising the inputs (LeCun et al. 1998) on the digits: figure
input-standardisation of chapter 3 (initialisation-and-variance.md)."""

import numpy as np

from snippets.core.data import digits_pixels
from snippets.core.preprocessing import standardise
from snippets.core.statistics import spawn_generators
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
from snippets.figures.formatting import markdown_table, scientific
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
    lines = []
    for color, (label, run) in zip(style.colors(), runs.items()):
        losses = run["losses"]
        ax.fill_between(run["epochs"], losses.min(axis=0), losses.max(axis=0), color=color,
                        alpha=0.15, lw=0)
        lines += ax.plot(run["epochs"], losses.mean(axis=0), "o-", ms=3, color=color,
                         label=f"{label} (η = {run['rate']:g})")
    ax.set(yscale="log", xlabel="epoch", ylabel="training loss")
    if style.narrow():  # labels beside the lines would leave the curves a third of a phone
        style.legend(ax)
    else:
        style.label_line_ends(ax, lines)
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


UNIT_CHANGES_SEED, UNIT_CHANGES = 20, 5   # random changes of every pixel's unit, in [0.1, 10]


def _condition_number(inputs):
    eigenvalues = np.linalg.eigvalsh(inputs.T @ inputs / len(inputs))
    return eigenvalues[-1] / eigenvalues[0]


@quoted("centring-scales-summary")
def _centring_scales_summary():
    pixels = digits_pixels()
    pixels = pixels[:, pixels.std(axis=0) > 0]
    centred = pixels - pixels.mean(axis=0)
    spread = centred.std(axis=0)
    recentred = []
    for rng in spawn_generators(UNIT_CHANGES_SEED, UNIT_CHANGES):
        rescaled = pixels * 10.0 ** rng.uniform(-1, 1, pixels.shape[1])
        recentred.append(_condition_number(rescaled - rescaled.mean(axis=0)))
    return (f"on the {pixels.shape[1]} pixels that vary, the largest standard deviation is "
            f"{spread.max() / spread.min():.0f} times the smallest after centring, exactly as "
            f"before. The condition number of the least-squares Hessian $X^\\top X/N$ is "
            f"{scientific(_condition_number(pixels), 2)} for the raw pixels, "
            f"{scientific(_condition_number(centred), 2)} centred and "
            f"{_condition_number(standardise(pixels)):.0f} standardised; changing every "
            f"pixel's unit by a random factor between 0.1 and 10 ({UNIT_CHANGES} draws) moves "
            f"the centred inputs' to between {scientific(min(recentred), 2)} and "
            f"{scientific(max(recentred), 2)}, while the standardised inputs come out the same")
