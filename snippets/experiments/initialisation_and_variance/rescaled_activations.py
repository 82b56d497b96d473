"""Xu, Huang & Li's (2016) fixes for the sigmoid's linear regime, next to σ and tanh (chapter
3, "Initialisation and variance", figure rescaled-activations): the rescaled sigmoid
4σ(x) − 2 and penalized tanh, and their derivatives, on one grid."""

import numpy as np

from snippets.core import activations as act
from snippets.experiments import experiment

X_RANGE = (-6.0, 6.0)
POINTS = 601
PENALTY = 0.25                    # penalized tanh's factor on the negative side (Xu et al.)


@experiment
def rescaled_curves():
    """{"x": grid, "functions": {legend label: (f(x), f′(x))}}."""
    x = np.linspace(*X_RANGE, POINTS)
    return {"x": x, "functions": {
        "sigmoid σ": (act.sigmoid(x), act.sigmoid_derivative(x)),
        "tanh": (act.tanh(x), act.tanh_derivative(x)),
        "rescaled sigmoid 4σ − 2": (act.rescaled_sigmoid(x), act.rescaled_sigmoid_derivative(x)),
        f"penalized tanh ({PENALTY:g})": (act.penalized_tanh(x, PENALTY),
                                          act.penalized_tanh_derivative(x, PENALTY)),
    }}
