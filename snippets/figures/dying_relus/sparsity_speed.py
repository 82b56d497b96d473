"""The sentence that decides whether ReLU's sparsity speeds up training (chapter 4,
dying-relus.md), generated from the paired ReLU / leaky ReLU runs."""

import numpy as np

from snippets.experiments.dying_relus.digits_training import BATCH
from snippets.experiments.dying_relus.sparsity_speed import (
    EPOCHS,
    LEARNING_RATE,
    SEEDS,
    SIZES,
    loss_area,
    sparsity_speed_runs,
)
from snippets.figures.formatting import mean_and_sd
from snippets.figures.registry import quoted

RESOLVED_STANDARD_ERRORS = 3  # a paired difference counts only beyond 3 standard errors


@quoted("sparsity-speed-summary")
def _sparsity_speed_summary():
    runs = sparsity_speed_runs()
    relu, leaky = runs["ReLU"], runs["leaky ReLU 0.01"]
    difference = loss_area(relu["loss"]) - loss_area(leaky["loss"])
    standard_error = difference.std(ddof=1) / np.sqrt(SEEDS)
    if abs(difference.mean()) <= RESOLVED_STANDARD_ERRORS * standard_error:
        verdict = "no difference that the seeds resolve"
    elif difference.mean() > 0:
        verdict = "ReLU's loss is the higher one: the sparse network trains more slowly"
    else:
        verdict = "ReLU's loss is the lower one"
    width = "–".join(str(size) for size in SIZES)
    return (
        f"We trained a {width} network with ReLU and with leaky ReLU (slope 0.01), from the "
        f"same initial weights and mini-batch order in each of {SEEDS} seeds ({EPOCHS} epochs "
        f"of SGD, learning rate {LEARNING_RATE:g}, batches of {BATCH} digits). After training, "
        f"{100 * relu['zeros'].mean():.0f} ± {100 * relu['zeros'].std(ddof=1):.0f} % of "
        f"ReLU's hidden activations are exactly 0 and {100 * leaky['zeros'].max():.0f} % of "
        f"leaky ReLU's. "
        f"The mean training loss over the {EPOCHS} epochs (lower for faster convergence) is "
        f"{mean_and_sd(loss_area(relu['loss']), digits=3)} with ReLU and "
        f"{mean_and_sd(loss_area(leaky['loss']), digits=3)} with leaky ReLU; seed by seed, "
        f"ReLU minus leaky ReLU is {mean_and_sd(difference, digits=4)}: {verdict}.")


@quoted("sparsity-speed-difference")
def _sparsity_speed_difference():
    runs = sparsity_speed_runs()
    difference = (loss_area(runs["ReLU"]["loss"])
                  - loss_area(runs["leaky ReLU 0.01"]["loss"]))
    return f"{mean_and_sd(difference, digits=4)} (ReLU minus leaky ReLU, seed by seed)"


@quoted("sparsity-control-off-share")
def _sparsity_control_off_share():
    runs = sparsity_speed_runs()
    relu, leaky = runs["ReLU"], runs["leaky ReLU 0.01"]
    return (f"{100 * leaky['off'].mean():.0f} ± {100 * leaky['off'].std(ddof=1):.0f} % of leaky "
            f"ReLU's hidden units sit on the negative side after training (ReLU: "
            f"{100 * relu['off'].mean():.0f} ± {100 * relu['off'].std(ddof=1):.0f} % exactly 0)")


@quoted("sparsity-speed-seeds")
def _sparsity_speed_seeds():
    return str(SEEDS)
