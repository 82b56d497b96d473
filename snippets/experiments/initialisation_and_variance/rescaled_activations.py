"""Xu, Huang & Li's (2016) fixes for the sigmoid's linear regime, next to σ and tanh (chapter
3, "Initialisation and variance", figure rescaled-activations): the rescaled sigmoid
4σ(z) − 2 and penalized tanh, and their derivatives, on one grid."""

import numpy as np

from snippets.core import activations as act
from snippets.experiments import experiment

Z_RANGE = (-6.0, 6.0)
POINTS = 601
PENALTY = 0.25                    # penalized tanh's factor on the negative side (Xu et al.)


@experiment
def rescaled_curves():
    """{"z": grid, "functions": {legend label: (f(z), f′(z))}}."""
    z = np.linspace(*Z_RANGE, POINTS)
    return {"z": z, "functions": {
        "sigmoid σ": (act.sigmoid(z), act.sigmoid_derivative(z)),
        "tanh": (act.tanh(z), act.tanh_derivative(z)),
        "rescaled sigmoid 4σ − 2": (act.rescaled_sigmoid(z), act.rescaled_sigmoid_derivative(z)),
        f"penalized tanh ({PENALTY:g})": (act.penalized_tanh(z, PENALTY),
                                          act.penalized_tanh_derivative(z, PENALTY)),
    }}
