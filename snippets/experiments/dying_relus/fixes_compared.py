"""Every fix for dying ReLUs trained in the regime where plain ReLU units die (learning rate
FIX_RATE), over several seeds: share of inactive units, bias-gradient norms and held-out
accuracy at the end (chapter 4, figure 4.4)."""

import numpy as np

from snippets.core import dead_networks, networks
from snippets.core.data import digits_labels
from snippets.core.validation import require_choice, require_generators
from snippets.experiments import experiment
from snippets.experiments.dying_relus.digits_training import (
    SIZES,
    TRAIN,
    inactive_shares,
    pixels_and_targets,
    relu_networks,
    seed_generators,
    train,
)

FIX_RATE = 0.5
BLOWN_UP = 1e6  # a parameter this large (they start below 1) means the run diverged
VARIANTS = ("ReLU, He", "ReLU, Xavier", "leaky ReLU 0.01", "PReLU", "RReLU", "ReLU, RAI")


def variant_networks(label, generators):
    """The stacked starting networks of one variant, one per generator."""
    label = require_choice("label", label, VARIANTS)
    generators = require_generators("generators", generators)
    if label == "ReLU, RAI":
        return networks.stack_networks([dead_networks.rai_network(rng, SIZES)
                                        for rng in generators])
    weights = "glorot_uniform" if label == "ReLU, Xavier" else "he"
    hidden = {"leaky ReLU 0.01": "leaky_relu", "PReLU": "prelu", "RReLU": "rrelu"}.get(label,
                                                                                      "relu")
    return relu_networks(generators, weights=weights, hidden=hidden)


@experiment
def fix_runs():
    """{variant: {"diverged", "inactive", "accuracy": arrays over seeds, "gradient": array
    (seeds, hidden layers)}}. A seed with a parameter that overflows or exceeds BLOWN_UP is
    marked diverged and its numbers are NaN (numpy's overflow warnings are silenced for the
    training only)."""
    pixels, targets = pixels_and_targets()
    labels = digits_labels()
    train_set, held_out = slice(0, TRAIN), slice(TRAIN, None)
    results = {}
    for label in VARIANTS:
        generators = seed_generators()
        with np.errstate(over="ignore", invalid="ignore"):
            trained, _, _ = train(variant_networks(label, generators), generators, FIX_RATE,
                                  pixels[train_set], targets[train_set])
            # Diverged: a parameter overflowed or blew up (PReLU's learned slope can reach 1e95
            # and stay finite, leaving a network at chance with zero gradients).
            sizes = [np.abs(w).max(axis=(-2, -1)) for w in trained.weights] + \
                [np.abs(b).max(axis=-1) for b in trained.biases] + \
                [np.abs(a) for a in trained.slopes or []]
            finite = np.all([np.isfinite(size) & (size < BLOWN_UP) for size in sizes], axis=0)
            gradient = np.stack([np.linalg.norm(g, axis=-1) for g in networks.gradients(
                trained, pixels[train_set], targets[train_set])["biases"][:-1]], axis=-1)
            inactive = inactive_shares(trained, pixels[train_set])
            accuracy = networks.accuracy(trained, pixels[held_out], labels[held_out])
        results[label] = {"diverged": ~finite,
                          "inactive": np.where(finite, inactive, np.nan),
                          "accuracy": np.where(finite, accuracy, np.nan),
                          "gradient": np.where(finite[:, None], gradient, np.nan)}
    return results
