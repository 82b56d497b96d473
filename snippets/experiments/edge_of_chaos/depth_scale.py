"""The depth scale ξ = 1/|ln χ₁| of tanh networks across the edge of chaos: how many layers it
takes gradients to shrink or grow by a factor e, for a few bias variances (figure 5.4)."""

import numpy as np

from snippets.core import mean_field
from snippets.experiments import experiment

ACTIVATION = "tanh"
BIAS_VARIANCES = (0.01, 0.05, 0.3)
WEIGHT_VARIANCES = np.geomspace(0.5, 8.0, 121)
SHRINK_DECADES = 6  # a gradient a million times smaller than at the top counts as lost


@experiment
def depth_scales():
    """{σ_b²: (ξ at each of WEIGHT_VARIANCES, critical σ_w²)}."""
    return {b: (np.array([mean_field.depth_scale(mean_field.chi_1(ACTIVATION, s, b))
                          for s in WEIGHT_VARIANCES]),
                mean_field.critical_weight_variance(ACTIVATION, b))
            for b in BIAS_VARIANCES}
