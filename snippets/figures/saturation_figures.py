"""Glorot & Bengio's (2010) saturation experiment, reproduced on the handwritten digits
(chapter 3)."""

import functools

import numpy as np

from snippets.core import networks
from snippets.core.data import digits_labels, digits_pixels
from snippets.figures import style
from snippets.figures.registry import figure, quoted
from snippets.core.preprocessing import standardise

SATURATION_WIDTH = 100
SATURATION_SEEDS = (0, 1)
SATURATION_EPOCHS = 25
SATURATION_RATE = 1.0
RECORD_EVERY = 90
PROBE = 300


@functools.lru_cache(maxsize=1)
def saturation_runs():
    """Mean and standard deviation of each hidden layer's sigmoid activations on a fixed
    probe set, recorded during mini-batch training from the standard initialisation."""
    inputs = standardise(digits_pixels())
    labels = digits_labels()
    targets = networks.one_hot(labels)
    probe = inputs[:PROBE]

    def record(network):
        _, activations = networks.forward(network, probe)
        return [(a.mean(), a.std()) for a in activations[1:-1]]

    runs = []
    for seed in SATURATION_SEEDS:
        network = networks.init_network(np.random.default_rng(seed),
                                        [64] + [SATURATION_WIDTH] * 4 + [10],
                                        weights="standard_uniform", bias_std=0.0,
                                        hidden="sigmoid", output="softmax")
        trained, counts, records = networks.train_sgd(
            network, inputs, targets, np.random.default_rng(100 + seed), SATURATION_EPOCHS,
            batch_size=10, learning_rate=SATURATION_RATE, record=record,
            record_every=RECORD_EVERY)
        runs.append({"updates": counts, "stats": np.array(records),
                     "accuracy": networks.accuracy(trained, inputs, labels)})
    return runs


# --8<-- [start:saturation-during-training]
@figure("saturation-during-training", data=saturation_runs,
        alt="Mean of the sigmoid activations of four hidden layers during training, with "
            "bands for their standard deviation. The top hidden layer's mean drops from 0.5 "
            "to almost 0 within the first thousand updates, stays there for a while, then "
            "slowly rises again; the lower layers stay near 0.5.",
        caption=f"Glorot & Bengio's saturation experiment on the digits: mean (lines) and "
                f"standard deviation (bands) of each hidden layer's sigmoid activations on "
                f"{PROBE} fixed images during training (4 × {SATURATION_WIDTH} units, standard "
                f"initialisation, softmax output, mini-batches of 10, learning rate "
                f"{SATURATION_RATE:g}, seed {SATURATION_SEEDS[0]}).",
        shows=("snippets/core/networks.py:train_sgd",))
def saturation_during_training(runs):
    fig, ax = style.new_figure()
    run = runs[0]
    for layer, color in zip(range(4), style.colors()):
        mean, spread = run["stats"][:, layer, 0], run["stats"][:, layer, 1]
        ax.fill_between(run["updates"], mean - spread, mean + spread, color=color, alpha=0.15,
                        lw=0)
        ax.plot(run["updates"], mean, color=color, label=f"layer {layer + 1}")
    ax.set(xlabel="mini-batch updates", ylabel="activation value", ylim=(-0.05, 1.0))
    ax.legend(loc="upper right", ncols=2)
    return fig
# --8<-- [end:saturation-during-training]


@quoted("saturation-table")
def _saturation_table():
    rows = []
    for seed, run in zip(SATURATION_SEEDS, saturation_runs()):
        top = run["stats"][:, 3, 0]
        lowest = int(np.argmin(top))
        rows.append(f"| {seed} | {top[0]:.3f} | {top[lowest]:.3f} at update "
                    f"{run['updates'][lowest]} | {top[-1]:.3f} | {100 * run['accuracy']:.1f} % |")
    return "\n".join(["| seed | top layer mean at start | lowest mean | at the end "
                      "| training accuracy at the end |", "|---:|---:|---:|---:|---:|", *rows])
