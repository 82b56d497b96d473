"""Xavier initialisation verified in deep tanh networks (chapter 3, "Initialisation and
variance", figure xavier-verification): the forward variance Var[a^l] and the backward
variance Var[∂C/∂a^l] of every layer, for the standard scale, Xavier's scale, and Xavier's
scale halved and doubled."""

import numpy as np

from snippets.core import initialisation, variance
from snippets.core.statistics import spawn_generators
from snippets.experiments import experiment

WIDTH = 100
DEPTH = 50
MULTIPLES = (0.5, 2.0)            # Xavier's standard deviation scaled by these
REPETITIONS = 5                   # independent networks per weight law
SEED = 0
EXAMPLES = 500                    # inputs per network, N(0, 1), as in simulate_variances
SATURATED_SLOPE = 0.1             # a unit with tanh′(s) below this counts as saturated


def weight_laws():
    """Weight standard deviations compared: the standard U[±1/√n] and Xavier's U[±b] with
    b = √6/√(n + n), by their standard deviation b/√3, then Xavier's halved and doubled. The
    networks draw normal weights of that standard deviation."""
    standard = initialisation.standard_uniform_bound(WIDTH) / np.sqrt(3.0)
    xavier = initialisation.glorot_bound(WIDTH, WIDTH) / np.sqrt(3.0)
    return {"standard U[±1/√n]": standard, "Xavier": xavier,
            **{f"{multiple:g} × Xavier": multiple * xavier for multiple in MULTIPLES}}


@experiment
def xavier_profiles():
    """{law: {"forward": Var[a^l], "backward": Var[∂C/∂a^l]}}, arrays of shape
    (REPETITIONS, DEPTH + 1), l = 0 … DEPTH. Every law uses the same REPETITIONS generators,
    so the laws differ only in scale."""
    profiles = {}
    for label, std in weight_laws().items():
        runs = [variance.simulate_variances(rng, "tanh", WIDTH, DEPTH, std)
                for rng in spawn_generators(SEED, REPETITIONS)]
        profiles[label] = {"forward": np.array([forward for forward, _ in runs]),
                           "backward": np.array([backward for _, backward in runs])}
    return profiles


def mean_profiles():
    """{law: (forward, backward)}: the variances per layer averaged over the repetitions."""
    return {label: (runs["forward"].mean(axis=0), runs["backward"].mean(axis=0))
            for label, runs in xavier_profiles().items()}


def _top_layer_slopes(rng, weight_std):
    """tanh′(s) of every unit of the top layer, for EXAMPLES inputs N(0, 1) through a
    DEPTH-layer tanh network of width WIDTH with weights N(0, weight_std²), zero biases (the
    networks of xavier_profiles, forward pass only)."""
    # equivalent mutant (1.0 dropped): numpy's normal has scale 1.0 by default.
    a = rng.normal(0.0, 1.0, size=(EXAMPLES, WIDTH))
    for _ in range(DEPTH):
        s = a @ rng.normal(0.0, weight_std, size=(WIDTH, WIDTH))
        a = np.tanh(s)
    return 1.0 - a ** 2


@experiment
def saturation_by_scale():
    """{law: (REPETITIONS,) share of the top layer's units with tanh′ < SATURATED_SLOPE}, for
    Xavier's scale (the control, whose variance does not grow) and twice it."""
    laws = weight_laws()
    return {label: np.array([np.mean(_top_layer_slopes(rng, laws[label]) < SATURATED_SLOPE)
                             for rng in spawn_generators(SEED, REPETITIONS)])
            for label in ("Xavier", "2 × Xavier")}
