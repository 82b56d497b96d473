"""Deep networks on the 8×8 digits (figure 6.5): plain, residual and normalised tanh networks
of DEPTH hidden layers, trained with the same budget of plain SGD; chapter 2's speed of
learning ‖∂C/∂b^l‖ of every hidden layer at initialisation, the training cost, and the
accuracy on the held-out digits. Every variant of seed k starts from the same random draws
(generator k of spawn_generators(SEED, SEEDS), which then shuffles its mini-batches): the
variants differ only in their architecture and in the scale the draws are multiplied by."""

import math

import numpy as np

from snippets.core import deep_networks
from snippets.core.data import digits_labels, digits_pixels
from snippets.core.statistics import spawn_generators
from snippets.experiments import experiment

SEED = 2015
DEPTH = 30                 # hidden layers
WIDTH = 32
SEEDS = 3
TRAINING_EXAMPLES = 1000   # the first 1000 digits train, the other 797 are held out
EPOCHS = 10
BATCH_SIZE = 50
LEARNING_RATE = 0.03
# How the page and the ledger read the results: a variant trained if its mean held-out
# accuracy less two standard deviations over the seeds is at least TRAINS, and stalled if the
# mean plus two standard deviations is at most STALLS (chance is 0.1).
TRAINS, STALLS = 0.5, 0.2
STANDARD = 1 / 3           # σ_w² of Glorot & Bengio's standard initialisation U[±1/√n]
# (name, σ_w², residual, branch scale α, normalisation)
VARIANTS = (
    ("plain", STANDARD, False, 1.0, "none"),
    ("plain, critical scale", 1.0, False, 1.0, "none"),   # tanh's critical σ_w² (chapter 5)
    ("residual, α = 1/√L", STANDARD, True, 1 / math.sqrt(DEPTH), "none"),
    ("batch-normalised", STANDARD, False, 1.0, "batch"),
    ("residual + batch norm", STANDARD, True, 1 / math.sqrt(DEPTH), "batch"),
    ("residual + layer norm", STANDARD, True, 1 / math.sqrt(DEPTH), "layer"),
)


@experiment
def trained_variants():
    """{variant: {"speeds": ‖∂C/∂b^l‖ at initialisation over the training digits, shape
    (SEEDS, DEPTH); "costs": training cost per epoch, (SEEDS, EPOCHS); "accuracy": held-out
    accuracy, (SEEDS,)}}. Networks with batch normalisation are evaluated with the statistics
    of the training digits (population statistics)."""
    pixels, labels = digits_pixels(), digits_labels()
    targets = np.eye(10)[labels]
    train, held_out = slice(0, TRAINING_EXAMPLES), slice(TRAINING_EXAMPLES, None)
    results = {}
    for name, weight_variance, residual, scale, normalisation in VARIANTS:
        generators = spawn_generators(SEED, SEEDS)
        network = deep_networks.init_network(generators, [64] + [WIDTH] * DEPTH + [10], "tanh",
                                             weight_variance, 0.0, residual, scale,
                                             normalisation)
        speeds = deep_networks.learning_speeds(network, pixels[train], targets[train])
        with np.errstate(over="ignore", invalid="ignore"):
            trained, costs = deep_networks.train_sgd(network, pixels[train], targets[train],
                                                     generators, EPOCHS, BATCH_SIZE,
                                                     LEARNING_RATE)
        accuracy = deep_networks.accuracy(trained, pixels[held_out], labels[held_out],
                                          reference=pixels[train])
        results[name] = {"speeds": speeds, "costs": costs, "accuracy": accuracy}
    return results
