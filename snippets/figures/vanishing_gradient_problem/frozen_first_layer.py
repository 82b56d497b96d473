"""Numbers quoted in chapter 2 (vanishing-gradient-problem.md) on what an untrained first layer
costs the layers above it."""

from snippets.experiments.vanishing_gradient_problem.frozen_first_layer import (
    EPOCHS,
    RECORD_EPOCHS,
    SEEDS,
    SIZES,
    frozen_runs,
)
from snippets.figures.registry import quoted


@quoted("frozen-first-layer-sizes")
def _sizes():
    return "–".join(str(size) for size in SIZES)


@quoted("frozen-first-layer-summary")
def _summary():
    runs = frozen_runs()
    full, frozen = runs["every layer trains"], runs["first layer frozen"]

    def at(index):
        return (f"{100 * frozen[:, index].mean():.0f} % against "
                f"{100 * full[:, index].mean():.0f} %")

    return (f"after {RECORD_EPOCHS} epochs the held-out accuracy is {at(1)} when every layer "
            f"trains, after {EPOCHS} epochs {at(-1)} (means of {SEEDS} seeds; chance is 10 %)")
