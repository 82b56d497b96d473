"""The whole story in one experiment (the home page's figure): how much of the error
back-propagated from the top of a deep network reaches each layer at initialisation, for the
sigmoid, tanh and ReLU, each started from Glorot & Bengio's "standard" weights, Xavier's and
He's. The harness is chapter 4's (snippets/experiments/dying_relus/gradient_flow.py): the same
depth, width, digits and seeds, so its three pairings reappear here unchanged."""

import numpy as np

from snippets.core import networks
from snippets.core.data import digits_labels, digits_pixels
from snippets.core.preprocessing import standardise
from snippets.core.statistics import spawn_generators
from snippets.experiments import experiment
from snippets.experiments.dying_relus.gradient_flow import DEPTH, EXAMPLES, SEED, SEEDS, WIDTH

ACTIVATIONS = {"sigmoid": "sigmoid", "tanh": "tanh", "ReLU": "relu"}
# Glorot & Bengio's "standard" U[±1/√n_in], Xavier's U[±√(6/(n_in + n_out))], He's N(0, 2/n_in).
INITIALISATIONS = {"standard": "standard_uniform", "Xavier": "glorot_uniform", "He": "he"}


@experiment
def gradient_by_initialisation():
    """{activation: {initialisation: RMS of δ^l per hidden layer l = 1 … DEPTH over the RMS
    of δ at the top hidden layer, geometric mean over SEEDS seeds}}."""
    inputs = standardise(digits_pixels())[:EXAMPLES]
    targets = networks.one_hot(digits_labels()[:EXAMPLES])
    results = {}
    for activation, hidden in ACTIVATIONS.items():
        results[activation] = {}
        for initialisation, law in INITIALISATIONS.items():
            network = networks.stack_networks([
                networks.init_network(rng, [64] + [WIDTH] * DEPTH + [10], weights=law,
                                      bias_std=0.0, hidden=hidden, output="softmax")
                for rng in spawn_generators(SEED, SEEDS)])
            _, activations, derivatives = networks.forward(network, inputs)
            deltas = networks.backward(network, derivatives, activations[-1], targets)
            # δ of each hidden layer (the last delta is the output layer's), shape (DEPTH, SEEDS)
            rms = np.array([np.sqrt(np.mean(d ** 2, axis=(-2, -1))) for d in deltas[:-1]])
            results[activation][initialisation] = np.exp(np.mean(np.log(rms / rms[-1]), axis=1))
    return results
