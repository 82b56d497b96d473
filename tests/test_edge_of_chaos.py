"""Chapter 5's experiments against the mean-field theory: simulated networks over several seeds,
with margins taken from the seed-to-seed spread."""

import math

import numpy as np
import pytest

from snippets.core import mean_field
from snippets.experiments.edge_of_chaos import (
    depth_scale,
    gradient_scaling,
    length_map,
    phase_diagram,
)


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
    """The seed mean of the fitted per-layer slope of ln‖δ^l‖² matches ln χ₁ within four
    standard errors plus 0.01 (finite-width bias); the standard error comes from the seed
    spread pooled over each activation's settings (four seeds alone give an unstable one).
    The margin is decisive: at 0.8× and 1.25× the critical σ_w² it is less than half of
    |ln χ₁|, so level gradients (slope 0) would fail there; and away from the line every seed
    has the sign of ln χ₁."""
    runs = gradient_scaling.gradient_norms()
    for name in gradient_scaling.BIAS_VARIANCE:
        mine = [run for run in runs if run[0] == name]
        slopes = [gradient_scaling.measured_slope(logs) for *_, logs in mine]
        pooled = math.sqrt(np.mean([s.var(ddof=1) for s in slopes]))
        margin = 4 * pooled / math.sqrt(slopes[0].size) + 0.01
        for multiple, (_, weight_variance, predicted, _), measured in zip(
                gradient_scaling.MULTIPLES, mine, slopes):
            assert abs(measured.mean() - predicted) <= margin, (name, weight_variance)
            if multiple != 1.0:
                assert margin < 0.5 * abs(predicted), (name, multiple, margin, predicted)
                assert np.all(np.sign(measured) == np.sign(predicted)), (name, weight_variance)


def _scipy_tanh_critical(bias_variance):
    """The critical σ_w² of tanh by scipy alone (the oracle; no code shared with mean_field):
    q* and χ₁ by adaptive quadrature, both roots by Brent's method."""
    from scipy import integrate, optimize

    def gaussian(function):
        return integrate.quad(lambda z: function(z) * math.exp(-z * z / 2) / math.sqrt(2 * math.pi),
                              -12, 12, limit=200, epsabs=1e-15, epsrel=1e-13)[0]

    def chi(weight_variance):
        q_star = optimize.brentq(
            lambda q: weight_variance * gaussian(lambda z: math.tanh(math.sqrt(q) * z) ** 2)
            + bias_variance - q, 1e-9, 100, xtol=1e-15)
        return weight_variance * gaussian(lambda z: math.cosh(math.sqrt(q_star) * z) ** -4)

    return optimize.brentq(lambda s: chi(s) - 1, 1.0 + 1e-9, 8.0, xtol=1e-13)


def test_tanh_critical_line_starts_at_one_and_rises():
    """The line χ₁ = 1 of the phase diagram against an independent integrator (scipy's
    adaptive quadrature and root finder) at two bias variances, the closed form at σ_b² = 0,
    and monotone in between; the χ₁ grid left and right of it on the right sides."""
    for bias_variance in (0.05, 0.3):
        assert mean_field.critical_weight_variance("tanh", bias_variance) == \
            pytest.approx(_scipy_tanh_critical(bias_variance), rel=1e-7)
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


def test_length_map_converges_geometrically_with_bias_and_as_a_power_law_without():
    """With σ_b² = 0.05 the distance to q* shrinks each layer by the map's slope at q*
    (a finite difference of the map: the oracle), so within a few layers. At tanh's critical
    point without biases the slope at q* = 0 is exactly 1, and the series
    tanh(x)² = x² − (2/3)x⁴ + … gives 1/q^{l+1} = 1/q^l + 2 + O(q): q^l ≈ 1/(2l), a power law;
    the squared gradient, multiplied by χ ≈ 1 − 2q^l ≈ 1 − 1/l per layer, falls like 1/L."""
    for weight_variance in (0.8, 4.0):
        q_star = mean_field.fixed_point("tanh", weight_variance, 0.05)
        step = 1e-6 * q_star
        slope = (mean_field.length_map("tanh", q_star + step, weight_variance, 0.05)
                 - mean_field.length_map("tanh", q_star - step, weight_variance, 0.05)) / (2 * step)
        lengths = mean_field.length_sequence("tanh", 4.0, weight_variance, 0.05, 8)
        gaps = np.abs(lengths - q_star)
        assert slope < 0.7
        assert gaps[-1] / gaps[-2] == pytest.approx(slope, rel=0.05)
        assert gaps[-1] < 0.02 * q_star
    lengths, factors = length_map.marginal_tanh()
    depth = length_map.MARGINAL_DEPTH
    assert lengths[-1] * 2 * depth == pytest.approx(1.0, abs=0.05)  # not within a few layers
    assert lengths[-1] > 0.005
    logs = np.cumsum(np.log(factors))
    # Power law 1/L: doubling the depth halves the gradient (an exponential would square it).
    assert logs[-1] - logs[depth // 2 - 1] == pytest.approx(-math.log(2), abs=0.05)
    assert -2.0 < logs[-1] / math.log(10) < -1.6


def test_gradient_scale_is_the_shorter_in_the_chaotic_phase_and_equal_in_the_ordered():
    """Figure 5.4's grid: ξ_c = ξ left of each critical point (to 1e-9), ξ < ξ_c right of it,
    as the page says."""
    for xi, xi_c, critical in depth_scale.depth_scales().values():
        ordered = depth_scale.WEIGHT_VARIANCES < critical * (1 - 1e-6)
        chaotic = depth_scale.WEIGHT_VARIANCES > critical * (1 + 1e-6)
        assert np.allclose(xi[ordered], xi_c[ordered], rtol=1e-9)
        assert np.all(xi[chaotic] < xi_c[chaotic])
