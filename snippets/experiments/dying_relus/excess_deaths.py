"""Do too many dead units harm learning? The chapter-4 digits network trained with a chosen
share of each hidden layer's units dead from the start: their biases are so negative that
they output 0 on every image, so they receive no gradient and stay dead (the dying-definition
claim). Everything else — initial weights, mini-batch order, learning rate — is the same in
every arm of a seed, so the arms differ only in how many units are dead. The dead units are
the first ones of each layer: under a random initialisation units are interchangeable."""

import numpy as np

from snippets.core import networks
from snippets.core.data import digits_labels
from snippets.experiments import experiment
from snippets.experiments.dying_relus.digits_training import (
    TRAIN,
    inactive_shares,
    pixels_and_targets,
    relu_networks,
    seed_generators,
    train,
)

DEAD_SHARES = (0.0, 0.5, 0.9, 0.97)  # share of each hidden layer's units dead from the start
DEAD_BIAS = -1e3      # far below any weighted sum of these activations: dead on every image
LEARNING_RATE = 0.1   # the harness's base rate, at which few units die by themselves


@experiment
def excess_death_runs():
    """{dead share: {"accuracy": held-out accuracy per seed, "inactive": share of hidden
    units inactive on every training image after training, per seed}}."""
    pixels, targets = pixels_and_targets()
    labels = digits_labels()
    results = {}
    for share in DEAD_SHARES:
        generators = seed_generators()  # the same streams in every arm: a paired comparison
        network = relu_networks(generators)
        for bias in network.biases[:-1]:
            bias[..., :round(share * bias.shape[-1])] = DEAD_BIAS
        trained, _, _ = train(network, generators, LEARNING_RATE, pixels[:TRAIN],
                              targets[:TRAIN])
        results[share] = {
            "accuracy": np.asarray(networks.accuracy(trained, pixels[TRAIN:], labels[TRAIN:])),
            "inactive": np.asarray(inactive_shares(trained, pixels[:TRAIN]))}
    return results
