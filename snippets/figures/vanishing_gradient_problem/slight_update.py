"""Numbers quoted in chapter 2 (vanishing-gradient-problem.md) on how much a slight change of
a deep ReLU network's weights can change its output."""

from snippets.experiments.vanishing_gradient_problem.slight_update import (
    HIDDEN_LAYERS,
    SEEDS,
    slight_updates,
)
from snippets.figures.registry import quoted


@quoted("slight-update-worst")
def _worst():
    runs = slight_updates()
    small, large = runs[0.001][:, 1], runs[0.01][:, 1]
    return (f"moving each weight matrix of the same {HIDDEN_LAYERS}-layer network by 1 % of its "
            f"own size, in the direction that most increases the output, multiplies the output "
            f"by {large.min():,.0f} to {large.max():,.0f} ({SEEDS} networks); by 0.1 %, still "
            f"by {small.min():.1f} to {small.max():.1f}")
