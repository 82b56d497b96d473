"""Numbers quoted in chapter 2 (vanishing-gradient-problem.md) on small steps and local
minima: where gradient descent ends on a cost with two minima, for each step size."""

import numpy as np

from snippets.experiments.vanishing_gradient_problem.double_well import (
    START,
    STEPS,
    TILT,
    double_well_runs,
)
from snippets.figures.registry import quoted


@quoted("double-well-summary")
def _double_well_summary():
    runs = double_well_runs()
    ends = []
    for rate, final, value in zip(runs["rates"], runs["final"], runs["cost"]):
        where = ("diverges" if np.isnan(final)
                 else f"ends at $\\theta$ = {_signed(final)} ($J$ = {_signed(value)})")
        ends.append(f"step {rate:g} {where}")
    return (f"on $J(\\theta) = (\\theta^2 - 1)^2 + {TILT}\\,\\theta$, started at "
            f"$\\theta = {START:g}$ and run for {STEPS:,} steps: " + "; ".join(ends))


def _signed(value):
    return f"{value:.3f}".replace("-", "−")
