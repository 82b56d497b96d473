"""Glorot & Bengio's (2010) saturation experiment reproduced on the handwritten digits
(chapter 3, "Initialisation and variance", figure saturation-during-training): the mean and
spread of each sigmoid hidden layer's activations on fixed probe images during mini-batch
training from the standard initialisation. NETWORKS networks train at once, stacked."""

import numpy as np

from snippets.core import networks
from snippets.core.data import digits_labels, digits_pixels
from snippets.core.preprocessing import standardise
from snippets.core.statistics import mean_and_spread, spawn_generators
from snippets.core.validation import require_choice
from snippets.experiments import experiment

HIDDEN_LAYERS = 4
WIDTH = 100                       # sigmoid units per hidden layer
SIZES = [64] + [WIDTH] * HIDDEN_LAYERS + [10]   # 8×8 pixels in, 10 classes out
SEED = 0
NETWORKS = 5                      # independent runs, each with its own generator
EPOCHS = 25
BATCH = 10
LEARNING_RATE = 1.0
RECORD_EVERY = 90                 # updates between records
PROBE = 300                       # the first PROBE images, on which activations are recorded
SUMMARY_KEYS = ("start", "lowest", "lowest_update", "end", "accuracy")


@experiment
def saturation_runs():
    """One dict per network: "updates" (update count at each record), "stats" (records ×
    HIDDEN_LAYERS × (mean, standard deviation) of each hidden layer's activations on the
    probe images) and "accuracy" (share of the training images classified right at the end).
    Each network is initialised and then shuffles with its own generator."""
    inputs = standardise(digits_pixels())
    labels = digits_labels()
    probe = inputs[:PROBE]

    def record(network):  # (NETWORKS, HIDDEN_LAYERS, 2)
        _, activations, _ = networks.forward(network, probe)
        return np.stack([np.stack([a.mean(axis=(-2, -1)), a.std(axis=(-2, -1))], axis=-1)
                         for a in activations[1:-1]], axis=-2)

    generators = spawn_generators(SEED, NETWORKS)
    stack = networks.stack_networks([
        networks.init_network(rng, SIZES, weights="standard_uniform", bias_std=0.0,
                              hidden="sigmoid", output="softmax") for rng in generators])
    trained, updates, records = networks.train_sgd(
        stack, inputs, networks.one_hot(labels), generators, EPOCHS, batch_size=BATCH,
        learning_rate=LEARNING_RATE, record=record, record_every=RECORD_EVERY)
    stats = np.stack(records, axis=1)  # (NETWORKS, records, HIDDEN_LAYERS, 2)
    accuracy = networks.accuracy(trained, inputs, labels)
    return [{"updates": updates, "stats": stats[k], "accuracy": float(accuracy[k])}
            for k in range(NETWORKS)]


def top_layer_summary():
    """Per network: the top hidden layer's mean activation at the start ("start"), its lowest
    value ("lowest") and the update at which it is reached ("lowest_update"), its value at
    the end ("end"), and the final training accuracy ("accuracy")."""
    summary = []
    for run in saturation_runs():
        top = run["stats"][:, -1, 0]
        lowest = int(np.argmin(top))
        summary.append({"start": float(top[0]), "lowest": float(top[lowest]),
                        "lowest_update": int(run["updates"][lowest]), "end": float(top[-1]),
                        "accuracy": run["accuracy"]})
    return summary


def over_networks(key):
    """Mean and standard deviation over the networks of one entry of top_layer_summary."""
    key = require_choice("key", key, SUMMARY_KEYS)
    return mean_and_spread([row[key] for row in top_layer_summary()])
