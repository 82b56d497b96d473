"""Do standardised inputs keep the first layer from saturating? The share of first-layer tanh
units with tanh′ < SATURATED_SLOPE at initialisation, for each preprocessing of the digits
that the standardisation experiment trains on, with that experiment's networks (chapter 3)."""

import numpy as np

from snippets.core import networks
from snippets.core.statistics import spawn_generators
from snippets.experiments import experiment
from snippets.experiments.initialisation_and_variance.standardisation import (
    NETWORKS,
    SEED,
    SIZES,
    variants,
)

SATURATED_SLOPE = 0.1     # tanh′ below this: the unit's output is beyond ±0.95


@experiment
def first_layer_saturation():
    """{preprocessing: (NETWORKS,) share of (image, first-layer unit) pairs with
    tanh′(z) < SATURATED_SLOPE}; every preprocessing uses the same NETWORKS generators."""
    shares = {}
    for label, inputs in variants().items():
        per_network = []
        for rng in spawn_generators(SEED, NETWORKS):
            network = networks.init_network(rng, SIZES, weights="glorot_uniform", bias_std=0.0,
                                             hidden="tanh", output="softmax")
            z = inputs @ network.weights[0] + network.biases[0]
            per_network.append(np.mean(1.0 - np.tanh(z) ** 2 < SATURATED_SLOPE))
        shares[label] = np.array(per_network)
    return shares
