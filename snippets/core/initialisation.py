"""Weight initialisations, each written once, in the notation of chapters 3 and 4.

A layer with n_in inputs and n_out outputs draws its weights from a centred law whose scale
depends on those fan sizes. Normal laws are given by their standard deviation, uniform laws
U[−b, b] by their half-width b (variance b²/3).
"""

import math

from snippets.core.validation import (
    MAX_ELEMENTS,
    require_budget,
    require_choice,
    require_generator,
    require_int,
    require_real,
)


# equivalent mutant (fan_out=2): the callers that omit fan_out (lecun_std, he_std,
# standard_uniform_bound) discard it, and 2 passes the same check as 1.
def _fans(fan_in, fan_out=1):
    return require_int("fan_in", fan_in, minimum=1), require_int("fan_out", fan_out, minimum=1)


def lecun_std(fan_in):
    """LeCun et al. (1998): N(0, 1/n_in), so n_in Var[w] = 1. Nielsen's book uses it too."""
    fan_in, _ = _fans(fan_in)
    return 1.0 / math.sqrt(fan_in)


# --8<-- [start:he_std]
def he_std(fan_in):
    """He et al. (2015): N(0, 2/n_in), so ½ n_in Var[w] = 1 and a ReLU layer keeps E[a²]."""
    fan_in, _ = _fans(fan_in)
    return math.sqrt(2.0 / fan_in)
# --8<-- [end:he_std]


def standard_uniform_bound(fan_in):
    """The "standard" initialisation of Glorot & Bengio (2010): U[−1/√n_in, 1/√n_in]."""
    fan_in, _ = _fans(fan_in)
    return 1.0 / math.sqrt(fan_in)


# --8<-- [start:glorot_bound]
def glorot_bound(fan_in, fan_out):
    """Glorot & Bengio's normalised ("Xavier") initialisation U[−b, b], b = √6 / √(n_in + n_out):
    its variance b²/3 = 2/(n_in + n_out) compromises between the forward condition
    n_in Var[w] = 1 and the backward condition n_out Var[w] = 1."""
    fan_in, fan_out = _fans(fan_in, fan_out)
    return math.sqrt(6.0 / (fan_in + fan_out))
# --8<-- [end:glorot_bound]


# Name → (law, scale(n_in, n_out)); "uniform" scales are half-widths, "normal" ones std devs.
WEIGHT_LAWS = {
    "unit_normal": ("normal", lambda fan_in, fan_out: 1.0),
    "lecun": ("normal", lambda fan_in, fan_out: lecun_std(fan_in)),
    "he": ("normal", lambda fan_in, fan_out: he_std(fan_in)),
    "standard_uniform": ("uniform", lambda fan_in, fan_out: standard_uniform_bound(fan_in)),
    "glorot_uniform": ("uniform", glorot_bound),
}


def draw_weights(rng, law, fan_in, fan_out, gain=1.0):
    """A (fan_in, fan_out) weight matrix from the named law, its scale multiplied by ``gain``
    (fan sizes up to 100 000 each and MAX_ELEMENTS weights in all; gain in (0, 1e6])."""
    rng = require_generator("rng", rng)
    kind, scale = WEIGHT_LAWS[require_choice("law", law, tuple(WEIGHT_LAWS))]
    fan_in = require_int("fan_in", fan_in, minimum=1, maximum=100_000)
    fan_out = require_int("fan_out", fan_out, minimum=1, maximum=100_000)
    require_budget("fan_in × fan_out", fan_in * fan_out, MAX_ELEMENTS)
    gain = require_real("gain", gain, 0.0, 1e6, open_minimum=True)
    size = gain * scale(fan_in, fan_out)
    if kind == "uniform":
        return rng.uniform(-size, size, size=(fan_in, fan_out))
    return rng.normal(0.0, size, size=(fan_in, fan_out))
