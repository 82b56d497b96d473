"""Glorot & Bengio's (2010) figures 6 and 7 reproduced on the handwritten digits (chapter 3,
"Initialisation and variance", figures init-activation-histograms and
init-gradient-histograms): the tanh activations and back-propagated gradients of each hidden
layer at initialisation, under the standard law U[±1/√n] and the normalised law
U[±√6/√(n_in + n_out)]."""

import numpy as np

from snippets.core import networks
from snippets.core.data import digits_labels, digits_pixels
from snippets.core.preprocessing import standardise
from snippets.core.statistics import mean_and_spread, spawn_generators
from snippets.core.validation import require_choice
from snippets.experiments import experiment

HIDDEN = 5                        # hidden layers
WIDTH = 256                       # tanh units per hidden layer
SIZES = [64] + [WIDTH] * HIDDEN + [10]   # 8×8 pixels in, 10 classes out
INITS = {"standard": "standard_uniform", "normalised": "glorot_uniform"}
SEED = 0
NETWORKS = 5                      # independent networks per law, stacked
SPREADS = ("activation_std", "gradient_std")


@experiment
def layer_samples():
    """For each law: the hidden layers' activations a^l and back-propagated gradients
    δ^l = ∂C/∂s^l on all standardised digits, for the first network (one array per layer,
    examples × units), and the standard deviation of each over examples and units, per
    network and layer (arrays of shape (NETWORKS, HIDDEN)). Both laws start from the same
    NETWORKS generators, so their weights differ only in scale."""
    inputs = standardise(digits_pixels())
    targets = networks.one_hot(digits_labels())
    samples = {}
    for label, law in INITS.items():
        stack = networks.stack_networks([
            networks.init_network(rng, SIZES, weights=law, bias_std=0.0, hidden="tanh",
                                  output="softmax")
            for rng in spawn_generators(SEED, NETWORKS)])
        _, activations, derivatives = networks.forward(stack, inputs)
        deltas = networks.backward(stack, derivatives, activations[-1], targets)
        hidden_activations, hidden_gradients = activations[1:-1], deltas[:-1]
        samples[label] = {
            "activations": [a[0].copy() for a in hidden_activations],  # no view of the stack
            "gradients": [g[0].copy() for g in hidden_gradients],
            "activation_std": np.stack([a.std(axis=(-2, -1)) for a in hidden_activations], -1),
            "gradient_std": np.stack([g.std(axis=(-2, -1)) for g in hidden_gradients], -1),
        }
    return samples


def top_to_bottom(label, quantity):
    """Per network: the standard deviation of ``quantity`` ("activation_std" or
    "gradient_std") in hidden layer HIDDEN divided by that in hidden layer 1."""
    spreads = _spreads(label, quantity)
    return spreads[:, -1] / spreads[:, 0]


def spread_over_networks(label, quantity):
    """Mean and standard deviation over the networks of ``quantity`` ("activation_std" or
    "gradient_std") under the law ``label``: two arrays with one entry per hidden layer."""
    return mean_and_spread(_spreads(label, quantity))


def _spreads(label, quantity):
    # Both checked before the (slow, cached) experiment runs.
    label = require_choice("label", label, tuple(INITS))
    quantity = require_choice("quantity", quantity, SPREADS)
    return layer_samples()[label][quantity]
