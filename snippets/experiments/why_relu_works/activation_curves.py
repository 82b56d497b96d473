"""The shapes of σ, tanh, ReLU and leaky ReLU and of their derivatives, on one grid, and the
derivatives' maxima located by grid search (chapter 1, figures 1.1, 1.2, 1.4 and 1.5)."""

import numpy as np

from snippets.core.activations import (
    ACTIVATIONS,
    derivative_peak,
    leaky_relu,
    leaky_relu_derivative,
)
from snippets.experiments import experiment

Z_RANGE = (-8.0, 8.0)
POINTS = 801
LEAKY_SLOPE_SHOWN = 0.1  # larger than the usual 0.01 so the negative side is visible


@experiment
def activation_curves():
    """φ(z) and φ′(z) on the grid for sigmoid, tanh and ReLU, leaky ReLU with slope
    LEAKY_SLOPE_SHOWN, and (argmax, max) of σ′ and tanh′."""
    z = np.linspace(*Z_RANGE, POINTS)
    curves = {"z": z}
    for name in ("sigmoid", "tanh", "relu"):
        curves[name] = ACTIVATIONS[name].function(z)
        curves[f"{name}_derivative"] = ACTIVATIONS[name].derivative(z)
    curves["leaky_relu"] = leaky_relu(z, LEAKY_SLOPE_SHOWN)
    curves["leaky_relu_derivative"] = leaky_relu_derivative(z, LEAKY_SLOPE_SHOWN)
    for name in ("sigmoid", "tanh"):
        curves[f"{name}_peak"] = derivative_peak(ACTIVATIONS[name].derivative)
    return curves
