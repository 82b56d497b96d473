"""Figure checking the linear-regime variance recursion of Xu, Huang & Li (2016) against
simulated affine networks: figure variance-recursion of chapter 3
(initialisation-and-variance.md)."""

import numpy as np

from snippets.experiments.initialisation_and_variance.variance_recursion import (
    CASES,
    COMPENSATED_GAIN,
    DEPTH,
    REPETITIONS,
    SEED,
    STANDARD_ERRORS,
    WIDTH,
    recursion_runs,
)
from snippets.figures import style
from snippets.figures.registry import figure


# --8<-- [start:variance-recursion]
@figure("variance-recursion", experiment=recursion_runs,
        alt=f"Activation variance against layer on a logarithmic axis for {len(CASES)} deep "
            "networks with affine activations. Measured points follow the predicted lines: the "
            "sigmoid-like unit with unit weight variance settles at a small constant, with "
            f"{COMPENSATED_GAIN:g} times the weight variance it grows steadily, and the "
            "tanh-like unit keeps the variance of its inputs.",
        caption=f"The linear-regime recursion $\\mathrm{{Var}}[a^i] = \\alpha^2 n\\sigma^2 "
                f"(\\mathrm{{Var}}[a^{{i-1}}] + \\beta^2)$ (lines) against simulated deep "
                f"networks with the affine activation $f(s) = \\alpha s + \\beta$ (dots: mean "
                f"of {REPETITIONS} networks, seed {SEED}; bars: ±{STANDARD_ERRORS} standard "
                f"errors; width {WIDTH}, inputs $\\mathcal N(0, 1)$).",
        shows=("snippets/core/variance.py:predicted_forward_variance",
               "snippets/core/variance.py:simulate_variances"))
def variance_recursion(runs):
    """Predicted against simulated activation variance per layer, for each affine case
    (figure variance-recursion)."""
    fig, ax = style.new_figure()
    layers = np.arange(DEPTH + 1)
    for color, (label, (predicted, measured, error)) in zip(style.colors(), runs.items()):
        ax.plot(layers, predicted, color=color, lw=1.5, label=label)
        ax.errorbar(layers, measured, yerr=error, fmt="o", color=color, ms=4, capsize=2)
    ax.set(yscale="log", xlabel="layer i", ylabel=r"Var$[a^i]$")
    style.legend(ax, loc="center right", fontsize=style.SMALL_TEXT)
    return fig
# --8<-- [end:variance-recursion]
