"""Every public function in snippets/core, and every public function of snippets/experiments
that takes arguments, driven with bad arguments: negative, zero and huge counts, NaN and
infinite scales, integers and Fractions too large for a float (10**400), subnormal numbers
outside a range, numpy scalars and 0-d arrays where a Python number is expected, wrong shapes
and dtypes, entries outside their stated range (targets outside [0, 1], 1e308 data), None,
strings, empty arrays, a non-Generator rng, malformed Network objects, bools where numbers
are expected.

Each bad argument must raise a ValueError whose message names that parameter — never another
exception, never a hang, never a returned value (a bad argument has no right answer, so any
result is a silent wrong one). NaN inside the input x of an element-wise activation is not a
bad argument: it propagates to NaN by design (snippets/core/activations.py), checked below.

``TABLE`` holds, per function, a cheap valid call and the kind of every parameter; a kind
lists explicit bad values and a Hypothesis strategy that generates more (as many per parameter
as the Hypothesis profile's max_examples, tests/conftest.py). The table must cover
every public callable (``test_table_covers_every_public_function``), so a new function
without a row fails the suite.

Counts that are each within their bounds but together ask for more work or memory than the
budgets of snippets/core/validation.py are refused too (``OVER_BUDGET``), and subnormal reals
inside a parameter's range give finite results (``test_subnormal_reals_in_range_…``).

``python -m tests.test_bad_inputs`` prints the tally (functions, calls and how each call
ended) over the explicit bad values, without Hypothesis.
"""

import dataclasses
import importlib
import inspect
import math
import pkgutil
import re
import signal
import warnings
from collections import Counter
from collections.abc import Callable
from decimal import Decimal
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import snippets.core
import snippets.experiments
from snippets.core import (
    activation_timing,
    activations,
    dead_networks,
    deep_networks,
    gradient_chain,
    initialisation,
    linear_networks,
    mean_field,
    networks,
    optimisation,
    preprocessing,
    relu_unit,
    series,
    statistics,
    underflow,
    variance,
)
from snippets.experiments.dying_relus import digits_training, fixes_compared, sparsity_speed
from snippets.experiments.edge_of_chaos import explorer, gradient_scaling
from snippets.experiments.initialisation_and_variance import balancing_gain as balancing
from snippets.experiments.initialisation_and_variance import (
    glorot_histograms,
    saturation,
    standardisation,
)
from snippets.experiments.initialisation_and_variance import linear_networks as linear_experiment
from snippets.experiments.residual_and_normalisation import (
    batch_normalisation as bn_experiment,
)
from snippets.experiments.residual_and_normalisation import residual_gradients
from snippets.experiments.vanishing_gradient_problem import (
    conditioning,
    learning_speed,
    relu_activation_growth,
    slight_update,
)
from snippets.experiments.why_relu_works import dying_unit, sigmoid_chain

HANG_SECONDS = 5        # a call still running after this long counts as a hang
HUGE = 10 ** 12         # a count no function may accept: it would run for days or exhaust memory
BEYOND_FLOAT = (10 ** 400, -10 ** 400, Fraction(10 ** 400, 3), Decimal("1e400"))
SUBNORMAL = 1e-320


# ---------------------------------------------------------------------------------------------
# Kinds of parameter: each knows its explicit bad values and a strategy generating more.

def _unique(values):
    seen, kept = set(), []
    for value in values:
        key = (type(value).__name__, repr(value))
        if key not in seen:
            seen.add(key)
            kept.append(value)
    return kept


def _not_a_number():
    return st.one_of(st.none(), st.text(max_size=4), st.booleans(),
                     st.lists(st.integers(), min_size=1, max_size=2))


@dataclasses.dataclass(frozen=True)
class Count:
    """An integer count in [minimum, maximum]."""

    minimum: int
    maximum: int
    extra: tuple = ()   # further bad values for this row: in range, but wrong with the others

    def explicit(self):
        huge = [HUGE] if HUGE > self.maximum else []
        return _unique([self.minimum - 1, -1, self.maximum + 1, *huge, 2.5,
                        float(self.minimum + 1), "3", None, True, math.nan, math.inf,
                        *BEYOND_FLOAT, np.float64(self.minimum + 1), np.array(self.minimum + 1),
                        np.bool_(True), Fraction(self.minimum + 1), *self.extra])

    def strategy(self):
        return st.one_of(st.integers(max_value=self.minimum - 1),
                         st.integers(min_value=self.maximum + 1),
                         st.floats(allow_nan=True), _not_a_number(),
                         st.sampled_from(BEYOND_FLOAT))


@dataclasses.dataclass(frozen=True)
class Real:
    """A finite real number in an interval (open at an end when the flag says so)."""

    minimum: float = -math.inf
    maximum: float = math.inf
    open_minimum: bool = False
    open_maximum: bool = False
    extra: tuple = ()   # further bad values for this row: in range, but wrong with the others

    def outside(self):
        values = []
        if math.isfinite(self.minimum):
            values += [self.minimum - 1.0, self.minimum - 1e300 if self.minimum < 0 else -1e300]
            if self.open_minimum:
                values.append(self.minimum)
        if math.isfinite(self.maximum):
            values += [self.maximum + 1.0, 1e300]
            if self.open_maximum:
                values.append(self.maximum)
        # Subnormal numbers where the interval leaves them out.
        values += [x for x in (SUBNORMAL, -SUBNORMAL) if not self.contains(x)]
        return values

    def contains(self, value):
        return (value > self.minimum if self.open_minimum else value >= self.minimum) and \
            (value < self.maximum if self.open_maximum else value <= self.maximum)

    def explicit(self):
        return _unique([math.nan, math.inf, -math.inf, None, "0.5", True, 1j, [0.5],
                        np.array([0.5, 0.5]), np.array(0.5), np.float32(math.nan),
                        np.bool_(True), *BEYOND_FLOAT, *self.outside(), *self.extra])

    def strategy(self):
        below = st.floats(max_value=self.minimum, exclude_max=not self.open_minimum) \
            if math.isfinite(self.minimum) else st.nothing()
        above = st.floats(min_value=self.maximum, exclude_min=not self.open_maximum) \
            if math.isfinite(self.maximum) else st.nothing()
        return st.one_of(below, above, st.sampled_from([math.nan, math.inf, -math.inf]),
                         st.complex_numbers(min_magnitude=1e-3).filter(lambda z: z.imag != 0),
                         _not_a_number(), st.sampled_from(BEYOND_FLOAT),
                         st.integers(min_value=2 ** 1024).map(lambda n: n * self._sign()))

    def _sign(self):
        """The side a number too large for a float is out of range on (either, if both)."""
        return -1 if math.isfinite(self.minimum) and not math.isfinite(self.maximum) else 1


@dataclasses.dataclass(frozen=True)
class Rng:
    """A numpy.random.Generator (None allowed when ``optional``)."""

    optional: bool = False

    def explicit(self):
        values = [0, 42, "rng", np.random.RandomState(0), np.random.SeedSequence(0),
                  np.random.default_rng, [np.random.default_rng(0)]]
        return values if self.optional else [None, *values]

    def strategy(self):
        return st.one_of(st.integers(), st.text(max_size=4), st.sampled_from(self.explicit()))


@dataclasses.dataclass(frozen=True)
class Choice:
    """One of a fixed set of names (or numbers, for experiments keyed by a value)."""

    options: tuple

    def explicit(self):
        candidates = [None, "", "no such name", 3, 2.5, True, math.nan, ["x"], np.array([1.0]),
                      10 ** 400, np.array("x"), b"x"]
        candidates += [str(option) for option in self.options if not isinstance(option, str)]
        candidates += [option.upper() for option in self.options if isinstance(option, str)]
        return _unique([c for c in candidates if not self._is_option(c)])

    def _is_option(self, value):
        """Equal to an option: a string to a name, any real number (not a bool) to a number."""
        if isinstance(value, str):
            return value in [o for o in self.options if isinstance(o, str)]
        return isinstance(value, (int, float, np.number)) and not isinstance(value, bool) \
            and any(value == o for o in self.options if not isinstance(o, str))

    def strategy(self):
        return st.one_of(st.text(max_size=6), st.integers(), st.floats(), st.none(),
                         st.booleans()).filter(lambda value: not self._is_option(value))


@dataclasses.dataclass(frozen=True)
class Array:
    """A real array shaped like the row's valid value. ``any_shape``: element-wise, any shape
    (and empty) allowed; ``stackable``: a leading axis of stacked networks is allowed;
    ``nan_allowed``: NaN and ±inf propagate by design; ``optional``: None is allowed;
    ``minimum``: entries must be ≥ it (> it when ``open_minimum``); ``maximum``: ≤ it."""

    any_shape: bool = False
    stackable: bool = False
    nan_allowed: bool = False
    optional: bool = False
    minimum: float = None
    open_minimum: bool = False
    maximum: float = None
    extra: tuple = ()   # further bad values for this row: shapes that do not fit the others

    def explicit(self, template):
        template = np.asarray(template, dtype=float)
        values = [] if self.optional else [None]
        values += ["abc", [["a", "b"]], {"x": 1.0}, template.astype(complex) + 1j,
                   template.astype(object), template.astype(np.float16), template.astype(str),
                   np.array(["2026-01-01"], dtype="datetime64[D]"), template > 0,
                   [[1.0], [1.0, 2.0]]]
        if not self.any_shape:
            values += [template.reshape(-1)[0], np.asarray(template.reshape(-1)[0]),
                       template[:0]]
            if not self.stackable:
                values.append(template[None])
            if template.ndim >= 2:
                values.append(template.reshape(-1))
        if not self.nan_allowed:
            values += [self._with(template, math.nan), self._with(template, math.inf),
                       self._with(template, -math.inf)]
        values += self._outside(template)
        return values + list(self.extra)

    def _outside(self, template):
        """Entries below the minimum (and at it, when open), above the maximum, 1e308 and a
        subnormal number where the bounds exclude them."""
        values = []
        if self.minimum is not None:
            below = [self.minimum - max(1.0, abs(self.minimum)), -1e308]
            if self.minimum > SUBNORMAL:
                below.append(SUBNORMAL)
            if self.open_minimum:
                below.append(self.minimum)
            values += [self._with(template, x) for x in below]
        if self.maximum is not None:
            values += [self._with(template, x)
                       for x in (self.maximum + max(1.0, abs(self.maximum)), 1e308)
                       if x > self.maximum]
        return values

    @staticmethod
    def _with(template, value, index=0):
        changed = template.copy()
        changed.reshape(-1)[index % changed.size] = value
        return changed

    def strategy(self, template):
        template = np.asarray(template, dtype=float)
        strategies = [st.sampled_from(self.explicit(template))]
        if not self.nan_allowed:
            strategies.append(st.tuples(st.integers(0, template.size - 1),
                                        st.sampled_from([math.nan, math.inf, -math.inf])).map(
                lambda drawn: self._with(template, drawn[1], drawn[0])))
        if not self.any_shape:
            allowed_dims = {template.ndim, template.ndim + 1} if self.stackable \
                else {template.ndim}
            wrong_dims = hnp.array_shapes(min_dims=0, max_dims=4, min_side=0, max_side=3).filter(
                lambda shape: len(shape) not in allowed_dims)
            strategies.append(hnp.arrays(np.float64, wrong_dims, elements=st.floats(-2, 2)))
        strategies.append(hnp.arrays(st.sampled_from([np.complex128, np.float16, np.str_]),
                                     template.shape, elements=None).filter(
            lambda array: array.dtype.kind in "cU" or array.size > 0))
        if self.minimum is not None:
            strategies.append(st.tuples(
                st.integers(0, template.size - 1),
                st.floats(max_value=self.minimum, exclude_max=not self.open_minimum,
                          allow_nan=False, allow_infinity=False)).map(
                lambda drawn: self._with(template, drawn[1], drawn[0])))
        if self.maximum is not None:
            strategies.append(st.tuples(
                st.integers(0, template.size - 1),
                st.floats(min_value=self.maximum, exclude_min=True, allow_nan=False,
                          allow_infinity=False)).map(
                lambda drawn: self._with(template, drawn[1], drawn[0])))
        return st.one_of(strategies)


@dataclasses.dataclass(frozen=True)
class Explicit:
    """A parameter whose bad values are listed by hand (networks, lists, callables, …)."""

    values: tuple

    def explicit(self):
        return list(self.values)

    def strategy(self):
        return st.sampled_from(self.values)


# ---------------------------------------------------------------------------------------------
# Cheap valid arguments, built afresh for every call (functions may keep what they are given).

def rng():
    return np.random.default_rng(0)


def tiny_network(hidden="sigmoid", output="sigmoid", stacked=False):
    """A 3–4–2 network, or two of them stacked."""
    if stacked:
        return networks.stack_networks([tiny_network(hidden, output) for _ in range(2)])
    return networks.init_network(rng(), [3, 4, 2], hidden=hidden, output=output)


def tiny_inputs(examples=5):
    return np.linspace(-1.0, 1.0, examples * 3).reshape(examples, 3)


def tiny_targets(examples=5):
    return networks.one_hot(np.arange(examples) % 2, 2)


def digit_like(examples=6):
    """Pixel-like inputs (examples, 64) in [0, 1] and one-hot targets over 10 classes."""
    return (np.linspace(0.0, 1.0, examples * 64).reshape(examples, 64),
            networks.one_hot(np.arange(examples) % 10))


def _wrong_width_network():
    return networks.init_network(rng(), [5, 4, 2])


def malformed_network(**fields):
    """A valid 3–4–2 network whose fields were changed after it was built (as a caller may):
    every function given a network checks its structure again."""
    network = tiny_network()
    for name, value in fields.items():
        setattr(network, name, value)
    return network


MALFORMED_NETWORKS = (
    malformed_network(hidden="bogus"), malformed_network(output="bogus"),
    malformed_network(hidden=None), malformed_network(weights=[]),
    malformed_network(weights=None), malformed_network(biases=[np.zeros(4)]),
    malformed_network(weights=[np.ones((3, 4)), np.ones((3, 2))]),
    malformed_network(weights=[np.ones((3, 4)) + 0j, np.ones((4, 2))]),
    malformed_network(weights=[np.ones((3, 4)), None]),
    malformed_network(biases=[np.zeros((1, 4)), np.zeros((1, 2))]),
    malformed_network(slopes=[0.25]),
)
NETWORK = Explicit((None, "network", 3, {"weights": []}, [np.ones((3, 4))], *MALFORMED_NETWORKS))
# For the digits networks (64 inputs, 2 stacked): also a well-formed network of another shape.
WRONG_WIDTH_NETWORK = Explicit((*NETWORK.values, tiny_network(), tiny_network(stacked=True)))
GENERATORS = Explicit((None, [], [None], "abc", 3, [np.random.RandomState(0)]))
BOOLEAN = Explicit((None, "yes", 2, 1.0, np.array([True, False])))
FLOAT_DTYPE = Explicit((None, "int32", np.int64, "nonsense", 3, complex, object,
                        np.float32(1.0), np.ones(2, dtype=np.float32)))  # values, not types
SIZES = Explicit((None, [], [3], [3, 0], [3, -1], [3, HUGE], "3,2", [3, 2.5], [3, True],
                  [3, None], (3, math.nan), [3, 10 ** 400], [100_000, 100_000],
                  [3] * 10_003))
TARGETS = {"minimum": 0.0, "maximum": 1.0}   # class probabilities
DATA = {"minimum": -1e6, "maximum": 1e6}     # inputs of networks and units: x W + b stays finite
SUMMARISED = {"minimum": -1e100, "maximum": 1e100}  # arrays only averaged, squared, multiplied
ACTIVATION_Z = Array(any_shape=True, nan_allowed=True)
SUMMARY = Explicit((None, {}, "abc", {"a": (1.0, 2.0)}, {"a": (3.0, 2.0, 1.0)},
                    {"a": (1.0, math.nan, 3.0)}, {"a": (-1.0, 2.0, 3.0)}, {3: (1.0, 2.0, 3.0)},
                    {"a": [1.0, 2.0, 3.0]}))
MISSHAPEN_LABELS = (np.array([0, 1, 0]), np.array([0.5, 1, 0, 1, 0]), np.array([0, 1, 0, 7, 1]),
                    np.array([0, 1, 0, -1, 1]), np.array([[0, 1, 0, 1, 0]]))


def tiny_deep_network(normalisation="none"):
    """Two stacked residual 3–4–4–2 networks of chapter 6."""
    return deep_networks.init_network([rng(), np.random.default_rng(1)], [3, 4, 4, 2], "tanh",
                                      1.0, 0.1, True, 0.5, normalisation)


def malformed_deep_network(**fields):
    network = tiny_deep_network()
    for name, value in fields.items():
        setattr(network, name, value)
    return network


DEEP_NETWORK = Explicit((
    None, "network", 3, {"weights": []}, tiny_network(),
    malformed_deep_network(activation="sigmoid"), malformed_deep_network(activation=None),
    malformed_deep_network(normalisation="group"), malformed_deep_network(residual=1),
    malformed_deep_network(branch_scale=-1.0), malformed_deep_network(branch_scale=math.nan),
    malformed_deep_network(weights=[]), malformed_deep_network(weights=None),
    malformed_deep_network(biases=[np.zeros((2, 4))] * 3),
    malformed_deep_network(weights=[np.ones((2, 3, 4)), np.ones((2, 3, 4)),
                                    np.ones((2, 4, 2))]),
    malformed_deep_network(weights=[np.ones((2, 3, 4)) + 0j, np.ones((2, 4, 4)),
                                    np.ones((2, 4, 2))]),
    malformed_deep_network(biases=[np.zeros((2, 4)), np.zeros((2, 4)), np.zeros((2, 3))]),
    malformed_deep_network(weights=[np.ones((1, 3, 4)), np.ones((2, 4, 4)),
                                    np.ones((2, 4, 2))])))
DEEP_ACTIVATION = Choice(tuple(deep_networks.ACTIVATIONS))
DEEP_INPUTS = Array(**DATA, extra=(np.ones((5, 4)), np.ones((2, 5, 3))))
DEEP_TARGETS = Array(**TARGETS, extra=(np.full((5, 3), 0.5), np.ones((4, 2))))
GENERATOR_LISTS = Explicit((*GENERATORS.values, [rng()]))   # two networks need two generators

MEAN_FIELD_ACTIVATION = Choice(tuple(activations.ACTIVATIONS))
WEIGHT_VARIANCE = Real(0.0, 1e4, open_minimum=True)
BIAS_VARIANCE = Real(0.0, 1e4)


@dataclasses.dataclass(frozen=True)
class Row:
    """One function of the table: a cheap valid call and the kind of each parameter.
    ``runs_experiment``: a valid call runs a whole experiment (its own tests cover it), so
    only the bad calls, which must be refused before it runs, are made here."""

    function: Callable
    valid: Callable
    kinds: dict
    runs_experiment: bool = False


def row(function, valid, runs_experiment=False, **kinds):
    return Row(function, valid, kinds, runs_experiment)


def _z():
    return {"z": np.array([-2.0, 0.0, 3.0])}


TABLE = [
    # activation_timing
    row(activation_timing.activation_costs,
        lambda: {"rng": rng(), "size": 64, "rounds": 4, "activations": None},
        rng=Rng(), size=Count(1, 10_000_000), rounds=Count(4, 1000),
        activations=Explicit(({}, "relu", [activations.relu], {"relu": None}, 3))),
    row(activation_timing.cost_summary, lambda: {"samples": {"a": [1.0, 2.0, 3.0, 4.0]}},
        samples=Explicit((None, {}, "abc", [1.0, 2.0], {"a": [1.0, 2.0]}, {"a": None},
                          {"a": [1.0, 2.0, math.nan, 4.0]}, {"a": [1.0, -2.0, 3.0, 4.0]},
                          {"a": ["x"] * 4}, {"a": np.ones((2, 4))}))),
    row(activation_timing.compare_costs,
        lambda: {"summary": {"a": (1.0, 2.0, 3.0), "b": (4.0, 5.0, 6.0)}, "first": "a",
                 "second": "b"},
        summary=SUMMARY, first=Choice(("a", "b")), second=Choice(("a", "b"))),
    row(activation_timing.measurably_cheaper,
        lambda: {"summary": {"a": (1.0, 2.0, 3.0), "b": (4.0, 5.0, 6.0)}, "first": "a",
                 "second": "b"},
        summary=SUMMARY, first=Choice(("a", "b")), second=Choice(("a", "b"))),
    row(activation_timing.cheapest_statement,
        lambda: {"summary": {"a": (1.0, 2.0, 3.0), "b": (4.0, 5.0, 6.0)}}, summary=SUMMARY),
    # activations: NaN and ±inf in z propagate by design, every shape is element-wise
    *[row(function, _z, z=ACTIVATION_Z) for function in (
        activations.sigmoid, activations.sigmoid_derivative, activations.tanh,
        activations.tanh_derivative, activations.relu, activations.rescaled_sigmoid,
        activations.rescaled_sigmoid_derivative)],
    row(activations.relu_derivative, lambda: {**_z(), "at_zero": 0.0}, z=ACTIVATION_Z,
        at_zero=Real(0.0, 1.0)),
    *[row(function, lambda: {**_z(), "slope": 0.01}, z=ACTIVATION_Z,
          slope=Real(0.0, 1.0, open_maximum=True))
      for function in (activations.leaky_relu, activations.leaky_relu_derivative)],
    *[row(function, lambda: {**_z(), "penalty": 0.25}, z=ACTIVATION_Z, penalty=Real(0.0, 1.0))
      for function in (activations.penalized_tanh, activations.penalized_tanh_derivative)],
    row(activations.derivative_peak,
        lambda: {"derivative": activations.sigmoid_derivative, "low": -1.0, "high": 1.0,
                 "points": 11},
        derivative=Explicit((None, 3, "sigmoid", lambda x: x[:1], lambda x: np.full_like(x, np.nan),
                             lambda x: "a", lambda x: x.astype(complex))),
        low=Real(-1e6, 1.0, open_maximum=True), high=Real(-1.0, 1e6, open_minimum=True),
        points=Count(3, 10_000_000)),
    row(activations.saturation_onset, lambda: {"dtype": np.float32},
        dtype=Explicit((*FLOAT_DTYPE.values, np.float16))),
    row(activations.softmax, lambda: {"z": np.array([[1.0, 2.0, 3.0]]), "axis": -1},
        z=Array(any_shape=True, nan_allowed=True,
                extra=(np.empty((0, 3)), np.empty((2, 0)), np.array(1.0))),
        axis=Explicit((2, -3, HUGE, None, 0.5, "0", True, math.nan))),
    row(activations.activation, lambda: {"name": "relu"},
        name=Choice(tuple(activations.ACTIVATIONS))),
    # dead_networks
    row(dead_networks.inactive_share,
        lambda: {"pre_activations": [np.ones((4, 3)), -np.ones((4, 2))]},
        pre_activations=Explicit((None, [], "abc", 3, [None], [np.empty((0, 3))], [np.ones(3)],
                                  [np.array([["a"]])],
                                  [np.ones((2, 3)), np.ones((4, 3))],
                                  [np.ones((2, 2, 3)), np.ones((2, 3))],
                                  [np.ones((2, 2, 3)), np.ones((3, 2, 3))]))),
    row(dead_networks.single_input_dead_probability, lambda: {"width": 3, "depth": 2},
        width=Count(1, 10_000_000), depth=Count(0, 10_000_000)),
    row(dead_networks.sample_layer,
        lambda: {"rng": rng(), "count": 2, "fan_in": 3, "width": 4, "init": "rai"},
        rng=Rng(), count=Count(1, 1_000_000), fan_in=Count(1, 100_000),
        width=Count(1, 100_000), init=Choice(("he", "rai"))),
    row(dead_networks.born_dead_share,
        lambda: {"rng": rng(), "width": 2, "depth": 2, "trials": 5, "init": "he", "grid": 4,
                 "batch": 3},
        rng=Rng(), width=Count(1, 100_000), depth=Count(1, 10_000),
        trials=Count(1, 100_000_000), init=Choice(("he", "rai")), grid=Count(2, 100_000),
        batch=Count(1, 1_000_000)),
    row(dead_networks.rai_network, lambda: {"rng": rng(), "sizes": [3, 4, 2],
                                            "output": "softmax"},
        rng=Rng(), sizes=SIZES, output=Choice(("sigmoid", "softmax"))),
    # gradient_chain
    *[row(function, lambda: {"weights": np.ones((2, 3)), "inputs": np.array([0.5, -1.0]),
                             "biases": np.zeros((2, 3))},
          weights=Array(**SUMMARISED), inputs=Array(**SUMMARISED, extra=(np.ones(3),)),
          biases=Array(optional=True, **SUMMARISED, extra=(np.zeros((2, 2)),)))
      for function in (gradient_chain.chain_factors, gradient_chain.chain_gradient_ratios)],
    row(gradient_chain.sample_chain,
        lambda: {"rng": rng(), "chains": 3, "depth": 2, "weight_scale": 1.0},
        rng=Rng(), chains=Count(1, 10_000_000), depth=Count(1, 100_000),
        weight_scale=Real(0.0, 1e6)),
    row(gradient_chain.chain_ratio_statistics,
        lambda: {"ratios": np.full((4, 3), 0.1), "bound_factor": 0.25},
        ratios=Array(minimum=0.0, maximum=1e100), bound_factor=Real(0.0, 1.0, open_minimum=True)),
    row(gradient_chain.sigmoid_fixed_point, lambda: {"tolerance": 1e-12},
        tolerance=Real(0.0, 1e-3, open_minimum=True)),
    row(gradient_chain.unit_gain_half_width, lambda: {"weight": 8.0}, weight=Real()),
    row(gradient_chain.exploding_chain, lambda: {"weight": 8.0, "depth": 3, "first_input": 0.5},
        weight=Real(0.0, 1e3, open_minimum=True), depth=Count(1, 10_000),
        first_input=Real(-1e3, 1e3)),
    row(gradient_chain.first_weight_gradient,
        lambda: {"weights": np.array([1.0, -2.0, 0.5]), "x": 0.7, "target": 1.0},
        weights=Array(**SUMMARISED, extra=(np.ones(2), np.ones(4))), x=Real(-1e6, 1e6),
        target=Real(0.0, 1.0)),
    # initialisation
    *[row(function, lambda: {"fan_in": 4}, fan_in=Count(1, 10_000_000))
      for function in (initialisation.lecun_std, initialisation.he_std,
                       initialisation.standard_uniform_bound)],
    row(initialisation.glorot_bound, lambda: {"fan_in": 4, "fan_out": 3},
        fan_in=Count(1, 10_000_000), fan_out=Count(1, 10_000_000)),
    row(initialisation.draw_weights,
        lambda: {"rng": rng(), "law": "he", "fan_in": 3, "fan_out": 2, "gain": 1.0},
        rng=Rng(), law=Choice(tuple(initialisation.WEIGHT_LAWS)), fan_in=Count(1, 100_000),
        fan_out=Count(1, 100_000), gain=Real(0.0, 1e6, open_minimum=True)),
    # linear_networks
    row(linear_networks.linear_chain_backward, lambda: {"weights": np.array([0.5, 2.0, 1.0])},
        weights=Array()),
    row(linear_networks.linear_chain_gradients,
        lambda: {"weights": np.array([0.5, 2.0, 1.0]), "x": 1.0}, weights=Array(), x=Real()),
    row(linear_networks.random_product_norms,
        lambda: {"rng": rng(), "width": 3, "depth": 2, "scale": 1.0, "trials": 2},
        rng=Rng(), width=Count(1, 10_000), depth=Count(1, 10_000),
        scale=Real(0.0, 1e3, open_minimum=True), trials=Count(1, 1_000_000)),
    # networks
    row(networks.init_network,
        lambda: {"rng": rng(), "sizes": [3, 4, 2], "weights": "lecun", "bias_std": 1.0,
                 "hidden": "sigmoid", "gain": 1.0, "output": "sigmoid", "hidden_bias": 0.0,
                 "dtype": np.float64},
        rng=Rng(), sizes=SIZES, weights=Choice(tuple(initialisation.WEIGHT_LAWS)),
        bias_std=Real(0.0, 1e6), hidden=Choice((*networks.PLAIN, *networks.SLOPED)),
        gain=Real(0.0, 1e6, open_minimum=True), output=Choice(("sigmoid", "softmax")),
        hidden_bias=Real(-1e6, 1e6), dtype=Explicit((*FLOAT_DTYPE.values, np.float16))),
    row(networks.Network,
        lambda: {"weights": [np.ones((3, 4)), np.ones((4, 2))],
                 "biases": [np.zeros(4), np.zeros(2)], "hidden": "sigmoid", "output": "sigmoid",
                 "slopes": None},
        weights=Explicit((None, [], "w", np.ones((3, 4)), [np.ones((3, 4))],
                          [np.ones((3, 4)), np.ones((3, 2))], [np.ones((3, 4)), None],
                          [np.ones((3, 4)), np.full((4, 2), math.nan)],
                          [np.ones((3, 4)), np.full((4, 2), math.inf)],
                          [np.ones((3, 4)) + 0j, np.ones((4, 2))],
                          [np.ones((3, 4), dtype=bool), np.ones((4, 2))],
                          [np.ones((3, 4)), np.ones((4, 2), dtype=np.float16)],
                          [np.ones((3, 0)), np.ones((0, 2))], [np.ones(3), np.ones(2)])),
        biases=Explicit((None, [], "b", [np.zeros(4)], [np.zeros(4), np.zeros(3)],
                         [np.zeros(4), np.full(2, math.nan)], [np.zeros((1, 4)), np.zeros((1, 2))],
                         [np.zeros(4), [None, None]])),
        hidden=Choice((*networks.PLAIN, *networks.SLOPED)), output=Choice(("sigmoid", "softmax")),
        slopes=Explicit(([0.25], [], "x", [math.nan], 0.25))),  # only PReLU has slopes
    row(networks.Network,  # PReLU: one finite slope per hidden layer
        lambda: {"weights": [np.ones((3, 4)), np.ones((4, 2))],
                 "biases": [np.zeros(4), np.zeros(2)], "hidden": "prelu", "output": "softmax",
                 "slopes": [0.25]},
        weights=Explicit((None, [np.ones((3, 4)), np.ones((4, 2)), np.ones((2, 2))])),
        biases=Explicit((None, [np.zeros(4)])), hidden=Choice((*networks.PLAIN, *networks.SLOPED)),
        output=Choice(("sigmoid", "softmax")),
        slopes=Explicit((None, [], [0.25, 0.25], [math.nan], [math.inf], ["x"], [np.ones(2)],
                         [10 ** 400], "x"))),
    row(networks.stack_networks, lambda: {"networks": [tiny_network(), tiny_network()]},
        networks=Explicit((None, [], "ab", 3, [None], [tiny_network(), None],
                           [tiny_network(), _wrong_width_network()],
                           [tiny_network(), tiny_network(stacked=True)],
                           [tiny_network(), malformed_network(hidden="bogus")],
                           [malformed_network(weights=[np.ones((3, 4))])]))),
    row(networks.forward,
        lambda: {"network": tiny_network(), "inputs": tiny_inputs(), "rng": None,
                 "derivatives": True},
        network=NETWORK, inputs=Array(**DATA, extra=(np.ones((5, 4)),)), rng=Rng(optional=True),
        derivatives=BOOLEAN),
    row(networks.backward,
        lambda: {"network": tiny_network(), "derivatives": [np.full((5, 4), 0.2)],
                 "outputs": np.full((5, 2), 0.5), "targets": tiny_targets()},
        network=NETWORK,
        derivatives=Explicit((None, "abc", [], [np.ones(4)], [np.ones((5, 3))],
                              [np.ones((5, 4))] * 2)),
        outputs=Array(nan_allowed=True, **TARGETS,
                      extra=(np.full((5, 3), 0.5), np.full((4, 2), 0.5),
                             np.full((5, 2), math.inf))),
        targets=Array(**TARGETS, extra=(np.ones((5, 3)), np.ones((4, 2))))),
    row(networks.gradients,
        lambda: {"network": tiny_network(), "inputs": tiny_inputs(), "targets": tiny_targets(),
                 "rng": None},
        network=NETWORK, inputs=Array(**DATA, extra=(np.ones((5, 4)),)),
        targets=Array(**TARGETS, extra=(np.ones((5, 3)), np.ones((4, 2)))),
        rng=Rng(optional=True)),
    row(networks.cross_entropy,
        lambda: {"outputs": np.full((5, 2), 0.5), "targets": tiny_targets(),
                 "output": "sigmoid"},
        outputs=Array(stackable=True, **TARGETS, extra=(np.full((5, 3), 0.5),)),
        targets=Array(**TARGETS, extra=(np.ones((5, 3)), np.ones((4, 2)))),
        output=Choice(("sigmoid", "softmax"))),
    row(networks.cost,
        lambda: {"network": tiny_network(), "inputs": tiny_inputs(), "targets": tiny_targets()},
        network=NETWORK, inputs=Array(**DATA, extra=(np.ones((5, 4)),)),
        targets=Array(**TARGETS, extra=(np.ones((5, 3)), np.ones((4, 2))))),
    row(networks.one_hot, lambda: {"labels": np.array([0, 2, 1]), "classes": 3},
        labels=Explicit((None, "abc", [], np.array([0.5, 1.0]), np.array([0, 3]),
                         np.array([-1, 0]), np.array([[0, 1]]), [True, False], [None])),
        classes=Count(1, 100_000)),
    row(networks.accuracy,
        lambda: {"network": tiny_network(), "inputs": tiny_inputs(),
                 "labels": np.array([0, 1, 0, 1, 1])},
        network=NETWORK, inputs=Array(extra=(np.ones((5, 4)),)),
        labels=Explicit((None, "abc", *MISSHAPEN_LABELS, [None] * 5, [[0], [1, 0]],
                         np.array([True, False, True, False, True])))),
    row(networks.learning_speeds,
        lambda: {"network": tiny_network(), "inputs": tiny_inputs(), "targets": tiny_targets()},
        network=NETWORK, inputs=Array(**DATA, extra=(np.ones((5, 4)),)),
        targets=Array(**TARGETS, extra=(np.ones((5, 3)), np.ones((4, 2))))),
    row(networks.train_recording_speeds,
        lambda: {"network": tiny_network(), "inputs": tiny_inputs(), "targets": tiny_targets(),
                 "epochs": 2, "learning_rate": 0.1, "l2": 1.0},
        network=NETWORK, inputs=Array(**DATA, extra=(np.ones((5, 4)),)),
        targets=Array(**TARGETS, extra=(np.ones((5, 3)), np.ones((4, 2)))),
        epochs=Count(0, networks.MAX_STEPS), learning_rate=Real(0.0, 1e3, open_minimum=True),
        l2=Real(0.0, 1e6)),
    row(networks.activation_growth,
        lambda: {"rng": rng(), "width": 3, "depth": 2, "gain": 1.0, "hidden": "relu",
                 "examples": 4},
        rng=Rng(), width=Count(1, 10_000), depth=Count(1, 10_000),
        gain=Real(0.0, 1e3, open_minimum=True), hidden=Choice(networks.PLAIN),
        examples=Count(1, 1_000_000)),
    row(networks.train_sgd,
        lambda: {"network": tiny_network(), "inputs": tiny_inputs(), "targets": tiny_targets(),
                 "rng": rng(), "epochs": 1, "batch_size": 2, "learning_rate": 0.1,
                 "record": None, "record_every": None, "frozen": None},
        network=NETWORK, inputs=Array(**DATA, extra=(np.ones((5, 4)),)),
        targets=Array(**TARGETS, extra=(np.ones((5, 3)), np.ones((6, 2)), np.ones((4, 2)))),
        rng=Rng(), epochs=Count(0, networks.MAX_STEPS), batch_size=Count(1, 5),
        learning_rate=Real(0.0, 1e3, open_minimum=True),
        record=Explicit((3, "record", [len], np.float16, len)),  # len(Network) is a TypeError
        record_every=Explicit((0, -1, networks.MAX_STEPS + 1, HUGE, 2.5, "3", True, math.nan)),
        # the tiny network has 2 weight layers: indices 0 and 1
        frozen=Explicit((3, "0", (), [], {0: 1}, np.array(0), (2,), (-1,), (0, 0), (0.5,),
                         (True,), [math.nan]))),
    # optimisation
    row(optimisation.gradient_descent_path,
        lambda: {"curvatures": np.array([1.0, 4.0]), "start": np.array([1.0, -1.0]),
                 "learning_rate": 0.1, "steps": 3},
        curvatures=Array(minimum=1e-50, maximum=1e50,
                         extra=(np.array([1.0, 4.0, 2.0]), np.array([1.0, -1.0]))),
        start=Array(minimum=-1e50, maximum=1e50, extra=(np.ones(3),)),
        learning_rate=Real(0.0, 1e6, open_minimum=True),
        steps=Count(0, 10_000_000)),
    row(optimisation.steps_to_tolerance,
        lambda: {"curvatures": np.array([1.0, 4.0]), "start": np.array([1.0, -1.0]),
                 "learning_rate": 0.1, "tolerance": 1e-3, "max_steps": 100},
        curvatures=Array(minimum=1e-50, maximum=1e50, extra=(np.array([1.0, 4.0, 2.0]),)),
        start=Array(minimum=-1e50, maximum=1e50, extra=(np.ones(3),)),
        learning_rate=Real(0.0, 1e6, open_minimum=True),
        tolerance=Real(0.0, 1.0, open_minimum=True, open_maximum=True),
        max_steps=Count(1, 10_000_000)),
    *[row(function, lambda: {"curvatures": np.array([1.0, 4.0])},
          curvatures=Array(minimum=1e-50, maximum=1e50))
      for function in (optimisation.best_learning_rate, optimisation.condition_number)],
    row(optimisation.predicted_steps,
        lambda: {"curvatures": np.array([1.0, 4.0]), "tolerance": 1e-3},
        curvatures=Array(minimum=1e-50, maximum=1e50),
        tolerance=Real(0.0, 1.0, open_minimum=True, open_maximum=True)),
    # preprocessing
    row(preprocessing.standardise, lambda: {"inputs": tiny_inputs()},
        inputs=Array(**SUMMARISED)),
    row(preprocessing.same_sign_share, lambda: {"inputs": tiny_inputs()}, inputs=Array()),
    # relu_unit
    row(relu_unit.he_normal_layer, lambda: {"rng": rng(), "inputs": 3, "units": 2},
        rng=Rng(), inputs=Count(1, 100_000), units=Count(1, 100_000)),
    row(relu_unit.relu_layer_sparsity,
        lambda: {"inputs": tiny_inputs(), "weights": np.ones((3, 2)), "biases": np.zeros(2)},
        inputs=Array(**DATA, extra=(np.ones((5, 4)),)),
        weights=Array(**DATA, extra=(np.ones((4, 2)),)),
        biases=Array(**DATA, extra=(np.zeros(3),))),
    row(relu_unit.single_unit_loss_and_gradient,
        lambda: {"inputs": tiny_inputs(), "targets": np.ones(5), "weights": np.ones(3),
                 "bias": 0.0, "slope": 0.0},
        inputs=Array(**DATA, extra=(np.ones((5, 4)),)), targets=Array(**DATA, extra=(np.ones(6),)),
        weights=Array(**DATA, extra=(np.ones(4),)), bias=Real(-1e6, 1e6),
        slope=Real(0.0, 1.0, open_maximum=True)),
    row(relu_unit.train_single_unit,
        lambda: {"inputs": tiny_inputs(), "targets": np.ones(5), "weights": np.ones(3),
                 "bias": 0.0, "slope": 0.0, "learning_rate": 0.1, "steps": 2},
        inputs=Array(**DATA, extra=(np.ones((5, 4)),)), targets=Array(**DATA, extra=(np.ones(6),)),
        weights=Array(**DATA, extra=(np.ones(4),)), bias=Real(-1e6, 1e6),
        slope=Real(0.0, 1.0, open_maximum=True),
        learning_rate=Real(0.0, 1e3, open_minimum=True), steps=Count(0, 10_000_000)),
    row(relu_unit.dying_unit_experiment,
        lambda: {"rng": rng(), "pixels": digit_like()[0], "slopes": (0.0, 0.1), "steps": 2,
                 "learning_rate": 0.1},
        rng=Rng(), pixels=Array(minimum=0.0, maximum=1e6),
        slopes=Explicit((None, [], "0.1", 0.1, [math.nan], [-0.1], [1.0], [True], [None])),
        steps=Count(0, 10_000_000), learning_rate=Real(0.0, 1e3, open_minimum=True)),
    row(relu_unit.active_share_by_bias,
        lambda: {"inputs": tiny_inputs(), "weights": np.ones(3), "biases": np.array([-1.0, 0.0])},
        inputs=Array(**DATA, extra=(np.ones((5, 4)),)), weights=Array(**DATA, extra=(np.ones(4),)),
        biases=Array(**DATA)),
    # series
    row(series.taylor_coefficients, lambda: {"name": "tanh", "order": 3},
        name=Choice(tuple(series.EXPRESSIONS)), order=Count(0, 40)),
    row(series.series_latex, lambda: {"coefficients": [Fraction(1, 2), 0.25, 0, -1]},
        coefficients=Explicit((None, "abc", 3, [], [None], [math.nan], [math.inf], ["x"],
                               [1j], [True]))),
    # statistics
    row(statistics.spawn_generators, lambda: {"seed": 0, "count": 2},
        seed=Count(0, 2 ** 63), count=Count(1, 100_000)),
    row(statistics.mean_and_spread, lambda: {"values": np.array([1.0, 2.0, 4.0])},
        values=Array(**SUMMARISED, extra=(np.array([1.0]), np.array(1.0)))),
    row(statistics.wilson_interval, lambda: {"successes": 3, "trials": 10, "z": 1.96},
        successes=Count(0, 10), trials=Explicit((0, -1, 2, 10 ** 16, 2.5, "10", None, True)),
        z=Real(0.0, 40.0, open_minimum=True, open_maximum=True)),
    # underflow
    row(underflow.running_product, lambda: {"factor": 0.5, "depth": 3, "dtype": np.float32},
        factor=Real(0.0, 1.0, open_minimum=True, open_maximum=True), depth=Count(1, 1_000_000),
        dtype=FLOAT_DTYPE),
    row(underflow.underflow_depths, lambda: {"factor": 0.25, "dtype": np.float16,
                                             "max_depth": 100},
        factor=Real(0.0, 1.0, open_minimum=True, open_maximum=True), dtype=FLOAT_DTYPE,
        max_depth=Count(1, 1_000_000, extra=(10,))),  # 0.25¹⁰ = 2⁻²⁰ is not yet 0 in float16
    # variance
    row(variance.predicted_forward_variance,
        lambda: {"alpha": 1.0, "beta": 0.0, "fan_in_times_weight_variance": 1.0, "depth": 3,
                 "input_variance": 1.0, "input_mean": 0.0},
        alpha=Real(-1e3, 1e3), beta=Real(-1e3, 1e3),
        fan_in_times_weight_variance=Real(0.0, 1e6), depth=Count(1, 10_000),
        input_variance=Real(0.0, 1e6), input_mean=Real(-1e3, 1e3)),
    row(variance.simulate_variances,
        lambda: {"rng": rng(), "activation": "affine", "width": 3, "depth": 2,
                 "weight_std": 0.5, "examples": 4, "input_std": 1.0, "alpha": 1.0, "beta": 0.0},
        rng=Rng(), activation=Choice(("affine", *variance.FUNCTIONS)), width=Count(1, 10_000),
        depth=Count(1, 10_000), weight_std=Real(0.0, 1e3, open_minimum=True),
        examples=Count(2, 1_000_000), input_std=Real(0.0, 1e3, open_minimum=True),
        alpha=Real(-1e3, 1e3), beta=Real(-1e3, 1e3)),
    row(variance.simulate_variances,  # alpha and beta are for "affine" only: refused otherwise
        lambda: {"rng": rng(), "activation": "tanh", "width": 3, "depth": 2, "weight_std": 0.5,
                 "examples": 4, "input_std": 1.0, "alpha": None, "beta": None},
        rng=Rng(), activation=Choice(("affine", *variance.FUNCTIONS)), width=Count(1, 10_000),
        depth=Count(1, 10_000), weight_std=Real(0.0, 1e3, open_minimum=True),
        examples=Count(2, 1_000_000), input_std=Real(0.0, 1e3, open_minimum=True),
        alpha=Explicit((0.5, 1.0, 0.0, "x", math.nan)), beta=Explicit((0.5, 0.0, "x", math.nan))),
    row(variance.backward_rate,
        lambda: {"rng": rng(), "activation": "tanh", "width": 3, "depth": 2, "gain": 1.0,
                 "examples": 4, "seeds": 1},
        rng=Rng(), activation=Choice(("affine", *variance.FUNCTIONS)), width=Count(1, 10_000),
        depth=Count(1, 10_000), gain=Real(0.0, 1e6, open_minimum=True),
        examples=Count(2, 1_000_000), seeds=Count(1, 10_000)),
    row(variance.balancing_gain,
        lambda: {"rng": rng(), "activation": "tanh", "width": 20, "depth": 3, "low": 0.25,
                 "high": 8.0, "points": 5, "seeds": 1},
        rng=Rng(), activation=Choice(("affine", *variance.FUNCTIONS)), width=Count(1, 10_000),
        depth=Count(1, 10_000), low=Real(0.0, 8.0, open_minimum=True, open_maximum=True),
        high=Real(0.25, 1e6, open_minimum=True), points=Count(3, 10_000),
        seeds=Count(1, 10_000)),
    # mean_field
    row(mean_field.gaussian_nodes, lambda: {"variance": 2.0},
        variance=Real(0.0, mean_field.MAX_LENGTH, open_minimum=True)),
    Row(mean_field.gaussian_expectation, lambda: {"function": np.square, "variance": 2.0},
        {"function": Explicit((None, 3, "square", lambda h: None, lambda h: h[:1], np.float16,
                               lambda h: np.full_like(h, math.nan), lambda h: h.astype(complex))),
         "variance": Real(0.0, mean_field.MAX_LENGTH, open_minimum=True)}),
    row(mean_field.length_map,
        lambda: {"activation": "tanh", "q": 1.0, "weight_variance": 2.0, "bias_variance": 0.1},
        activation=MEAN_FIELD_ACTIVATION, q=Real(0.0, mean_field.MAX_LENGTH),
        weight_variance=WEIGHT_VARIANCE, bias_variance=BIAS_VARIANCE),
    row(mean_field.gradient_factor,
        lambda: {"activation": "tanh", "q": 1.0, "weight_variance": 2.0},
        activation=MEAN_FIELD_ACTIVATION, q=Real(0.0, mean_field.MAX_LENGTH),
        weight_variance=WEIGHT_VARIANCE),
    row(mean_field.length_sequence,
        lambda: {"activation": "tanh", "q0": 1.0, "weight_variance": 2.0, "bias_variance": 0.1,
                 "depth": 3},
        activation=MEAN_FIELD_ACTIVATION, q0=Real(0.0, mean_field.MAX_LENGTH),
        weight_variance=WEIGHT_VARIANCE, bias_variance=BIAS_VARIANCE, depth=Count(1, 10_000)),
    *[row(function,
          lambda: {"activation": "tanh", "weight_variance": 2.0, "bias_variance": 0.1},
          activation=MEAN_FIELD_ACTIVATION, weight_variance=WEIGHT_VARIANCE,
          bias_variance=BIAS_VARIANCE)
      for function in (mean_field.fixed_point, mean_field.chi_1)],
    row(mean_field.critical_weight_variance,
        lambda: {"activation": "tanh", "bias_variance": 0.1, "low": 0.5, "high": 8.0},
        activation=MEAN_FIELD_ACTIVATION,
        # at σ_b² = 20, χ₁ of tanh stays below 1 on [low, high] = [0.5, 8]: no edge of chaos there
        bias_variance=dataclasses.replace(BIAS_VARIANCE, extra=(20.0,)),
        # [7.9, 8] and [0.5, 0.6] hold no crossing of χ₁ = 1 (at σ_b² = 0.1, near σ_w² = 1.1)
        low=Real(0.0, mean_field.MAX_WEIGHT_VARIANCE, open_minimum=True, extra=(7.9,)),
        high=Real(0.5, mean_field.MAX_WEIGHT_VARIANCE, open_minimum=True, extra=(0.6,))),
    row(mean_field.correlation_map,
        lambda: {"activation": "tanh", "c": 0.5, "q": 1.0, "weight_variance": 2.0,
                 "bias_variance": 0.1},
        activation=MEAN_FIELD_ACTIVATION, c=Real(-1.0, 1.0), q=Real(0.0, mean_field.MAX_LENGTH,
                                                                      open_minimum=True),
        weight_variance=WEIGHT_VARIANCE, bias_variance=BIAS_VARIANCE),
    row(mean_field.correlation_slope,
        lambda: {"activation": "tanh", "c": 0.5, "q": 1.0, "weight_variance": 2.0},
        activation=MEAN_FIELD_ACTIVATION, c=Real(-1.0, 1.0),
        q=Real(0.0, mean_field.MAX_LENGTH, open_minimum=True), weight_variance=WEIGHT_VARIANCE),
    *[row(function,
          lambda: {"activation": "tanh", "weight_variance": 2.0, "bias_variance": 0.1},
          activation=Choice(mean_field.BOUNDED_ACTIVATIONS),
          weight_variance=WEIGHT_VARIANCE,
          bias_variance=BIAS_VARIANCE)
      for function in (mean_field.correlation_fixed_point, mean_field.correlation_depth_scale)],
    row(mean_field.depth_scale, lambda: {"chi": 0.5},
        chi=Real(0.0, math.inf, open_minimum=True, open_maximum=True)),
    row(mean_field.weak_derivative_share,
        lambda: {"activation": "tanh", "q": 1.0, "threshold": 0.1},
        activation=MEAN_FIELD_ACTIVATION, q=Real(0.0, mean_field.MAX_LENGTH),
        threshold=Real(0.0, 1.0, open_minimum=True, open_maximum=True)),
    row(mean_field.weak_region, lambda: {"activation": "tanh", "threshold": 0.1},
        activation=MEAN_FIELD_ACTIVATION,
        threshold=Real(0.0, 1.0, open_minimum=True, open_maximum=True)),
    row(mean_field.simulate,
        lambda: {"rng": rng(), "activation": "tanh", "weight_variance": 2.0,
                 "bias_variance": 0.1, "width": 4, "depth": 2, "q0": 1.0, "examples": 2},
        rng=Rng(), activation=MEAN_FIELD_ACTIVATION, weight_variance=WEIGHT_VARIANCE,
        bias_variance=BIAS_VARIANCE, width=Count(1, 10_000), depth=Count(1, 1_000),
        q0=Real(0.0, mean_field.MAX_LENGTH), examples=Count(1, 10_000)),
    row(mean_field.mean_squares, lambda: {"arrays": np.ones((2, 3, 4))},
        arrays=Array(**SUMMARISED)),
    # deep_networks (chapter 6)
    row(deep_networks.init_network,
        lambda: {"rng_list": [rng()], "sizes": [3, 4, 2], "activation": "tanh",
                 "weight_variance": 1.0, "bias_variance": 0.1, "residual": True,
                 "branch_scale": 0.5, "normalisation": "batch"},
        rng_list=GENERATORS, sizes=Explicit((*SIZES.values, [3, 2], [3, 20_000, 2])),
        activation=DEEP_ACTIVATION, weight_variance=WEIGHT_VARIANCE,
        bias_variance=BIAS_VARIANCE, residual=BOOLEAN,
        branch_scale=Real(0.0, deep_networks.MAX_BRANCH_SCALE),
        normalisation=Choice(deep_networks.NORMALISATIONS)),
    row(deep_networks.forward,
        lambda: {"network": tiny_deep_network("batch"), "inputs": tiny_inputs(),
                 "reference": tiny_inputs(7)},
        network=DEEP_NETWORK, inputs=DEEP_INPUTS,
        reference=dataclasses.replace(DEEP_INPUTS, optional=True)),
    row(deep_networks.backward,
        lambda: {"network": tiny_deep_network("batch"), "inputs": tiny_inputs(),
                 "output_gradient": np.ones((2, 5, 2)), "reference": tiny_inputs(7)},
        network=DEEP_NETWORK, inputs=dataclasses.replace(
            DEEP_INPUTS, extra=(*DEEP_INPUTS.extra, tiny_inputs(1))),
        output_gradient=Array(**SUMMARISED, extra=(np.ones((2, 5, 3)), np.ones((2, 4, 2)))),
        reference=dataclasses.replace(DEEP_INPUTS, optional=True,
                                      extra=(*DEEP_INPUTS.extra, tiny_inputs(1)))),
    row(deep_networks.cost_and_gradients,
        lambda: {"network": tiny_deep_network(), "inputs": tiny_inputs(),
                 "targets": tiny_targets()},
        network=DEEP_NETWORK, inputs=DEEP_INPUTS, targets=DEEP_TARGETS),
    row(deep_networks.learning_speeds,
        lambda: {"network": tiny_deep_network(), "inputs": tiny_inputs(),
                 "targets": tiny_targets()},
        network=DEEP_NETWORK, inputs=DEEP_INPUTS, targets=DEEP_TARGETS),
    row(deep_networks.train_sgd,
        lambda: {"network": tiny_deep_network("layer"), "inputs": tiny_inputs(),
                 "targets": tiny_targets(), "rng_list": [rng(), rng()], "epochs": 1,
                 "batch_size": 2, "learning_rate": 0.1},
        network=DEEP_NETWORK, inputs=Array(**DATA, extra=(np.ones((5, 4)),)),
        targets=Array(**TARGETS, extra=(np.full((5, 3), 0.5), np.ones((4, 2)))),
        rng_list=GENERATOR_LISTS, epochs=Count(1, 100_000), batch_size=Count(2, 5),
        learning_rate=Real(0.0, 10.0, open_minimum=True)),
    row(deep_networks.accuracy,
        lambda: {"network": tiny_deep_network("batch"), "inputs": tiny_inputs(),
                 "labels": np.array([0, 1, 0, 1, 0]), "reference": tiny_inputs(7)},
        network=DEEP_NETWORK, inputs=DEEP_INPUTS,
        labels=Array(minimum=0, maximum=1, extra=MISSHAPEN_LABELS),
        reference=dataclasses.replace(DEEP_INPUTS, optional=True)),
    row(deep_networks.residual_mean_field,
        lambda: {"activation": "relu", "weight_variance": 1.0, "bias_variance": 0.1,
                 "depth": 5, "p0": 1.0, "residual": True, "branch_scale": 0.5},
        activation=DEEP_ACTIVATION,
        # ReLU with σ_w² = 1e4 over 1,000 layers outgrows 1e100: refused, naming it
        weight_variance=WEIGHT_VARIANCE, bias_variance=BIAS_VARIANCE, depth=Count(2, 1_000),
        p0=Real(0.0, 1e12, open_minimum=True), residual=BOOLEAN,
        branch_scale=Real(0.0, deep_networks.MAX_BRANCH_SCALE)),
    row(deep_networks.normalised_gradient_factor,
        lambda: {"activation": "tanh", "normalisation": "batch"},
        activation=DEEP_ACTIVATION, normalisation=Choice(("batch", "layer"))),
    row(deep_networks.gradient_correlation,
        lambda: {"gradients": np.arange(12.0).reshape(2, 6) ** 2, "lag": 1},
        gradients=Array(minimum=-1e150, maximum=1e150, extra=(np.ones((2, 6)),)),
        lag=Count(1, 4)),
    row(deep_networks.linear_batch_factor, lambda: {"batch_size": 8},
        batch_size=Count(4, deep_networks.MAX_COUNT_BATCH)),
    # experiments that take arguments
    row(residual_gradients.stream_error_logs,
        lambda: {"rng_list": [rng()], "activation": "tanh", "weight_variance": 1.0,
                 "residual": True, "branch_scale": 0.5, "width": 4, "depth": 3,
                 "examples": 2},
        rng_list=GENERATORS, activation=DEEP_ACTIVATION, weight_variance=WEIGHT_VARIANCE,
        residual=BOOLEAN, branch_scale=Real(0.0, deep_networks.MAX_BRANCH_SCALE),
        width=Count(1, 2_000), depth=Count(2, 1_000), examples=Count(1, 1_000)),
    row(residual_gradients.predicted_logs,
        lambda: {"activation": "tanh", "weight_variance": 1.0, "residual": True,
                 "branch_scale": 0.5, "depth": 5},
        activation=DEEP_ACTIVATION, weight_variance=WEIGHT_VARIANCE, residual=BOOLEAN,
        branch_scale=Real(0.0, deep_networks.MAX_BRANCH_SCALE), depth=Count(2, 1_000)),
    row(bn_experiment.per_layer_factor, lambda: {"logs": np.linspace(0, 1, 40).reshape(2, 20)},
        logs=Array(**SUMMARISED, extra=(np.ones((2, 3)),))),
    row(slight_update.output_size_gradient,
        lambda: {"network": tiny_network(), "inputs": tiny_inputs()},
        network=NETWORK, inputs=Array(**DATA, extra=(np.ones((5, 4)),))),
    row(explorer.explore_point,
        lambda: {"rng": rng(), "activation": "tanh", "weight_variance": 2.0,
                 "bias_variance": 0.1},
        rng=Rng(), activation=Choice(explorer.ACTIVATION_NAMES),
        weight_variance=WEIGHT_VARIANCE, bias_variance=BIAS_VARIANCE),
    row(gradient_scaling.error_logs,
        lambda: {"rng": rng(), "activation": "tanh", "weight_variance": 2.0,
                 "bias_variance": 0.1, "width": 4, "depth": 2, "examples": 2},
        rng=Rng(), activation=MEAN_FIELD_ACTIVATION, weight_variance=WEIGHT_VARIANCE,
        bias_variance=BIAS_VARIANCE, width=Count(1, 10_000), depth=Count(1, 1_000),
        examples=Count(1, 10_000)),
    row(gradient_scaling.measured_slope, lambda: {"logs": np.array([[0.0, -1.0, -2.0]])},
        logs=Array(**SUMMARISED, extra=(np.array([[0.0]]),))),
    row(digits_training.relu_networks,
        lambda: {"generators": [rng(), rng()], "hidden_bias": 0.0, "weights": "he",
                 "hidden": "relu"},
        generators=GENERATORS, hidden_bias=Real(-1e6, 1e6),
        weights=Choice(tuple(initialisation.WEIGHT_LAWS)),
        hidden=Choice((*networks.PLAIN, *networks.SLOPED))),
    row(digits_training.train,
        lambda: {"network": digits_training.relu_networks([rng(), rng()]),
                 "generators": [rng(), rng()], "learning_rate": 0.1,
                 "inputs": digit_like(40)[0], "targets": digit_like(40)[1], "record": None},
        network=WRONG_WIDTH_NETWORK, generators=Explicit((*GENERATORS.values, [rng()] * 3)),
        learning_rate=Real(0.0, 1e3, open_minimum=True),
        inputs=Array(**DATA, extra=(np.ones((40, 3)),)),
        targets=Array(**TARGETS, extra=(np.ones((40, 3)), np.ones((39, 10)))),
        record=Explicit((3, "record"))),
    row(digits_training.inactive_shares,
        lambda: {"network": digits_training.relu_networks([rng(), rng()]),
                 "inputs": digit_like()[0]},
        network=WRONG_WIDTH_NETWORK, inputs=Array(extra=(np.ones((6, 3)),))),
    row(fixes_compared.variant_networks,
        lambda: {"label": "PReLU", "generators": [rng(), rng()]},
        label=Choice(fixes_compared.VARIANTS), generators=GENERATORS),
    row(sparsity_speed.loss_area, lambda: {"losses": np.array([[2.3, 1.0, 0.5], [2.2, 0.9, 0.4]])},
        losses=Array(minimum=0.0, maximum=1e100, extra=(np.ones((2, 1)),))),
    row(balancing.balancing_gain, lambda: {"label": "tanh"}, runs_experiment=True,
        label=Choice(tuple(balancing.CASES))),
    *[row(function, lambda: {"label": "standard", "quantity": "gradient_std"},
          runs_experiment=True, label=Choice(tuple(glorot_histograms.INITS)),
          quantity=Choice(glorot_histograms.SPREADS))
      for function in (glorot_histograms.top_to_bottom, glorot_histograms.spread_over_networks)],
    row(linear_experiment.backward_to_first_layer, lambda: {"weight": 0.8},
        weight=Choice(linear_experiment.SCALAR_WEIGHTS)),
    row(linear_experiment.median_product_norm, lambda: {"scale": 1.1},
        scale=Choice(linear_experiment.SCALES)),
    row(saturation.over_networks, lambda: {"key": "accuracy"}, runs_experiment=True,
        key=Choice(saturation.SUMMARY_KEYS)),
    row(standardisation.training_losses,
        lambda: {"inputs": np.full((1797, 64), 0.5), "rate": 0.1},
        runs_experiment=True, inputs=Array(extra=(np.ones((5, 64)), np.ones((1797, 3)))),
        rate=Real(0.0, 1e3, open_minimum=True)),
    row(standardisation.final_losses, lambda: {"label": "standardised"}, runs_experiment=True,
        label=Choice(standardisation.LABELS)),
    row(standardisation.loss_ratios,
        lambda: {"slower": "scaled to [0, 1]", "faster": "standardised"}, runs_experiment=True,
        slower=Choice(standardisation.LABELS), faster=Choice(standardisation.LABELS)),
    row(conditioning.max_stable_rate, lambda: {"curvatures": np.array([1.0, 25.0])},
        curvatures=Array(minimum=1e-50, maximum=1e50)),
    row(learning_speed.initial_networks, lambda: {"depth": 2, "count": 2, "dtype": np.float32},
        depth=Choice(learning_speed.HIDDEN_LAYERS), count=Count(1, learning_speed.SEEDS),
        dtype=Explicit((*FLOAT_DTYPE.values, np.float16))),
    row(learning_speed.last_over_first, lambda: {"speeds": np.array([[0.1, 0.2, 0.4]])},
        speeds=Array(any_shape=True, minimum=1e-100, maximum=1e100,
                     extra=(np.array([0.1]), np.array(0.1), np.empty((2, 0)), np.ones((0, 3))))),
    row(learning_speed.per_layer_factor, lambda: {"speeds": np.array([[0.1, 0.2, 0.4]])},
        speeds=Array(minimum=1e-100, maximum=1e100, extra=(np.array([[0.1]]),))),
    row(learning_speed.final_speed_ratios, lambda: {"depth": 2}, runs_experiment=True,
        depth=Choice(learning_speed.HIDDEN_LAYERS)),
    *[row(function, lambda: {"gain": 1.1}, runs_experiment=True,
          gain=Choice(relu_activation_growth.GAINS))
      for function in (relu_activation_growth.growth_ratios,
                       relu_activation_growth.growth_summary)],
    row(dying_unit.first_active_step, lambda: {"slope": 0.01}, runs_experiment=True,
        slope=Choice(dying_unit.SLOPES)),
    row(sigmoid_chain.over_seeds, lambda: {"label": "w = 1", "statistic": "median"},
        runs_experiment=True, label=Choice(tuple(sigmoid_chain.WEIGHT_LAWS)),
        statistic=Choice(sigmoid_chain.STATISTICS)),
]

# Public callables with no row, and why.
EXEMPT = {
    "snippets.core.activations.Activation": "a frozen record of the table ACTIVATIONS, "
                                            "built only by the module itself",
    "snippets.core.data.digits_pixels": "takes no arguments",
    "snippets.core.deep_networks.DeepNetwork": "a record built by init_network; every function "
                                               "given one checks its fields again",
    "snippets.core.data.digits_labels": "takes no arguments",
    "snippets.core.validation.*": "the checks themselves: every row exercises them through "
                                  "the parameters they check",
}


def _qualified(function):
    return f"{function.__module__}.{function.__name__}"


def _public_callables():
    """Every public callable defined in snippets/core, and in snippets/experiments every one
    that takes at least one argument."""
    found = {}
    for package in (snippets.core, snippets.experiments):
        for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
            module = importlib.import_module(info.name)
            for name, value in vars(module).items():
                # "__mutmut_": the copies of a function `make mutate` adds beside it
                if name.startswith("_") or "__mutmut_" in name or not callable(value) \
                        or getattr(value, "__module__", None) != module.__name__:
                    continue
                if package is snippets.experiments and not inspect.signature(value).parameters:
                    continue
                found[f"{module.__name__}.{name}"] = value
    return found


def _exempt(qualified):
    return any(qualified == key or (key.endswith(".*") and qualified.startswith(key[:-1]))
               for key in EXEMPT)


def test_table_covers_every_public_function():
    covered = {_qualified(r.function) for r in TABLE}
    missing = sorted(q for q in _public_callables() if q not in covered and not _exempt(q))
    assert not missing, f"public functions without a row in TABLE (or an EXEMPT reason): {missing}"


@pytest.mark.parametrize("entry", TABLE, ids=lambda r: _qualified(r.function))
def test_row_names_every_parameter(entry):
    parameters = {name for name, p in inspect.signature(entry.function).parameters.items()
                  if p.kind is not p.VAR_KEYWORD}
    assert set(entry.kinds) == parameters


@pytest.mark.parametrize("entry", [r for r in TABLE if not r.runs_experiment],
                         ids=lambda r: _qualified(r.function))
def test_valid_call_succeeds(entry):
    """The baseline every bad value is swapped into is itself valid, so a ValueError below
    comes from the bad value."""
    entry.function(**entry.valid())


# ---------------------------------------------------------------------------------------------
# One call with one bad argument, and how it ended.

class Hang(Exception):
    pass


def _on_alarm(signum, frame):
    raise Hang


def _non_finite(result):
    try:
        leaves = result.values() if isinstance(result, dict) else (
            result if isinstance(result, (list, tuple)) else [result])
        return any(np.any(~np.isfinite(np.asarray(leaf, dtype=float)))
                   for leaf in leaves if leaf is not None)
    except (TypeError, ValueError):
        return False


def outcome(entry, parameter, value):
    """("correct" | "misnamed" | "wrong exception" | "silent NaN/inf" | "silent result" |
    "hang", detail) for one call with ``parameter`` set to ``value``."""
    arguments = entry.valid()
    arguments[parameter] = value
    previous = signal.signal(signal.SIGALRM, _on_alarm)
    signal.setitimer(signal.ITIMER_REAL, HANG_SECONDS)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # an overflow warning is a failure, not a result
            result = entry.function(**arguments)
    except Hang:
        return "hang", f"still running after {HANG_SECONDS} s"
    except MemoryError:
        return "hang", "MemoryError"
    except ValueError as error:
        if re.search(rf"(?<![\w.]){re.escape(parameter)}(?!\w)", str(error)):
            return "correct", str(error)
        return "misnamed", str(error)
    except Exception as error:  # noqa: BLE001 - any other type is what we are looking for
        return "wrong exception", f"{type(error).__name__}: {error}"
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    if _non_finite(result):
        return "silent NaN/inf", repr(result)[:120]
    return "silent result", repr(result)[:120]


def _explicit_values(entry, parameter):
    kind = entry.kinds[parameter]
    if isinstance(kind, Array):
        return kind.explicit(entry.valid()[parameter])
    return kind.explicit()


def _strategy(entry, parameter):
    kind = entry.kinds[parameter]
    if isinstance(kind, Array):
        return kind.strategy(entry.valid()[parameter])
    return kind.strategy()


PAIRS = [(entry, parameter) for entry in TABLE for parameter in entry.kinds]
PAIR_IDS = [f"{_qualified(e.function).removeprefix('snippets.')}:{p}" for e, p in PAIRS]


def _describe(value):
    text = repr(value)
    return text if len(text) < 60 else text[:57] + "..."


@pytest.mark.parametrize(("entry", "parameter"), PAIRS, ids=PAIR_IDS)
def test_explicit_bad_values_raise_a_value_error_naming_the_parameter(entry, parameter):
    failures = [f"{parameter}={_describe(value)}: {kind} ({detail})"
                for value in _explicit_values(entry, parameter)
                for kind, detail in [outcome(entry, parameter, value)] if kind != "correct"]
    assert not failures, "\n".join(failures)


# max_examples comes from the Hypothesis profile (tests/conftest.py).
@pytest.mark.parametrize(("entry", "parameter"), PAIRS, ids=PAIR_IDS)
@settings(derandomize=True, database=None, deadline=2000,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much,
                                 HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_generated_bad_values_raise_a_value_error_naming_the_parameter(entry, parameter, data):
    value = data.draw(_strategy(entry, parameter), label=parameter)
    kind, detail = outcome(entry, parameter, value)
    assert kind == "correct", f"{parameter}={_describe(value)}: {kind} ({detail})"


# ---------------------------------------------------------------------------------------------
# NaN in an activation's input is not an error: it propagates, by design.

ELEMENTWISE = [r.function for r in TABLE if r.kinds.get("z") is ACTIVATION_Z]


@pytest.mark.parametrize("function", ELEMENTWISE, ids=lambda f: f.__name__)
def test_nan_in_activation_input_gives_nan_there_and_leaves_the_rest_alone(function):
    z = np.array([-3.0, math.nan, 0.5, 2.0])
    with_nan = function(z)
    assert np.isnan(with_nan[1])
    np.testing.assert_array_equal(np.delete(with_nan, 1), function(np.delete(z, 1)))


def test_non_finite_softmax_input_makes_its_slice_nan_and_minus_infinity_gives_zero():
    z = np.array([[1.0, math.nan, 0.0], [1.0, math.inf, 0.0], [-math.inf, -math.inf, -math.inf],
                  [-math.inf, 0.0, 0.0], [1.0, 2.0, 3.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = activations.softmax(z)
    assert np.all(np.isnan(result[:3]))
    np.testing.assert_array_equal(result[3], [0.0, 0.5, 0.5])
    np.testing.assert_allclose(result[4], np.exp([1, 2, 3]) / np.exp([1, 2, 3]).sum())


def test_nan_pre_activation_makes_that_networks_inactive_share_nan():
    # Network 0 has a NaN; network 1 has one unit (of 3) with z ≤ 0 on both examples.
    stacked = np.array([[[1.0, -1.0, math.nan], [1.0, -2.0, 0.5]],
                        [[1.0, -1.0, 2.0], [1.0, -2.0, 0.5]]])
    shares = dead_networks.inactive_share([stacked])
    assert math.isnan(shares[0]) and shares[1] == 1 / 3
    assert math.isnan(dead_networks.inactive_share([stacked[0]]))


def test_infinite_and_huge_activation_inputs_give_the_limits_without_a_warning():
    # Oracle: the limits of each function as z → ±∞, where ReLU(−∞) = 0 even at slope 0.
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert activations.leaky_relu(np.array([-math.inf, math.inf]), slope=0.0).tolist() == \
            [0.0, math.inf]
        assert activations.tanh_derivative(np.array([-1e308, 1e308])).tolist() == [0.0, 0.0]
        assert activations.penalized_tanh_derivative(np.array([1e308])).tolist() == [0.0]
        assert activations.softmax(np.array([1e308, -1e308])).tolist() == [1.0, 0.0]


def test_a_diverged_network_evaluates_to_nan_never_to_a_plausible_number():
    # Training may drive parameters to NaN (chapter 4 counts such runs); built NaN is refused.
    diverged = tiny_network(stacked=True)
    diverged.weights[0][1, 0, 0] = math.nan          # network 1 of the stack diverged
    labels = np.array([0, 1, 0, 1, 1])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        accuracy = networks.accuracy(diverged, tiny_inputs(), labels)
        cost = networks.cost(diverged, tiny_inputs(), tiny_targets())
    healthy = tiny_network()
    assert math.isnan(accuracy[1]) and math.isnan(cost[1])
    assert accuracy[0] == networks.accuracy(healthy, tiny_inputs(), labels)
    assert cost[0] == pytest.approx(networks.cost(healthy, tiny_inputs(), tiny_targets()))
    with pytest.raises(ValueError, match="weights must contain only finite values"):
        networks.Network([np.full((3, 4), math.nan), np.ones((4, 2))],
                         [np.zeros(4), np.zeros(2)])


def test_array_kinds_try_entries_below_an_open_minimum_and_above_a_maximum():
    # The kinds themselves: a row with an open minimum must try values below it, not only at it.
    template = np.array([0.5, 0.5])
    tried = Array(minimum=0.0, open_minimum=True, maximum=1.0).explicit(template)
    entries = [a[0] for a in tried if isinstance(a, np.ndarray) and a.dtype == float
               and a.shape == (2,) and a[1] == 0.5]
    assert 0.0 in entries and any(x < 0 for x in entries) and any(x > 1 for x in entries)
    assert -1e308 in entries and 1e308 in entries


# ---------------------------------------------------------------------------------------------
# Subnormal numbers inside a parameter's range are valid: a finite result, or a ValueError that
# names the parameter where the computation cannot represent them (never an OverflowError).

SUBNORMAL_PAIRS = [(entry, parameter) for entry, parameter in PAIRS
                   if not entry.runs_experiment and isinstance(entry.kinds[parameter], Real)
                   for value in (SUBNORMAL, -SUBNORMAL) if entry.kinds[parameter].contains(value)]


@pytest.mark.parametrize(("entry", "parameter"), SUBNORMAL_PAIRS,
                         ids=[f"{_qualified(e.function).removeprefix('snippets.')}:{p}"
                              for e, p in SUBNORMAL_PAIRS])
def test_subnormal_reals_in_range_give_a_finite_result_or_a_named_refusal(entry, parameter):
    for value in (SUBNORMAL, -SUBNORMAL):
        if entry.kinds[parameter].contains(value):
            kind, detail = outcome(entry, parameter, value)
            assert kind in ("silent result", "correct"), f"{parameter}={value}: {kind} ({detail})"


# ---------------------------------------------------------------------------------------------
# Counts and values each within their bounds that together ask for too much work or memory, or
# for a number beyond float64, are refused: a ValueError naming every parameter involved.

def _call(function, *args, **kwargs):
    return Row(function, lambda: dict(zip(inspect.signature(function).parameters, args), **kwargs),
               {})


OVER_BUDGET = [
    (_call(networks.one_hot, np.arange(1000) % 10, classes=100_000), ("labels", "classes")),
    (_call(optimisation.gradient_descent_path, np.ones(100), np.ones(100), 0.1, 1_000_000),
     ("steps", "curvatures")),
    (_call(networks.train_sgd, tiny_network(), tiny_inputs(), tiny_targets(), rng(),
           epochs=10 ** 7, batch_size=1), ("epochs", "batch_size")),
    (_call(dead_networks.born_dead_share, rng(), 2, 10_000, 10 ** 8), ("trials", "depth")),
    (_call(dead_networks.sample_layer, rng(), 1_000_000, 100, 100, "he"),
     ("count", "fan_in", "width")),
    (_call(linear_networks.random_product_norms, rng(), 10_000, 10, 1.0, 1), ("width",)),
    (_call(networks.activation_growth, rng(), 3000, 10_000, 1.0), ("width", "depth")),
    (_call(networks.init_network, rng(), [100_000, 100_000]), ("sizes",)),
    (_call(mean_field.simulate, rng(), "tanh", 1.0, 0.0, 10_000, 1_000, 1.0, 10_000),
     ("width", "depth")),
    (_call(optimisation.steps_to_tolerance, np.ones(100), np.ones(100), 1e-9, 1e-6, 10 ** 7),
     ("max_steps",)),
    (_call(relu_unit.train_single_unit, np.full((1000, 64), 0.5), np.ones(1000), np.ones(64),
           0.0, steps=1_000_000), ("steps", "inputs")),
    (_call(relu_unit.active_share_by_bias, np.ones((10_000, 3)), np.ones(3), np.ones(10_000)),
     ("biases", "inputs")),
    (_call(gradient_chain.chain_factors, np.broadcast_to(0.0, (1, 2_000_000)), np.zeros(1)),
     ("weights",)),
    (_call(variance.simulate_variances, rng(), "tanh", 10_000, 10_000, 0.01), ("width", "depth")),
    (_call(networks.forward, tiny_network(), np.broadcast_to(0.0, (10 ** 7, 3))),  # no memory
     ("network", "inputs")),
]
OVERFLOWING = [
    (_call(linear_networks.linear_chain_backward, np.full(400, 1e3)), ("weights",)),
    (_call(linear_networks.linear_chain_gradients, np.array([10.0, 1.0]), x=1e308),
     ("weights", "x")),
    (_call(gradient_chain.chain_gradient_ratios,
           **dict(zip(("weights", "biases", "inputs"), gradient_chain.exploding_chain(1e3, 400)))),
     ("weights",)),
    (_call(linear_networks.random_product_norms, rng(), 3, 10_000, 1e3, 1), ("scale", "depth")),
    (_call(optimisation.gradient_descent_path, np.ones(1), np.ones(1), 1e6, 1_000_000),
     ("learning_rate", "steps")),
    (_call(variance.predicted_forward_variance, 1e3, 0.0, 1e6, 10_000, 1.0),
     ("alpha", "fan_in_times_weight_variance")),
    (_call(variance.simulate_variances, rng(), "affine", 3, 200, 1e3, alpha=2.0, beta=0.0),
     ("weight_std", "depth")),
    (_call(variance.backward_rate, rng(), "tanh", 3, 200, 1e-300), ("gain", "depth")),
    (_call(mean_field.simulate, rng(), "relu", 1e4, 0.0, 4, 1_000, 1.0, 2),
     ("weight_variance", "depth")),
    (_call(networks.activation_growth, rng(), 3, 200, 1e3), ("gain", "depth")),
    (_call(gradient_scaling.error_logs, rng(), "tanh", SUBNORMAL, 0.0, 4, 3, 2),
     ("weight_variance",)),
]


@pytest.mark.parametrize(("entry", "names"), OVER_BUDGET + OVERFLOWING,
                         ids=[_qualified(e.function).removeprefix("snippets.")
                              for e, _ in OVER_BUDGET + OVERFLOWING])
def test_arguments_within_their_bounds_that_ask_too_much_are_refused_naming_them(entry, names):
    arguments = entry.valid()
    kind, detail = outcome(entry, names[0], arguments[names[0]])
    assert kind == "correct", f"{kind}: {detail}"
    missing = [name for name in names if not re.search(rf"(?<![\w.]){name}(?!\w)", detail)]
    assert not missing, f"{detail!r} does not name {missing}"


# ---------------------------------------------------------------------------------------------
# The tally: python -m tests.test_bad_inputs [--details]

def tally(details=False):
    import resource
    import sys
    limit = 6 * 2 ** 30  # a count that tries to allocate terabytes fails here, not in the OS
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    # Warm the experiments the accessors read, so a missing check shows as what it does with a
    # bad key rather than as the time the experiment takes.
    for entry in TABLE:
        if entry.runs_experiment:
            try:
                entry.function(**{k: v for k, v in entry.valid().items() if v is not None})
            except Exception:  # noqa: BLE001, S110 - only warming the cache
                pass
    counts, functions = Counter(), set()
    for entry, parameter in PAIRS:
        functions.add(_qualified(entry.function))
        for value in _explicit_values(entry, parameter):
            kind, detail = outcome(entry, parameter, value)
            counts[kind] += 1
            if details and kind != "correct":
                print(f"{_qualified(entry.function)}({parameter}={_describe(value)}): "
                      f"{kind}: {detail[:150]}", file=sys.stderr)
    print(f"{len(functions)} functions, {sum(counts.values())} calls with one bad argument")
    for kind in ("correct", "misnamed", "wrong exception", "silent NaN/inf", "silent result",
                 "hang"):
        print(f"  {kind:16} {counts[kind]}")


if __name__ == "__main__":
    import sys
    tally(details="--details" in sys.argv)
