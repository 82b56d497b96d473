"""Chapter 5's experiments against the mean-field theory: simulated networks over several seeds,
with margins taken from the seed-to-seed spread."""

import math

import numpy as np
import pytest

from snippets.core import mean_field
from snippets.experiments.edge_of_chaos import gradient_scaling, length_map, phase_diagram


def test_simulated_networks_follow_the_length_map():
    """At every layer the seed mean of q̂^l lies within five standard errors of the map's q^l,
    plus 1 % for the finite width (whose bias is O(1/N)). The relative standard error is
    pooled over the layers of a setting: four seeds alone can agree by chance at one layer."""
    for (weight_variance, start), (predicted, measured) in length_map.length_convergence().items():
        relative_error = measured.std(axis=0, ddof=1) / predicted / math.sqrt(measured.shape[0])
        pooled = math.sqrt(np.mean(relative_error[1:] ** 2))  # layer 0 is the input itself
        gap = np.abs(measured.mean(axis=0) / predicted - 1)
        assert np.all(gap <= 5 * pooled + 0.01), (weight_variance, start)
        # and it settles: by the last layer it is within 1 % of the fixed point
        q_star = mean_field.fixed_point(length_map.ACTIVATION, weight_variance,
                                        length_map.BIAS_VARIANCE)
        assert predicted[-1] == pytest.approx(q_star, rel=1e-2)


def test_gradients_scale_like_chi_1_to_the_depth():
    """The fitted per-layer slope of ln‖δ^l‖² matches ln χ₁ within five standard errors of the
    seed mean plus 0.01 (finite-width bias), and has the sign of ln χ₁ away from the line."""
    for name, weight_variance, predicted, logs in gradient_scaling.gradient_norms():
        slopes = gradient_scaling.measured_slope(logs)
        standard_error = slopes.std(ddof=1) / math.sqrt(slopes.size)
        assert abs(slopes.mean() - predicted) <= 5 * standard_error + 0.01, (name,
                                                                               weight_variance)
        if abs(predicted) > 0.05:
            assert np.all(np.sign(slopes) == np.sign(predicted)), (name, weight_variance)


def test_tanh_critical_line_starts_at_one_and_rises():
    chi, line = phase_diagram.chi_1_grid()
    assert line[0] == pytest.approx(1.0, rel=1e-6)  # closed form: χ₁ = σ_w² while q* = 0
    assert np.all(np.diff(line) > 0)
    # The grid (one method) and the bisected line (another) agree on which side is which.
    for row, bias_variance in zip(chi, phase_diagram.DIAGRAM_BIAS_VARIANCES):
        critical = mean_field.critical_weight_variance("tanh", bias_variance)
        left = phase_diagram.DIAGRAM_WEIGHT_VARIANCES < critical * (1 - 1e-6)
        right = phase_diagram.DIAGRAM_WEIGHT_VARIANCES > critical * (1 + 1e-6)
        assert np.all(row[left] < 1) and np.all(row[right] > 1)


def test_standard_initialisation_is_ordered():
    """U[±1/√n] has n·Var[w] = 1/3: without biases χ₁ = σ_w² tanh′(0)² = 1/3 exactly, and it
    stays below 1 with biases up to σ_b² = 0.5."""
    assert mean_field.chi_1("tanh", 1 / 3, 0.0) == pytest.approx(1 / 3, rel=1e-12)
    assert all(mean_field.chi_1("tanh", 1 / 3, b) < 1 for b in np.linspace(0, 0.5, 11))
