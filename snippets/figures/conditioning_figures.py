"""Figures and numbers on elongated versus round costs (chapter 2)."""

import functools

import numpy as np

from snippets.core import optimisation as opt
from snippets.figures import style
from snippets.figures.registry import figure, quoted

ROUND = np.array([1.0, 1.0])
ELONGATED = np.array([1.0, 25.0])
FLAT_ROUND = np.array([0.04, 0.04])   # round, but every gradient 25 times smaller
START = np.array([-1.8, 0.9])
TOLERANCE = 1e-6


@functools.lru_cache(maxsize=1)
def descent_paths():
    """Paths of gradient descent at each cost's best step η* = 2/(λ_min + λ_max)."""
    paths = {}
    for name, curvatures in [("round", ROUND), ("elongated", ELONGATED)]:
        rate = opt.best_learning_rate(curvatures)
        steps = opt.steps_to_tolerance(curvatures, START, rate, TOLERANCE)
        paths[name] = {"curvatures": curvatures, "rate": rate, "steps": steps,
                       "path": opt.gradient_descent_path(curvatures, START, rate, min(steps, 40))}
    return paths


# --8<-- [start:elongated-versus-round]
@figure("elongated-versus-round", data=descent_paths,
        alt="Two contour plots of a quadratic cost with a gradient descent path from the same "
            "start. Left: circular contours, the path jumps to the minimum in one step. Right: "
            "contours stretched 5 to 1, the path zig-zags across the narrow valley and needs "
            "dozens of steps.",
        caption="Gradient descent on $J(\\theta) = \\frac12(\\lambda_1\\theta_1^2 + "
                "\\lambda_2\\theta_2^2)$ from the same start, each with its best fixed step "
                "$\\eta^* = 2/(\\lambda_{\\min} + \\lambda_{\\max})$. Round cost "
                "($\\kappa = 1$, left) against elongated cost ($\\kappa = 25$, right); the "
                "titles give the steps needed to divide the cost by $10^6$.",
        shows=("snippets/core/optimisation.py:gradient_descent_path",))
def elongated_versus_round(paths):
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
        ax.set(title=f"{name}: κ = {l2 / l1:g}, {run['steps']} step"
                     f"{'s' if run['steps'] > 1 else ''}",
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
    return str(opt.predicted_steps(ELONGATED, TOLERANCE))


@quoted("flat-round-steps-fixed-rate")
def _flat_round_fixed():
    # The flat bowl with the step that suited the steep round bowl: gradients 25× smaller.
    return str(opt.steps_to_tolerance(FLAT_ROUND, START, opt.best_learning_rate(ROUND),
                                      TOLERANCE))


@quoted("flat-round-steps-own-rate")
def _flat_round_own():
    return str(opt.steps_to_tolerance(FLAT_ROUND, START, opt.best_learning_rate(FLAT_ROUND),
                                      TOLERANCE))


@quoted("elongated-max-stable-rate")
def _max_stable():
    return f"{2 / ELONGATED.max():g}"
