"""Does an inaccurate first layer corrupt the whole network? Deep sigmoid networks on the
digits trained twice from the same start and the same mini-batches: every layer, and every
layer but the first, which keeps its random starting weights (chapter 2). Held-out accuracy
every RECORD_EPOCHS epochs."""

import numpy as np

from snippets.core import networks
from snippets.core.data import digits_labels, digits_pixels
from snippets.core.statistics import spawn_generators
from snippets.experiments import experiment

SEED = 23
SEEDS = 4
SIZES = (64, 30, 30, 30, 10)  # three sigmoid hidden layers
TRAINING_EXAMPLES = 1000      # the first 1000 digits train, the other 797 are held out
EPOCHS = 120
RECORD_EPOCHS = 20
BATCH_SIZE = 10
LEARNING_RATE = 0.5
FROZEN = {"every layer trains": None, "first layer frozen": [0]}


@experiment
def frozen_runs():
    """{setting: held-out accuracy, shape (SEEDS, EPOCHS // RECORD_EPOCHS + 1), at epochs
    0, RECORD_EPOCHS, …, EPOCHS}; seed k starts both settings from the same network and
    shuffles their mini-batches with the same generator."""
    pixels, labels = digits_pixels(), digits_labels()
    train, test = slice(0, TRAINING_EXAMPLES), slice(TRAINING_EXAMPLES, None)
    targets = networks.one_hot(labels[train])
    updates_per_epoch = -(-TRAINING_EXAMPLES // BATCH_SIZE)

    def held_out(network):
        return networks.accuracy(network, pixels[test], labels[test])

    results = {name: [] for name in FROZEN}
    for rng in spawn_generators(SEED, SEEDS):
        start = networks.init_network(rng, SIZES)
        shuffle_seed = rng.integers(2**63)
        for name, frozen in FROZEN.items():
            _, _, accuracies = networks.train_sgd(
                start, pixels[train], targets, spawn_generators(shuffle_seed, 1)[0], EPOCHS,
                BATCH_SIZE, LEARNING_RATE, record=held_out,
                record_every=RECORD_EPOCHS * updates_per_epoch, frozen=frozen)
            results[name].append(accuracies)
    return {name: np.array(runs) for name, runs in results.items()}
