"""Does ReLU's sparsity speed up training? ReLU against leaky ReLU with slope 0.01, which has
no exact zeros and is otherwise almost the same function, from the same initial weights and
the same mini-batch order in every seed, on the digits (chapter 4). If the zeros made
training converge faster, ReLU's training loss would fall faster than leaky ReLU's. Both
variants together cost about two seconds: a small network and a few epochs suffice, because
the comparison is paired seed by seed."""

import numpy as np

from snippets.core import networks
from snippets.core.statistics import spawn_generators
from snippets.core.validation import MAX_MAGNITUDE, require_array
from snippets.experiments import experiment
from snippets.experiments.dying_relus.digits_training import BATCH, TRAIN, pixels_and_targets

SIZES = [64, 32, 32, 10]
EPOCHS = 4
LEARNING_RATE = 0.05      # below the rates at which chapter 4's ReLU units die
SEED = 1
SEEDS = 10                # seed k initialises and shuffles network k of both variants
VARIANTS = {"ReLU": "relu", "leaky ReLU 0.01": "leaky_relu"}


def _hidden_shares(network, inputs, test):
    """Per stacked network: share of hidden activations a on ``inputs`` with test(a) true."""
    # equivalent mutants (derivatives=True or dropped): the activations a do not depend on
    # whether φ′ is computed as well.
    hidden = networks.forward(network, inputs, derivatives=False)[1][1:-1]  # a^1 … a^{L−1}
    return np.mean([np.mean(test(a), axis=(-2, -1)) for a in hidden], axis=0)


@experiment
def sparsity_speed_runs():
    """{variant: {"loss": (SEEDS, EPOCHS + 1) training cross-entropy before training and
    after each epoch, "zeros": (SEEDS,) share of exactly-zero hidden activations on the
    training images after training, "off": (SEEDS,) share of hidden units on the negative side
    (a ≤ 0: exactly 0 for ReLU, 0.01 z for leaky ReLU)}}."""
    pixels, targets = pixels_and_targets()
    inputs, targets = pixels[:TRAIN], targets[:TRAIN]
    results = {}
    for label, hidden in VARIANTS.items():
        generators = spawn_generators(SEED, SEEDS)  # the same streams for both variants
        start = networks.stack_networks([
            networks.init_network(rng, SIZES, weights="he", bias_std=0.0, hidden=hidden,
                                  output="softmax") for rng in generators])
        trained, _, losses = networks.train_sgd(
            start, inputs, targets, generators, EPOCHS, BATCH, LEARNING_RATE,
            record=lambda network: networks.cost(network, inputs, targets))
        results[label] = {"loss": np.stack(losses, axis=-1),
                          "zeros": _hidden_shares(trained, inputs, lambda a: a == 0.0),
                          "off": _hidden_shares(trained, inputs, lambda a: a <= 0.0)}
    return results


def loss_area(losses):
    """Mean training loss over the epochs after the start, per seed: the area under the
    loss curve, smaller for a network that converges faster."""
    losses = require_array("losses", losses, ndim=2, minimum=0.0, maximum=MAX_MAGNITUDE)
    if losses.shape[1] < 2:
        raise ValueError(f"losses must have shape (seeds, epochs + 1) with at least one epoch, "
                         f"got {losses.shape}")
    return losses[:, 1:].mean(axis=1)
