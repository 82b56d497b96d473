"""He initialisation: the second moment of ReLU activations through depth under Xavier's and
He's scale (figure 4.5), and a 30-layer plain ReLU network trained from each (figure 4.6, after
He et al. 2015, figure 3), over several seeds (chapter 4)."""

import numpy as np

from snippets.core import networks
from snippets.core.data import digits_labels, digits_pixels
from snippets.core.preprocessing import standardise
from snippets.core.statistics import spawn_generators
from snippets.experiments import experiment

SEED = 0
VARIANCE_DEPTH = 30
VARIANCE_WIDTH = 100
VARIANCE_SEEDS = 3
# Gain g on He's N(0, 2/n): g² = 1/2 is Xavier's Var[w] = 1/n for a square layer.
VARIANCE_SETUPS = {"Xavier, Var[w] = 1/n": np.sqrt(0.5), "He, Var[w] = 2/n": 1.0}

DEEP_SIZES = [64] + [64] * 30 + [10]
DEEP_EPOCHS = 10
DEEP_RATE = 0.01
DEEP_BATCH = 32
DEEP_SEEDS = 5
LOSS_EXAMPLES = 500   # the loss curve is measured on this many training digits, fixed in advance
DEEP_LAWS = {"Xavier": "glorot_uniform", "He": "he"}


@experiment
def he_variances():
    """{setup: E[(a^l)²] for l = 0 … VARIANCE_DEPTH, mean over seeds}."""
    return {label: np.mean([networks.activation_growth(rng, VARIANCE_WIDTH, VARIANCE_DEPTH, gain)
                            for rng in spawn_generators(SEED, VARIANCE_SEEDS)], axis=0)
            for label, gain in VARIANCE_SETUPS.items()}


@experiment
def deep_training():
    """{law: (training loss after each epoch on LOSS_EXAMPLES training digits, shape (seeds,
    epochs + 1); final accuracy on all training digits, shape (seeds,))}. Seed k of both laws
    uses the same generator."""
    inputs = standardise(digits_pixels())
    labels = digits_labels()
    targets = networks.one_hot(labels)
    # Evaluating 30 layers on every digit after every epoch would cost as much as the training;
    # a fixed random subset measures the same loss with a small sampling error.
    measured = np.random.default_rng(SEED).choice(len(labels), LOSS_EXAMPLES, replace=False)
    curves = {}
    for label, law in DEEP_LAWS.items():
        generators = spawn_generators(SEED, DEEP_SEEDS)
        network = networks.stack_networks([
            networks.init_network(rng, DEEP_SIZES, weights=law, bias_std=0.0, hidden="relu",
                                  output="softmax") for rng in generators])
        trained, _, losses = networks.train_sgd(
            network, inputs, targets, generators, DEEP_EPOCHS, DEEP_BATCH, DEEP_RATE,
            record=lambda n: networks.cost(n, inputs[measured], targets[measured]))
        curves[label] = (np.stack(losses, axis=-1), networks.accuracy(trained, inputs, labels))
    return curves
