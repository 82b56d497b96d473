"""A second, independent check of bad inputs, written from the functions' signatures alone.

tests/test_bad_inputs.py drives every public function with bad values a person chose for each
parameter. This module knows nothing of that table: it finds the public functions itself, finds
a valid call of each by trial, then swaps every parameter in turn for each value of one generic
hostile corpus (``HOSTILE``: None, strings, bytes, containers, bools, NaN, ±∞, −0.0, huge and
subnormal numbers, integers and Fractions beyond float64, Decimals, numpy scalar types, numpy
types, empty, 0-d, NaN-holding and wrongly shaped arrays, huge counts, a function returning
None; plus arrays derived from the valid call's own, see ``_derived``) and records how every call
ends.

**Discovery.** Every module-level callable defined in a module of ``snippets.core`` or
``snippets.experiments``, not starting with an underscore; in ``snippets.experiments`` only
those that take arguments (the rule of the table's coverage test). ``NOT_FUZZED`` lists the few
left out, each with its reason. Experiments are computed (or read from their cache) first,
outside any alarm.

**A valid call by trial.** Each parameter starts from the first of ``CANDIDATES`` (None, 0.5,
1.0, 1, 2, 3, bools, a seeded Generator, small arrays, a small Network built by
``init_network``, short lists, a callable, a numpy type, a dict). While the call raises a
ValueError, the first parameter it names moves on to its next candidate — an odometer: when
that one runs out it starts again and the next named, then those last named with it, then the
others, move on. The message also puts candidates in front: the options of "must be one of
[...]", values inside a stated interval "[lo, hi]" (smallest first), an array of a stated shape.
A Network or dict returned by an earlier function's valid call joins the candidates of later
ones. A function with no valid call fails ``test_every_public_function_has_a_valid_call``,
unless ``WITHOUT_VALID_CALL`` says why.

**How a call with one hostile value ends** — ``correct``: a ValueError whose message names the
parameter; ``valid``: it returned and the value is in fact valid for that parameter (rule
below), so the call is not a bad call and is left out of the count; any other return is a
``silent result`` or ``silent NaN/inf``; ``misnamed``: a ValueError not naming the parameter;
``wrong exception``: any other exception (numpy's RuntimeWarnings are raised as errors, so an
overflow is one); ``hang``: still running after HANG_SECONDS, a generous alarm that only catches
a call that would not end (no outcome depends on a margin of time); ``memory``: a MemoryError,
or a peak allocation above MEMORY_LIMIT (numpy's allocations, traced by tracemalloc).

**When a returned value counts as valid**, decided from the function's own behaviour, never
from the table: the parameter's *domain* is read from the ValueErrors the function raised for
the other hostile values of that parameter — an interval ("p must lie in [lo, hi]", "… must be
an integer in (lo, hi]"), options ("p must be one of [...]", "p must be True or False",
floating-point types), entry bounds of an array ("p must hold values in [lo, hi]", "≥ lo"), or
"p must be a function". A returned value is valid when

- it equals the valid call's own value for the parameter (None where None is the default);
- it is a real number (not a bool) whose float is finite and inside the stated interval (an
  integer where the valid call used one) or equal to a stated option, and the result is finite.
  So 1e-320 and −0.0 are valid where the interval allows them, and then must give a finite
  result, not an OverflowError or a NaN; a number the function states no interval for is not;
- it is a string, bool or numpy type among the stated options, or a callable where the
  parameter must be a function, and the result is finite;
- the parameter is *element-wise* (by trial: on an array of distinct entries like the valid
  value the function returns an array of that shape, and its first and last entries alone give
  the same entries of the result): then any array or number is valid, empty arrays included,
  provided the result has its shape and is NaN wherever it is NaN (never a plausible number);
- it is an array with leading axes added to the valid call's number of dimensions, and the
  result is the stack of the results for its sub-arrays (the function vectorises);
- it is a non-empty, finite, real array of the valid call's number of dimensions with entries
  within the stated bounds (none stated: any), and the result is finite.

``NON_FINITE_BY_DESIGN`` names the three parameters whose documentation says a non-finite value
passes through (softmax's z, backward's outputs) or comes out (depth_scale at χ = 1): for those
a non-finite result is valid, and a NaN or ∞ in an array argument is valid if it shows in the
result.

The test asserts that every bad call — at least MIN_BAD_CALLS of them — raises a ValueError
naming its parameter, and prints the tally. ``test_budgets_keep_a_call_under_2_gib`` checks the
memory budget of snippets/core/validation.py by its arithmetic and by calls at their bound.
``python -m tests.test_fuzz_signatures [--details] [--only PREFIX]`` prints the tally (with
``--details``, every failure; with ``--only``, for the functions under one prefix).
"""

import ast
import dataclasses
import functools
import importlib
import inspect
import math
import numbers
import pkgutil
import re
import signal
import sys
import tracemalloc
import warnings
from collections import Counter
from decimal import Decimal
from fractions import Fraction

import numpy as np
import pytest

import snippets.core
import snippets.experiments
from snippets.core import deep_networks, networks, validation

HANG_SECONDS = 60               # only a call that would never end trips this alarm
MEMORY_LIMIT = 2 * 2 ** 30      # bytes a call may allocate at its peak
MIN_BAD_CALLS = 4000
SEARCH_ATTEMPTS = 1000          # calls tried to find one function's valid call

NOT_FUZZED = {
    "snippets.core.validation": "the checks themselves: their first argument is the name of the "
                                "caller's parameter, echoed in their messages; every other "
                                "call here goes through them",
    "snippets.core.activations.Activation": "a frozen record of the table ACTIVATIONS, which "
                                            "only activations.py builds; its fields are free "
                                            "text and functions",
}


# Functions whose valid call the search may not find, and why (their own tests call them).
WITHOUT_VALID_CALL = {
    "snippets.core.deep_networks.DeepNetwork": "a record that init_network builds: a valid one "
                                               "needs lists of stacked (S, n_in, n_out) "
                                               "weights, which no generic candidate holds; "
                                               "its fields are checked at every use",
    "snippets.experiments.residual_and_normalisation.batch_normalisation.per_layer_factor":
        "a valid call needs rows of at least FIT_TO = 18 layers of logs, longer than any "
        "generic candidate; its argument is checked before the fit",
    "snippets.core.variance.balancing_gain": "a valid call needs a grid [low, high] around the "
                                             "balancing gain of the network it simulates, "
                                             "which no generic candidate knows; every argument "
                                             "is checked before the grid runs",
}


# ---------------------------------------------------------------------------------------------
# Discovery

def public_functions():
    """{qualified name: callable} by the rule of the module docstring."""
    found = {}
    for package in (snippets.core, snippets.experiments):
        for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
            module = importlib.import_module(info.name)
            for name, value in vars(module).items():
                # "__mutmut_": the copies of a function `make mutate` adds beside it
                if name.startswith("_") or "__mutmut_" in name or not callable(value) \
                        or getattr(value, "__module__", None) != module.__name__:
                    continue
                if package is snippets.experiments and not _parameters(value):
                    continue
                found[f"{module.__name__}.{name}"] = value
    return found


def _parameters(function):
    return [name for name, parameter in inspect.signature(function).parameters.items()
            if parameter.kind not in (parameter.VAR_KEYWORD, parameter.VAR_POSITIONAL)]


def _not_fuzzed(qualified):
    return next((reason for prefix, reason in NOT_FUZZED.items()
                 if qualified == prefix or qualified.startswith(prefix + ".")), None)


# ---------------------------------------------------------------------------------------------
# Candidates for a valid call: (label, factory), built afresh for every call

def _rng():
    return np.random.default_rng(0)


def _array(shape):
    """Distinct entries in [0.25, 0.75]: not all equal, which a function may treat apart."""
    size = math.prod(shape)
    return lambda: np.linspace(0.25, 0.75, size).reshape(shape)


def small_network():
    return networks.init_network(_rng(), [3, 3, 3])


CANDIDATES = [
    ("None", lambda: None), ("0.5", lambda: 0.5), ("1.0", lambda: 1.0), ("1", lambda: 1),
    ("2", lambda: 2), ("3", lambda: 3), ("True", lambda: True), ("False", lambda: False),
    ("default_rng(0)", _rng),
    ("array (3,)", _array((3,))), ("array (3, 3)", _array((3, 3))),
    ("array (3, 3, 3)", _array((3, 3, 3))), ("int array [0, 1, 2]", lambda: np.arange(3)),
    ("small network", small_network),
    ("[3, 3, 3]", lambda: [3, 3, 3]), ("[0.5]", lambda: [0.5]),
    ("[default_rng(0)]", lambda: [_rng()]), ("[default_rng(0)] × 2", lambda: [_rng(), _rng()]),
    ("[array (3, 3)]", lambda: [np.full((3, 3), 0.5)]), ("[array (3,)]", lambda: [np.full(3, 0.5)]),
    ("[small network] × 2", lambda: [small_network(), small_network()]),
    ("numpy.square", lambda: np.square), ("float64", lambda: np.float64),
    ("{'a': array (4,)}", lambda: {"a": np.full(4, 0.5)}),
    ("small deep network", lambda: deep_networks.init_network([_rng()], [3, 3, 3, 3])),
]


def _balanced(text, start):
    """The bracketed text opening at text[start] ('['), or None."""
    depth = 0
    for index in range(start, len(text)):
        depth += {"[": 1, "]": -1}.get(text[index], 0)
        if depth == 0:
            return text[start:index + 1]
    return None


def _named(parameter):
    return rf"(?<![\w.]){re.escape(parameter)}(?!\w)"


def _options(parameter, message):
    """The options a message lists for ``parameter`` ("p must be one of [...]"), or None."""
    match = re.search(_named(parameter) + r" must be one of (?!the floating)", message)
    if not match:
        return None
    listed = _balanced(message, match.end())
    try:
        return list(ast.literal_eval(listed)) if listed else None
    except (ValueError, SyntaxError):
        return None


def _float_types(parameter, message):
    match = re.search(_named(parameter) + r" must be one of the floating-point types ", message)
    listed = _balanced(message, match.end()) if match else None
    return [np.dtype(name).type for name in ast.literal_eval(listed)] if listed else None


INTERVAL = (r" must (?:lie|be (?:an integer|a real number|finite and lie)) in "
            r"([\[(])([^,\[\]()]+), ([^,\[\]()]+)([\])])")


def _interval(parameter, message):
    """(low, high, low open, high open) stated for ``parameter``, or None."""
    match = re.search(_named(parameter) + INTERVAL, message)
    if not match:
        return None
    try:
        low, high = float(match.group(2)), float(match.group(3))
    except ValueError:
        return None
    return low, high, match.group(1) == "(", match.group(4) == ")"


def _bounds(parameter, message):
    """Entry bounds an array parameter states ("p must hold values ≥ 0.0", "… in [0, 1]"), as
    an interval."""
    both = re.search(_named(parameter) + r" must hold values in ([\[(])([^,]+), ([^\])]+)([\])])",
                     message)
    if both:
        return (float(both.group(2)), float(both.group(3)), both.group(1) == "(",
                both.group(4) == ")")
    low = re.search(_named(parameter) + r" must hold values (≥|>) ([-\w.+]+)", message)
    high = re.search(_named(parameter) + r" must hold values (≤|<) ([-\w.+]+)", message)
    if not (low or high):
        return None
    return (float(low.group(2)) if low else -math.inf, float(high.group(2)) if high else math.inf,
            bool(low) and low.group(1) == ">", bool(high) and high.group(1) == "<")


def _shape(text):
    dims = []
    for part in (p.strip() for p in text.split(",")):
        if part:
            dims.append(int(part) if part.isdigit() else 3)
    return tuple(dims)


def _hinted(parameter, message, current):
    """Candidates the message suggests for ``parameter``, tried before the remaining ones."""
    hints = []
    for option in _options(parameter, message) or []:
        hints.append((repr(option), lambda option=option: option))
    for kind in _float_types(parameter, message) or []:
        hints.append((kind.__name__, lambda kind=kind: kind))
    interval = _interval(parameter, message)
    if interval:  # the smallest values first: a cheap valid call
        low, high, low_open, high_open = interval
        inside = [low] if math.isfinite(low) and not low_open else []
        if math.isfinite(low):
            inside.append(low + (min(1.0, (high - low) / 2) if math.isfinite(high) else 1.0))
        inside += [10.0 ** k for k in range(1, 7) if low < 10.0 ** k < high]
        if math.isfinite(high) and not high_open:
            inside.append(high)
        for value in inside:
            hints.append((repr(value), lambda value=value: value))
            if value == int(value):
                hints.append((repr(int(value)), lambda value=value: int(value)))
    for match in re.finditer(_named(parameter) + r" must have shape (?:of \w+ )?\(([^)]*)\)",
                             message):
        shape = _shape(match.group(1))
        hints.append((f"array {shape}", _array(shape)))
    match = re.search(_named(parameter) + r" must hold at least (?:\w+ = )?(\d+)", message)
    if match and isinstance(current, np.ndarray) and current.ndim:
        shape = (int(match.group(1)), *current.shape[1:])
        hints.append((f"array {shape}", _array(shape)))
    match = re.search(_named(parameter) + r" must be an? ([\d or]+)-dimensional", message)
    if match:
        for ndim in re.findall(r"\d", match.group(1)):
            hints.append((f"array {(3,) * int(ndim)}", _array((3,) * int(ndim))))
    match = re.search(_named(parameter) + r" must hold (\d+) generators", message)
    if match:
        count = int(match.group(1))
        hints.append((f"[default_rng(0)] × {count}", lambda: [_rng() for _ in range(count)]))
    match = re.search(_named(parameter) + r" must have shapes \[(.*)\]", message)
    if match:
        shapes = [_shape(s) for s in re.findall(r"\(([^)]*)\)", match.group(1))]
        hints.append((f"arrays {shapes}", lambda: [np.full(s, 0.5) for s in shapes]))
    return hints


# ---------------------------------------------------------------------------------------------
# One call, and how it ended

class Hang(Exception):
    pass


def _on_alarm(signum, frame):
    raise Hang


@dataclasses.dataclass
class Ending:
    kind: str            # "returned", "value error", "exception", "hang", "memory"
    detail: str = ""
    result: object = None
    peak: int = 0        # bytes traced at the call's peak


def call(function, arguments):
    previous = signal.signal(signal.SIGALRM, _on_alarm)
    signal.setitimer(signal.ITIMER_REAL, HANG_SECONDS)
    tracing = tracemalloc.is_tracing()
    if tracing:
        tracemalloc.reset_peak()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # an overflow is a failure, not a result
            result = function(**arguments)
        ending = Ending("returned", result=result)
    except Hang:
        ending = Ending("hang", f"still running after {HANG_SECONDS} s")
    except MemoryError as error:
        ending = Ending("memory", f"MemoryError: {error}")
    except ValueError as error:
        ending = Ending("value error", str(error))
    except Exception as error:  # noqa: BLE001 - any other type is what we are looking for
        ending = Ending("exception", f"{type(error).__name__}: {error}")
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    if tracing:
        ending.peak = tracemalloc.get_traced_memory()[1]
    return ending


def _named_in(message, parameters):
    """Parameters named in ``message``, in the order they first appear."""
    found = []
    for parameter in parameters:
        match = re.search(_named(parameter), message)
        if match:
            found.append((match.start(), parameter))
    return [parameter for _, parameter in sorted(found)]


# ---------------------------------------------------------------------------------------------
# A valid call by trial

RETURNED = []   # (label, factory) of Networks and dicts returned by earlier valid calls


def find_valid_call(function):
    """{parameter: (label, factory)} of a call that returns, or None."""
    parameters = _parameters(function)
    queues = {p: list(CANDIDATES) + list(RETURNED) for p in parameters}
    position = {p: 0 for p in parameters}
    partners = {p: [] for p in parameters}  # named with p in the last message naming several
    for _ in range(SEARCH_ATTEMPTS):
        arguments = {p: queues[p][position[p]][1]() for p in parameters}
        ending = call(function, arguments)
        if ending.kind == "returned":
            return {p: queues[p][position[p]] for p in parameters}
        if ending.kind != "value error":
            named = parameters  # no hint which one: turn the odometer over all of them
        else:
            named = _named_in(ending.detail, parameters) or parameters
            if len(named) > 1:
                for p in named:
                    partners[p] = [q for q in named if q != p]
            for p in named:  # hinted candidates move to the front of those not yet tried
                tried = {label for label, _ in queues[p][:position[p] + 1]}
                hints = [h for h in _hinted(p, ending.detail, arguments[p]) if h[0] not in tried]
                labels = {label for label, _ in hints}
                queues[p][position[p] + 1:] = hints + [
                    c for c in queues[p][position[p] + 1:] if c[0] not in labels]
        # An odometer: the first parameter named moves on; when it runs out, it starts again and
        # the next one named moves on, then those last named with it, then the others.
        order = list(dict.fromkeys(named + partners[named[0]] + parameters))
        for p in order:
            position[p] += 1
            if position[p] < len(queues[p]):
                break
            position[p] = 0
        else:
            return None
    return None


# ---------------------------------------------------------------------------------------------
# The hostile corpus, written from types alone (plus arrays derived from the valid call's own)

class Opaque:
    def __repr__(self):
        return "object()"


HOSTILE = [
    ("None", lambda: None), ("'x'", lambda: "x"), ("''", lambda: ""), ("b'x'", lambda: b"x"),
    ("[]", list), ("{}", dict), ("()", tuple), ("object()", Opaque), ("True", lambda: True),
    ("False", lambda: False), ("numpy.bool_(True)", lambda: np.bool_(True)),
    ("nan", lambda: math.nan), ("inf", lambda: math.inf), ("-inf", lambda: -math.inf),
    ("-1", lambda: -1), ("0", lambda: 0), ("-0.0", lambda: -0.0), ("0.5j+1", lambda: 1 + 0.5j),
    ("10**400", lambda: 10 ** 400), ("-10**400", lambda: -10 ** 400),
    ("10**9", lambda: 10 ** 9), ("-10**9", lambda: -10 ** 9), ("2**63", lambda: 2 ** 63),
    ("1e-320", lambda: 1e-320), ("-1e-320", lambda: -1e-320), ("1e308", lambda: 1e308),
    ("-1e308", lambda: -1e308), ("Fraction(10**400, 3)", lambda: Fraction(10 ** 400, 3)),
    ("Fraction(1, 3)", lambda: Fraction(1, 3)), ("Decimal('1e400')", lambda: Decimal("1e400")),
    ("Decimal('NaN')", lambda: Decimal("NaN")), ("numpy.float16(1)", lambda: np.float16(1)),
    ("numpy.float32(nan)", lambda: np.float32("nan")), ("numpy.int64(-1)", lambda: np.int64(-1)),
    ("numpy.uint64(2**64-1)", lambda: np.uint64(2 ** 64 - 1)),
    ("numpy.longdouble(1e4000)", lambda: np.longdouble("1e4000")),
    ("numpy.float16 (the type)", lambda: np.float16), ("complex (the type)", lambda: complex),
    ("array([])", lambda: np.array([])), ("array([[nan]])", lambda: np.array([[math.nan]])),
    ("array(0.5) (0-d)", lambda: np.array(0.5)), ("array([inf])", lambda: np.array([math.inf])),
    ("array(['x'])", lambda: np.array(["x"])), ("array([1+1j])", lambda: np.array([1 + 1j])),
    ("array([object()])", lambda: np.array([Opaque()], dtype=object)),
    ("array of 3 × 3 float16", lambda: np.ones((3, 3), dtype=np.float16)),
    ("array (1, 1, 1, 1)", lambda: np.ones((1, 1, 1, 1))),
    ("[None]", lambda: [None]), ("[nan]", lambda: [math.nan]), ("['x']", lambda: ["x"]),
    ("[[1.0], [1.0, 2.0]] (ragged)", lambda: [[1.0], [1.0, 2.0]]),
    ("a function returning None", lambda: lambda *args, **kwargs: None),
    ("RandomState(0)", lambda: np.random.RandomState(0)),
]


def _derived(valid):
    """Hostile arrays derived from the valid call's array ``valid``: its shape with one more
    and one fewer axis, a NaN in it, huge and subnormal entries, a narrower dtype, complex
    entries."""
    if not isinstance(valid, np.ndarray) or valid.dtype.kind not in "biuf" or valid.size == 0:
        return []

    def with_nan():
        changed = valid.astype(float)
        changed.reshape(-1)[0] = math.nan
        return changed

    derived = [("valid array with a leading axis of 1", lambda: valid[None].copy()),
               ("valid array, one NaN", with_nan),
               ("valid array filled with 1e308", lambda: np.full(valid.shape, 1e308)),
               ("valid array filled with -1e308", lambda: np.full(valid.shape, -1e308)),
               ("valid array filled with 1e-320", lambda: np.full(valid.shape, 1e-320)),
               ("valid array as float16", lambda: valid.astype(np.float16)),
               ("valid array as complex", lambda: valid.astype(complex))]
    if valid.ndim:
        derived.append(("valid array without its first axis", lambda: valid[0].copy()))
    return derived


# ---------------------------------------------------------------------------------------------
# Is an accepted value valid?

def _real(value):
    return isinstance(value, numbers.Real) and not isinstance(value, (bool, np.bool_))


def _as_float(value):
    try:
        number = float(value)
    except (OverflowError, ValueError, TypeError):
        return None
    return number if math.isfinite(number) else None


def _leaves(result):
    """The numbers and arrays a result holds (dicts, lists, tuples and Networks opened)."""
    if isinstance(result, dict):
        return [leaf for value in result.values() for leaf in _leaves(value)]
    if isinstance(result, (list, tuple)):
        return [leaf for value in result for leaf in _leaves(value)]
    if isinstance(result, networks.Network):
        return _leaves([result.weights, result.biases, result.slopes])
    if isinstance(result, np.ndarray) and result.dtype.kind in "biufc":
        return [result]
    if isinstance(result, (numbers.Number, np.number)):
        try:
            return [np.asarray(complex(result) if isinstance(result, numbers.Complex)
                               and not isinstance(result, numbers.Real) else float(result))]
        except (TypeError, ValueError, OverflowError):
            return [np.asarray(math.inf)]  # a number no float can hold
    return []


def _finite(result):
    return all(np.all(np.isfinite(leaf)) for leaf in _leaves(result))


def _inside(number, interval):
    low, high, low_open, high_open = interval
    return (number > low if low_open else number >= low) and \
        (number < high if high_open else number <= high)


@dataclasses.dataclass
class Domain:
    """What the function's own messages state about one parameter."""

    options: list = None
    interval: tuple = None
    entries: tuple = None       # bounds on an array's entries
    float_types: list = None
    boolean: bool = False
    function: bool = False      # "p must be a function": any callable is a valid value

    @classmethod
    def from_messages(cls, parameter, messages):
        domain = cls()
        for message in messages:
            domain.options = domain.options or _options(parameter, message)
            domain.interval = domain.interval or _interval(parameter, message)
            domain.entries = domain.entries or _bounds(parameter, message)
            domain.float_types = domain.float_types or _float_types(parameter, message)
            domain.boolean |= bool(re.search(_named(parameter) + " must be True or False",
                                             message))
            domain.function |= bool(re.search(_named(parameter) + " must be a function",
                                              message))
        return domain


@dataclasses.dataclass
class Parameter:
    """One parameter of a function with a valid call, as the fuzz sees it."""

    function: object
    qualified: str
    name: str
    valid_arguments: dict       # {parameter: (label, factory)}
    elementwise: bool = False
    valid_result: object = None

    def arguments(self, **changed):
        arguments = {p: factory() for p, (_, factory) in self.valid_arguments.items()}
        arguments.update(changed)
        return arguments

    @property
    def valid_value(self):
        return self.valid_arguments[self.name][1]()


def _same(value, reference):
    if type(value) is not type(reference):
        return False
    if isinstance(value, np.ndarray):
        return value.shape == reference.shape and np.array_equal(value, reference)
    try:
        return bool(value == reference)
    except Exception:  # noqa: BLE001 - an uncomparable value is not the same
        return False


def _nan_kept(value, result):
    """``result`` has ``value``'s shape and is NaN wherever ``value`` is."""
    if not isinstance(result, np.ndarray) or result.shape != value.shape:
        return False
    nan = np.isnan(value) if value.dtype.kind == "f" else np.zeros(value.shape, bool)
    return bool(np.all(np.isnan(result[nan])))


def _vectorised(parameter, value, result):
    """Whether ``result``, for an array with extra leading axes, is the stack of the results
    for its sub-arrays: its first entry along those axes is the result for the first one."""
    leading = value.shape[:value.ndim - np.ndim(parameter.valid_value)]
    first = value[(0,) * len(leading)]
    alone = call(parameter.function, parameter.arguments(**{parameter.name: first}))
    ours, theirs = _leaves(result), _leaves(alone.result)
    return alone.kind == "returned" and len(ours) == len(theirs) > 0 and all(
        a.shape == (*leading, *b.shape) and np.allclose(a[(0,) * len(leading)], b)
        for a, b in zip(ours, theirs))


def valid_acceptance(parameter, value, result, domain):
    """Whether ``value``, which the function accepted, is a valid value of the parameter."""
    reference = parameter.valid_value
    by_design = parameter.qualified in NON_FINITE_BY_DESIGN \
        and NON_FINITE_BY_DESIGN[parameter.qualified][0] == parameter.name
    finite = _finite(result) or by_design
    if _same(value, reference):
        return True
    if isinstance(value, (bool, np.bool_)):
        return domain.boolean
    if isinstance(value, str):
        return value in [o for o in domain.options or [] if isinstance(o, str)]
    if isinstance(value, type) and value in (domain.float_types or []):
        return True
    if callable(value):
        return domain.function and finite
    if parameter.elementwise:
        try:
            array = np.asarray(value, dtype=float)
        except (TypeError, ValueError, OverflowError):
            return False
        return _shape_of(result) is not None and _nan_kept(array, np.asarray(result))
    if _real(value):
        number = _as_float(value)
        if number is None or not finite:
            return False
        if domain.options is not None:
            return any(_real(o) and number == o for o in domain.options)
        integral = isinstance(reference, numbers.Integral)
        if domain.interval is None or (integral and not isinstance(value, numbers.Integral)):
            return False
        return _inside(number, domain.interval)
    if isinstance(value, (list, np.ndarray)) and isinstance(reference, np.ndarray):
        try:
            array = np.asarray(value, dtype=float)
        except (TypeError, ValueError):
            return False
        if by_design and not np.all(np.isfinite(array)):
            return not _finite(result)  # the NaN or ∞ shows in the result, by design
        if isinstance(value, np.ndarray) and value.ndim > reference.ndim:
            return finite and _vectorised(parameter, value, result)
        if array.ndim != reference.ndim or array.size == 0 or not np.all(np.isfinite(array)) \
                or not finite:
            return False
        entries = domain.entries or (-math.inf, math.inf, False, False)
        return bool(np.all([_inside(x, entries) for x in array.reshape(-1)]))
    return False


NON_FINITE_BY_DESIGN = {  # function: (parameter, what its documentation says)
    "snippets.core.activations.softmax": ("z", "a slice holding NaN or +∞ gives NaN"),
    "snippets.core.networks.backward": ("outputs", "outputs of a diverged run hold NaN, "
                                                   "which propagates"),
    "snippets.core.mean_field.depth_scale": ("chi", "ξ = 1/|ln χ| is infinite at χ = 1"),
}


def _shape_of(result):
    """The shape of an array or number result; None for anything else."""
    if isinstance(result, (np.ndarray, np.generic)):
        return result.shape
    return () if isinstance(result, numbers.Number) else None


def _elementwise(parameter):
    """Whether the function maps the parameter entry by entry, by trial: on an array of
    distinct entries like the valid value it returns an array of that shape, and each of
    its first and last entries alone gives the same entry of the result."""
    valid = parameter.valid_value
    if isinstance(valid, np.ndarray) and valid.dtype.kind == "f" and valid.size >= 2:
        probe = valid + 0.25 * np.arange(valid.size).reshape(valid.shape)
    elif _real(valid) and not isinstance(valid, numbers.Integral):
        probe = valid + 0.25 * np.arange(3)
    else:
        return False
    whole = call(parameter.function, parameter.arguments(**{parameter.name: probe}))
    if whole.kind != "returned" or _shape_of(whole.result) != probe.shape:
        return False
    for index in (0, -1):
        entry = probe.reshape(-1)[[index]].reshape((1,) * probe.ndim)
        alone = call(parameter.function, parameter.arguments(**{parameter.name: entry}))
        if alone.kind != "returned" or _shape_of(alone.result) != entry.shape or not np.allclose(
                np.asarray(alone.result).reshape(-1), np.asarray(whole.result).reshape(-1)[index]):
            return False
    return True


# ---------------------------------------------------------------------------------------------
# The fuzz

@dataclasses.dataclass
class Record:
    function: str
    parameter: str
    value: str
    outcome: str     # see OUTCOMES
    detail: str


OUTCOMES = ("correct", "valid", "misnamed", "wrong exception", "silent NaN/inf",
            "silent result", "hang", "memory")
BAD = [o for o in OUTCOMES if o not in ("correct", "valid")]


def fuzz_parameter(qualified, parameter):
    endings = []
    for label, factory in HOSTILE + _derived(parameter.valid_value):
        value = factory()
        endings.append((label, value, call(parameter.function,
                                           parameter.arguments(**{parameter.name: value}))))
    messages = [e.detail for _, _, e in endings if e.kind == "value error"]
    domain = Domain.from_messages(parameter.name, messages)
    records = []
    for label, value, ending in endings:
        if ending.peak > MEMORY_LIMIT:
            outcome, detail = "memory", f"peak allocation {ending.peak / 2 ** 30:.1f} GiB"
        elif ending.kind == "value error":
            named = re.search(_named(parameter.name), ending.detail)
            outcome, detail = ("correct" if named else "misnamed"), ending.detail
        elif ending.kind == "exception":
            outcome, detail = "wrong exception", ending.detail
        elif ending.kind in ("hang", "memory"):
            outcome, detail = ending.kind, ending.detail
        elif valid_acceptance(parameter, value, ending.result, domain):
            outcome, detail = "valid", ""
        else:
            outcome = "silent result" if _finite(ending.result) else "silent NaN/inf"
            detail = repr(ending.result)[:120]
        records.append(Record(qualified, parameter.name, label, outcome, detail))
    return records


@functools.cache
def fuzz(only=""):
    """(records of every hostile call, {function: why it has no valid call}), for the functions
    whose qualified name starts with ``only`` (all by default)."""
    RETURNED.clear()
    records, without_valid_call = [], {}
    warm_experiments(only)
    tracemalloc.start()
    try:
        for qualified, function in public_functions().items():
            if _not_fuzzed(qualified) or not _parameters(function) \
                    or not qualified.startswith(only):
                continue
            valid_arguments = find_valid_call(function)
            if valid_arguments is None:
                without_valid_call[qualified] = "no valid call found"
                continue
            parameters = [Parameter(function, qualified, name, valid_arguments)
                          for name in valid_arguments]
            valid_result = call(function, parameters[0].arguments()).result
            if _poolable(valid_result) is not None:
                RETURNED.append((f"result of {qualified}", functools.partial(
                    lambda f, p: _poolable(f(**p.arguments())), function, parameters[0])))
            for parameter in parameters:
                parameter.valid_result = valid_result
                parameter.elementwise = _elementwise(parameter)
                records += fuzz_parameter(qualified, parameter)
    finally:
        tracemalloc.stop()
    return records, without_valid_call


def _poolable(result):
    """The Network or dict a result is or begins with (no generic candidate builds one)."""
    first = result[0] if isinstance(result, tuple) and result else result
    return first if isinstance(first, (networks.Network, dict)) else None


def warm_experiments(only=""):
    """Compute (or read from the cache) every experiment once (under ``only``, a prefix of
    qualified names), outside the hang alarm: a function that reads one should not be timed
    on computing it."""
    for info in pkgutil.walk_packages(snippets.experiments.__path__, "snippets.experiments."):
        if not (info.name.startswith(only) or only.startswith(info.name)):
            continue
        module = importlib.import_module(info.name)
        for name, value in vars(module).items():
            qualified = f"{module.__name__}.{name}"
            if getattr(value, "__module__", None) == module.__name__ \
                    and hasattr(value, "cache_info") and not _parameters(value) \
                    and not _not_fuzzed(qualified):
                value()


# ---------------------------------------------------------------------------------------------
# Tests

def test_every_public_function_has_a_valid_call():
    _, without_valid_call = fuzz()
    unexplained = sorted(set(without_valid_call) - set(WITHOUT_VALID_CALL))
    assert not unexplained, f"no valid call found for: {unexplained}"


def test_every_bad_call_raises_a_value_error_naming_the_parameter():
    records, _ = fuzz()
    bad_calls = [r for r in records if r.outcome != "valid"]
    failures = [r for r in bad_calls if r.outcome != "correct"]
    print(tally_table(records))
    assert len(bad_calls) >= MIN_BAD_CALLS
    assert not failures, f"{len(failures)} of {len(bad_calls)} bad calls failed:\n" + \
        "\n".join(f"{r.function}({r.parameter}={r.value}): {r.outcome}: {r.detail[:150]}"
                  for r in failures[:60])


# Measured (tracemalloc) at the bound, numpy's temporaries at most double the entries a call's
# budget counts (gradient_descent_path: 2²⁶ entries, 1.0 GiB at the peak); 3 leaves a margin.
PEAK_OVER_BUDGETED = 3


def _peak_bytes(function):
    tracemalloc.start()
    try:
        function()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_budgets_keep_a_call_under_2_gib():
    budgeted = validation.MAX_ELEMENTS * np.dtype(np.float64).itemsize
    assert PEAK_OVER_BUDGETED * budgeted <= MEMORY_LIMIT
    at_bound = {  # each asks for MAX_ELEMENTS entries, or just under
        "one_hot": lambda: networks.one_hot(np.arange(671) % 10, 100_000),
        "init_network": lambda: networks.init_network(np.random.default_rng(0),
                                                      [8000, 8000, 10]),
    }
    for name, function in at_bound.items():
        assert _peak_bytes(function) <= PEAK_OVER_BUDGETED * budgeted, name
    with pytest.raises(ValueError, match="MAX_ELEMENTS"):  # one more and the budget refuses
        networks.one_hot(np.arange(672) % 10, 100_000)


def tally_table(records):
    functions = {r.function for r in records}
    counts = Counter(r.outcome for r in records)
    bad = sum(counts[o] for o in OUTCOMES if o != "valid")
    lines = [f"{len(functions)} functions, {len(records)} calls with one hostile argument, "
             f"{bad} of them bad calls ({counts['valid']} values turned out valid)"]
    lines += [f"  {outcome:16} {counts[outcome]}" for outcome in OUTCOMES]
    if bad:
        lines.append(f"  {100 * counts['correct'] / bad:.1f} % of bad calls raise a ValueError "
                     f"naming the parameter")
    return "\n".join(lines)


if __name__ == "__main__":
    # python -m tests.test_fuzz_signatures [--details [--all]] [--only snippets.core.networks]
    only = sys.argv[sys.argv.index("--only") + 1] if "--only" in sys.argv else ""
    records, without_valid_call = fuzz(only)
    print(tally_table(records))
    for name, reason in sorted(without_valid_call.items()):
        print(f"no valid call: {name}: {reason}")
    if "--details" in sys.argv:
        for r in records:
            if r.outcome not in ("correct", "valid") or "--all" in sys.argv:
                print(f"{r.function}({r.parameter}={r.value}): {r.outcome}: {r.detail[:150]}",
                      file=sys.stderr)
