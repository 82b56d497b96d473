import math
import warnings
from fractions import Fraction

import numpy as np
import pytest

from snippets.core import activations as act
from tests.numerical import central_difference

PAIRS = {
    "sigmoid": (act.sigmoid, act.sigmoid_derivative),
    "tanh": (act.tanh, act.tanh_derivative),
    "relu": (act.relu, act.relu_derivative),
    "leaky_relu": (act.leaky_relu, act.leaky_relu_derivative),
    "leaky_relu_0.2": (lambda z: act.leaky_relu(z, 0.2),
                       lambda z: act.leaky_relu_derivative(z, 0.2)),
    "rescaled_sigmoid": (act.rescaled_sigmoid, act.rescaled_sigmoid_derivative),
    "penalized_tanh": (act.penalized_tanh, act.penalized_tanh_derivative),
}
# A wide grid that avoids the kink of ReLU at 0 by more than the finite-difference step.
GRID = np.concatenate([-np.geomspace(1e-3, 40, 400), np.geomspace(1e-3, 40, 400)])


@pytest.mark.parametrize("name", PAIRS)
def test_analytic_derivatives_match_central_differences(name):
    function, derivative = PAIRS[name]
    numeric = central_difference(function, GRID)
    np.testing.assert_allclose(derivative(GRID), numeric, rtol=1e-6, atol=1e-9)


def test_tail_derivatives_keep_relative_precision():
    # Second method: σ′(z) = σ(z)·σ(−z) and tanh′(z) = 4σ(2z)σ(−2z), both free of cancellation.
    z = np.linspace(-700, 700, 2801)
    np.testing.assert_allclose(act.sigmoid_derivative(z), act.sigmoid(z) * act.sigmoid(-z),
                               rtol=1e-13)
    np.testing.assert_allclose(act.tanh_derivative(z), 4 * act.sigmoid(2 * z) * act.sigmoid(-2 * z),
                               rtol=1e-13, atol=1e-300)


@pytest.mark.parametrize("name", PAIRS)
def test_no_overflow_or_warning_up_to_ten_thousand(name):
    z = np.concatenate([np.linspace(-1e4, 1e4, 20_001), [-1e4, 1e4, -np.inf, np.inf]])
    with warnings.catch_warnings(), np.errstate(over="raise", invalid="raise", divide="raise"):
        warnings.simplefilter("error")
        for function in PAIRS[name]:
            values = function(z)
            assert np.all(np.isfinite(values[:-2])), f"{name}: non-finite output"


def test_sigmoid_is_symmetric_and_bounded():
    z = np.linspace(-50, 50, 1001)
    s = act.sigmoid(z)
    assert np.all((s >= 0) & (s <= 1)) and np.all(np.diff(s) >= 0)
    np.testing.assert_allclose(act.sigmoid(-z), 1 - s, atol=np.finfo(float).eps)
    np.testing.assert_allclose(act.tanh(z), 2 * act.sigmoid(2 * z) - 1, atol=1e-15)


def test_both_activations_are_most_sensitive_at_input_zero():
    for derivative in (act.sigmoid_derivative, act.tanh_derivative):
        argmax, _ = act.derivative_peak(derivative)
        assert argmax == 0.0
    # 0.5 is the sigmoid's output at its most sensitive input, not that input.
    assert act.sigmoid(0.0) == 0.5
    assert act.sigmoid_derivative(0.5) < act.sigmoid_derivative(0.0)
    assert act.sigmoid_derivative(0.5) == pytest.approx(0.2350037122015945, rel=1e-12)


def test_derivative_peaks_match_closed_forms():
    # σ′(0) = σ(0)(1 − σ(0)) = 1/2 · 1/2 and tanh′(0) = 1 − 0².
    closed = {act.sigmoid_derivative: Fraction(1, 2) * Fraction(1, 2),
              act.tanh_derivative: 1 - Fraction(0) ** 2}
    for derivative, exact in closed.items():
        _, peak = act.derivative_peak(derivative)
        assert peak == pytest.approx(float(exact), abs=1e-15)


def test_sigmoid_rounds_to_exactly_one_where_float_spacing_predicts():
    # Computed as 1 / (1 + e^−z), σ(z) is exactly 1 once 1 + e^−z rounds to 1, i.e.
    # e^−z ≤ ε/2: z ≥ ln(2/ε), in float64 and, with float32 arithmetic throughout, in float32
    # (24 ln 2 ≈ 16.64). Only a float64 result cast to float32 waits for ε₃₂/4: ln(4/ε₃₂).
    eps64, eps32 = np.finfo(np.float64).eps, np.finfo(np.float32).eps
    assert act.saturation_onset(np.float64) == pytest.approx(math.log(2 / eps64), abs=1e-6)
    assert act.saturation_onset(np.float32) == pytest.approx(math.log(2 / eps32), abs=1e-3)
    assert act.sigmoid(36.0) < 1.0 and act.sigmoid(37.0) == 1.0
    assert act.sigmoid(np.float32(16.6)) < 1 and act.sigmoid(np.float32(16.7)) == 1
    assert np.float32(act.sigmoid(17.3)) < 1 and np.float32(act.sigmoid(17.4)) == 1


def test_relu_subgradient_choice_at_zero():
    assert act.relu_derivative(0.0) == 0.0
    assert act.relu_derivative(0.0, at_zero=1.0) == 1.0
    assert act.leaky_relu_derivative(0.0, 0.01) == 0.01


def test_sigmoid_derivative_range_is_zero_to_a_quarter():
    z = np.linspace(-700, 700, 140_001)
    slope = act.sigmoid_derivative(z)
    assert np.all(slope > 0) and np.all(slope <= 0.25)
    s = act.sigmoid(z)
    # σ′ = s(1 − s); where s ≤ 1/2 the product is free of cancellation, elsewhere use symmetry.
    left = z <= 0
    np.testing.assert_allclose(slope[left], s[left] * (1 - s[left]), rtol=1e-13)
    np.testing.assert_allclose(slope, s * act.sigmoid(-z), rtol=1e-13)  # 1 − σ(z) = σ(−z)
    assert act.sigmoid_derivative(0.0) == 0.25 and act.sigmoid_derivative(800.0) == 0.0


def test_the_range_zero_to_a_quarter_is_the_sigmoids_slope_not_the_costs():
    # The article gives (0, 1/4] as the range of "the derivative of the cost function". It is
    # the range of σ′ (above); the cost's derivative with respect to the output, from central
    # differences of the costs themselves, leaves it: for J = ½(out − y)² it is out − y,
    # negative for y = 1, and for the cross-entropy it is unbounded near out = 0 or 1.
    out = np.linspace(0.01, 0.99, 99)
    step = 1e-6
    def squared(o, target):
        return 0.5 * (o - target) ** 2

    def cross_entropy(o, target):
        return -(target * np.log(o) + (1 - target) * np.log(1 - o))

    for target in (0.0, 1.0):
        for cost in (squared, cross_entropy):
            slope = (cost(out + step, target) - cost(out - step, target)) / (2 * step)
            inside = (slope > 0) & (slope <= 0.25)
            assert not np.all(inside), (cost.__name__, target)
    squared_slope = (0.5 * (out + step - 1) ** 2 - 0.5 * (out - step - 1) ** 2) / (2 * step)
    assert np.all(squared_slope < 0)   # with target 1, every output: not even positive
    slope = act.sigmoid_derivative(np.linspace(-30, 30, 6001))
    assert np.all((slope > 0) & (slope <= 0.25))


def test_relu_has_different_one_sided_slopes_at_zero():
    for step in (1e-3, 1e-8):
        right = (act.relu(step) - act.relu(0.0)) / step
        left = (act.relu(0.0) - act.relu(-step)) / step
        assert (left, right) == (0.0, 1.0)  # no derivative at 0; [0, 1] are subgradients


def test_relu_is_a_ramp_whose_slopes_are_exactly_zero_and_one():
    # Oracle independent of our derivative code: ReLU's values and their finite differences.
    # A step function takes finitely many values; ReLU(z) = z for every z > 0, a ramp.
    z = np.random.default_rng(0).standard_normal(10_000) * 100
    positive, negative = z[z > 0], z[z < 0]
    assert np.array_equal(act.relu(positive), positive) and np.all(act.relu(negative) == 0)
    assert np.unique(act.relu(positive)).size == positive.size   # unboundedly many values
    # Its slopes, from central differences away from the kink: exactly 1 and exactly 0 in
    # floating point (h a power of two, |z| ≥ 1, so z ± h and the differences are exact) —
    # bounded, never above 1, and vanishing (exactly) for every negative input.
    h = 2.0 ** -20
    grid = np.concatenate([np.arange(1.0, 64.0), -np.arange(1.0, 64.0)])
    slopes = (act.relu(grid + h) - act.relu(grid - h)) / (2 * h)
    assert np.array_equal(slopes, (grid > 0).astype(float))
    assert np.array_equal(act.relu_derivative(grid), slopes)


def test_relu_returns_positive_inputs_unchanged_and_zero_otherwise():
    # Oracle independent of numpy: the articles' two definitions evaluated element by element
    # in Python scalars, the piecewise "x if x > 0, else 0" (003, 000) and max(0, x) (001),
    # on random inputs and on the edges: zeros of both signs, subnormals, the largest
    # finite floats and infinities.
    edges = [0.0, -0.0, 5e-324, -5e-324, 2.2e-308, -2.2e-308, 1.7976931348623157e308,
             -1.7976931348623157e308, math.inf, -math.inf, 1.0, -1.0]
    z = np.concatenate([np.random.default_rng(3).standard_normal(10_000) * 100, edges])
    piecewise = [x if x > 0 else 0.0 for x in z.tolist()]
    as_maximum = [max(0.0, x) for x in z.tolist()]
    computed = act.relu(z).tolist()
    assert computed == piecewise == as_maximum
    # Both branches are exercised on the random inputs, not only on the edges.
    assert 4_000 < sum(x > 0 for x in z[:10_000]) < 6_000


def test_relu_derivative_takes_only_zero_and_one():
    z = np.random.default_rng(0).standard_normal(10_000) * 100
    assert set(np.unique(act.relu_derivative(z))) == {0.0, 1.0}


def test_softmax_is_a_distribution_and_generalises_the_sigmoid():
    z = np.random.default_rng(1).standard_normal((100, 10)) * 1e4
    with np.errstate(over="raise", invalid="raise"):
        p = act.softmax(z)
    assert np.all(p >= 0)
    np.testing.assert_allclose(p.sum(axis=1), 1.0, rtol=1e-12)
    z = np.linspace(-30, 30, 601)
    pairs = act.softmax(np.stack([z, np.zeros_like(z)], axis=1))
    np.testing.assert_allclose(pairs[:, 0], act.sigmoid(z), rtol=1e-12)


def test_rescaled_sigmoid_is_twice_tanh_of_half_z():
    z = np.linspace(-40, 40, 8001)
    np.testing.assert_allclose(act.rescaled_sigmoid(z), 2 * np.tanh(z / 2), atol=1e-15)
    assert act.rescaled_sigmoid_derivative(0.0) == 1.0 and act.penalized_tanh(-1.0) == \
        pytest.approx(0.25 * np.tanh(-1.0))


def test_sigmoid_derivative_is_its_output_times_one_minus_it():
    # The article's form S(1 − S), computed from the sigmoid's output (not from our
    # derivative function), against central differences of the sigmoid itself.
    z = np.linspace(-30.0, 30.0, 6001)
    s = act.sigmoid(z)
    np.testing.assert_allclose(s * (1 - s), central_difference(act.sigmoid, z),
                               rtol=1e-6, atol=1e-9)  # rounding: ε / h ≈ 1e-10


def test_saturated_unit_output_barely_responds_to_its_weight():
    # A unit σ(w·1): d output / dw by central differences of the sigmoid at w = 0 and w = 10,
    # against the closed form σ′(z) = σ(z)(1 − σ(z)) computed in exact rational arithmetic.
    def closed_form(z):
        e = Fraction(math.exp(-z))  # exact value of the float e^{−z}
        s = 1 / (1 + e)
        return float(s * (1 - s))

    at_zero, saturated = (float(central_difference(act.sigmoid, np.array([z]))[0])
                          for z in (0.0, 10.0))
    assert at_zero == pytest.approx(closed_form(0.0), rel=1e-8)
    assert saturated == pytest.approx(closed_form(10.0), rel=1e-4)
    assert saturated / at_zero < 1e-3
