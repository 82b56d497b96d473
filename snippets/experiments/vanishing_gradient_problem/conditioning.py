"""Gradient descent on a round and on an elongated quadratic cost, each at its best fixed step,
and on a round cost whose gradients are all 25 times smaller: the condition number, not the
size of the gradients, sets the number of steps (chapter 2, figure 2.1). Deterministic."""

import numpy as np

from snippets.core import optimisation as opt
from snippets.core.validation import require_array
from snippets.experiments import experiment

ROUND = np.array([1.0, 1.0])          # curvatures λ_i of J(θ) = ½ Σ λ_i θ_i²
ELONGATED = np.array([1.0, 25.0])
FLAT_ROUND = np.array([0.04, 0.04])   # round, but every gradient 25 times smaller
START = np.array([-1.8, 0.9])
TOLERANCE = 1e-6                      # stop once J(θ_k) ≤ TOLERANCE · J(θ_0)
PATH_STEPS_SHOWN = 40                 # iterates kept for drawing


@experiment
def descent_paths():
    """{"round" | "elongated": {"curvatures", "rate" η* = 2/(λ_min + λ_max), "steps" to reach
    TOLERANCE, "path" of the first iterates (at most PATH_STEPS_SHOWN steps)}}."""
    paths = {}
    for name, curvatures in [("round", ROUND), ("elongated", ELONGATED)]:
        rate = opt.best_learning_rate(curvatures)
        steps = opt.steps_to_tolerance(curvatures, START, rate, TOLERANCE)
        paths[name] = {"curvatures": curvatures, "rate": rate, "steps": steps,
                       "path": opt.gradient_descent_path(curvatures, START, rate,
                                                         min(steps, PATH_STEPS_SHOWN))}
    return paths


@experiment
def flat_round_steps():
    """Steps the flat round cost needs: {"fixed rate": with the step that suited ROUND,
    "own rate": with its own best step}."""
    return {"fixed rate": opt.steps_to_tolerance(FLAT_ROUND, START,
                                                 opt.best_learning_rate(ROUND), TOLERANCE),
            "own rate": opt.steps_to_tolerance(FLAT_ROUND, START,
                                               opt.best_learning_rate(FLAT_ROUND), TOLERANCE)}


def predicted_elongated_steps():
    """Steps the worst-case rate (κ − 1)/(κ + 1) predicts for the elongated cost."""
    return opt.predicted_steps(ELONGATED, TOLERANCE)


def max_stable_rate(curvatures=ELONGATED):
    """The largest step for which descent still converges, 2/λ_max."""
    curvatures = require_array("curvatures", curvatures, ndim=1, minimum=opt.CURVATURE_RANGE[0],
                               maximum=opt.CURVATURE_RANGE[1])
    return 2.0 / float(np.max(curvatures))
