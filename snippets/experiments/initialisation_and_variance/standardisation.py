"""Standardising the inputs (LeCun et al. 1998) on the handwritten digits (chapter 3,
"Initialisation and variance", figure input-standardisation): the same small tanh network
trained on four preprocessings of the same images, each at its own best learning rate.
NETWORKS networks train at once, stacked."""

import numpy as np

from snippets.core import networks
from snippets.core.data import digits_labels, digits_pixels
from snippets.core.preprocessing import same_sign_share, standardise
from snippets.core.statistics import mean_and_spread, spawn_generators
from snippets.core.validation import require_array, require_choice, require_real
from snippets.experiments import experiment

RAW_MAX = 16.0                    # scikit-learn's raw intensities run from 0 to 16
RATES = (0.03, 0.1, 0.3, 1.0)     # learning rates tried for every preprocessing
EPOCHS = 8
BATCH = 20
HIDDEN = 30                       # tanh units
SIZES = [64, HIDDEN, 10]          # 8×8 pixels in, 10 classes out
SEED = 0
NETWORKS = 5                      # independent runs, each with its own generator


LABELS = (f"raw, 0 … {RAW_MAX:g}", "scaled to [0, 1]", "centred, [0, 1] scale", "standardised")


def variants():
    """The same images under four preprocessings."""
    pixels = digits_pixels() * RAW_MAX
    return dict(zip(LABELS, (pixels, pixels / RAW_MAX,
                             pixels / RAW_MAX - (pixels / RAW_MAX).mean(axis=0),
                             standardise(pixels))))


def training_losses(inputs, rate):
    """Training loss before training and after each epoch, shape (NETWORKS, EPOCHS + 1).
    Every preprocessing and rate starts from the same NETWORKS generators (the same initial
    weights and shuffles), so the comparisons are paired. ``inputs``: one row per digit."""
    targets = networks.one_hot(digits_labels())
    inputs = require_array("inputs", inputs, shape=(targets.shape[0], SIZES[0]))
    rate = require_real("rate", rate, 0.0, 1e3, open_minimum=True)
    generators = spawn_generators(SEED, NETWORKS)
    stack = networks.stack_networks([
        networks.init_network(rng, SIZES, weights="glorot_uniform", bias_std=0.0,
                              hidden="tanh", output="softmax") for rng in generators])
    _, _, losses = networks.train_sgd(stack, inputs, targets, generators, EPOCHS, BATCH, rate,
                                      record=lambda net: networks.cost(net, inputs, targets))
    return np.array(losses).T


@experiment
def standardisation_runs():
    """For each preprocessing: the best learning rate (lowest mean final loss over the
    networks), the loss curves at that rate ("losses", shape (NETWORKS, EPOCHS + 1)), and the
    share of examples whose non-zero inputs share one sign."""
    results = {}
    for label, inputs in variants().items():
        curves = {rate: training_losses(inputs, rate) for rate in RATES}
        finals = {rate: curves[rate][:, -1].mean() for rate in RATES}
        best = min(RATES, key=lambda rate: finals[rate] if np.isfinite(finals[rate]) else np.inf)
        results[label] = {"rate": best, "epochs": np.arange(EPOCHS + 1), "losses": curves[best],
                          "same_sign": same_sign_share(inputs)}
    return results


def final_losses(label):
    """Mean and standard deviation over the networks of the loss after EPOCHS epochs."""
    label = require_choice("label", label, LABELS)
    return mean_and_spread(standardisation_runs()[label]["losses"][:, -1])


def loss_ratios(slower, faster):
    """Per network, the final loss under preprocessing ``slower`` divided by that under
    ``faster``: the networks are paired (same initial weights and shuffles)."""
    slower = require_choice("slower", slower, LABELS)
    faster = require_choice("faster", faster, LABELS)
    runs = standardisation_runs()
    return runs[slower]["losses"][:, -1] / runs[faster]["losses"][:, -1]
