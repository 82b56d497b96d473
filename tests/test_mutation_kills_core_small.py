"""Tests that kill surviving mutants of activation_timing, activations, gradient_chain,
linear_networks, optimisation, relu_unit and underflow (issue 20): each against an independent
oracle."""

import itertools
import math
import types

import mpmath
import numpy as np
import pytest

from snippets.core import activation_timing as timing
from snippets.core import activations as act
from snippets.core import gradient_chain as chain
from snippets.core import linear_networks as linear
from snippets.core import optimisation as opt
from snippets.core import relu_unit, underflow

# ----------------------------------------------------------------------------- gradient_chain


def test_chain_factor_budget_message_names_layers_chains_and_step_cost():
    # By hand: 10^6 layers × (20 × 1 chain + 1e5) = 1.00002e11 operations > 1e11.
    with pytest.raises(ValueError, match=r"^layers × \(20 × chains \+ STEP_COST\) of weights "
                                         r"must be at most"):
        chain.chain_factors(np.ones((1, 10 ** 6)), np.ones(1))


def test_gradient_ratio_overflow_message_names_weights_and_the_float64_limit():
    # Pre-activations exactly 0 (b = −w/2 from y = 1/2): four factors 4e99 / 4 = 1e99 make
    # ρ_4 = 1e396, beyond float64's 1.8e308.
    weights = np.full((1, 4), 4e99)
    with pytest.raises(ValueError, match=r"^weights make the gradient ratio .* overflow "
                                         r"float64 \(> 1\.8e308\): use fewer layers or "
                                         r"smaller weights$"):
        chain.chain_gradient_ratios(weights, np.array([0.5]), -weights * 0.5)


def test_sample_chain_budget_message_starts_with_chains_times_depth():
    # By hand: 1000 × 100 000 = 1e8 entries > 2^26 ≈ 6.7e7.
    with pytest.raises(ValueError, match=r"^chains × depth must be at most"):
        chain.sample_chain(np.random.default_rng(0), 1000, 100_000)


def _sigmoid_iterates(count):
    """y_0 = 1/2, y_{k+1} = 1 / (1 + e^{−y_k}), in plain Python."""
    values = [0.5]
    for _ in range(count):
        values.append(1.0 / (1.0 + math.exp(-values[-1])))
    return values


def _sigmoid_fixed_point_mpmath():
    mpmath.mp.dps = 40
    return float(mpmath.findroot(lambda y: 1 / (1 + mpmath.exp(-y)) - y, 0.66))


def test_sigmoid_fixed_point_with_a_loose_tolerance_stops_at_the_first_small_change():
    # Plain-Python iteration from 1/2: the changes are 0.12, 0.028, 0.0064, 0.0014, 0.00032,
    # so a tolerance of 1e-3 stops at y_5, below y* (σ is increasing and y_0 < y*) and within
    # tolerance / 3 of it (a contraction of rate ≤ 1/4); y* from mpmath at 40 digits.
    y = _sigmoid_iterates(5)
    assert abs(y[5] - y[4]) < 1e-3 < abs(y[4] - y[3])
    result = chain.sigmoid_fixed_point(1e-3)
    assert result == pytest.approx(y[5], rel=1e-15, abs=0)
    y_star = _sigmoid_fixed_point_mpmath()
    assert y_star - 1e-3 / 3 <= result < y_star


def test_sigmoid_fixed_point_a_change_exactly_at_the_tolerance_does_not_stop_it():
    # The stop is "change < tolerance": with the tolerance equal to the change y_5 − y_4 (an
    # exact float difference, Sterbenz), y_5 is not accepted and y_6 is returned.
    y = _sigmoid_iterates(6)
    tolerance = y[5] - y[4]
    assert y[6] - y[5] < tolerance <= 1e-3
    assert chain.sigmoid_fixed_point(tolerance) == pytest.approx(y[6], rel=1e-15, abs=0)


def test_exploding_chain_starts_from_one_half_by_default():
    # By hand, w = 8 from x = 1/2: b_1 = −8 · 1/2 = −4, y_1 = σ(0) = 1/2, b_2 = −4.
    weights, biases, inputs = chain.exploding_chain(8.0, 2)
    assert inputs.tolist() == [0.5]
    assert biases.tolist() == [[-4.0, -4.0]]
    assert weights.tolist() == [[8.0, 8.0]]


# ------------------------------------------------------------------------------- optimisation


def test_path_overflow_message_names_learning_rate_and_steps():
    # |1 − 4 · 1| = 3: 1e50 · 3^542 ≈ e^710.6 > 1.8e308 ≈ e^709.8 (hand logarithms).
    assert 542 * math.log(3) + math.log(1e50) > 709.79
    with pytest.raises(ValueError, match=r"^learning_rate × curvatures and steps make the path "
                                         r"overflow float64 .*> 1\.8e308\): lower "
                                         r"learning_rate or steps$"):
        opt.gradient_descent_path([1.0], [1e50], 4.0, 542)


def test_default_max_steps_exactly_fits_the_operations_budget_at_150_000_coordinates():
    # By hand: 100 000 × (6 × 150 000 + 1e5) = 100 000 × 1e6 = 1e11, exactly the budget; one
    # coordinate more is over it. With η λ = 1 the first step lands on θ = 0: one step.
    size = 150_000
    assert opt.steps_to_tolerance(np.ones(size), np.ones(size), 1.0) == 1
    with pytest.raises(ValueError, match=r"^max_steps × \(6 × the length of curvatures \+ "
                                         r"STEP_COST\) must be at most"):
        opt.steps_to_tolerance(np.ones(size + 1), np.ones(size + 1), 1.0)


# ---------------------------------------------------------------------------- linear_networks


def test_linear_chain_refuses_a_backward_product_that_overflows_below_a_small_weight():
    # By hand, w = 1e-300, 1e-300, 1e200, 1e200: ∂L/∂a_2 = w_3 w_4 = 1e400 overflows, though
    # every a_{n−1} ≤ 1 and every a_{n−1} ∂L/∂a_n (at most 1e100) fits.
    with pytest.raises(ValueError, match="overflow"):
        linear.linear_chain_backward([1e-300, 1e-300, 1e200, 1e200])


def test_linear_chain_overflow_message_names_weights_and_the_float64_limit():
    # By hand: 1e308 · 1e308 = 1e616 > 1.8e308.
    with pytest.raises(ValueError, match=r"^weights \(with x\) make a product of the chain "
                                         r"overflow float64 \(> 1\.8e308\): use fewer or "
                                         r"smaller weights$"):
        linear.linear_chain_gradients([1.0, 1e308, 1e308])


def test_random_product_norms_default_to_twenty_trials():
    # The signature's default, trials=20: one row per trial, depth + 1 columns.
    assert linear.random_product_norms(np.random.default_rng(0), 1, 1, 1.0).shape == (20, 2)


def test_random_product_operations_budget_message_names_trials_depth_width_and_step_cost():
    # By hand: 1 × 1 × (2 × 4000³ + 1e5) ≈ 1.28e11 operations > 1e11.
    with pytest.raises(ValueError, match=r"^trials × depth × \(2 × width³ \+ STEP_COST\) of "
                                         r"trials, depth and width must be at most"):
        linear.random_product_norms(np.random.default_rng(0), 4000, 1, 1.0, trials=1)


def test_random_product_elements_budget_message_names_width_trials_and_depth(monkeypatch):
    # By hand: 3 × 2² + 4 × (3 + 1) = 28 entries, one over a budget of 27.
    monkeypatch.setattr(linear, "MAX_ELEMENTS", 27)
    with pytest.raises(ValueError, match=r"^3 × width² \+ trials × \(depth \+ 1\) of width, "
                                         r"trials and depth must be at most"):
        linear.random_product_norms(np.random.default_rng(0), 2, 3, 1.0, trials=4)


def test_a_product_that_underflows_to_zero_has_norm_zero():
    # One unit, scale 1e-200: each factor is about 1e-200, their product about 1e-400, far
    # below the smallest subnormal 4.9e-324, so it rounds to exactly 0 and so does its norm.
    norms = linear.random_product_norms(np.random.default_rng(0), 1, 2, 1e-200, trials=3)
    assert np.all(norms[:, 1] > 0)
    assert norms[:, 2].tolist() == [0.0, 0.0, 0.0]


# ------------------------------------------------------------------------- activation_timing


def test_activation_costs_default_to_41_rounds_on_a_million_values_in_nanoseconds(monkeypatch):
    # A fake clock that advances 1 s per reading: every timed call takes 1 s, which over
    # 10^6 values is 10^9 ns / 10^6 = 1000 ns per element (unit conversion by hand).
    clock = itertools.count(0.0, 1.0)
    monkeypatch.setattr(timing, "time", types.SimpleNamespace(perf_counter=lambda: next(clock)))
    shapes = []

    def identity(z):
        shapes.append(np.shape(z))
        return z

    samples = timing.activation_costs(np.random.default_rng(0), activations={"id": identity})
    assert shapes == [(1_000_000,)] * 42  # one warm-up, then one call per round
    assert samples["id"].shape == (41,)
    assert samples["id"] == pytest.approx(np.full(41, 1000.0), rel=1e-12, abs=0)


def test_a_malformed_summary_is_refused_with_what_a_summary_must_be():
    with pytest.raises(ValueError, match=r"^summary must map names to positive \(q25, median, "
                                         r"q75\) as returned by cost_summary$"):
        timing.cheapest_statement({"a": (0.0, 1.0, 2.0)})


# -------------------------------------------------------------------------------- activations


def test_derivative_peak_names_the_derivative_when_it_returns_complex_values():
    with pytest.raises(ValueError, match=r"^derivative must map the grid to real values: "
                                         r"derivative must hold real numbers"):
        act.derivative_peak(lambda z: z.astype(complex), -1.0, 1.0, points=3)


# ---------------------------------------------------------------------------------- relu_unit


def test_layer_sparsity_budget_message_names_rows_of_inputs_and_columns_of_weights():
    # By hand: 8193 rows × 8193 units = 67 125 249 > 2^26 = 67 108 864.
    with pytest.raises(ValueError, match=r"^rows of inputs × columns of weights must be at most"):
        relu_unit.relu_layer_sparsity(np.ones((8193, 1)), np.ones((1, 8193)), np.zeros(8193))


def test_train_single_unit_defaults_to_800_steps():
    # The signature's default, steps=800: 801 rows, the start included.
    weights, biases, active = relu_unit.train_single_unit([[1.0]], [1.0], [1.0], 0.0)
    assert weights.shape == (801, 1) and biases.shape == (801,) and active.shape == (801,)


def test_training_operations_budget_message_names_runs_steps_and_step_cost():
    # By hand: 10^6 steps × (6 × 1 entry + 1e5) = 1.00006e11 operations > 1e11, while the
    # history, (10^6 + 1) × (1 + 1) entries, fits 2^26.
    with pytest.raises(ValueError, match=r"^runs × steps × \(6 × the size of inputs \+ "
                                         r"STEP_COST\) of steps and inputs must be at most"):
        relu_unit.train_single_unit([[1.0]], [1.0], [1.0], 0.0, steps=1_000_000)


def test_dying_unit_experiment_defaults_to_800_steps():
    pixels = np.random.default_rng(0).uniform(0.1, 1.0, (3, 2))
    runs = relu_unit.dying_unit_experiment(np.random.default_rng(1), pixels)
    assert sorted(runs) == [0.0, 0.01, 0.1]
    assert all(run[0].shape == (801, 2) and run[2].shape == (801,) for run in runs.values())


def test_a_refused_learning_rate_leaves_the_generator_untouched():
    # learning_rate must lie in (0, 1000]: a refused call draws nothing from the generator,
    # so its state (compared as a dict) is the one it had before.
    pixels = np.random.default_rng(0).uniform(0.1, 1.0, (3, 2))
    for learning_rate in (0.0, 1000.5, 2000.0):
        rng = np.random.default_rng(1)
        before = rng.bit_generator.state
        with pytest.raises(ValueError, match="^learning_rate"):
            relu_unit.dying_unit_experiment(rng, pixels, steps=1, learning_rate=learning_rate)
        assert rng.bit_generator.state == before, learning_rate


# ---------------------------------------------------------------------------------- underflow


def test_underflow_depths_default_to_5000_factors():
    # A factor above 1/2 never reaches 0: the smallest subnormal s times 0.75 is nearer s than
    # 0, so it rounds back to s. The refusal quotes the default max_depth.
    with pytest.raises(ValueError, match=r"max_depth=5000 factors"):
        underflow.underflow_depths(0.75, np.float64)


def test_underflow_depths_check_factor_before_max_depth():
    # factor must lie in the open interval (0, 1): named first, though max_depth is bad too.
    for factor in (0.0, 1.0, 1.5):
        with pytest.raises(ValueError, match=r"^factor must lie in \(0\.0, 1\.0\)"):
            underflow.underflow_depths(factor, np.float64, max_depth=0)
