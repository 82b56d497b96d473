"""The two depth scales of tanh networks across the edge of chaos (figure 5.4): ξ = 1/|ln χ₁|,
over which gradients shrink or grow by a factor e, and ξ_c = −1/ln χ_c, over which the
correlation of two inputs settles at its fixed point — the scale Schoenholz et al. (2017) found
to bound the depth of trainable networks (L ≲ 6 ξ_c)."""

import numpy as np

from snippets.core import mean_field
from snippets.experiments import experiment

ACTIVATION = "tanh"
BIAS_VARIANCES = (0.01, 0.05, 0.3)
WEIGHT_VARIANCES = np.geomspace(0.5, 8.0, 121)
SHRINK_DECADES = 6  # a gradient a million times smaller than at the top counts as lost
TRAINABLE_MULTIPLE = 6  # Schoenholz et al.: random networks train up to about 6 ξ_c layers
COMPARED_BIAS_VARIANCE = 0.05  # the σ_b² at which the page compares the scales
COMPARED_WEIGHT_VARIANCES = (2.5, 4.0)  # two chaotic points there


@experiment
def depth_scales():
    """{σ_b²: (ξ at each of WEIGHT_VARIANCES, ξ_c at each, critical σ_w²)}."""
    results = {}
    for b in BIAS_VARIANCES:
        gradient = [mean_field.depth_scale(mean_field.chi_1(ACTIVATION, s, b))
                    for s in WEIGHT_VARIANCES]
        correlation = [mean_field.correlation_depth_scale(ACTIVATION, s, b)
                       for s in WEIGHT_VARIANCES]
        results[b] = (np.array(gradient), np.array(correlation),
                      mean_field.critical_weight_variance(ACTIVATION, b))
    return results


@experiment
def compared_scales():
    """[(σ_w², ξ, ξ_c, c*)] at COMPARED_BIAS_VARIANCE, for the page's comparison."""
    rows = []
    for s in COMPARED_WEIGHT_VARIANCES:
        _, c_star, slope = mean_field.correlation_fixed_point(ACTIVATION, s,
                                                              COMPARED_BIAS_VARIANCE)
        rows.append((s, mean_field.depth_scale(mean_field.chi_1(ACTIVATION, s,
                                                                COMPARED_BIAS_VARIANCE)),
                     mean_field.depth_scale(slope), c_star))
    return rows
