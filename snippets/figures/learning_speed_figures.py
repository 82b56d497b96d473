"""Reproduction of Nielsen's per-layer speed of learning in deep sigmoid networks, on the
handwritten digits bundled with scikit-learn (chapter 2)."""

import functools

import numpy as np

from snippets.core import networks
from snippets.core.data import digits_labels, digits_pixels
from snippets.figures import style
from snippets.figures.registry import figure, quoted

HIDDEN_LAYERS = (2, 3, 4)
WIDTH = 30
TRAINING_EXAMPLES = 1000
SEEDS = tuple(range(5))
EPOCHS = 500
LEARNING_RATE = 0.1
L2 = 5.0

# Nielsen (2015), "Neural Networks and Deep Learning", ch. 5: speeds of learning ‖∂C/∂b^l‖ of
# the hidden layers at initialisation, MNIST, 1000 training images, networks [784, 30, …, 10].
NIELSEN_MNIST_SPEEDS = {
    2: (0.07, 0.31),
    3: (0.012, 0.060, 0.283),
    4: (0.003, 0.017, 0.070, 0.285),
}


def _data():
    inputs = digits_pixels()[:TRAINING_EXAMPLES]
    return inputs, networks.one_hot(digits_labels()[:TRAINING_EXAMPLES])


def _network(hidden_layers, seed):
    sizes = [64] + [WIDTH] * hidden_layers + [10]
    return networks.init_network(np.random.default_rng(seed), sizes, weights="lecun",
                                 bias_std=1.0, hidden="sigmoid")


@functools.lru_cache(maxsize=1)
def speeds_at_initialisation():
    """{hidden layers: array (seeds, layers)} of ‖∂C/∂b^l‖ at initialisation."""
    inputs, targets = _data()
    return {depth: np.array([networks.learning_speeds(_network(depth, seed), inputs, targets)
                             for seed in SEEDS]) for depth in HIDDEN_LAYERS}


@functools.lru_cache(maxsize=1)
def speeds_during_training():
    """{hidden layers: (speeds per epoch, accuracy on the training and held-out digits)}."""
    inputs, targets = _data()
    labels = digits_labels()
    results = {}
    for depth in HIDDEN_LAYERS:
        speeds, trained = networks.train_recording_speeds(
            _network(depth, SEEDS[0]), inputs, targets, EPOCHS, LEARNING_RATE, L2)
        held_out = (digits_pixels()[TRAINING_EXAMPLES:], labels[TRAINING_EXAMPLES:])
        results[depth] = (speeds, networks.accuracy(trained, inputs, labels[:TRAINING_EXAMPLES]),
                          networks.accuracy(trained, *held_out))
    return results


# --8<-- [start:learning-speed-at-init]
@figure("learning-speed-at-init", data=speeds_at_initialisation,
        alt="Speed of learning of each hidden layer at initialisation, on a logarithmic axis, "
            "for sigmoid networks with two, three and four hidden layers. In every network the "
            "speed rises by roughly a factor of four to five per layer from the first hidden "
            "layer to the last, and Nielsen's MNIST values, drawn as open markers, lie close "
            "to ours.",
        caption=f"Speed of learning $\\|\\partial C/\\partial b^l\\|$ of each hidden layer at "
                f"initialisation, averaged gradient over {TRAINING_EXAMPLES} digits. Dots and "
                f"bars: mean and standard deviation over {len(SEEDS)} seeds (weights "
                f"$\\mathcal N(0, 1/n_{{in}})$, biases $\\mathcal N(0, 1)$, {WIDTH} sigmoid "
                f"units per layer). Open squares: Nielsen's MNIST values.",
        shows=("snippets/core/networks.py:init_network", "snippets/core/networks.py:forward_backward",
               "snippets/core/networks.py:learning_speeds"))
def learning_speed_at_init(speeds):
    fig, ax = style.new_figure()
    for color, (depth, values) in zip(style.colors(), speeds.items()):
        layers = np.arange(1, depth + 1)
        ax.errorbar(layers, values.mean(axis=0), yerr=values.std(axis=0, ddof=1), fmt="o-",
                    color=color, capsize=3, label=f"{depth} hidden layers")
        ax.plot(layers, NIELSEN_MNIST_SPEEDS[depth], "s", mfc="none", color=color, ms=8)
    ax.plot([], [], "s", mfc="none", color=style.muted(), label="Nielsen, MNIST")
    ax.set(yscale="log", xlabel="hidden layer l", ylabel=r"$\|\partial C/\partial b^l\|$",
           xticks=[1, 2, 3, 4])
    ax.legend(loc="lower right")
    return fig
# --8<-- [end:learning-speed-at-init]


# --8<-- [start:learning-speed-during-training]
@figure("learning-speed-during-training", data=speeds_during_training,
        alt="Three panels, for two, three and four hidden layers, showing the speed of "
            "learning of each hidden layer over 500 epochs of training on a logarithmic axis. "
            "All speeds drop in the first tens of epochs, and the ordering stays: the first "
            "hidden layer is always the slowest, by more than an order of magnitude in the "
            "deeper networks.",
        caption=f"Speed of learning of each hidden layer during {EPOCHS} epochs of full-batch "
                f"gradient descent (η = {LEARNING_RATE}, L2 weight decay λ = {L2}, "
                f"{TRAINING_EXAMPLES} digits, seed {SEEDS[0]}), as in Nielsen's experiment.",
        shows=("snippets/core/networks.py:learning_speeds",))
def learning_speed_during_training(results):
    fig, axes = style.new_figure((9.0, 3.2), panels=len(results))
    for ax, (depth, (speeds, _, _)) in zip(axes, results.items()):
        for layer, color in zip(range(depth), style.colors()):
            ax.plot(speeds[:, layer], color=color, lw=1.6, label=f"layer {layer + 1}")
        ax.set(yscale="log", title=f"{depth} hidden layers", xlabel="epoch")
    axes[0].set_ylabel(r"$\|\partial C/\partial b^l\|$")
    axes[-1].legend(loc="upper right", fontsize=8.5)
    return fig
# --8<-- [end:learning-speed-during-training]


@quoted("learning-speed-table")
def _speed_table():
    rows = []
    for depth, values in speeds_at_initialisation().items():
        ours = ", ".join(f"{v:.2g}" for v in values.mean(axis=0))
        theirs = ", ".join(f"{v:g}" for v in NIELSEN_MNIST_SPEEDS[depth])
        ratio = values[:, -1] / values[:, 0]
        nielsen_ratio = NIELSEN_MNIST_SPEEDS[depth][-1] / NIELSEN_MNIST_SPEEDS[depth][0]
        rows.append(f"| {depth} | {ours} | {ratio.mean():.0f} ± {ratio.std(ddof=1):.0f} | "
                    f"{theirs} | {nielsen_ratio:.0f} |")
    return "\n".join([
        "| hidden layers | our speeds, layer 1 → last (mean of seeds) | last / first (ours) "
        "| Nielsen, MNIST | last / first (Nielsen) |",
        "|---:|---|---:|---|---:|", *rows])


@quoted("learning-speed-seeds")
def _seeds():
    return f"{len(SEEDS)} seeds"


@quoted("trained-accuracy-table")
def _accuracy_table():
    rows = [f"| {depth} | {100 * train:.1f} % | {100 * held_out:.1f} % |"
            for depth, (_, train, held_out) in speeds_during_training().items()]
    held_out = len(digits_labels()) - TRAINING_EXAMPLES
    return "\n".join([f"| hidden layers | accuracy, {TRAINING_EXAMPLES} training digits | "
                      f"accuracy, {held_out} held-out digits |", "|---:|---:|---:|", *rows])


@quoted("final-speed-ratio-four-layers")
def _final_ratio():
    speeds = speeds_during_training()[4][0][-1]
    return f"{speeds[-1] / speeds[0]:.0f}"
