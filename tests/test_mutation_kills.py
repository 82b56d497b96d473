"""Tests written to kill the mutants `make mutate` found surviving (issue 20) in the modules
behind the claims ledger. Each checks behaviour against an oracle independent of the code under
test: a closed form, exact binary arithmetic, a finite difference, a hand count, or a second
implementation in plain Python. Grouped by module."""

import math
import time

import numpy as np
import pytest
import sympy

from snippets.core import activation_timing as timing
from snippets.core import activations as act
from snippets.core import (
    dead_networks,
    networks,
    preprocessing,
    relu_unit,
    series,
    underflow,
    validation,
)
from snippets.core import gradient_chain as chain
from snippets.core import linear_networks as linear
from snippets.core import optimisation as opt
from snippets.core.statistics import mean_and_spread
from snippets.experiments.initialisation_and_variance import (
    glorot_histograms,
    saturation,
    standardisation,
    xavier,
)

# ---------------------------------------------------------------------------------- underflow


def test_running_product_has_one_entry_per_depth_from_zero_and_takes_a_single_factor():
    # Powers of two are exact in binary floating point: 2^-r is the oracle, entry for entry.
    for depth in (1, 2, 7):
        products = underflow.running_product(0.5, depth, np.float64)
        assert products.tolist() == [2.0 ** -r for r in range(depth + 1)]


def test_underflow_depths_with_one_factor_that_rounds_to_zero():
    # float16's smallest subnormal is 2^-24 ≈ 6.0e-8; 1e-8 is below half of it, so it rounds
    # to 0 and the product is 0 (and below the smallest normal) after one factor.
    assert 1e-8 < 2.0 ** -25
    assert underflow.underflow_depths(1e-8, np.float16, max_depth=1) == (1, 1)


def test_underflow_depths_do_not_depend_on_numpys_error_state():
    # Underflow is what the function measures: a caller asking numpy to raise on it still
    # gets the depths (0.5^r is below float64's smallest normal 2^-1022 from r = 1023 and 0
    # from r = 1075, one past the smallest subnormal 2^-1074).
    with np.errstate(all="raise"):
        assert underflow.underflow_depths(0.5, np.float64, max_depth=2000) == (1023, 1075)


# ----------------------------------------------------------------------------- gradient_chain


def _sigmoid(z):
    return 1.0 / (1.0 + math.exp(-z))


def _derivative(function, x, step=1e-6):
    return (function(x + step) - function(x - step)) / (2 * step)


def _check_first_weight_gradient(w1, w2, w3, x, target):
    h1 = _sigmoid(w1 * x)
    h2 = _sigmoid(w2 * h1)
    out = _sigmoid(w3 * h2)
    factors, product = chain.first_weight_gradient(np.array([w1, w2, w3]), x, target)
    assert set(factors) == {"∂J/∂out", "∂out/∂h2", "∂h2/∂h1", "∂h1/∂w1"}
    expected = {
        "∂J/∂out": _derivative(lambda o: 0.5 * (o - target) ** 2, out),
        "∂out/∂h2": _derivative(lambda h: _sigmoid(w3 * h), h2),
        "∂h2/∂h1": _derivative(lambda h: _sigmoid(w2 * h), h1),
        "∂h1/∂w1": _derivative(lambda w: _sigmoid(w * x), w1),
    }
    for name, value in expected.items():
        assert factors[name] == pytest.approx(value, rel=1e-6, abs=1e-10), name

    def cost(w):
        return 0.5 * (_sigmoid(w3 * _sigmoid(w2 * _sigmoid(w * x))) - target) ** 2

    assert product == pytest.approx(_derivative(cost, w1), rel=1e-5, abs=1e-12)


def test_first_weight_gradient_factors_are_the_partial_derivatives_they_name():
    # Each named factor against a central difference of the function it differentiates.
    rng = np.random.default_rng(11)
    for target in (1.0, 0.3, 0.0):
        w1, w2, w3 = rng.normal(0.0, 1.5, 3)
        _check_first_weight_gradient(w1, w2, w3, float(rng.normal()), target)


def test_chain_ratio_statistics_default_bound_is_the_sigmoid_slope_maximum():
    # σ′ ≤ σ′(0) = 1/4: the default bound is (1/4)^r. Ratios exactly at the bound do not
    # exceed it. Column 1 holds 0, 0.01, …, 1 and column 2 half of that: with linear
    # interpolation the quantiles are the levels (halved), the means 1/2 and 1/4.
    column = np.linspace(0.0, 1.0, 101)
    ratios = np.column_stack([column, column / 2])
    stats = chain.chain_ratio_statistics(ratios)
    assert set(stats) == {"depth", "bound", "q05", "median", "q95", "mean",
                          "fraction_above_bound"}
    assert stats["depth"].tolist() == [1, 2]
    assert stats["bound"].tolist() == [0.25, 0.0625]
    for key, level in (("q05", 0.05), ("median", 0.5), ("q95", 0.95)):
        assert stats[key] == pytest.approx([level, level / 2], abs=1e-12), key
    assert stats["mean"].shape == (2,) and stats["mean"] == pytest.approx([0.5, 0.25])
    # Strictly above 0.25: 0.26 … 1.00 (75 of 101); k/200 above 0.0625: k = 13 … 100 (88).
    assert stats["fraction_above_bound"] == pytest.approx([75 / 101, 88 / 101])
    at_bound = np.array([[0.25, 0.0625]] * 4)
    assert chain.chain_ratio_statistics(at_bound)["fraction_above_bound"].tolist() == [0, 0]


def _centred_chain(weight_rows, x=0.5):
    """Weights with the biases b_t = −w_t y_{t−1} that make every pre-activation exactly 0
    (from y_0 = x = 1/2 every y_t = σ(0) = 1/2, and w · 1/2 is exact): each factor is
    |w_t| σ′(0) = |w_t| / 4."""
    weights = np.array(weight_rows, dtype=float)
    biases = -weights * 0.5
    biases[:, 0] = -weights[:, 0] * x
    return weights, np.full(weights.shape[0], x), biases


def test_gradient_ratios_are_products_from_the_top_and_refuse_only_real_overflow():
    # Bottom four layers have factor 1e99, top four 1e-99: from the top the products fall,
    # then climb back to about 1, so nothing overflows (bottom-up they would reach 1e396).
    weights, inputs, biases = _centred_chain([[4e99] * 4 + [4e-99] * 4])
    ratios = chain.chain_gradient_ratios(weights, inputs, biases)
    assert ratios[0, :3] == pytest.approx([1e-99, 1e-198, 1e-297], rel=1e-12)
    # Two chains each reaching 1e297 fit; the products are per chain, not across chains.
    weights, inputs, biases = _centred_chain([[4e99] * 3, [4e99] * 3])
    ratios = chain.chain_gradient_ratios(weights, inputs, biases)
    assert ratios[:, -1] == pytest.approx([1e297, 1e297], rel=1e-12)
    # Four layers of 1e99 from the top: 1e396 overflows float64 and is refused.
    weights, inputs, biases = _centred_chain([[4e99] * 4])
    with pytest.raises(ValueError, match="overflow"):
        chain.chain_gradient_ratios(weights, inputs, biases)
    # A zero weight gives a factor of exactly 0 (ln 0 = −∞ without a warning): ρ is 0 below.
    ratios = chain.chain_gradient_ratios(np.array([[2.0, 0.0, 2.0]]), np.array([0.5]))
    assert ratios[0, 1:].tolist() == [0.0, 0.0]


def test_chain_factor_budget_counts_layers_times_twenty_chains_plus_a_step(monkeypatch):
    # 3 chains, 2 layers: 2 × (20 × 3 + STEP_COST) operations, exactly the budget or one over.
    cost = 2 * (20.0 * 3 + 1e5)
    weights, inputs = np.ones((3, 2)), np.full(3, 0.5)
    monkeypatch.setattr(chain, "MAX_OPERATIONS", cost)
    assert chain.chain_factors(weights, inputs).shape == (3, 2)
    monkeypatch.setattr(chain, "MAX_OPERATIONS", cost - 1)
    with pytest.raises(ValueError, match="layers"):
        chain.chain_factors(weights, inputs)


def test_chain_factors_say_how_many_chains_the_inputs_must_match():
    with pytest.raises(ValueError, match=r"one entry per chain \(2\)"):
        chain.chain_factors(np.ones((2, 5)), np.ones(3))


def test_sample_chain_takes_one_chain_of_one_layer_and_budgets_chains_times_depth(monkeypatch):
    weights, inputs = chain.sample_chain(np.random.default_rng(0), 1, 1)
    assert weights.shape == (1, 1) and inputs.shape == (1,)
    monkeypatch.setattr(chain, "MAX_ELEMENTS", 12)
    assert chain.sample_chain(np.random.default_rng(0), 3, 4)[0].shape == (3, 4)
    with pytest.raises(ValueError, match="chains × depth"):
        chain.sample_chain(np.random.default_rng(0), 2, 7)


def test_exploding_chain_takes_small_weights_and_a_single_layer():
    # Every factor is w σ′(0) = w / 4: (1/8)^r for w = 1/2.
    weights, biases, inputs = chain.exploding_chain(0.5, 3)
    ratios = chain.chain_gradient_ratios(weights, inputs, biases)
    assert ratios[0] == pytest.approx([0.125, 0.125 ** 2, 0.125 ** 3], rel=1e-12)
    weights, biases, inputs = chain.exploding_chain(8.0, 1)
    assert chain.chain_gradient_ratios(weights, inputs, biases)[0].tolist() == [2.0]


def test_unit_gain_band_is_the_single_point_zero_at_weight_four():
    # 4 σ′(0) = 1 exactly: at |w| = 4 the band |w| σ′(z) ≥ 1 is {0}, of half-width 0.
    assert chain.unit_gain_half_width(4.0) == 0.0
    assert chain.unit_gain_half_width(-4.0) == 0.0


# ------------------------------------------------------------------------------- optimisation


def test_a_path_of_zero_steps_is_the_start_and_zeros_stay_exactly_zero():
    path = opt.gradient_descent_path([1.0, 4.0], [3.0, -2.0], 0.1, 0)
    assert path.tolist() == [[3.0, -2.0]]
    # A zero coordinate, and a contraction 1 − η λ = 1 − 0.25 · 4 = 0: exact zeros, and no
    # warning from the logarithm of 0 (pytest turns warnings into errors).
    path = opt.gradient_descent_path([1.0, 4.0], [0.0, 1.0], 0.25, 3)
    assert path.shape == (4, 2)
    assert path[:, 0].tolist() == [0.0] * 4
    assert path[:, 1].tolist() == [1.0, 0.0, 0.0, 0.0]


def test_path_steps_are_bounded_by_a_million():
    assert opt.gradient_descent_path([1.0], [1.0], 0.5, 1_000_000)[-1, 0] == 0.0  # 0.5^1e6
    with pytest.raises(ValueError, match="steps"):
        opt.gradient_descent_path([1.0], [1.0], 0.5, 1_000_001)


def test_path_budget_counts_steps_plus_one_rows(monkeypatch):
    # With a budget of 100 entries: 10 rows (9 steps) of 10 coordinates fit, 11 rows do not.
    monkeypatch.setattr(opt, "MAX_ELEMENTS", 100)
    assert opt.gradient_descent_path(np.ones(10), np.ones(10), 0.5, 9).shape == (10, 10)
    with pytest.raises(ValueError, match="steps"):
        opt.gradient_descent_path(np.ones(10), np.ones(10), 0.5, 10)


def test_a_path_that_would_overflow_is_refused_and_one_that_fits_is_not():
    # |1 − η λ| = |1 − 4| = 3 from |θ_0| = 1e50: 3^541 · 1e50 ≈ e^709.5 fits float64
    # (max ≈ e^709.78), 3^542 · 1e50 ≈ e^710.6 does not.
    assert 541 * math.log(3) + math.log(1e50) < math.log(1.7976931348623157e308) \
        < 542 * math.log(3) + math.log(1e50)
    last = opt.gradient_descent_path([1.0], [1e50], 4.0, 541)[-1, 0]
    assert last == pytest.approx(-1e50 * 3.0 ** 541, rel=1e-12)
    with pytest.raises(ValueError, match="overflow"):
        opt.gradient_descent_path([1.0], [1e50], 4.0, 542)


def test_steps_to_tolerance_by_hand(monkeypatch):
    # λ = 1, η = 1/2: θ halves and the cost quarters every step, J_k / J_0 = 4^−k = 2^−2k.
    # Tolerance 1e-6 is first met at k = 10 (4^−10 ≈ 9.5e-7); 2^−20 exactly also at k = 10.
    assert opt.steps_to_tolerance([1.0], [1.0], 0.5) == 10
    assert opt.steps_to_tolerance([1.0], [1.0], 0.5, tolerance=2.0 ** -20) == 10
    assert opt.steps_to_tolerance([1.0], [1.0], 0.5, max_steps=10) == 10
    assert opt.steps_to_tolerance([1.0], [1.0], 0.5, max_steps=9) is None
    assert opt.steps_to_tolerance([1.0], [1.0], 1.0, tolerance=0.5, max_steps=1) == 1  # θ_1 = 0
    # η λ = 3: θ is multiplied by −2 each step; it overflows and the run ends in None.
    assert opt.steps_to_tolerance([1.0], [1.0], 3.0) is None
    # 2 coordinates, 3 steps: 3 × (6 × 2 + STEP_COST) operations, exactly the budget or over.
    monkeypatch.setattr(opt, "MAX_OPERATIONS", 3 * (6.0 * 2 + 1e5))
    assert opt.steps_to_tolerance([1.0, 1.0], [1.0, 1.0], 0.5, max_steps=3) is None
    monkeypatch.setattr(opt, "MAX_OPERATIONS", 3 * (6.0 * 2 + 1e5) - 1)
    with pytest.raises(ValueError, match="max_steps"):
        opt.steps_to_tolerance([1.0, 1.0], [1.0, 1.0], 0.5, max_steps=3)


def test_condition_number_and_predicted_steps_by_hand():
    assert opt.condition_number([2.0, 8.0]) == 4.0
    # κ = 3: ρ = (κ − 1)/(κ + 1) = 1/2 and the cost falls like ρ^{2k} = 4^{−k}: 4^{−10} ≈
    # 9.5e-7 ≤ 1e-6 (the default tolerance) < 4^{−9} ≈ 3.8e-6, so 10 steps.
    assert 0.25 ** 10 <= 1e-6 < 0.25 ** 9
    assert opt.predicted_steps([1.0, 3.0]) == 10


# ------------------------------------------------------------------------- activation_timing


def test_the_timed_naive_sigmoid_is_the_sigmoid():
    z = np.array([-3.0, -0.5, 0.0, 0.5, 3.0])
    assert timing._naive_sigmoid(z) == pytest.approx([1 / (1 + math.exp(-v)) for v in z],
                                                     rel=1e-15)


def test_activation_costs_are_nanoseconds_per_element_of_the_time_taken():
    # Each measurement is one timed evaluation divided by the size: none can exceed the time
    # the whole call took per element, by the test's own clock.
    size = 1000
    begun = time.perf_counter()
    samples = timing.activation_costs(np.random.default_rng(0), size=size, rounds=4)
    elapsed_ns_per_element = (time.perf_counter() - begun) / size * 1e9
    for values in samples.values():
        assert values.shape == (4,)
        assert np.all(values > 0) and np.all(values <= elapsed_ns_per_element)
    assert timing.activation_costs(np.random.default_rng(0), size=1, rounds=4)
    with pytest.raises(ValueError, match="size"):
        timing.activation_costs(np.random.default_rng(0), size=10_000_001, rounds=4)


def test_cost_statements_state_the_margin_and_order_by_median():
    margin = f"{round(100 * (timing.MIN_FACTOR - 1))} %"  # MIN_FACTOR = 1.1: "10 %"
    assert margin == "10 %"
    # Medians exactly MIN_FACTOR apart (1.1 = 1.1 · 1.0 in binary too) with disjoint ranges:
    # "at least MIN_FACTOR" holds.
    summary = {"a": (0.9, 1.0, 1.0), "b": (1.05, 1.1, 1.2)}
    assert timing.compare_costs(summary, "a", "b").startswith("a is cheaper than b")
    assert timing.cheapest_statement(summary).endswith(f"its median at least {margin} lower")
    overlapping = {"a": (1.0, 2.0, 10.0), "b": (1.5, 3.0, 4.0)}
    assert timing.compare_costs(overlapping, "a", "b").endswith(
        f"their medians differ by less than {margin})")
    # The lowest median (a's 2.0, not b's lowest q75 4.0) is named first.
    assert timing.cheapest_statement(overlapping).startswith("a and b are the cheapest")
    for bad in ({"a": (0.0, 1.0, 2.0)}, {"a": (3.0, 1.0, 2.0)}, {"a": (2.0, 1.0, 3.0)}):
        with pytest.raises(ValueError, match="summary"):
            timing.cheapest_statement(bad)


def test_a_timing_of_zero_is_refused():
    with pytest.raises(ValueError, match="samples"):
        timing.cost_summary({"relu": [0.0, 1.0, 1.0, 1.0]})


# -------------------------------------------------------------------------------- activations


def test_derivative_peak_interval_is_bounded_by_a_million_and_three_points_suffice():
    # φ′(z) = −(z − 1)²: the peak is z = 1; on 3 points of [−1, 3] the middle one is 1.
    assert act.derivative_peak(lambda z: -(z - 1.0) ** 2, -1.0, 3.0, points=3) == (1.0, 0.0)
    with pytest.raises(ValueError, match="low"):
        act.derivative_peak(lambda z: -z * z, 1e6 + 0.5, 2e6, points=3)


def test_penalized_tanh_slope_at_zero_is_the_penalised_one():
    # "tanh′(z) for z > 0 and penalty · tanh′(z) otherwise": at 0, penalty · tanh′(0) = penalty.
    assert float(act.penalized_tanh_derivative(0.0)) == 0.25
    assert float(act.penalized_tanh_derivative(1e-300)) == 1.0


# ------------------------------------------------------------------------------------- series


def test_taylor_coefficients_default_to_order_seven_and_start_at_order_zero():
    # σ(z) = 1/2 + z/4 − z³/48 + z⁵/480 − 17 z⁷/80640 + …, the classical expansion
    # (σ(z) = 1/2 + tanh(z/2)/2 with tanh's Bernoulli-number coefficients).
    R = sympy.Rational
    assert series.taylor_coefficients("sigmoid") == [
        R(1, 2), R(1, 4), 0, R(-1, 48), 0, R(1, 480), 0, R(-17, 80640)]
    assert series.taylor_coefficients("tanh", 0) == [0]


def test_series_latex_refuses_a_finite_complex_coefficient():
    with pytest.raises(ValueError, match="coefficients"):
        series.series_latex([sympy.Rational(1, 2), sympy.I])


# ---------------------------------------------------------------------------------- relu_unit


def test_relu_layer_sparsity_adds_the_biases_and_budgets_rows_times_units(monkeypatch):
    # One input 1, four units of weight 1: z = 1 + b = −1, −0.5, 0.5, 3, so 2 of 4 are 0.
    assert relu_unit.relu_layer_sparsity([[1.0]], [[1.0] * 4], [-2.0, -1.5, -0.5, 2.0]) == 0.5
    inputs, weights, biases = np.ones((3, 2)), np.ones((2, 4)), np.zeros(4)
    monkeypatch.setattr(relu_unit, "MAX_ELEMENTS", 12)  # 3 rows × 4 units
    assert relu_unit.relu_layer_sparsity(inputs, weights, biases) == 0.0
    monkeypatch.setattr(relu_unit, "MAX_ELEMENTS", 11)
    with pytest.raises(ValueError, match="rows of inputs"):
        relu_unit.relu_layer_sparsity(inputs, weights, biases)


def test_a_layer_of_one_input_and_one_unit():
    weights, biases = relu_unit.he_normal_layer(np.random.default_rng(0), 1, 1)
    assert weights.shape == (1, 1) and biases.tolist() == [0.0]


def _unit_loss(inputs, targets, weights, bias):
    z = inputs @ weights + bias
    return 0.5 * np.mean((np.maximum(z, 0.0) - targets) ** 2)


def test_one_training_step_moves_weights_and_bias_down_the_finite_difference_gradient():
    rng = np.random.default_rng(5)
    inputs, targets = rng.uniform(0, 1, (20, 3)), rng.uniform(0, 1, 20)
    weights, bias, rate, h = rng.uniform(0.2, 1.0, 3), 0.3, 0.1, 1e-6
    weight_history, bias_history, _ = relu_unit.train_single_unit(
        inputs, targets, weights, bias, learning_rate=rate, steps=1)
    bias_gradient = (_unit_loss(inputs, targets, weights, bias + h)
                     - _unit_loss(inputs, targets, weights, bias - h)) / (2 * h)
    weight_gradient = [(_unit_loss(inputs, targets, weights + h * e, bias)
                        - _unit_loss(inputs, targets, weights - h * e, bias)) / (2 * h)
                       for e in np.eye(3)]
    assert bias_history[1] == pytest.approx(bias - rate * bias_gradient, abs=1e-9)
    assert weight_history[1] == pytest.approx(weights - rate * np.array(weight_gradient),
                                              abs=1e-9)


def test_zero_steps_and_a_zero_pre_activation_counts_as_inactive():
    # z = 0·w + 0 = 0 exactly: ReLU(0) = 0 and its gradient 0, so the unit is not active.
    weight_history, bias_history, active = relu_unit.train_single_unit(
        [[0.0, 0.0]], [1.0], [1.0, 1.0], 0.0, steps=0)
    assert weight_history.tolist() == [[1.0, 1.0]] and bias_history.tolist() == [0.0]
    assert active.tolist() == [0.0]


def test_training_budgets_count_history_rows_and_operations(monkeypatch):
    # 3 examples × 2 features, 4 steps: (4 + 1) × (2 + 3) = 25 entries kept and
    # 4 × (6 × 6 + STEP_COST) operations; each budget exactly met, then one short.
    inputs, targets, weights = np.ones((3, 2)), np.ones(3), np.ones(2)
    operations = 4 * (6.0 * 6 + 1e5)
    for elements, ops, fits in ((25, operations, True), (24, operations, False),
                                (25, operations - 1, False)):
        monkeypatch.setattr(relu_unit, "MAX_ELEMENTS", elements)
        monkeypatch.setattr(relu_unit, "MAX_OPERATIONS", ops)
        if fits:
            assert relu_unit.train_single_unit(inputs, targets, weights, 0.0,
                                               steps=4)[0].shape == (5, 2)
        else:
            with pytest.raises(ValueError, match="steps"):
                relu_unit.train_single_unit(inputs, targets, weights, 0.0, steps=4)


def test_dying_unit_experiment_takes_zero_steps_and_refuses_a_zero_learning_rate():
    pixels = np.random.default_rng(0).uniform(0, 1, (5, 4))
    runs = relu_unit.dying_unit_experiment(np.random.default_rng(1), pixels, steps=0)
    assert all(len(run[1]) == 1 for run in runs.values())
    with pytest.raises(ValueError, match="learning_rate"):
        relu_unit.dying_unit_experiment(np.random.default_rng(1), pixels, steps=1,
                                        learning_rate=0.0)


def test_unit_arguments_refuse_a_slope_of_one_and_count_the_rows():
    with pytest.raises(ValueError, match="slope"):
        relu_unit.single_unit_loss_and_gradient([[1.0]], [1.0], [1.0], 0.0, slope=1.0)
    with pytest.raises(ValueError, match="slope"):  # refused even when no step would use it
        relu_unit.train_single_unit([[1.0]], [1.0], [1.0], 0.0, slope=1.0, steps=0)
    with pytest.raises(ValueError, match=r"one entry per row of inputs \(3\)"):
        relu_unit.single_unit_loss_and_gradient(np.ones((3, 2)), [1.0], [1.0, 1.0], 0.0)


def test_dying_unit_starts_inactive_on_every_image_and_budgets_every_slope(monkeypatch):
    # Every weight negative and bias 0 on non-negative pixels: z ≤ 0, active share 0 at start.
    pixels = np.random.default_rng(0).uniform(0.1, 1, (5, 4))
    runs = relu_unit.dying_unit_experiment(np.random.default_rng(1), pixels, steps=2)
    assert all(run[2][0] == 0.0 for run in runs.values())
    # Three slopes × (2 + 1) rows × (4 + 5) entries = 81: exactly the budget, then one over.
    monkeypatch.setattr(relu_unit, "MAX_ELEMENTS", 81)
    assert len(relu_unit.dying_unit_experiment(np.random.default_rng(1), pixels, steps=2)) == 3
    monkeypatch.setattr(relu_unit, "MAX_ELEMENTS", 80)
    with pytest.raises(ValueError, match="runs"):
        relu_unit.dying_unit_experiment(np.random.default_rng(1), pixels, steps=2)


def test_a_bias_that_makes_z_exactly_zero_leaves_the_unit_inactive():
    assert relu_unit.active_share_by_bias([[1.0], [2.0]], [1.0], [-1.0]).tolist() == [0.5]


# ---------------------------------------------------------------------------- linear_networks


def test_linear_chain_gradients_by_hand():
    # a_0 = x = 1 by default, a_1 = 2, a_2 = 6; ∂L/∂a_n = 15, 5, 1: ∂L/∂w_n = 15, 10, 6.
    assert linear.linear_chain_gradients([2.0, 3.0, 5.0]).tolist() == [15.0, 10.0, 6.0]
    # x = 0 makes every a_{n−1}, so every gradient, 0; a zero weight zeroes those below it.
    assert linear.linear_chain_gradients([2.0, 3.0], x=0.0).tolist() == [0.0, 0.0]
    assert linear.linear_chain_backward([0.0, 2.0]).tolist() == [2.0, 1.0]
    assert linear.linear_chain_gradients([2.0, 0.0, 3.0]).tolist() == [0.0, 6.0, 0.0]


def test_linear_chain_refuses_exactly_the_products_that_overflow():
    # 1e308 alone fits float64 (max ≈ 1.8e308), as the product a_1 = 1e308 does.
    assert linear.linear_chain_backward([1e308, 1.0]).tolist() == [1.0, 1.0]
    assert linear.linear_chain_gradients([1e308, 1.0]).tolist() == [1.0, 1e308]
    assert linear.linear_chain_gradients([1.0], x=1e308).tolist() == [1e308]
    for weights in ([1.0, 1e308, 1e308],            # ∂L/∂a_1 = 1e616
                    [1e200, 1e200, 1e-300, 1e-300],  # a_2 = 1e400, though later ones fit
                    [1e200, 1.0, 1e200],             # a_1 · ∂L/∂a_2 = 1e400, each 1e200
                    [1e-300, 1.0, 1e200, 1e200]):    # ∂L/∂a_2 = 1e400, a_1 · it 1e100
        with pytest.raises(ValueError, match="overflow"):
            linear.linear_chain_gradients(weights)


def test_random_product_norms_of_one_unit_one_layer_start_at_one():
    norms = linear.random_product_norms(np.random.default_rng(0), 1, 1, 1.0, trials=3)
    assert norms.shape == (3, 2)
    assert norms[:, 0].tolist() == [1.0, 1.0, 1.0]  # the empty product is the identity
    assert np.all(norms[:, 1] > 0)


def test_random_product_norms_growth_bound_is_scale_to_the_depth_at_most_1e250():
    # 10^1.002 over 250 layers is 10^250.5, just above the bound. (The bound itself cannot be
    # run: np.linalg.norm squares the entries, which overflows beyond 1.3e154.)
    rng = np.random.default_rng(0)
    with pytest.raises(ValueError, match="scale"):
        linear.random_product_norms(rng, 1, 250, 10 ** 1.002, trials=1)


def test_random_product_budgets(monkeypatch):
    # width 2, depth 3, trials 4: 4 × 3 × (2 × 8 + STEP_COST) operations and
    # 3 × 4 + 4 × 4 = 28 entries; each budget exactly met, then one short.
    operations = 4 * 3 * (2.0 * 8 + 1e5)
    for elements, ops, fits in ((28, operations, True), (27, operations, False),
                                (28, operations - 1, False)):
        monkeypatch.setattr(linear, "MAX_ELEMENTS", elements)
        monkeypatch.setattr(linear, "MAX_OPERATIONS", ops)
        if fits:
            assert linear.random_product_norms(np.random.default_rng(0), 2, 3, 1.0,
                                               trials=4).shape == (4, 4)
        else:
            with pytest.raises(ValueError, match="width"):
                linear.random_product_norms(np.random.default_rng(0), 2, 3, 1.0, trials=4)


def test_softmax_axis_must_be_one_of_the_arrays_axes():
    z = np.zeros((2, 3))
    assert act.softmax(z, axis=1) == pytest.approx(np.full((2, 3), 1 / 3))
    with pytest.raises(ValueError, match="axis must"):
        act.softmax(z, axis=2)


def test_rectifier_derivatives_keep_float32():
    z = np.array([-1.0, 0.0, 2.0], dtype=np.float32)
    assert act.relu_derivative(z).dtype == np.float32
    assert act.leaky_relu_derivative(z, 0.1).dtype == np.float32


# ------------------------------------------------------------------------------ preprocessing


def test_same_sign_share_by_hand():
    # Rows whose non-zero entries share a sign: (1, 2), (−1, −2), (0, 0), (0, −3), (0.5, 0);
    # mixed: (1, −1), (−0.5, 0.5). 5 of 7.
    inputs = [[1, 2], [-1, -2], [1, -1], [0, 0], [0, -3], [-0.5, 0.5], [0.5, 0]]
    assert preprocessing.same_sign_share(inputs) == pytest.approx(5 / 7)



# --------------------------------------------------------- experiments: figure-only summaries


def test_top_layer_summary_reads_the_top_layer_of_every_run():
    # Each entry by its definition: the top hidden layer's mean activation (last layer, first
    # statistic) at the first record, its minimum and where, at the last record.
    runs = saturation.saturation_runs()
    summary = saturation.top_layer_summary()
    assert len(summary) == len(runs)
    for run, row in zip(runs, summary):
        top = [float(record[-1][0]) for record in run["stats"]]
        assert set(row) == set(saturation.SUMMARY_KEYS)
        assert row["start"] == top[0] and row["end"] == top[-1]
        assert row["lowest"] == min(top)
        assert top[list(run["updates"]).index(row["lowest_update"])] == min(top)
        assert row["accuracy"] == run["accuracy"]
    assert saturation.over_networks("end") == mean_and_spread([row["end"] for row in summary])


def test_mean_profiles_average_the_repetitions():
    for label, (forward, backward) in xavier.mean_profiles().items():
        runs = xavier.xavier_profiles()[label]
        repetitions = len(runs["forward"])
        assert forward == pytest.approx(sum(runs["forward"]) / repetitions)
        assert backward == pytest.approx(sum(runs["backward"]) / repetitions)


# ----------------------------------------------------------------------------------- networks


def test_cross_entropy_closed_forms():
    # Sigmoid (the default): −[y ln a + (1 − y) ln(1 − a)] = ln 2 at a = y = 1/2.
    assert networks.cross_entropy([[0.5]], [[0.5]]) == pytest.approx(math.log(2))
    # Softmax: −Σ y ln a = −ln 0.75 for the one-hot target on the second class.
    assert networks.cross_entropy([[0.25, 0.75]], [[0.0, 1.0]], output="softmax") == \
        pytest.approx(-math.log(0.75))
    # Two stacked networks (examples × classes each), one set of targets: one value each.
    stacked = np.array([[[0.5]], [[0.25]]])
    assert networks.cross_entropy(stacked, [[1.0]]) == pytest.approx(
        [math.log(2), math.log(4)])
    # Four dimensions of outputs, or stacked targets, are refused.
    with pytest.raises(ValueError, match="outputs"):
        networks.cross_entropy(np.full((2, 2, 1, 1), 0.5), [[1.0]])
    with pytest.raises(ValueError, match="targets"):
        networks.cross_entropy(stacked, np.ones((2, 1, 1)))


def test_activation_growth_starts_from_the_inputs_mean_square_and_takes_single_sizes():
    # x ~ N(0, 1): E[x²] = 1; 20 000 draws put the sample mean within 0.05 (σ = √2/√20 000).
    moments = networks.activation_growth(np.random.default_rng(0), 10, 1, 1.0, examples=2000)
    assert moments[0] == pytest.approx(1.0, abs=0.05)
    assert networks.activation_growth(np.random.default_rng(0), 1, 1, 1.0, examples=1).shape \
        == (2,)


# --------------------------------------------------------------------------------- validation


def test_a_refused_value_is_quoted_in_full_up_to_40_characters_then_shortened():
    for length, full in ((38, True), (39, False)):  # repr adds the two quotes: 40 and 41
        value = "x" * length
        with pytest.raises(ValueError) as refused:
            validation.require_sizes("sizes", value)
        text = repr(value)
        if full:
            assert f"got {text}" in str(refused.value)
        else:
            assert f"got {text[:20]}… ({len(text)} characters)" in str(refused.value)


# ------------------------------------------------------------------------------ dead_networks


def test_single_input_dead_probability_closed_form_at_the_smallest_sizes():
    # One unit per layer is all zero with probability 1/2; no layer at all is never dead.
    assert dead_networks.single_input_dead_probability(1, 1) == 0.5
    assert dead_networks.single_input_dead_probability(1, 2) == 0.75
    assert dead_networks.single_input_dead_probability(3, 0) == 0.0


# ------------------------------------------- experiments: the helpers that summarise results


def test_weight_laws_are_the_uniform_laws_standard_deviations():
    # U[±b] has standard deviation b/√3: 1/√(3n) for b = 1/√n, and for Xavier's
    # b = √6/√(n + n) = √(3/n) exactly 1/√n.
    n = xavier.WIDTH
    laws = xavier.weight_laws()
    assert laws["standard U[±1/√n]"] == pytest.approx(1 / math.sqrt(3 * n))
    assert laws["Xavier"] == pytest.approx(1 / math.sqrt(n))


def test_glorot_spreads_top_over_bottom_and_their_mean_over_networks():
    for label in glorot_histograms.INITS:
        for quantity in glorot_histograms.SPREADS:
            spreads = glorot_histograms.layer_samples()[label][quantity]
            assert spreads.shape[1] == glorot_histograms.HIDDEN
            ratios = glorot_histograms.top_to_bottom(label, quantity)
            assert ratios.tolist() == [row[-1] / row[0] for row in spreads.tolist()]
            mean, _ = glorot_histograms.spread_over_networks(label, quantity)
            assert mean == pytest.approx([sum(column) / len(column) for column in spreads.T])


def test_standardisation_summaries_read_the_final_losses():
    runs = standardisation.standardisation_runs()
    last = {label: [row[-1] for row in runs[label]["losses"].tolist()]
            for label in standardisation.LABELS}
    for label in standardisation.LABELS:
        mean, _ = standardisation.final_losses(label)
        assert mean == pytest.approx(sum(last[label]) / len(last[label]))
    slower, faster = standardisation.LABELS[0], standardisation.LABELS[-1]
    assert standardisation.loss_ratios(slower, faster) == pytest.approx(
        [a / b for a, b in zip(last[slower], last[faster])])


# -------------------------------------------------------------------------------- mean_field
def test_correlation_map_is_one_at_one_and_its_closed_form_at_minus_one():
    """At c = 1 both inputs coincide: the map returns 1 at q = q*. At c = −1, for odd tanh,
    E[φ(u)φ(−u)] = −E[φ(u)²], so the map is (σ_b² − (q* − σ_b²))/q* (a closed form)."""
    from snippets.core import mean_field

    for weight_variance, bias_variance in ((2.5, 0.05), (1.2, 0.0), (0.8, 0.3)):
        q_star = mean_field.fixed_point("tanh", weight_variance, bias_variance)
        if q_star == 0:
            continue
        assert mean_field.correlation_map("tanh", 1.0, q_star, weight_variance,
                                          bias_variance) == pytest.approx(1.0, abs=1e-12)
        assert mean_field.correlation_map("tanh", -1.0, q_star, weight_variance,
                                          bias_variance) == pytest.approx(
            (2 * bias_variance - q_star) / q_star, abs=1e-12)


def test_correlation_slope_at_one_is_the_gradient_factor_at_any_weight_variance():
    """Second method: at c = 1 the joint expectation is the one-dimensional E[φ′(u)²] of
    gradient_factor, for small weight variances too."""
    from snippets.core import mean_field

    for weight_variance in (0.3, 0.5, 2.0):
        assert mean_field.correlation_slope("tanh", 1.0, 0.7, weight_variance) == \
            pytest.approx(mean_field.gradient_factor("tanh", 0.7, weight_variance), rel=1e-12)


def test_correlation_fixed_point_on_the_critical_line_and_where_the_signal_dies():
    """On the critical line c* = 1 and χ_c = 1 (whichever branch rounding takes); without
    biases below σ_w² = 1 tanh's signal dies out and the correlation is refused, by name."""
    from snippets.core import mean_field

    critical = mean_field.critical_weight_variance("tanh", 0.05)
    _, c_star, slope = mean_field.correlation_fixed_point("tanh", critical, 0.05)
    assert c_star == pytest.approx(1.0, abs=1e-3) and slope == pytest.approx(1.0, abs=1e-6)
    with pytest.raises(ValueError, match="weight_variance=0.5 and bias_variance=0.0"):
        mean_field.correlation_fixed_point("tanh", 0.5, 0.0)


def test_length_sequence_of_one_layer_and_weak_shares_at_the_edges():
    from snippets.core import mean_field

    lengths = mean_field.length_sequence("tanh", 1.0, 2.0, 0.1, 1)
    assert lengths.shape == (2,)
    assert lengths[1] == pytest.approx(mean_field.length_map("tanh", 1.0, 2.0, 0.1), rel=1e-15)
    # q = 0: no unit is weak; a leaky slope 0.01 above the threshold 0.005 is never weak.
    assert mean_field.weak_derivative_share("tanh", 0.0) == 0.0
    assert mean_field.weak_derivative_share("relu", 0.0) == 0.0
    assert mean_field.weak_region("leaky_relu", 0.005) == (None, None)
    assert mean_field.weak_derivative_share("leaky_relu", 1.0, threshold=0.005) == 0.0
    # ReLU at q = 1: exactly the negative half (the left edge at 0, no right edge).
    assert mean_field.weak_derivative_share("relu", 1.0) == pytest.approx(0.5, abs=1e-15)


def test_depth_scale_refuses_an_infinite_chi():
    from snippets.core import mean_field

    with pytest.raises(ValueError, match="chi"):
        mean_field.depth_scale(math.inf)


def test_length_map_at_zero_is_its_closed_form():
    """At q = 0 every pre-activation is 0: q ↦ σ_w² φ(0)² + σ_b² exactly."""
    from snippets.core import mean_field

    assert mean_field.length_map("sigmoid", 0.0, 2.0, 0.1) == pytest.approx(0.6, rel=1e-15)
    assert mean_field.length_map("tanh", 0.0, 2.0, 0.1) == pytest.approx(0.1, rel=1e-15)


def test_a_tiny_fixed_point_is_found_to_full_relative_precision():
    """With σ_b² = 1e-8 or 1e-100 and σ_w² = 0.5 tanh's q* is about 2σ_b²: bisection in log
    space finds it to 1e-9 relative, as iterating the map does (the oracle); 200 halvings of
    [1e-150, 1] in plain arithmetic would stop near 1e-60."""
    from snippets.core import mean_field

    for bias_variance in (1e-8, 1e-100):
        lengths = mean_field.length_sequence("tanh", 1.0, 0.5, bias_variance, 1000)
        assert mean_field.fixed_point("tanh", 0.5, bias_variance) == \
            pytest.approx(lengths[-1], rel=1e-9, abs=0)


def test_simulate_bounds_at_their_edges():
    """Depth 1001 is refused even when tiny; three layers of 10,000 examples at width 1000
    exceed the operations budget though they fit in memory; a signal that grows to exactly
    10^290 (σ_w² = 10 over 290 layers, q⁰ = 1) is allowed."""
    from snippets.core import mean_field

    rng = np.random.default_rng(0)
    with pytest.raises(ValueError, match="depth"):
        mean_field.simulate(rng, "tanh", 1.0, 0.0, 1, 1001, 1.0, 1)
    with pytest.raises(ValueError, match="examples"):
        mean_field.simulate(rng, "tanh", 1.0, 0.0, 1000, 3, 1.0, 10_000)
    pre, _ = mean_field.simulate(rng, "relu", 10.0, 0.0, 1, 290, 1.0, 1)
    assert pre.shape == (291, 1, 1)


# ------------------------------------------------------------- bugs the mutants exposed
def test_a_constant_feature_is_only_centred_whatever_the_rounding_of_its_mean():
    """0.1 ten times has a mean that rounds, leaving residues ~1e-17 that division by their own
    spread blew up to ±1: a constant feature now comes out 0, the other standardised."""
    inputs = np.column_stack([np.full(10, 0.1), np.arange(10.0)])
    out = preprocessing.standardise(inputs)
    assert np.array_equal(out[:, 0], np.zeros(10))
    np.testing.assert_allclose(out[:, 1], (np.arange(10) - 4.5) / np.arange(10.0).std(),
                               rtol=1e-14)


def test_a_product_near_the_guard_has_a_finite_norm():
    """Width 1, 250 factors of scale 10: the product is allowed (scale^depth = 1e250) and its
    norm is |Π g_i|, computed here as exp of a sum of logs from the same draws (the oracle)."""
    norms = linear.random_product_norms(np.random.default_rng(3), 1, 250, 10.0, trials=1)
    replay = np.random.default_rng(3)
    logs = np.cumsum([math.log(abs(replay.normal(0.0, 10.0, size=(1, 1))[0, 0]))
                      for _ in range(250)])
    assert np.all(np.isfinite(norms))
    np.testing.assert_allclose(np.log(norms[0, 1:]), logs, rtol=1e-12, atol=1e-9)


def test_chain_products_within_float64_do_not_overflow_on_the_way():
    """∂L/∂a_n needs only the products above each layer: with weights e⁵, e⁷⁰⁰, e⁵ they are
    e⁷⁰⁵, e⁵ and 1, all within float64, though the product of all three is not."""
    weights = np.exp([5.0, 700.0, 5.0])
    np.testing.assert_allclose(np.log(linear.linear_chain_backward(weights)), [705, 5, 0],
                               atol=1e-9)
    # ∂L/∂w_n = Π_{i≠n} w_i: e⁷⁰⁵, e¹⁰, e⁷⁰⁵ — the full product e⁷¹⁰ is never needed.
    np.testing.assert_allclose(np.log(linear.linear_chain_gradients(weights, x=1.0)),
                               [705, 10, 705], atol=1e-9)
