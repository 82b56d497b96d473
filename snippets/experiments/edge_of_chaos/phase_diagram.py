"""The order-to-chaos phase diagram of tanh networks: χ₁ over (σ_w², σ_b²) with its critical
line χ₁ = 1 (figure 5.2, after Poole et al. 2016 and Schoenholz et al. 2017), and the critical
points of every activation at a few bias variances (the table under it)."""

import numpy as np

from snippets.core import mean_field
from snippets.experiments import experiment

DIAGRAM_ACTIVATION = "tanh"
DIAGRAM_WEIGHT_VARIANCES = np.linspace(0.25, 4.0, 61)
DIAGRAM_BIAS_VARIANCES = np.linspace(0.0, 0.5, 26)
LINE_BIAS_VARIANCES = 0.5 * np.linspace(0.0, 1.0, 26) ** 2  # denser near 0, where it bends

TABLE_ACTIVATIONS = ("tanh", "penalized_tanh", "sigmoid", "relu", "leaky_relu")
TABLE_BIAS_VARIANCES = (0.0, 0.05, 0.3)
# Their length map is linear, q ↦ σ_w²(1 + α²)q/2 + σ_b², and χ does not depend on q: on the
# critical line q^l = q^0 + l·σ_b², so there is no finite fixed point unless σ_b² = 0.
RECTIFIERS = ("relu", "leaky_relu")


@experiment
def chi_1_grid():
    """(χ₁ on the grid, shape (len(DIAGRAM_BIAS_VARIANCES), len(DIAGRAM_WEIGHT_VARIANCES));
    the critical σ_w² at each of LINE_BIAS_VARIANCES)."""
    chi = np.array([[mean_field.chi_1(DIAGRAM_ACTIVATION, s, b)
                     for s in DIAGRAM_WEIGHT_VARIANCES] for b in DIAGRAM_BIAS_VARIANCES])
    line = np.array([mean_field.critical_weight_variance(DIAGRAM_ACTIVATION, b)
                     for b in LINE_BIAS_VARIANCES])
    return chi, line


@experiment
def critical_points():
    """{activation: [(σ_b², critical σ_w², q* there (None for the rectifiers), share of weak
    units there)]}."""
    table = {}
    for name in TABLE_ACTIVATIONS:
        rows = []
        for bias_variance in TABLE_BIAS_VARIANCES:
            critical = mean_field.critical_weight_variance(name, bias_variance)
            if name in RECTIFIERS:
                q_star, weak = None, mean_field.weak_derivative_share(name, 1.0)  # any q > 0
            else:
                q_star = mean_field.fixed_point(name, critical, bias_variance)
                weak = mean_field.weak_derivative_share(name, q_star)
            rows.append((bias_variance, critical, q_star, weak))
        table[name] = rows
    return table
