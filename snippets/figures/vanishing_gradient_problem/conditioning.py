"""Figure and numbers on elongated versus round costs: figure 2.1 of chapter 2
(vanishing-gradient-problem.md)."""

import math

import numpy as np

from snippets.core import optimisation as opt
from snippets.experiments.vanishing_gradient_problem.conditioning import (
    ELONGATED,
    ROUND,
    TOLERANCE,
    descent_paths,
    flat_round_steps,
    max_stable_rate,
    predicted_elongated_steps,
)
from snippets.figures import style
from snippets.figures.registry import figure, quoted

_KAPPA_ROUND = opt.condition_number(ROUND)
_KAPPA_ELONGATED = opt.condition_number(ELONGATED)
_DIVIDED_BY = round(-math.log10(TOLERANCE))   # the cost is divided by 10^this


def _steps(count):
    return f"{count} step{'s' if count != 1 else ''}"


# --8<-- [start:elongated-versus-round]
@figure("elongated-versus-round", experiment=descent_paths,
        alt=lambda paths: (
            f"Two contour plots of a quadratic cost with a gradient descent path from the same "
            f"start. Left: circular contours, the path reaches the minimum in "
            f"{_steps(paths['round']['steps'])}. Right: contours stretched "
            f"{math.sqrt(_KAPPA_ELONGATED):g} to 1, the path zig-zags across the narrow valley "
            f"and needs {_steps(paths['elongated']['steps'])}."),
        caption=f"Gradient descent on $J(\\theta) = \\frac12(\\lambda_1\\theta_1^2 + "
                f"\\lambda_2\\theta_2^2)$ from the same start, each with its best fixed step "
                f"$\\eta^* = 2/(\\lambda_{{\\min}} + \\lambda_{{\\max}})$. Round cost "
                f"($\\kappa = {_KAPPA_ROUND:g}$, left) against elongated cost "
                f"($\\kappa = {_KAPPA_ELONGATED:g}$, right); the titles give the steps needed "
                f"to divide the cost by $10^{{{_DIVIDED_BY}}}$.",
        shows=("snippets/core/optimisation.py:gradient_descent_path",))
def elongated_versus_round(paths):
    """Descent paths on the round and the elongated bowl, each at its best step (figure 2.1)."""
    fig, axes = style.new_figure(style.DOUBLE, panels=2)
    grid = np.linspace(-2.2, 2.2, 201)
    t1, t2 = np.meshgrid(grid, grid)
    for ax, (name, run) in zip(axes, paths.items()):
        l1, l2 = run["curvatures"]
        cost = 0.5 * (l1 * t1 ** 2 + l2 * t2 ** 2)
        ax.contour(t1, t2, cost, levels=np.geomspace(0.01, 30, 12), colors=style.muted(),
                   linewidths=0.7)
        path = run["path"]
        ax.plot(path[:, 0], path[:, 1], "o-", color=style.colors()[1], ms=3, lw=1.4)
        ax.plot([0], [0], "*", color=style.colors()[0], ms=11)
        ax.set(title=f"{name}: κ = {l2 / l1:g}, {_steps(run['steps'])}",
               xlabel=r"$\theta_1$", ylabel=r"$\theta_2$", aspect="equal",
               xlim=(-2.2, 2.2), ylim=(-1.2, 1.2))
        ax.grid(False)
    return fig
# --8<-- [end:elongated-versus-round]


@quoted("round-steps")
def _round_steps():
    return str(descent_paths()["round"]["steps"])


@quoted("elongated-steps")
def _elongated_steps():
    return str(descent_paths()["elongated"]["steps"])


@quoted("elongated-predicted-steps")
def _elongated_predicted():
    return str(predicted_elongated_steps())


@quoted("flat-round-steps-fixed-rate")
def _flat_round_fixed():
    return str(flat_round_steps()["fixed rate"])


@quoted("flat-round-steps-own-rate")
def _flat_round_own():
    return str(flat_round_steps()["own rate"])


@quoted("elongated-max-stable-rate")
def _max_stable():
    return f"{max_stable_rate():g}"
