"""The activation-cost measurement and the statements the page makes from it. Nothing here
times anything against a threshold: the checks hold on any machine. The statement generators
are checked against synthetic quartiles, where the right sentence is known."""

import itertools
import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from snippets.core.activation_timing import (
    MIN_FACTOR,
    activation_costs,
    cheapest_statement,
    compare_costs,
    cost_summary,
    measurably_cheaper,
)


def test_every_round_times_every_activation_once_in_a_shuffled_order():
    calls = []
    fakes = {name: (lambda x, name=name: calls.append(name)) for name in "abcd"}
    samples = activation_costs(np.random.default_rng(0), size=8, rounds=12, activations=fakes)
    timed = calls[len(fakes):]  # after one warm-up call each
    rounds = [timed[k:k + 4] for k in range(0, len(timed), 4)]
    assert len(rounds) == 12 and all(sorted(r) == list("abcd") for r in rounds)
    assert len({tuple(r) for r in rounds}) > 1, "the order within a round is never reshuffled"
    assert set(samples) == set("abcd")
    assert all(s.shape == (12,) and np.all(s > 0) for s in samples.values())


def test_quartiles_of_one_to_nine_are_three_five_seven():
    # Oracle: for 1 … 9 the 25 %, 50 % and 75 % points fall exactly on the 3rd, 5th and 7th.
    assert cost_summary({"a": np.arange(1.0, 10.0)}) == {"a": (3.0, 5.0, 7.0)}


def test_disjoint_ranges_give_an_ordering_in_either_argument_order():
    summary = {"fast": (1.0, 1.5, 2.0), "slow": (2.5, 3.0, 3.5)}
    expected = "fast is cheaper than slow (by a factor of 2.00)"
    assert compare_costs(summary, "fast", "slow") == expected
    assert compare_costs(summary, "slow", "fast") == expected


@pytest.mark.parametrize("slow", [(1.9, 2.1, 2.4), (2.0, 2.2, 2.4), (0.5, 1.6, 3.0)])
def test_overlapping_or_touching_ranges_are_indistinguishable(slow):
    summary = {"fast": (1.0, 1.5, 2.0), "slow": slow}
    assert "indistinguishable within the measured spread" in compare_costs(summary, "fast",
                                                                           "slow")


def test_the_measured_tanh_and_sigmoid_one_percent_apart_are_not_ordered():
    # The case: tanh 9.99 ns against sigmoid 9.39 ns in one build, the reverse in
    # another; with a few percent of spread neither order may be stated.
    summary = {"tanh": (9.6, 9.99, 10.4), "sigmoid": (9.0, 9.39, 9.8)}
    assert "indistinguishable" in compare_costs(summary, "tanh", "sigmoid")


def test_tight_disjoint_ranges_one_percent_apart_are_not_ordered():
    # Disjoint interquartile ranges from many quiet rounds can still be 1 % apart, which the
    # next machine reverses: an ordering needs the medians MIN_FACTOR apart as well.
    summary = {"tanh": (9.98, 9.99, 10.0), "sigmoid": (10.08, 10.09, 10.1)}
    assert "indistinguishable" in compare_costs(summary, "tanh", "sigmoid")
    assert cheapest_statement(summary).endswith("indistinguishable within the measured spread")


quartiles = st.tuples(st.floats(0.1, 100.0), st.floats(0.0, 5.0), st.floats(0.0, 5.0)).map(
    lambda t: (t[0], t[0] + t[1], t[0] + t[1] + t[2]))


@settings(max_examples=200, derandomize=True, database=None)
@given(st.dictionaries(st.sampled_from("abcde"), quartiles, min_size=2))
def test_statements_agree_with_the_quartiles_they_are_given(summary):
    for first, second in itertools.permutations(summary, 2):
        statement = compare_costs(summary, first, second)
        (low_a, median_a, high_a), (low_b, median_b, high_b) = summary[first], summary[second]
        if high_a < low_b and median_b >= MIN_FACTOR * median_a:
            assert statement.startswith(f"{first} is cheaper than {second}")
        elif "indistinguishable" in statement:
            assert not (high_a < low_b and median_b >= MIN_FACTOR * median_a)
            assert not (high_b < low_a and median_a >= MIN_FACTOR * median_b)
    cheapest = cheapest_statement(summary)
    named = re.findall(r"\b[a-e]\b", cheapest.split(" are the cheapest")[0].split(" is the")[0])
    best = min(summary, key=lambda name: summary[name][1])
    assert best in named
    for name in summary:
        disjoint_above = "is cheaper" in compare_costs(summary, best, name) and name != best
        assert (name not in named) == disjoint_above, (cheapest, summary)


def test_make_costs_records_a_measurement_the_page_can_be_built_from(tmp_path):
    import datetime
    import runpy

    from snippets.core.activation_timing import TIMED
    from snippets.experiments.why_relu_works import activation_cost

    path = tmp_path / "measured.py"
    activation_cost._measure_and_record(path, size=2_000, rounds=4)
    record = runpy.run_path(str(path))
    assert set(record["SAMPLES"]) == set(TIMED)
    assert all(len(values) == 4 and min(values) > 0 for values in record["SAMPLES"].values())
    assert (record["SIZE"], record["ROUNDS"]) == (2_000, 4)
    assert record["DATE"] == datetime.datetime.now(datetime.UTC).date().isoformat()
    assert "numpy" in record["MACHINE"]


def test_the_page_shows_the_recorded_measurement_not_a_new_one(built_site):
    """The table on chapter 1 holds the quartiles of the committed record, computed here by
    position in the sorted rounds (an independent oracle: with 41 rounds, q25, the median and
    q75 are the 11th, 21st and 31st values), with the record's machine and date."""
    from snippets.experiments.why_relu_works import activation_cost_measured as measured

    page = (built_site / "chapters" / "why-relu-works" / "index.html").read_text()
    assert measured.ROUNDS == 41
    for name, values in measured.SAMPLES.items():
        ordered = sorted(values)
        low, median, high = ordered[10], ordered[20], ordered[30]
        assert f"{median:.2f}" in page and f"{low:.2f} – {high:.2f}" in page, name
    assert measured.MACHINE in page and measured.DATE in page


@pytest.mark.parametrize("fast, slow, expected", [
    ((1.0, 1.5, 2.0), (2.5, 3.0, 3.5), True),      # disjoint, medians twice apart
    ((1.0, 1.5, 2.0), (1.9, 2.1, 2.4), False),     # ranges overlap
    ((1.0, 1.99, 2.0), (2.01, 2.02, 2.03), False),  # disjoint, medians 1.5 % apart
])
def test_measurably_cheaper_is_the_rule_of_the_sentences(fast, slow, expected):
    summary = {"fast": fast, "slow": slow}
    assert measurably_cheaper(summary, "fast", "slow") is expected
    assert measurably_cheaper(summary, "slow", "fast") is False
    assert ("indistinguishable" not in compare_costs(summary, "fast", "slow")) is expected
    with pytest.raises(ValueError, match="first"):
        measurably_cheaper(summary, "medium", "slow")
