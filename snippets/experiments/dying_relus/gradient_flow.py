"""How large the back-propagated error is in each layer of a deep network at initialisation:
sigmoid and tanh with Xavier's initialisation against ReLU with He's, on one harness
(chapter 4, figure 4.1)."""

import numpy as np

from snippets.core import networks
from snippets.core.data import digits_labels, digits_pixels
from snippets.core.preprocessing import standardise
from snippets.core.statistics import spawn_generators
from snippets.experiments import experiment

DEPTH = 50
WIDTH = 100
EXAMPLES = 500
SEED = 0
SEEDS = 3
SETUPS = {"sigmoid, Xavier": ("sigmoid", "glorot_uniform"),
          "tanh, Xavier": ("tanh", "glorot_uniform"),
          "ReLU, He": ("relu", "he")}


@experiment
def gradient_flow():
    """{setup: RMS of δ^l per hidden layer l = 1 … DEPTH, geometric mean over seeds}."""
    inputs = standardise(digits_pixels())[:EXAMPLES]
    targets = networks.one_hot(digits_labels()[:EXAMPLES])
    flows = {}
    for label, (hidden, law) in SETUPS.items():
        network = networks.stack_networks([
            networks.init_network(rng, [64] + [WIDTH] * DEPTH + [10], weights=law,
                                  bias_std=0.0, hidden=hidden, output="softmax")
            for rng in spawn_generators(SEED, SEEDS)])
        _, activations, derivatives = networks.forward(network, inputs)
        deltas = networks.backward(network, derivatives, activations[-1], targets)
        rms = np.array([np.sqrt(np.mean(d ** 2, axis=(-2, -1))) for d in deltas[:-1]])  # (l, S)
        flows[label] = np.exp(np.mean(np.log(rms), axis=1))
    return flows
