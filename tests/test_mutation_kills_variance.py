"""Tests that kill surviving mutants of snippets/core/variance.py and
snippets/experiments/initialisation_and_variance/ (balancing_gain, xavier, standardisation)
(issue 20): each against an independent oracle."""

import math
import re

import numpy as np
import pytest

from snippets.core import networks, variance
from snippets.core.validation import MAX_ELEMENTS, MAX_OPERATIONS, STEP_COST
from snippets.experiments.initialisation_and_variance import balancing_gain as balancing
from snippets.experiments.initialisation_and_variance import standardisation, xavier

ELEMENTS = ("depth × width × (width + examples) + 4 × examples × width of depth, width and "
            "examples must be at most")
OPERATIONS = ("runs × depth × (4 × examples × width² + STEP_COST) of depth, width and examples "
              "(runs: seeds × points) must be at most")


def rng():
    return np.random.default_rng(0)


# ----------------------------------------------------------------- predicted_forward_variance


def test_predicted_forward_variance_accepts_a_zero_gain_which_silences_every_layer():
    # Closed form: Var[a^i] = α² · 0 · (…) = 0 for i ≥ 1; a negative gain is refused by name.
    assert variance.predicted_forward_variance(1.0, 0.5, 0.0, 2, 3.0).tolist() == [3.0, 0.0, 0.0]
    with pytest.raises(ValueError, match=r"fan_in_times_weight_variance must lie in \[0\.0, "):
        variance.predicted_forward_variance(1.0, 0.5, -1e-300, 2, 3.0)


def test_predicted_forward_variance_accepts_a_zero_input_variance():
    # Exact binary arithmetic: α² nσ² = 1/4 · 4 = 1; layer 1: 1 · (0 + 0²) = 0 (zero input
    # mean), layer 2: 1 · (0 + β²) = 4 with β = 2.
    assert variance.predicted_forward_variance(0.5, 2.0, 4.0, 2, 0.0).tolist() == [0.0, 0.0, 4.0]
    with pytest.raises(ValueError, match=r"input_variance must lie in \[0\.0, "):
        variance.predicted_forward_variance(0.5, 2.0, 4.0, 2, -1e-300)


def test_predicted_forward_variance_accepts_depth_one_and_refuses_depth_zero_by_name():
    # Exact: one layer with α² nσ² = 1/4 · 4 = 1 keeps Var = 3; depth 0 is refused.
    assert variance.predicted_forward_variance(0.5, 0.0, 4.0, 1, 3.0).tolist() == [3.0, 3.0]
    with pytest.raises(ValueError, match=r"depth must lie in \[1, 10000\]"):
        variance.predicted_forward_variance(0.5, 0.0, 4.0, 0, 3.0)


def test_predicted_forward_variance_refuses_an_overflow_in_the_last_layer_alone():
    # Closed form: α² nσ² = 1e6 · 1e6 = 1e12 per layer from 1e6, so layer 25 holds 1e306
    # (finite) and layer 26 would hold 1e318 > 1.8e308: only the last layer overflows.
    assert variance.predicted_forward_variance(1e3, 0.0, 1e6, 25, 1e6)[-1] == \
        pytest.approx(1e306, rel=1e-9, abs=0)
    with pytest.raises(ValueError, match=r"alpha² × fan_in_times_weight_variance over depth=26"):
        variance.predicted_forward_variance(1e3, 0.0, 1e6, 26, 1e6)


# ------------------------------------------------------------------------- simulate_variances


def _plain_simulation(seed, width, depth, weight_std, examples, input_std,
                      alpha=None, beta=None):
    """A second implementation in plain numpy of the documented affine simulation: inputs
    N(0, input_std²), weights N(0, weight_std²), zero biases, then ∂C/∂a^depth ~ N(0, 1),
    drawn in that order from one generator."""
    g = np.random.default_rng(seed)
    f, slope = (lambda s: alpha * s + beta), (lambda s: alpha + 0.0 * s)  # affine only
    a = g.normal(0.0, input_std, size=(examples, width))
    forward, layers = [np.var(a)], []
    for _ in range(depth):
        w = g.normal(0.0, weight_std, size=(width, width))
        s = a @ w
        a = f(s)
        layers.append((w, s))
        forward.append(np.var(a))
    delta = g.standard_normal((examples, width))
    backward = [np.var(delta)]
    for w, s in reversed(layers):
        delta = (delta * slope(s)) @ w.T
        backward.append(np.var(delta))
    return np.array(forward), np.array(backward[::-1])


def test_simulate_variances_matches_a_plain_numpy_simulation_with_500_examples_by_default():
    # Second implementation (above), with the documented default of 500 examples, an input
    # spread of 3 and a positive offset β (whose sign matters from the second layer on).
    forward, backward = variance.simulate_variances(np.random.default_rng(5), "affine", 4, 3, 0.6,
                                                    input_std=3.0, alpha=0.5, beta=0.75)
    plain_forward, plain_backward = _plain_simulation(5, 4, 3, 0.6, 500, 3.0,
                                                      alpha=0.5, beta=0.75)
    np.testing.assert_allclose(forward, plain_forward, rtol=1e-12, atol=0)
    np.testing.assert_allclose(backward, plain_backward, rtol=1e-12, atol=0)


def test_simulate_variances_draws_its_inputs_with_the_spread_it_is_given():
    # Closed form: inputs N(0, 3²) have variance 9; 500 × 4 draws put it within 10 %.
    forward, _ = variance.simulate_variances(rng(), "tanh", 4, 1, 0.5, input_std=3.0)
    assert forward[0] == pytest.approx(9.0, rel=0.1)


def test_simulate_variances_accepts_the_smallest_width_depth_and_examples():
    # Boundary: width 1, depth 1 and 2 examples are accepted (one variance per layer, 0 … 1).
    forward, backward = variance.simulate_variances(rng(), "tanh", 1, 1, 0.5, examples=2)
    assert forward.shape == backward.shape == (2,)


def test_simulate_variances_refuses_width_10001_by_its_range_before_the_budget():
    # Boundary: 10 001 is one beyond width's range [1, 10000] (its budget would refuse it too).
    with pytest.raises(ValueError, match=r"width must lie in \[1, 10000\]"):
        variance.simulate_variances(rng(), "tanh", 10_001, 1, 0.5, examples=2)


# The overflow guard: depth · log10(width · weight_std² · max(1, |α|)²) + log10(max(1,
# input_std² + β²)) may reach 290 but not exceed it. Width 1, weight_std 1 and α = 10 give
# log10(100) = 2 per layer exactly; the accepted and refused calls sit on either side of 290.
GUARD = r"width × weight_std² × alpha² \(at least 1\) raised to depth must be at most 1e290"


def test_simulate_variances_guard_accepts_an_affine_network_exactly_at_1e290():
    # 145 layers × 2 = 290 with input_std² + β² = 1: at the bound, accepted.
    forward, _ = variance.simulate_variances(rng(), "affine", 1, 145, 1.0, examples=2,
                                             alpha=10.0, beta=0.0)
    assert forward.shape == (146,)


def test_simulate_variances_guard_counts_alpha_squared_for_an_affine_network():
    # 146 layers × log10(1 · 1 · 10²) = 292 > 290: refused, although width · weight_std² = 1.
    with pytest.raises(ValueError, match=GUARD):
        variance.simulate_variances(rng(), "affine", 1, 146, 1.0, examples=2, alpha=10.0,
                                    beta=0.0)


def test_simulate_variances_guard_for_a_named_activation_counts_its_slope_as_one():
    # tanh′ ≤ 1: growth = width · weight_std² = 1 · 10² = 100, so 145 layers (290) pass and
    # 146 (292) are refused.
    forward, _ = variance.simulate_variances(rng(), "tanh", 1, 145, 10.0, examples=2)
    assert forward.shape == (146,)
    with pytest.raises(ValueError, match=GUARD):
        variance.simulate_variances(rng(), "tanh", 1, 146, 10.0, examples=2)


def test_simulate_variances_guard_lets_any_depth_through_when_nothing_grows():
    # width · weight_std² · 1 = 1: log10(1) = 0 per layer, so 1000 layers add nothing.
    forward, _ = variance.simulate_variances(rng(), "tanh", 1, 1000, 1.0, examples=2)
    assert forward.shape == (1001,)


def test_simulate_variances_guard_adds_the_inputs_second_moment_at_its_exact_edge():
    # 144 layers × 2 = 288, plus log10(6² + 8²) = log10(100) = 2: exactly 290, accepted; with
    # β = 8.001, 6² + β² = 100.016 puts it just above 290: refused.
    forward, _ = variance.simulate_variances(rng(), "affine", 1, 144, 1.0, examples=2,
                                             input_std=6.0, alpha=10.0, beta=8.0)
    assert forward.shape == (145,)
    with pytest.raises(ValueError, match=GUARD):
        variance.simulate_variances(rng(), "affine", 1, 144, 1.0, examples=2, input_std=6.0,
                                    alpha=10.0, beta=8.001)


# ------------------------------------------------------------------------- _simulation_budget


def test_simulation_budget_of_elements_passes_at_2_to_the_26_and_refuses_one_example_more():
    # Exact integers: 4 · 8 · (8 + 1 048 572) + 4 · 1 048 572 · 8 = 33 554 560 + 33 554 304
    # = 2²⁶; one example more adds 4 · 8 + 4 · 8 = 64 entries.
    assert 4 * 8 * (8 + 1_048_572) + 4 * 1_048_572 * 8 == 2 ** 26 == MAX_ELEMENTS
    variance._simulation_budget(8, 4, 1_048_572)
    with pytest.raises(ValueError, match=re.escape(ELEMENTS)):
        variance._simulation_budget(8, 4, 1_048_573)


def test_simulation_budget_of_operations_passes_at_1e11_and_refuses_one_example_more():
    # Exact: 4 · 70 · 10² + 10⁵ = 128 000 per layer and run; × 10 layers × 78 125 runs = 1e11.
    assert 78_125 * 10 * (4 * 70 * 10 ** 2 + 10 ** 5) == 10 ** 11 == MAX_OPERATIONS
    assert STEP_COST == 10 ** 5
    variance._simulation_budget(10, 10, 70, runs=78_125)
    with pytest.raises(ValueError, match=re.escape(OPERATIONS)):
        variance._simulation_budget(10, 10, 71, runs=78_125)


def test_simulation_budget_counts_a_single_run_by_default():
    # 4 · 4000 · 2000² + 10⁵ = 6.4e10 + 10⁵ operations: within 1e11 once, not twice.
    assert 10 ** 11 / 2 < 4 * 4000 * 2000 ** 2 + 10 ** 5 <= 10 ** 11
    assert 2000 * (2000 + 4000) + 4 * 4000 * 2000 <= 2 ** 26
    variance._simulation_budget(2000, 1, 4000)
    with pytest.raises(ValueError, match=re.escape(OPERATIONS)):
        variance._simulation_budget(2000, 1, 4000, runs=2)


# ------------------------------------------------------------------------------ backward_rate


class FakeSimulation:
    """Stands in for simulate_variances: records each call's arguments and returns a
    hand-made backward profile (bottom first) of depth + 1 variances."""

    def __init__(self, backward=(32.0, 4.0, 2.0)):
        self.backward, self.calls = np.array(backward), []

    def __call__(self, rng, activation, width, depth, weight_std, examples=500, input_std=1.0,
                 alpha=None, beta=None):
        self.calls.append({"activation": activation, "width": width, "depth": depth,
                           "weight_std": weight_std, "examples": examples, "alpha": alpha,
                           "beta": beta})
        return np.ones(self.backward.size), self.backward


@pytest.fixture
def simulation(monkeypatch):
    fake = FakeSimulation()
    monkeypatch.setattr(variance, "simulate_variances", fake)
    return fake


def test_backward_rate_is_the_per_layer_root_of_the_bottom_over_top_variance(simulation):
    # Hand computation: Var 32 at the bottom over 2 at the top = 16 over 2 layers: √16 = 4.
    # Each network gets weight_std = √(gain / width) = √(9/4) = 1.5 and the examples asked for.
    rate = variance.backward_rate(rng(), "tanh", 4, 2, 9.0, examples=10, seeds=3)
    assert rate == pytest.approx(4.0, rel=1e-12, abs=0)
    assert simulation.calls == [{"activation": "tanh", "width": 4, "depth": 2, "weight_std": 1.5,
                                 "examples": 10, "alpha": None, "beta": None}] * 3


def test_backward_rate_averages_two_networks_of_100_examples_by_default(simulation):
    # The documented defaults (balancing_gain's budget counts 100 examples): a hand count.
    variance.backward_rate(rng(), "tanh", 4, 2, 1.0)
    assert [call["examples"] for call in simulation.calls] == [100, 100]


def test_backward_rate_passes_alpha_and_beta_on_for_the_affine_activation(simulation):
    # Hand count of the recorded call: one network, handed "affine" with α = 1/4, β = 1/2.
    variance.backward_rate(rng(), "affine", 4, 2, 1.0, seeds=1, alpha=0.25, beta=0.5)
    assert [(call["activation"], call["alpha"], call["beta"]) for call in simulation.calls] == \
        [("affine", 0.25, 0.5)]


def test_backward_rate_refuses_unknown_and_misplaced_affine_parameters_itself(simulation):
    # Checked before any network is drawn (the fake would take alpha, not gamma).
    with pytest.raises(ValueError, match=r"only alpha and beta may follow the activation, "
                                         r"got \['gamma'\]"):
        variance.backward_rate(rng(), "tanh", 4, 2, 1.0, gamma=1.0)
    with pytest.raises(ValueError, match=r"alpha must be None unless activation is 'affine'"):
        variance.backward_rate(rng(), "tanh", 4, 2, 1.0, alpha=1.0)
    assert simulation.calls == []


def test_backward_rate_accepts_the_smallest_width_depth_examples_and_seeds():
    # Boundary: width 1, depth 1, 2 examples and 1 network are accepted (a real simulation).
    assert variance.backward_rate(rng(), "tanh", 1, 1, 1.0, examples=2, seeds=1) > 0


@pytest.mark.parametrize("arguments, message", [
    ({"width": 10_001}, r"width must lie in \[1, 10000\]"),
    ({"depth": 0}, r"depth must lie in \[1, 10000\]"),
    ({"depth": 10_001}, r"depth must lie in \[1, 10000\]"),
    ({"examples": 1}, r"examples must lie in \[2, 1000000\]"),
    ({"examples": 1_000_001}, r"examples must lie in \[2, 1000000\]"),
])
def test_backward_rate_refuses_counts_one_beyond_their_range_by_name(simulation, arguments,
                                                                     message):
    # Boundary: one beyond each range, refused by backward_rate before any network is drawn.
    call = {"width": 4, "depth": 2, "examples": 10} | arguments
    with pytest.raises(ValueError, match=message):
        variance.backward_rate(rng(), "tanh", call["width"], call["depth"], 1.0,
                               examples=call["examples"], seeds=1)
    assert simulation.calls == []


def test_backward_rate_budget_counts_every_network_at_its_exact_edge(simulation):
    # Exact: 4 · 90 · 50² + 10⁵ = 10⁶ per layer; × 20 layers × 5000 networks = 1e11, the
    # bound; a 5001st network is over it.
    assert 5000 * 20 * (4 * 90 * 50 ** 2 + 10 ** 5) == 10 ** 11
    variance.backward_rate(rng(), "tanh", 50, 20, 1.0, examples=90, seeds=5000)
    assert len(simulation.calls) == 5000
    with pytest.raises(ValueError, match=re.escape(OPERATIONS)):
        variance.backward_rate(rng(), "tanh", 50, 20, 1.0, examples=90, seeds=5001)


# ----------------------------------------------------------------------------- balancing_gain


class FakeRate:
    """Stands in for backward_rate: records each call and returns the rate given by
    ``rate(gain)``, or the next of a list of rates."""

    def __init__(self, rate):
        self.rate, self.calls = rate, []

    def __call__(self, rng, activation, width, depth, gain, examples=100, seeds=2, **affine):
        self.calls.append({"activation": activation, "width": width, "depth": depth,
                           "gain": gain, "seeds": seeds, **affine})
        if callable(self.rate):
            return self.rate(gain)
        return self.rate[len(self.calls) - 1]


@pytest.fixture
def fifth(monkeypatch):
    """A rate gain / 5: log-linear in log gain, so its root, 5, is interpolated exactly."""
    fake = FakeRate(lambda gain: gain / 5.0)
    monkeypatch.setattr(variance, "backward_rate", fake)
    return fake


def test_balancing_gain_defaults_to_23_gains_from_a_quarter_to_512_and_2_networks_of_width_100(
        fifth):
    # Closed form of the documented grid: 0.25 · √2^k for k = 0 … 22 ends at 0.25 · 2^11 = 512;
    # every point gets width 100, depth 20 and 2 networks; the root of gain / 5 is 5.
    gain, grid, rates = variance.balancing_gain(rng(), "tanh")
    np.testing.assert_allclose(grid, [0.25 * 2 ** (k / 2) for k in range(23)], rtol=1e-12, atol=0)
    assert [(c["width"], c["depth"], c["seeds"]) for c in fifth.calls] == [(100, 20, 2)] * 23
    np.testing.assert_allclose(rates, grid / 5, rtol=1e-12, atol=0)
    assert gain == pytest.approx(5.0, rel=1e-12, abs=0)


def test_balancing_gain_interpolates_the_root_of_a_log_linear_rate_exactly(fifth):
    # Grid 1, 2, 4, …, 64; rate gain / 5 crosses 1 between 4 and 8, at 5 exactly.
    gain, grid, _ = variance.balancing_gain(rng(), "tanh", 3, 2, 1.0, 64.0, 7, seeds=1)
    np.testing.assert_allclose(grid, [2.0 ** k for k in range(7)], rtol=1e-12, atol=0)
    assert gain == pytest.approx(5.0, rel=1e-12, abs=0)


def test_balancing_gain_passes_seeds_and_the_affine_parameters_on(fifth):
    # Every recorded grid point gets "affine", 1 network (not the default 2), α = 1/4, β = 1/2.
    variance.balancing_gain(rng(), "affine", 3, 2, 1.0, 64.0, 7, seeds=1, alpha=0.25, beta=0.5)
    assert {(c["activation"], c["seeds"], c["alpha"], c["beta"]) for c in fifth.calls} == \
        {("affine", 1, 0.25, 0.5)}


def test_balancing_gain_takes_the_first_crossing_from_below_one_to_above(monkeypatch):
    # Rates 1/2, 1/2, 2 on the grid 1, 2, 4: the root lies between 2 and 4, halfway in log
    # (log 2 / (log 2 + log 2) = 1/2): 2 · √2. The flat stretch from 1 to 2 is no crossing.
    monkeypatch.setattr(variance, "backward_rate", FakeRate([0.5, 0.5, 2.0]))
    gain, _, _ = variance.balancing_gain(rng(), "tanh", 3, 2, 1.0, 4.0, 3, seeds=1)
    assert gain == pytest.approx(2 * math.sqrt(2), rel=1e-12, abs=0)


def test_balancing_gain_at_a_grid_point_with_rate_exactly_one_is_that_point(monkeypatch):
    # Rates 1/2, 1, 2 on the grid 1, 2, 4: the rate is 1 at gain 2, the balancing gain.
    monkeypatch.setattr(variance, "backward_rate", FakeRate([0.5, 1.0, 2.0]))
    gain, _, _ = variance.balancing_gain(rng(), "tanh", 3, 2, 1.0, 4.0, 3, seeds=1)
    assert gain == pytest.approx(2.0, rel=1e-12, abs=0)


def test_balancing_gain_without_a_crossing_says_so_naming_the_grid(monkeypatch):
    # Rates 1/2 everywhere never reach 1: the message names the activation and the grid.
    monkeypatch.setattr(variance, "backward_rate", FakeRate([0.5, 0.5, 0.5]))
    with pytest.raises(ValueError, match=r"no balancing gain for 'tanh' between low=1\.0 and "
                                         r"high=4\.0"):
        variance.balancing_gain(rng(), "tanh", 3, 2, 1.0, 4.0, 3, seeds=1)


def test_balancing_gain_accepts_the_smallest_counts_and_a_grid_below_one(fifth):
    # Boundary: width 1, depth 1, 1 network and 3 points are accepted (root of gain / 5: 5);
    # so is high = 0.5 < 1: the grid [0.25, 0.5] is measured, and gain / 5 < 1 there has no
    # root, which is said so (not refused as an argument).
    gain, grid, _ = variance.balancing_gain(rng(), "tanh", 1, 1, 1.0, 64.0, 3, seeds=1)
    assert grid.size == 3 and gain == pytest.approx(5.0, rel=1e-12, abs=0)
    with pytest.raises(ValueError, match=r"no balancing gain for 'tanh' between low=0\.25 and "
                                         r"high=0\.5"):
        variance.balancing_gain(rng(), "tanh", 1, 1, 0.25, 0.5, 3, seeds=1)


@pytest.mark.parametrize("arguments, message", [
    ({"width": 0}, r"width must lie in \[1, 10000\]"),
    ({"width": 10_001}, r"width must lie in \[1, 10000\]"),
    ({"depth": 0}, r"depth must lie in \[1, 10000\]"),
    ({"depth": 10_001}, r"depth must lie in \[1, 10000\]"),
    ({"low": 1_000_000.5, "high": 1e6}, r"low must lie in \(0\.0, 1000000\.0\]"),
    ({"high": 0.0}, r"high must lie in \(0\.0, 1000000\.0\]"),
    ({"high": 1_000_000.5}, r"high must lie in \(0\.0, 1000000\.0\]"),
    ({"low": 2.0, "high": 2.0}, r"low must be below high, got low=2\.0, high=2\.0"),
    ({"seeds": 0}, r"seeds must lie in \[1, 10000\]"),
    ({"seeds": 10_001}, r"seeds must lie in \[1, 10000\]"),
])
def test_balancing_gain_refuses_arguments_one_beyond_their_range_by_name(fifth, arguments,
                                                                         message):
    # Boundary: one beyond each range (or low = high), refused before any network is drawn.
    call = {"width": 3, "depth": 2, "low": 1.0, "high": 64.0, "seeds": 1} | arguments
    with pytest.raises(ValueError, match=message):
        variance.balancing_gain(rng(), "tanh", call["width"], call["depth"], call["low"],
                                call["high"], 7, seeds=call["seeds"])
    assert fifth.calls == []


def test_balancing_gain_checks_the_affine_parameters_itself(fifth):
    # Refused by balancing_gain itself, before any grid point is measured (no recorded call).
    with pytest.raises(ValueError, match=r"only alpha and beta may follow the activation"):
        variance.balancing_gain(rng(), "tanh", 3, 2, 1.0, 64.0, 7, seeds=1, gamma=1.0)
    with pytest.raises(ValueError, match=r"alpha must be None unless activation is 'affine'"):
        variance.balancing_gain(rng(), "tanh", 3, 2, 1.0, 64.0, 7, seeds=1, alpha=1.0)
    assert fifth.calls == []


def test_balancing_gain_budget_counts_seeds_times_points_networks_of_100_examples(fifth):
    # Exact: 400 · 50² + 10⁵ = 1.1e6 per layer of a 100-example network; 7 seeds × 39 points
    # × 333 layers = 90 909 of them make 9.99999e10 ≤ 1e11; with 40 points, 1.02564e11 > 1e11.
    assert 7 * 39 * 333 * (4 * 100 * 50 ** 2 + 10 ** 5) <= 10 ** 11 \
        < 7 * 40 * 333 * (4 * 100 * 50 ** 2 + 10 ** 5)
    variance.balancing_gain(rng(), "tanh", 50, 333, 1.0, 64.0, 39, seeds=7)
    assert len(fifth.calls) == 39
    with pytest.raises(ValueError, match=re.escape(OPERATIONS)):
        variance.balancing_gain(rng(), "tanh", 50, 333, 1.0, 64.0, 40, seeds=7)


# ------------------------------------------------------ experiments: balancing_gain (module)


def test_balancing_gain_of_a_case_reads_the_gain_of_that_case(monkeypatch):
    # Hand-made results (gain, grid, rates): the case's gain is the first entry.
    runs = {label: (float(k + 2), np.array([1.0, 2.0]), np.array([0.5, 3.0]))
            for k, label in enumerate(balancing.CASES)}
    monkeypatch.setattr(balancing, "balancing_runs", lambda: runs)
    assert [balancing.balancing_gain(label) for label in balancing.CASES] == [2.0, 3.0, 4.0]
    with pytest.raises(ValueError, match=r"label must be one of"):
        balancing.balancing_gain("relu")


def test_ratio_over_repeats_divides_sigmoid_by_tanh_repetition_by_repetition(monkeypatch):
    # Exact binary arithmetic: 64/2 = 32 and 32/4 = 8.
    monkeypatch.setattr(balancing, "ratio_repeats",
                        lambda: {"tanh": np.array([2.0, 4.0]), "sigmoid": np.array([64.0, 32.0])})
    assert balancing.ratio_over_repeats().tolist() == [32.0, 8.0]


# ---------------------------------------------------------------- experiments: xavier (module)


def test_top_layer_slopes_are_tanh_derivatives_of_a_plain_forward_pass(monkeypatch):
    # Second implementation: inputs N(0, 1), then DEPTH layers s = a W, a = tanh(s) with
    # W ~ N(0, std²), drawn in that order; tanh′(s) = 1 − tanh(s)². Shrunk to a tiny network.
    monkeypatch.setattr(xavier, "EXAMPLES", 4)
    monkeypatch.setattr(xavier, "WIDTH", 3)
    monkeypatch.setattr(xavier, "DEPTH", 2)
    g = np.random.default_rng(7)
    a = g.normal(0.0, 1.0, size=(4, 3))
    for _ in range(2):
        a = np.tanh(a @ g.normal(0.0, 0.8, size=(3, 3)))
    np.testing.assert_allclose(xavier._top_layer_slopes(np.random.default_rng(7), 0.8),
                               1.0 - a ** 2, rtol=1e-12, atol=0)


# ------------------------------------------------------- experiments: standardisation (module)


def test_centred_variant_is_the_scaled_images_minus_each_pixels_mean():
    # Definition of centring: every pixel's mean over the images is 0, and the centred images
    # differ from the [0, 1] ones by one constant per pixel (so the spread per pixel is kept).
    variants = standardisation.variants()
    scaled, centred = variants["scaled to [0, 1]"], variants["centred, [0, 1] scale"]
    assert scaled.min() == 0.0 and scaled.max() == 1.0
    np.testing.assert_allclose(centred.mean(axis=0), 0.0, rtol=0, atol=1e-12)
    np.testing.assert_allclose((centred - scaled).std(axis=0), 0.0, rtol=0, atol=1e-12)


def test_training_losses_trains_glorot_tanh_softmax_networks_with_zero_biases_at_the_rate(
        monkeypatch):
    # The documented set-up, checked on what train_sgd is handed: tanh hidden units, softmax
    # output, zero biases, and weights U[±√6/√(n_in + n_out)] (Glorot & Bengio's closed form;
    # the draws fill the interval), trained at the rate asked for.
    handed = {}

    def train_sgd(network, inputs, targets, rng, epochs, batch_size=10, learning_rate=0.1,
                  record=None):
        handed.update(network=network, rate=learning_rate)
        return network, [0], [np.zeros(len(rng))]

    monkeypatch.setattr(networks, "train_sgd", train_sgd)
    standardisation.training_losses(standardisation.variants()["standardised"], 0.3)
    network = handed["network"]
    assert handed["rate"] == 0.3
    assert (network.hidden, network.output) == ("tanh", "softmax")
    assert all(np.all(b == 0.0) for b in network.biases)
    sizes = standardisation.SIZES
    for w, n_in, n_out in zip(network.weights, sizes[:-1], sizes[1:]):
        bound = math.sqrt(6.0 / (n_in + n_out))
        assert np.abs(w).max() <= bound and np.abs(w).max() > 0.95 * bound
