"""Tests that kill surviving mutants of snippets/core/mean_field.py and
snippets/experiments/edge_of_chaos/gradient_scaling.py (issue 20): each against an independent
oracle."""

import math

import numpy as np
import pytest

from snippets.core import mean_field
from snippets.experiments.edge_of_chaos import gradient_scaling


class _Drawn(Exception):
    """Raised by :class:`_StopAtFirstDraw`: the call got past every check to its first draw."""


class _StopAtFirstDraw(np.random.Generator):
    """A Generator that stops a call at its first draw, so a call at a budget's limit is shown
    to pass the budget without allocating the arrays the budget allows."""

    def standard_normal(self, *args, **kwargs):
        raise _Drawn


def _stopper():
    return _StopAtFirstDraw(np.random.PCG64(0))


# ------------------------------------------------------------------------------------ _bisect
def test_bisect_stops_as_soon_as_the_bracket_is_at_most_tolerance_times_its_upper_end():
    # Hand trace in exact binary arithmetic, root 0.1 in [0, 1], tolerance 1/2: the bracket
    # shrinks to [0, 1/2], [0, 1/4], [0, 1/8], then [1/16, 1/8], whose width 1/16 equals
    # 1/2 × 1/8: the stop, exactly at the boundary; the midpoint returned is 3/32.
    assert mean_field._bisect(lambda x: x < 0.1, 0.0, 1.0, tolerance=0.5) == 0.09375


def test_bisect_by_default_finds_the_root_to_1e_14_of_the_bracket():
    # Oracle: the root 0.1 of the predicate x < 0.1, known exactly.
    assert mean_field._bisect(lambda x: x < 0.1, 0.0, 1.0) == pytest.approx(0.1, rel=1e-14,
                                                                            abs=0)


def test_bisect_makes_at_most_200_evaluations_when_the_bracket_cannot_shrink():
    # Hand count: with tolerance 0 the bracket around 1/3 stops shrinking at two adjacent
    # floats (the midpoint rounds to one of them), so only the step budget, 200, ends it.
    calls = []

    def below(x):
        calls.append(x)
        return x < 1 / 3

    root = mean_field._bisect(below, 0.0, 1.0, tolerance=0.0)
    assert len(calls) == 200
    assert abs(root - 1 / 3) <= 2 ** -53


# ----------------------------------------------------------------------------- gaussian_nodes
@pytest.mark.parametrize("variance", [0.25, 1.0, 4.0, 100.0])
def test_gaussian_nodes_come_in_pairs_plus_minus_h_with_equal_weights(variance):
    # Oracle: the midpoints t = ±(k + 1/2)Δt are symmetric and sinh is odd, cosh and the
    # Gaussian even, so nodes pair up as ±h with equal weights and none sits at 0.
    nodes, weights = mean_field.gaussian_nodes(variance)
    assert np.array_equal(nodes, -nodes[::-1])
    assert np.array_equal(weights, weights[::-1])
    assert np.all(nodes != 0)


@pytest.mark.parametrize("variance", [0.25, 4.0])
def test_gaussian_nodes_innermost_node_is_a_times_sinh_of_half_a_step(variance):
    # Closed form: the node nearest 0 is a·sinh(Δt/2) with a = min(1, √variance).
    nodes, _ = mean_field.gaussian_nodes(variance)
    scale = min(1.0, math.sqrt(variance))
    assert np.min(np.abs(nodes)) == pytest.approx(
        scale * math.sinh(mean_field.QUADRATURE_STEP / 2), rel=1e-15, abs=0)


# ----------------------------------------------------------------------- gaussian_expectation
def test_gaussian_expectation_names_function_when_it_is_not_callable_or_not_real():
    # The message names the parameter, and for a non-real result says why.
    with pytest.raises(ValueError, match=r"^function must be a function"):
        mean_field.gaussian_expectation(3.0, 1.0)
    with pytest.raises(ValueError, match=r"^function must map an array of h to real values: "
                                         r"function must hold real numbers"):
        mean_field.gaussian_expectation(lambda h: np.full(h.shape, "a"), 1.0)


# -------------------------------------------------------------------------------- fixed_point
def test_fixed_point_is_zero_when_the_map_meets_the_diagonal_only_at_the_smallest_length(
        monkeypatch):
    # Oracle: the map q ↦ q − q² (tanh's on the critical line, to second order) lies below
    # the diagonal for every q > 0, so every positive length shrinks: q* = 0. At 1e-150 it
    # rounds to q itself, an excess of exactly 0.
    monkeypatch.setattr(mean_field, "length_map", lambda activation, q, w, b: q - q * q)
    assert mean_field.fixed_point("tanh", 1.0, 0.0) == 0.0


def test_fixed_point_exactly_at_two_to_the_39_is_finite(monkeypatch):
    # Closed form: q ↦ q/2 + 2³⁸ has q* = 2³⁸/(1 − 1/2) = 2³⁹ ≈ 5.5e11 < MAX_LENGTH; the
    # doubling search meets it exactly (excess 0 in exact binary arithmetic).
    monkeypatch.setattr(mean_field, "length_map", lambda activation, q, w, b: 0.5 * q + 2.0 ** 38)
    assert mean_field.fixed_point("tanh", 1.0, 0.0) == pytest.approx(2.0 ** 39, rel=1e-13, abs=0)


# -------------------------------------------------------------------- critical_weight_variance
def test_critical_weight_variance_default_bracket_ends_at_1000():
    # Closed form: ReLU's χ₁ = σ_w²/2 is 250 > 1 at σ_w² = 500, so the bracket [500, high]
    # has no crossing and the refusal names the default upper end.
    with pytest.raises(ValueError, match=r"between low=500\.0 and high=1000\.0 "):
        mean_field.critical_weight_variance("relu", 0.0, low=500.0)


def test_critical_weight_variance_refuses_bracket_ends_by_name():
    # The bracket's ends lie in (0, MAX_WEIGHT_VARIANCE] with low strictly below high.
    with pytest.raises(ValueError, match=r"^low must lie in \(0\.0, 10000\.0\]"):
        mean_field.critical_weight_variance("tanh", 0.0, low=2e4)
    with pytest.raises(ValueError, match=r"^high must lie in \(0\.0, 10000\.0\]"):
        mean_field.critical_weight_variance("tanh", 0.0, high=0.0)
    with pytest.raises(ValueError, match=r"^low must be below high"):
        mean_field.critical_weight_variance("relu", 0.0, low=2.0, high=2.0)


def test_critical_weight_variance_takes_a_high_end_below_one():
    # Closed-form bound: tanh′ ≤ 1, so χ₁ ≤ σ_w² ≤ 0.5 on [0.1, 0.5]: the bracket is valid
    # as a bracket and refused only because χ₁ does not cross 1 in it.
    with pytest.raises(ValueError, match=r"^chi_1 of tanh must cross 1 between low=0\.1 and "
                                         r"high=0\.5"):
        mean_field.critical_weight_variance("tanh", 0.0, low=0.1, high=0.5)


# -------------------------------------------------------------------- correlation_fixed_point
def test_correlation_fixed_point_is_one_when_the_map_never_falls_below_the_diagonal(
        monkeypatch):
    # Oracle: c ↦ c + (1 − c)² equals c only at c = 1 and lies above the diagonal below it,
    # so no probe under 1 brackets a root and c* = 1 exactly (χ₁ of tanh at σ_w² = 4 is > 1,
    # so the search runs).
    monkeypatch.setattr(mean_field, "correlation_map",
                        lambda activation, c, q, w, b: c + (1.0 - c) ** 2)
    _, c_star, _ = mean_field.correlation_fixed_point("tanh", 4.0, 0.05)
    assert c_star == 1.0


# ----------------------------------------------------------------------------------- simulate
def _replay(seed, weight_variance, bias_variance, width, depth, q0, examples):
    """Second implementation of simulate for tanh in plain numpy, drawing in the documented
    order: h⁰, then each layer's W (and b when σ_b² > 0), then δ at the top."""
    rng = np.random.default_rng(seed)
    pre = [math.sqrt(q0) * rng.standard_normal((examples, width))]
    weights = []
    for _ in range(depth):
        weights.append(rng.normal(0.0, math.sqrt(weight_variance / width), (width, width)))
        bias = rng.normal(0.0, math.sqrt(bias_variance), width) if bias_variance > 0 else 0.0
        pre.append(np.tanh(pre[-1]) @ weights[-1] + bias)
    errors = [None] * depth + [rng.standard_normal((examples, width))]
    for layer in range(depth, 0, -1):
        errors[layer - 1] = (errors[layer] @ weights[layer - 1].T) / np.cosh(pre[layer - 1]) ** 2
    return np.array(pre), np.array(errors)


@pytest.mark.parametrize("bias_variance", [0.0, 0.3])
def test_simulate_matches_a_plain_numpy_replay_of_its_draws(bias_variance):
    # Oracle: the replay above, h^l = tanh(h^{l−1}) W^l + b^l and
    # δ^{l−1} = (δ^l (W^l)ᵀ) ⊙ sech²(h^{l−1}), from the same seed.
    args = (1.5, bias_variance, 5, 3, 0.7, 2)
    pre, errors = mean_field.simulate(np.random.default_rng(7), "tanh", *args)
    want_pre, want_errors = _replay(7, *args)
    assert pre.shape == errors.shape == (4, 2, 5)
    np.testing.assert_allclose(pre, want_pre, rtol=1e-12, atol=0)
    np.testing.assert_allclose(errors, want_errors, rtol=1e-12, atol=0)


def test_simulate_runs_four_examples_by_default():
    # The signature's default, examples=4: shape (depth + 1, examples, width).
    pre, errors = mean_field.simulate(np.random.default_rng(0), "relu", 2.0, 0.0, 3, 2, 1.0)
    assert pre.shape == errors.shape == (3, 4, 3)


def test_simulate_width_bound_is_10000_by_name():
    with pytest.raises(ValueError, match=r"^width must lie in \[1, 10000\]"):
        mean_field.simulate(np.random.default_rng(0), "tanh", 1.0, 0.0, 10_001, 1, 1.0, 1)


def test_simulate_element_budget_at_its_limit_passes_and_one_example_over_is_refused():
    # Hand arithmetic: 512 × 64 × (64 + 2 × 992) = 2²⁶ = MAX_ELEMENTS exactly, so the call
    # passes both budgets and is refused by the overflow check after them (σ_w² = 1e4 over
    # 512 layers); one example more, 512 × 64 × 2050, is over the element budget.
    rng = np.random.default_rng(0)
    assert 512 * 64 * (64 + 2 * 992) == 2 ** 26
    with pytest.raises(ValueError, match=r"^weight_variance\^depth"):
        mean_field.simulate(rng, "tanh", 1e4, 0.0, 64, 512, 1.0, 992)
    with pytest.raises(ValueError, match=r"^depth × width × \(width \+ 2 × examples\) of depth, "
                                         r"width and examples must be at most"):
        mean_field.simulate(rng, "tanh", 1e4, 0.0, 64, 512, 1.0, 993)


def test_simulate_operations_budget_at_its_limit_passes_and_just_over_is_refused():
    # Hand arithmetic: 2 × (4 × 7750 × 1270² + STEP_COST) = 2 × 5e10 = MAX_OPERATIONS exactly
    # (elements 2 × 1270 × 16770 ≈ 4.3e7, within theirs): the call reaches its first draw.
    # 1 × (4 × 1000 × 5000² + STEP_COST) = 1e11 + 1e5 is over by the step cost alone.
    assert 2 * (4 * 7750 * 1270 ** 2 + 100_000) == 10 ** 11
    with pytest.raises(_Drawn):
        mean_field.simulate(_stopper(), "tanh", 1.0, 0.0, 1270, 2, 1.0, 7750)
    with pytest.raises(ValueError, match=r"^depth × \(4 × examples × width² \+ STEP_COST\) of "
                                         r"depth, width and examples must be at most"):
        mean_field.simulate(_stopper(), "tanh", 1.0, 0.0, 5000, 1, 1.0, 1000)


def test_simulate_overflow_guard_counts_the_starting_length_and_only_growing_weights():
    # Exact decimal logarithms: 289 × log10(10) + log10(10) = 290 is allowed, + log10(100)
    # = 291 is refused; σ_w² = 1 never grows the signal (log10 1 = 0), even over 1000 layers.
    rng = np.random.default_rng(0)
    pre, _ = mean_field.simulate(rng, "tanh", 10.0, 0.0, 1, 289, 10.0, 1)
    assert pre.shape == (290, 1, 1)
    with pytest.raises(ValueError, match=r"^weight_variance\^depth"):
        mean_field.simulate(rng, "tanh", 10.0, 0.0, 1, 289, 100.0, 1)
    pre, _ = mean_field.simulate(rng, "tanh", 1.0, 0.0, 1, 1000, 1.0, 1)
    assert pre.shape == (1001, 1, 1)


# -------------------------------------------------------------------------------- weak_region
def test_weak_region_default_threshold_is_a_tenth_of_the_peak_slope():
    # Closed form: tanh′ = sech² falls below 1/10 of its peak 1 where cosh h > √10.
    edge = math.acosh(math.sqrt(10.0))
    left, right = mean_field.weak_region("tanh")
    assert left == pytest.approx(-edge, rel=1e-14, abs=0)
    assert right == pytest.approx(edge, rel=1e-14, abs=0)


# ------------------------------------------------------------------ gradient_scaling helpers
def test_setting_points_scale_each_critical_weight_variance_by_the_multiples(monkeypatch):
    # Hand computation with a stand-in critical point per activation (powers of two, so the
    # products are exact); the stand-in records the (activation, bias variance) it is asked.
    critical = {"tanh": 1.0, "relu": 2.0, "sigmoid": 16.0}
    asked = []

    def fake_critical(activation, bias_variance):
        asked.append((activation, bias_variance))
        return critical[activation]

    monkeypatch.setattr(mean_field, "critical_weight_variance", fake_critical)
    points = gradient_scaling._setting_points()
    want = [(name, multiple * critical[name]) for name in gradient_scaling.BIAS_VARIANCE
            for multiple in gradient_scaling.MULTIPLES]
    assert points == want
    assert set(asked) == set(gradient_scaling.BIAS_VARIANCE.items())


@pytest.mark.parametrize("weight_variance, bias_variance, q0", [
    (1.0, 0.1, 0.2),         # ReLU's q* = σ_b²/(1 − σ_w²/2) = 0.2: start there
    (1.0, 0.0, 1.0),         # q* = 0, the signal dies out: start at 1
    (3.0, 0.0, 1.0)])        # q* = ∞, the signal explodes: start at 1
def test_error_logs_start_at_the_fixed_point_or_at_one(monkeypatch, weight_variance,
                                                       bias_variance, q0):
    # Closed forms of ReLU's length map q ↦ σ_w² q/2 + σ_b²; a stand-in simulate records q⁰
    # and returns errors 2^l at layer l, whose log mean squares are l·ln 4 (hand computation).
    started = []

    def fake_simulate(rng, activation, w, b, width, depth, start, examples):
        started.append(start)
        errors = np.broadcast_to(2.0 ** np.arange(depth + 1.0)[:, None, None],
                                 (depth + 1, examples, width))
        return None, np.array(errors)

    monkeypatch.setattr(mean_field, "simulate", fake_simulate)
    logs = gradient_scaling.error_logs(np.random.default_rng(0), "relu", weight_variance,
                                       bias_variance, width=3, depth=4, examples=2)
    assert started == [pytest.approx(q0, rel=1e-10, abs=0)]
    np.testing.assert_allclose(logs, np.arange(5) * math.log(4.0), rtol=1e-15, atol=0)


def test_measured_slope_is_minus_the_least_squares_slope_of_each_seed():
    # Hand computations: exact lines 5 − l and 1 + 2l have slopes −1 and 2; for 0, 0, 1, 1
    # at l = 0 … 3 the least-squares slope is Σ(l − 1.5)(y − 0.5)/Σ(l − 1.5)² = 2/5.
    logs = np.array([[5.0, 4.0, 3.0, 2.0], [1.0, 3.0, 5.0, 7.0], [0.0, 0.0, 1.0, 1.0]])
    np.testing.assert_allclose(gradient_scaling.measured_slope(logs), [1.0, -2.0, -0.4],
                               rtol=0, atol=1e-12)


def test_measured_slope_takes_two_layers_and_refuses_one():
    # Two points fix the line: 0, −1 falls by 1 per layer.
    assert gradient_scaling.measured_slope(np.array([[0.0, -1.0]])) == \
        pytest.approx([1.0], rel=0, abs=1e-12)
    with pytest.raises(ValueError, match=r"^logs must hold at least 2 layers"):
        gradient_scaling.measured_slope(np.array([[0.0]]))


# ------------------------------------------------ bugs the mutants exposed, each now fixed


def test_a_positive_fixed_point_far_below_1e_150_stays_positive():
    # Closed forms: ReLU's map is q ↦ σ_w² q/2 + σ_b², so q* = σ_b² / (1 − σ_w²/2) = 2e-200
    # at σ_w² = 1, σ_b² = 1e-200; tanh's is q/2 + σ_b² to first order there, the same 2e-200.
    # (The search once started at 1e-150 and reported 0; its geometric midpoint √(low · high)
    # also underflowed to 0 below 1e-154.)
    for activation in ("relu", "tanh"):
        q_star = mean_field.fixed_point(activation, 1.0 if activation == "relu" else 0.5, 1e-200)
        assert q_star == pytest.approx(2e-200, rel=1e-9, abs=0)


def test_infinity_is_decided_at_max_length_itself():
    # ReLU's q* = σ_b² / (1 − σ_w²/2): 1e4 / 1.5e-8 ≈ 6.7e11 is below MAX_LENGTH = 1e12 and
    # must be found (the search once stopped at 2^39 ≈ 5.5e11); 1e4 / 5e-10 = 2e13 is beyond.
    assert mean_field.fixed_point("relu", 2 - 3e-8, 1e4) == pytest.approx(1e4 / 1.5e-8, rel=1e-6)
    assert mean_field.fixed_point("relu", 2 - 1e-9, 1e4) == math.inf


def test_the_correlation_map_at_a_tiny_length_still_sees_independent_inputs():
    # ReLU is homogeneous, so its correlation map does not depend on q; at c = 0 (σ_b² = 0) it
    # is E[relu(u₁)] E[relu(u₂)] / E[relu(u)²] = (q/2π)/(q/2) = 1/π. At q = 1e-300 the map once
    # took the inputs for identical and returned 0.
    at_one = mean_field.correlation_map("relu", 0.0, 1.0, 2.0, 0.0)
    assert at_one == pytest.approx(1 / math.pi, rel=1e-3)
    assert mean_field.correlation_map("relu", 0.0, 1e-300, 2.0, 0.0) == pytest.approx(
        at_one, rel=1e-12, abs=0)


def test_a_bracket_end_that_is_critical_itself_is_returned():
    # Closed form: ReLU's χ₁ = σ_w²/2 at any σ_b² (φ′² is 1 on half the line), exactly 1 at 2.
    for bias_variance in (0.0, 0.1):
        assert mean_field.critical_weight_variance("relu", bias_variance, low=2.0,
                                                   high=4.0) == 2.0
        assert mean_field.critical_weight_variance("relu", bias_variance, low=1.0,
                                                   high=2.0) == 2.0
