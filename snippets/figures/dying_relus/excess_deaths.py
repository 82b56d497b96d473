"""The sentence that decides whether excessive unit deaths harm learning (chapter 4,
dying-relus.md), generated from the runs with a chosen share of units dead."""

from snippets.experiments.dying_relus.digits_training import EPOCHS, SEEDS
from snippets.experiments.dying_relus.excess_deaths import (
    DEAD_SHARES,
    LEARNING_RATE,
    excess_death_runs,
)
from snippets.figures.formatting import mean_and_sd
from snippets.figures.registry import quoted


@quoted("excess-deaths-accuracy")
def _excess_deaths_accuracy():
    runs = excess_death_runs()
    arms = "; ".join(
        f"{100 * share:.0f} % dead: {mean_and_sd(runs[share]['accuracy'], digits=0, scale=100)} %"
        for share in DEAD_SHARES)
    return (f"held-out accuracy after {EPOCHS} epochs at learning rate {LEARNING_RATE:g}, "
            f"mean ± standard deviation over {SEEDS} seeds — {arms}")
