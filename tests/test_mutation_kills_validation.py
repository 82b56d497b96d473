"""Tests that kill surviving mutants of validation, statistics, initialisation and data
(issue 20): each against an independent oracle."""

import math
import re

import numpy as np
import pytest

from snippets.core import initialisation, statistics, validation


def _refused(message):
    """pytest.raises for a ValueError whose message is exactly ``message``."""
    return pytest.raises(ValueError, match=f"^{re.escape(message)}$")

# ------------------------------------------------------------------------ statistics: spread


def test_mean_and_spread_accepts_exactly_two_entries_with_sample_spread():
    # By hand: [1, 3] has mean 2, squared deviations 1 + 1 = 2 over n − 1 = 1, so spread √2.
    mean, spread = statistics.mean_and_spread(np.array([1.0, 3.0]))
    assert mean == 2.0
    assert spread == math.sqrt(2.0)
    with pytest.raises(ValueError, match=r"^values must hold at least 2 entries"):
        statistics.mean_and_spread(np.array([1.0]))


def test_mean_and_spread_divides_by_n_minus_one():
    # By hand: [0, 3, 6] has mean 3, squared deviations 9 + 0 + 9 = 18, 18 / (3 − 1) = 9, so
    # the sample spread is exactly 3 (ddof 0 would give √6, ddof 2 √18).
    mean, spread = statistics.mean_and_spread(np.array([0.0, 3.0, 6.0]))
    assert mean == 3.0
    assert spread == 3.0


def test_mean_and_spread_summarises_each_column_separately():
    # By hand: columns [0, 2] and [0, 4] have means 1 and 2, sample spreads √2 and √8.
    mean, spread = statistics.mean_and_spread(np.array([[0.0, 0.0], [2.0, 4.0]]))
    assert mean.tolist() == [1.0, 2.0]
    assert spread.shape == (2,)
    assert spread.tolist() == [math.sqrt(2.0), math.sqrt(8.0)]


# ---------------------------------------------------------------------- statistics: wilson


def _wilson_roots(successes, trials, z):
    """Second implementation: the Wilson bounds are the roots π of (p̂ − π)² = z² π(1 − π)/n,
    i.e. (1 + z²/n) π² − (2p̂ + z²/n) π + p̂² = 0 (Wilson 1927), by the quadratic formula."""
    p, k = successes / trials, z * z / trials
    a, b, c = 1 + k, -(2 * p + k), p * p
    root = math.sqrt(b * b - 4 * a * c)
    return (-b - root) / (2 * a), (-b + root) / (2 * a)


@pytest.mark.parametrize("successes, trials", [(3, 10), (5, 10), (7, 10), (1, 4)])
def test_wilson_interval_bounds_solve_wilsons_quadratic(successes, trials):
    # Oracle: the roots of Wilson's quadratic, written out above independently of the code's
    # centre ± half form.
    low, high = statistics.wilson_interval(successes, trials, z=1.96)
    want_low, want_high = _wilson_roots(successes, trials, 1.96)
    assert low == pytest.approx(want_low, rel=1e-12, abs=0)
    assert high == pytest.approx(want_high, rel=1e-12, abs=0)


def test_wilson_interval_half_of_ten_matches_the_hand_computation():
    # By hand at p̂ = 1/2, n = 10, z = 1.96: centre 1/2, half-width
    # z·√(0.025 + 0.009604)/1.38416 = 0.26338…, so [0.2366, 0.7634] to four places.
    low, high = statistics.wilson_interval(5, 10, z=1.96)
    assert round(low, 4) == 0.2366
    assert round(high, 4) == 0.7634


def test_wilson_interval_upper_bound_is_exactly_one_when_every_trial_succeeds():
    # Closed form at p̂ = 1: the upper root is (1 + z²/n)/(1 + z²/n) = 1 and the lower
    # 1/(1 + z²/n); at 5/5 with z = 1.96 the centre + half sum rounds to 1 + 2⁻⁵², which a
    # probability may not exceed.
    low, high = statistics.wilson_interval(5, 5, z=1.96)
    assert high == 1.0
    assert low == pytest.approx(1 / (1 + 1.96 ** 2 / 5), rel=1e-14, abs=0)


def test_wilson_interval_accepts_as_many_successes_as_trials_and_refuses_one_more():
    # Closed form at p̂ = 1: lower bound 1/(1 + z²/n) = 10/13.8416.
    low, high = statistics.wilson_interval(10, 10, z=1.96)
    assert low == pytest.approx(10 / 13.8416, rel=1e-14, abs=0)
    assert high == 1.0
    with pytest.raises(ValueError, match=r"^successes must not exceed trials \(10\), got 11$"):
        statistics.wilson_interval(11, 10)


def test_wilson_interval_accepts_a_single_trial_and_refuses_zero_trials():
    # Closed form at n = 1, p̂ = 0: upper bound z²/(1 + z²) = 3.8416/4.8416.
    low, high = statistics.wilson_interval(0, 1, z=1.96)
    assert low == 0.0
    assert high == pytest.approx(3.8416 / 4.8416, rel=1e-14, abs=0)
    with pytest.raises(ValueError, match=r"^trials must lie in \[1, 1000000000000000\]"):
        statistics.wilson_interval(0, 0)


def test_wilson_interval_accepts_trials_and_successes_up_to_ten_to_the_fifteen():
    # Closed forms at n = 10¹⁵: p̂ = 0 gives upper z²/n/(1 + z²/n), p̂ = 1 gives lower
    # 1/(1 + z²/n); both counts at their bound are accepted, one beyond is refused.
    n = 10 ** 15
    k = 1.96 ** 2 / n
    _, high = statistics.wilson_interval(0, n, z=1.96)
    assert high == pytest.approx(k / (1 + k), rel=1e-12, abs=0)
    low, high = statistics.wilson_interval(n, n, z=1.96)
    assert low == pytest.approx(1 / (1 + k), rel=1e-14, abs=0)
    assert high == 1.0
    with pytest.raises(ValueError, match=r"^trials must lie in \[1, 1000000000000000\], "
                                         r"got 1000000000000001$"):
        statistics.wilson_interval(0, n + 1)
    with pytest.raises(ValueError, match=r"^successes must lie in \[0, 1000000000000000\], "
                                         r"got 1000000000000001$"):
        statistics.wilson_interval(n + 1, n)


def test_wilson_interval_accepts_any_positive_z_below_one():
    # Oracle: Wilson's quadratic; z = 0.5 and z = 1e-3 lie in the open interval (0, 40).
    for z in (0.5, 1e-3):
        low, high = statistics.wilson_interval(3, 10, z=z)
        want_low, want_high = _wilson_roots(3, 10, z)
        assert low == pytest.approx(want_low, rel=1e-12, abs=0)
        assert high == pytest.approx(want_high, rel=1e-12, abs=0)
    with pytest.raises(ValueError, match=r"^z must lie in \(0\.0, 40\.0\)"):
        statistics.wilson_interval(3, 10, z=0.0)


# ---------------------------------------------------------------------------- initialisation


def test_draw_weights_refuses_a_zero_fan_in_even_for_a_law_that_ignores_it():
    # "unit_normal" never looks at the fans, so only draw_weights' own check stands between
    # fan_in = 0 and an empty (0, 3) matrix; fan_in = 1 is the smallest accepted.
    rng = np.random.default_rng(0)
    with pytest.raises(ValueError, match=r"^fan_in must lie in \[1, 100000\], got 0$"):
        initialisation.draw_weights(rng, "unit_normal", 0, 3)
    assert initialisation.draw_weights(rng, "unit_normal", 1, 3).shape == (1, 3)


def test_draw_weights_budget_is_the_product_of_the_fans_and_is_named():
    # Exact arithmetic: 1024 × 65 536 = 2²⁶ = MAX_ELEMENTS fits, 1024 × 65 537 is one row of
    # 1024 over. gain = 0 (refused) keeps every call from drawing 512 MiB: at the limit the
    # budget passes and the gain is what is refused; one over, the budget is refused first.
    rng = np.random.default_rng(0)
    assert 1024 * 65_536 == validation.MAX_ELEMENTS
    with pytest.raises(ValueError, match=r"^gain must lie in"):
        initialisation.draw_weights(rng, "unit_normal", 1024, 65_536, gain=0.0)
    with pytest.raises(ValueError, match=r"^fan_in × fan_out must be at most 6\.71e\+07 "
                                         r"\(MAX_ELEMENTS array entries\), got 6\.71e\+07$"):
        initialisation.draw_weights(rng, "unit_normal", 1024, 65_537, gain=0.0)


# -------------------------------------------------------------------------------- validation


def test_require_instance_names_the_type_it_got():
    # By hand: 3 is an int, "a" a str.
    with pytest.raises(ValueError, match=r"^network must be a str, got int$"):
        validation.require_instance("network", 3, str)
    assert validation.require_instance("network", "a", str) == "a"


def test_require_float_dtype_message_lists_the_allowed_type_names():
    # The names numpy gives the three default types, written out by hand.
    with pytest.raises(ValueError, match=re.escape(
            "dtype must be one of the floating-point types ['float16', 'float32', 'float64'], "
            "got 'abc'")):
        validation.require_float_dtype("dtype", "abc")
    with pytest.raises(ValueError, match=re.escape("types ['float32', 'float64'], got None")):
        validation.require_float_dtype("dtype", None, (np.float32, np.float64))


def test_require_sizes_accepts_two_widths_of_one_and_refuses_a_single_width():
    # The smallest network: an input width and an output width, each the smallest width 1.
    assert validation.require_sizes("sizes", [1, 1]) == [1, 1]
    assert validation.require_sizes("sizes", (3, 2)) == [3, 2]
    with pytest.raises(ValueError, match=r"^sizes must list .*\(2 to 10001 widths\), got \[1\]$"):
        validation.require_sizes("sizes", [1])
    with pytest.raises(ValueError, match=r"^sizes must lie in \[1, 100000\], got 0$"):
        validation.require_sizes("sizes", [1, 0])


def test_require_sizes_default_width_bound_is_one_hundred_thousand():
    # Edge: 100 000 is accepted, 100 001 refused with the range named.
    assert validation.require_sizes("sizes", [100_000, 1]) == [100_000, 1]
    with pytest.raises(ValueError, match=r"^sizes must lie in \[1, 100000\], got 100001$"):
        validation.require_sizes("sizes", [100_001, 1])


def test_require_sizes_default_layer_bound_is_ten_thousand_layers():
    # 10 000 layers need 10 001 widths: accepted; 10 002 widths are one layer too many.
    assert len(validation.require_sizes("sizes", [1] * 10_001)) == 10_001
    with pytest.raises(ValueError, match=r"^sizes must list .*\(2 to 10001 widths\)"):
        validation.require_sizes("sizes", [1] * 10_002)


def test_require_sizes_message_states_layers_plus_one_widths():
    # By hand: layers = 3 allows 2 to 4 widths; 5 widths are refused.
    assert validation.require_sizes("sizes", [1] * 4, layers=3) == [1] * 4
    with pytest.raises(ValueError, match=r"\(2 to 4 widths\), got \[1, 1, 1, 1, 1\]$"):
        validation.require_sizes("sizes", [1] * 5, layers=3)


def test_require_generators_checks_the_count_when_given():
    # Hand count: two generators given.
    pair = [np.random.default_rng(0), np.random.default_rng(1)]
    assert validation.require_generators("generators", pair, count=2) == pair
    with pytest.raises(ValueError, match=r"^generators must hold 3 generators, got 2$"):
        validation.require_generators("generators", pair, count=3)


def test_require_array_names_the_allowed_dimensions():
    # A (1, 1, 1) array has 3 dimensions, neither of the 1 or 2 allowed.
    with pytest.raises(ValueError, match=r"^x must be a 1 or 2-dimensional array, "
                                         r"got shape \(1, 1, 1\)$"):
        validation.require_array("x", np.ones((1, 1, 1)), ndim=(1, 2))


def test_require_array_names_the_wanted_shape_with_any_for_free_lengths():
    # Shape (2, 2) against (any, 3): the second length differs.
    with pytest.raises(ValueError, match=r"^x must have shape \(any, 3\), got \(2, 2\)$"):
        validation.require_array("x", np.ones((2, 2)), shape=(None, 3))


@pytest.mark.parametrize("value, bounds, wanted", [
    ([2.0], {"minimum": 0.0, "maximum": 1.0}, "in [0.0, 1.0]"),
    ([0.0], {"minimum": 0.0, "open_minimum": True, "maximum": 1.0}, "in (0.0, 1.0]"),
    ([-1.0], {"minimum": 0.0}, "≥ 0.0"),
    ([0.0], {"minimum": 0.0, "open_minimum": True}, "> 0.0"),
    ([2.0], {"maximum": 1.0}, "≤ 1.0"),
])
def test_require_array_names_the_bounds_it_was_given(value, bounds, wanted):
    # Each entry lies just outside the interval written in the message: 2 > 1, 0 not > 0,
    # −1 < 0; the closed lower bound 0 itself is accepted.
    with pytest.raises(ValueError, match=f"^x must hold values {re.escape(wanted)}$"):
        validation.require_array("x", np.array(value), **bounds)
    assert validation.require_array("x", np.array([0.0]), minimum=0.0, maximum=1.0).tolist() \
        == [0.0]


def test_require_budget_accepts_the_budget_exactly_and_names_which_budget_is_exceeded():
    # Exact integers: a product equal to its budget passes, one more is refused, and the
    # message names the budget constant compared against (or "the bound" for any other).
    elements, operations = validation.MAX_ELEMENTS, validation.MAX_OPERATIONS
    assert validation.require_budget("a × b", elements, elements) == elements
    with pytest.raises(ValueError, match=re.escape(
            "a × b must be at most 6.71e+07 (MAX_ELEMENTS array entries), got 6.71e+07")):
        validation.require_budget("a × b", elements + 1, elements)
    with pytest.raises(ValueError, match=re.escape(
            "a × b must be at most 1e+11 (MAX_OPERATIONS floating-point operations), "
            "got 2e+11")):
        validation.require_budget("a × b", 2 * operations, operations)
    with _refused("a × b must be at most 10 (the bound), got 11"):
        validation.require_budget("a × b", 11, 10)


def test_require_int_accepts_zero_by_default_and_refuses_minus_one():
    # The default range is [0, MAX_COUNT] = [0, 10⁷], both ends inclusive.
    assert validation.require_int("n", 0) == 0
    assert validation.require_int("n", 10_000_000) == 10_000_000
    with pytest.raises(ValueError, match=re.escape("n must lie in [0, 10000000], got -1")):
        validation.require_int("n", -1)
    with pytest.raises(ValueError, match=re.escape("n must lie in [0, 10000000], got 10000001")):
        validation.require_int("n", 10_000_001)


@pytest.mark.parametrize("value, shown", [
    (2.5, "2.5"), (True, "True"), ("3", "'3'"), (None, "None"),
    (np.float64(2.0), "np.float64(2.0)"),
])
def test_require_int_refuses_non_integers_and_quotes_them(value, shown):
    # Floats (even integral ones), booleans and strings are not integers.
    with _refused(f"n must be an integer in [0, 10000000], got {shown}"):
        validation.require_int("n", value)


def test_require_int_takes_numpy_integers_and_shortens_a_huge_one():
    # numpy's int64 is an Integral; 10**400 has 401 digits, quoted as its first 20 characters.
    assert type(validation.require_int("n", np.int64(5))) is int
    with pytest.raises(ValueError, match=re.escape(
            "n must lie in [0, 10000000], got 10000000000000000000… (401 characters)")):
        validation.require_int("n", 10 ** 400)


def test_require_choice_matches_names_exactly_and_numbers_by_value_but_not_booleans():
    # Hand cases: a name among the options, a number among them (numpy's float64 too).
    assert validation.require_choice("law", "he", ("he", "lecun")) == "he"
    assert validation.require_choice("depth", 3, (3,)) == 3
    assert validation.require_choice("depth", np.float64(3.0), (3, 4)) == 3.0
    with pytest.raises(ValueError, match=re.escape("law must be one of ['he', 'lecun'], got 'x'")):
        validation.require_choice("law", "x", ("he", "lecun"))
    for value in (5, True, np.bool_(True), "3"):
        with pytest.raises(ValueError, match=r"^depth must be one of \[1, 3\], got "):
            validation.require_choice("depth", value, (1, 3))


def test_require_real_default_interval_ends_are_closed():
    # A closed interval contains both ends; just beyond either is refused.
    assert validation.require_real("x", 0.0, 0.0, 1.0) == 0.0
    assert validation.require_real("x", 1.0, 0.0, 1.0) == 1.0
    with pytest.raises(ValueError, match=re.escape("x must lie in [0.0, 1.0], got 1.5")):
        validation.require_real("x", 1.5, 0.0, 1.0)
    with pytest.raises(ValueError, match=re.escape("x must lie in [0.0, 1.0], got -0.5")):
        validation.require_real("x", -0.5, 0.0, 1.0)


def test_require_real_open_ends_refuse_the_end_itself_but_not_the_next_float():
    # math.nextafter gives the nearest floats inside an open end.
    with pytest.raises(ValueError, match=re.escape("x must lie in (0.0, 1.0), got 0.0")):
        validation.require_real("x", 0.0, 0.0, 1.0, open_minimum=True, open_maximum=True)
    with pytest.raises(ValueError, match=re.escape("x must lie in [0.0, 1.0), got 1.0")):
        validation.require_real("x", 1.0, 0.0, 1.0, open_maximum=True)
    assert validation.require_real("x", 5e-324, 0.0, 1.0, open_minimum=True) == 5e-324
    below_one = math.nextafter(1.0, 0.0)
    assert validation.require_real("x", below_one, 0.0, 1.0, open_maximum=True) == below_one


@pytest.mark.parametrize("value, shown", [("0.5", "'0.5'"), (True, "True"), (None, "None")])
def test_require_real_refuses_strings_and_booleans_and_quotes_them(value, shown):
    # "0.5" would convert with float(), True with float() as 1.0: neither is a real number.
    with _refused(f"x must be a real number in [0.0, 1.0], got {shown}"):
        validation.require_real("x", value, 0.0, 1.0)


@pytest.mark.parametrize("value, shown", [
    (math.nan, "nan"), (-math.inf, "-inf"), (10 ** 400, "10000000000000000000… (401 characters)"),
])
def test_require_real_refuses_nan_infinity_and_ints_beyond_float_as_not_finite(value, shown):
    # 10**400 exceeds float64's 1.8e308: float() overflows, and it is refused as not finite.
    with _refused(f"x must be finite and lie in [0.0, 1.0], got {shown}"):
        validation.require_real("x", value, 0.0, 1.0)


def test_require_generator_names_the_type_it_got():
    # By hand: 0 is an int.
    with pytest.raises(ValueError, match=re.escape(
            "rng must be a numpy.random.Generator (e.g. numpy.random.default_rng(0)), got int")):
        validation.require_generator("rng", 0)


def test_real_array_turns_integers_into_float64_and_keeps_float32_and_float64():
    # dtypes by hand: int and uint become float64; float32/float64 stay as given.
    assert validation.real_array("x", [1, 2]).dtype == np.float64
    assert validation.real_array("x", np.array([1, 2], dtype=np.uint8)).tolist() == [1.0, 2.0]
    for dtype in (np.float32, np.float64):
        assert validation.real_array("x", np.ones(2, dtype=dtype)).dtype == dtype


@pytest.mark.parametrize("value, shown", [
    (np.ones(2, dtype=np.float16), "float16"), (np.ones(2, dtype=np.complex64), "complex64"),
    (np.array(["1.5"]), "<U3"), (np.array([True]), "bool"), (np.array([None]), "object"),
])
def test_real_array_refuses_other_dtypes_and_names_them(value, shown):
    # float16 is too narrow, complex64 is 8 bytes but not real, strings would parse as floats.
    with _refused(f"x must hold real numbers (float32 or float64), got {shown} entries"):
        validation.real_array("x", value)


def test_real_array_refuses_a_ragged_list_with_the_parameter_named():
    # Rows of lengths 1 and 2 make no array.
    with pytest.raises(ValueError, match=r"^x must be an array of real numbers: "):
        validation.real_array("x", [[1.0], [1.0, 2.0]])
