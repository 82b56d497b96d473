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
