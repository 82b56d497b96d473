"""Measured cost of evaluating activations with numpy on this machine (chapter 1), and the
ordering statements the page makes from those measurements.

Wall-clock timings are noisy, and more so while other processes share the machine. Three
choices keep the comparison fair and honest:

- the activations are timed *interleaved*: every round times each activation once, in an
  order shuffled afresh, so a slow spell of the machine hits all of them alike;
- each activation is summarised by the median over the rounds and its spread, the
  interquartile range [q₂₅, q₇₅];
- an ordering is stated only when the two interquartile ranges do not overlap; otherwise the
  two are called indistinguishable within the measured spread.
"""

import time

import numpy as np

from snippets.core.activations import relu, sigmoid, tanh
from snippets.core.validation import (
    require_array,
    require_choice,
    require_generator,
    require_int,
)


def _naive_sigmoid(z):
    # One exponential and one division: the textbook form, safe here because |z| is small.
    return 1.0 / (1.0 + np.exp(-z))


TIMED = {
    "ReLU, max(0, z)": relu,
    "sigmoid, 1/(1+exp(−z))": _naive_sigmoid,
    "sigmoid, overflow-safe form": sigmoid,
    "tanh (numpy)": tanh,
}


# --8<-- [start:activation_costs]
def activation_costs(rng, size=1_000_000, rounds=41, activations=None):
    """Nanoseconds per element of each activation on z ~ N(0, 1): a dict name → array of
    ``rounds`` measurements, each one vectorised evaluation on ``size`` float64 values
    divided by ``size``.

    Interleaved: round k times every activation once, in an order drawn from ``rng``.
    ``activations`` (name → function) defaults to :data:`TIMED`.
    """
    rng = require_generator("rng", rng)
    # equivalent mutant (maximum dropped): require_int's default maximum is MAX_COUNT = 1e7.
    size = require_int("size", size, minimum=1, maximum=10_000_000)
    rounds = require_int("rounds", rounds, minimum=4, maximum=1000)
    activations = TIMED if activations is None else activations
    if not isinstance(activations, dict) or not activations \
            or not all(callable(function) for function in activations.values()):
        raise ValueError("activations must be a non-empty dict of name → function")
    z = rng.standard_normal(size)
    names = list(activations)
    for function in activations.values():
        function(z)  # warm-up: page in the output buffer once
    samples = {name: np.empty(rounds) for name in names}
    for k in range(rounds):
        for index in rng.permutation(len(names)):
            name = names[index]
            start = time.perf_counter()
            activations[name](z)
            samples[name][k] = (time.perf_counter() - start) / size * 1e9
    return samples
# --8<-- [end:activation_costs]


# --8<-- [start:cost_statements]
MIN_FACTOR = 1.1   # medians closer than 10 % are not ordered, however tight the ranges
# (equivalent mutants: 101 for 100 in the sentences below, since 10.1 % prints as "10 %".)


def cost_summary(samples):
    """(q₂₅, median, q₇₅) of each activation's measurements, in its units."""
    if not isinstance(samples, dict) or not samples:
        raise ValueError("samples must be a non-empty dict of name → measurements")
    summary = {}
    for name, values in samples.items():
        values = require_array("samples", values, ndim=1, minimum=0.0, open_minimum=True)
        if values.size < 4:
            raise ValueError(f"samples must hold at least 4 measurements per activation, got "
                             f"{values.size} for {name!r}")
        low, median, high = np.quantile(values, [0.25, 0.5, 0.75])
        summary[name] = (float(low), float(median), float(high))
    return summary


def _cheaper(summary, first, second):
    """Whether ``first`` is measurably cheaper than ``second``: interquartile ranges disjoint
    and medians at least MIN_FACTOR apart. Tight ranges a few percent apart on one machine
    swap order on the next (a different CPU, libm or load), so they decide nothing."""
    (_, median_a, high_a), (low_b, median_b, _) = summary[first], summary[second]
    return high_a < low_b and median_b >= MIN_FACTOR * median_a


def measurably_cheaper(summary, first, second):
    """Whether ``first`` costs measurably less than ``second`` in ``summary`` (from
    :func:`cost_summary`): interquartile ranges disjoint and medians at least MIN_FACTOR
    apart, the rule every sentence of :func:`compare_costs` follows."""
    _check_summary(summary)
    first = require_choice("first", first, tuple(summary))
    second = require_choice("second", second, tuple(summary))
    return _cheaper(summary, first, second)


def compare_costs(summary, first, second):
    """One sentence on whether ``first`` costs less than ``second``, decided by their
    interquartile ranges in ``summary`` (from :func:`cost_summary`): "cheaper" only when the
    ranges are disjoint and the medians differ by at least MIN_FACTOR, else
    "indistinguishable within the measured spread"."""
    _check_summary(summary)
    first = require_choice("first", first, tuple(summary))
    second = require_choice("second", second, tuple(summary))
    median_a, median_b = summary[first][1], summary[second][1]
    if _cheaper(summary, first, second):
        return f"{first} is cheaper than {second} (by a factor of {median_b / median_a:.2f})"
    if _cheaper(summary, second, first):
        return f"{second} is cheaper than {first} (by a factor of {median_a / median_b:.2f})"
    return (f"{first} and {second} are indistinguishable within the measured spread (their "
            f"interquartile ranges overlap, or their medians differ by less than "
            f"{100 * (MIN_FACTOR - 1):.0f} %)")


def cheapest_statement(summary):
    """Which activation is cheapest: one name when it is measurably cheaper (see
    compare_costs) than every other, else the names not measurably dearer than the lowest."""
    _check_summary(summary)
    best = min(summary, key=lambda name: summary[name][1])
    tied = [name for name in summary if name != best and not _cheaper(summary, best, name)]
    if not tied:
        return (f"{best} is the cheapest: its interquartile range lies below every other's, "
                f"its median at least {100 * (MIN_FACTOR - 1):.0f} % lower")
    names = [best, *tied]
    listed = ", ".join(names[:-1]) + " and " + names[-1]
    return f"{listed} are the cheapest, indistinguishable within the measured spread"
# --8<-- [end:cost_statements]


def _check_summary(summary):
    if not isinstance(summary, dict) or not summary or not all(
            isinstance(name, str) and isinstance(q, tuple) and len(q) == 3
            and all(isinstance(v, float) and np.isfinite(v) and v > 0 for v in q)
            and q[0] <= q[1] <= q[2] for name, q in summary.items()):
        raise ValueError("summary must map names to positive (q25, median, q75) as "
                         "returned by cost_summary")
