"""Small steps and local minima (chapter 2): gradient descent on a one-dimensional cost with
two minima, J(θ) = (θ² − 1)² + TILT·θ, whose minimum near θ = −1 is the lower (global) one
and whose minimum near θ = +1 is only local. Started at START, in the local minimum's basin,
with several fixed step sizes: where does each end?"""

import numpy as np

from snippets.experiments import experiment

TILT = 0.3
START = 2.0
RATES = (0.001, 0.003, 0.01, 0.03, 0.1, 0.15, 0.2)
STEPS = 20_000
DIVERGED = 1e6            # a run that leaves |θ| ≤ DIVERGED has diverged


def _cost(theta):
    """J(θ) = (θ² − 1)² + TILT·θ."""
    return (theta ** 2 - 1) ** 2 + TILT * theta


def _slope(theta):
    """J′(θ) = 4θ(θ² − 1) + TILT."""
    return 4 * theta * (theta ** 2 - 1) + TILT


@experiment
def double_well_runs():
    """{"rates": RATES, "final": θ after STEPS steps per rate (NaN where the run diverged),
    "cost": J there}."""
    rates = np.array(RATES)
    theta = np.full(rates.shape, START)
    live = np.ones(rates.shape, dtype=bool)
    for _ in range(STEPS):
        theta = np.where(live, theta - rates * _slope(np.where(live, theta, 0.0)), theta)
        live &= np.abs(theta) <= DIVERGED
    final = np.where(live, theta, np.nan)
    return {"rates": rates, "final": final, "cost": _cost(final)}
