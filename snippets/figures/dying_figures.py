"""Figures and numbers on dying ReLUs: gradient flow by activation, death during training,
networks born dead, the fixes compared, and He initialisation (chapter 4)."""

import functools

import numpy as np

from snippets.core import dead_networks, networks
from snippets.core.data import digits_labels, digits_pixels
from snippets.figures import style
from snippets.figures.registry import figure, quoted
from snippets.core.preprocessing import standardise

# ------------------------------------------------------------------ gradient flow at init
FLOW_DEPTH = 50
FLOW_WIDTH = 100
FLOW_SEEDS = (0, 1, 2)
FLOW_SETUPS = {"sigmoid, Xavier": ("sigmoid", "glorot_uniform"),
               "tanh, Xavier": ("tanh", "glorot_uniform"),
               "ReLU, He": ("relu", "he")}


@functools.lru_cache(maxsize=1)
def gradient_flow():
    """RMS of the back-propagated errors δ^l per hidden layer at initialisation, on the
    standardised digits, mean over seeds (log scale)."""
    inputs = standardise(digits_pixels())[:500]
    targets = networks.one_hot(digits_labels()[:500])
    flows = {}
    for label, (hidden, law) in FLOW_SETUPS.items():
        runs = []
        for seed in FLOW_SEEDS:
            network = networks.init_network(np.random.default_rng(seed),
                                            [64] + [FLOW_WIDTH] * FLOW_DEPTH + [10], weights=law,
                                            bias_std=0.0, hidden=hidden, output="softmax")
            deltas, _ = networks.output_errors(network, inputs, targets)
            runs.append([np.sqrt(np.mean(d ** 2)) for d in deltas[:-1]])
        flows[label] = np.exp(np.mean(np.log(runs), axis=0))
    return flows


# --8<-- [start:gradient-flow-by-activation]
@figure("gradient-flow-by-activation", data=gradient_flow,
        alt="Size of the back-propagated error in each of 50 hidden layers at initialisation, "
            "on a logarithmic axis. For ReLU with He initialisation it stays within a factor "
            "of a few across all layers; for tanh with Xavier initialisation it decays "
            "slowly towards the input; for the sigmoid it collapses by many orders of "
            "magnitude within the first layers below the output.",
        caption=f"Root-mean-square of $\\delta^l = \\partial C/\\partial z^l$ in each hidden "
                f"layer of {FLOW_DEPTH}-layer networks of width {FLOW_WIDTH} at initialisation "
                f"(500 standardised digits, zero biases, geometric mean over "
                f"{len(FLOW_SEEDS)} seeds), one shared harness for the three activations.",
        shows=("snippets/core/networks.py:forward_backward",))
def gradient_flow_by_activation(flows):
    fig, ax = style.new_figure()
    for color, (label, values) in zip(style.colors(), flows.items()):
        ax.plot(np.arange(1, FLOW_DEPTH + 1), values, color=color, label=label)
    ax.set(yscale="log", xlabel="hidden layer l (1 = next to the input)",
           ylabel=r"RMS of $\delta^l$")
    ax.legend(loc="lower right")
    return fig
# --8<-- [end:gradient-flow-by-activation]


@quoted("gradient-flow-table")
def _flow_table():
    rows = [f"| {label} | {values[-1]:.2e} | {values[0]:.2e} | {values[0] / values[-1]:.2e} |"
            for label, values in gradient_flow().items()]
    return "\n".join(["| network | RMS δ, top hidden layer | RMS δ, first hidden layer "
                      "| first / top |", "|---|---:|---:|---:|", *rows])


# ------------------------------------------------------------------ dying during training
SIZES = [64, 100, 100, 100, 10]
EPOCHS = 10
BATCH = 32
RATES = (0.1, 0.3, 1.0, 2.0)
BIASES = (0.0, -0.5, -1.0)
BASE_RATE = 0.1


def pixels_and_targets():
    return digits_pixels(), networks.one_hot(digits_labels())  # pixels in [0, 1]


def _inactive_recorder(inputs):
    def record(network):
        pre_activations, _ = networks.forward(network, inputs)
        return dead_networks.inactive_share(pre_activations[:-1])
    return record


def train_epochs(network, rate, seed, inputs, targets, record=None):
    """EPOCHS epochs of SGD on mini-batches of BATCH, ``record`` called after each epoch."""
    return networks.train_sgd(network, inputs, targets, np.random.default_rng(100 + seed),
                              EPOCHS, BATCH, rate, record=record)


def relu_network(seed, bias=0.0, weights="he", hidden="relu"):
    network = networks.init_network(np.random.default_rng(seed), SIZES, weights=weights,
                                    bias_std=0.0, hidden=hidden, output="softmax")
    network.biases = [np.full_like(b, bias) for b in network.biases[:-1]] + [network.biases[-1]]
    return network


@functools.lru_cache(maxsize=1)
def dying_runs():
    """Share of inactive hidden units after every epoch, by learning rate (bias 0) and by
    bias initialisation (learning rate BASE_RATE), seed 0."""
    inputs, targets = pixels_and_targets()
    record = _inactive_recorder(inputs)
    by_rate = {rate: train_epochs(relu_network(0), rate, 0, inputs, targets, record)[2]
               for rate in RATES}
    by_bias = {bias: train_epochs(relu_network(0, bias), BASE_RATE, 0, inputs, targets, record)[2]
               for bias in BIASES}
    return {"rate": by_rate, "bias": by_bias}


# --8<-- [start:dead-units-during-training]
@figure("dead-units-during-training", data=dying_runs,
        alt="Two panels: share of hidden ReLU units inactive on every digit image after each "
            "epoch of training. Left, by learning rate: at 0.1 and 0.3 the share stays near "
            "5 %, at 1.0 it climbs to most of the units, at 2.0 almost all die in the first "
            "epoch. Right, by initial bias: with bias −1 most units are dead from the start.",
        caption=f"Dead ReLU units (inactive on all {len(digits_labels())} digit images, pixels in "
                f"[0, 1]) in a "
                f"64–100–100–100–10 network, He initialisation, mini-batches of {BATCH}, seed 0. "
                f"Left: by learning rate, zero biases. Right: by the initial value of every "
                f"hidden bias, learning rate {BASE_RATE}.",
        shows=("snippets/core/dead_networks.py:inactive_share", "snippets/core/networks.py:train_sgd"))
def dead_units_during_training(runs):
    fig, (left, right) = style.new_figure(style.DOUBLE, panels=2)
    epochs = np.arange(EPOCHS + 1)
    for color, (rate, shares) in zip(style.colors(), runs["rate"].items()):
        left.plot(epochs, shares, "o-", ms=3, color=color, label=f"η = {rate:g}")
    for color, (bias, shares) in zip(style.colors(), runs["bias"].items()):
        right.plot(epochs, shares, "o-", ms=3, color=color, label=f"b = {bias:g}")
    left.set(xlabel="epoch", ylabel="share of dead hidden units", ylim=(-0.03, 1.03),
             title="by learning rate")
    right.set(xlabel="epoch", ylim=(-0.03, 1.03), title="by initial bias")
    left.legend(loc="center right")
    right.legend(loc="center right", bbox_to_anchor=(1.0, 0.64))  # between the b = −1 and −0.5 lines
    return fig
# --8<-- [end:dead-units-during-training]


@quoted("dead-share-by-rate")
def _dead_by_rate():
    return ", ".join(f"{100 * shares[-1]:.0f} % at η = {rate:g}"
                     for rate, shares in dying_runs()["rate"].items())


# ------------------------------------------------------------------ born dead
WIDTHS = (2, 3, 4, 5, 10)
DEPTHS = (1, 2, 3, 5, 7, 10, 15, 20, 30, 40, 50)
TRIALS = 1000


@functools.lru_cache(maxsize=1)
def born_dead_runs():
    rng = np.random.default_rng(0)
    results = {}
    for init, widths in (("he", WIDTHS), ("rai", (3, 5))):
        for width in widths:
            counts = [dead_networks.born_dead_share(rng, width, depth, TRIALS, init) for depth in DEPTHS]
            results[(init, width)] = np.array(counts)
    return results


# --8<-- [start:born-dead-probability]
@figure("born-dead-probability", data=born_dead_runs,
        alt="Probability that a ReLU network with one input is a constant function at "
            "initialisation, against depth, for widths 2 to 10, with 95 % confidence bars. "
            "Narrow networks die quickly with depth: width 2 is almost surely dead by 10 "
            "layers, width 10 stays mostly alive to 50. Dashed lines give the exact "
            "probability of being dead at a single input. Randomized asymmetric "
            "initialisation (open markers) lowers the curves for widths 3 and 5.",
        caption=f"Share of networks born dead (constant on [−1, 1]) among {TRIALS} per point, "
                f"with 95 % Wilson intervals; He initialisation, zero biases (solid), and "
                f"randomized asymmetric initialisation (open markers, dotted). Dashed: the "
                f"exact probability of being dead at one input, "
                f"$1 - (1 - 2^{{-N}})^L$ for width $N$ and depth $L$.",
        shows=("snippets/core/dead_networks.py:born_dead",))
def born_dead_probability(results):
    fig, ax = style.new_figure()
    depths = np.array(DEPTHS)
    colors = dict(zip(WIDTHS, style.colors()))
    for (init, width), counts in results.items():
        share = counts[:, 0] / TRIALS
        bounds = np.array([wilson_interval(int(c), TRIALS) for c in counts[:, 0]])
        err = np.abs(bounds.T - share)
        if init == "he":
            ax.errorbar(depths, share, yerr=err, fmt="o-", ms=3, capsize=2, lw=1.5,
                        color=colors[width], label=f"N = {width}")
            exact = [dead_networks.single_input_dead_probability(width, d) for d in depths]
            ax.plot(depths, exact, "--", lw=1, color=colors[width])
        else:
            ax.errorbar(depths, share, yerr=err, fmt="o:", ms=5, mfc="none", capsize=2,
                        color=colors[width], label=f"N = {width}, RAI")
    ax.set(xscale="log", xlabel="hidden layers L", ylabel="P(born dead)", ylim=(-0.03, 1.03))
    ax.legend(loc="upper left", ncols=2, fontsize=8.5)
    return fig
# --8<-- [end:born-dead-probability]


@quoted("born-dead-table")
def _born_dead_table():
    results = born_dead_runs()
    rows = []
    for width in WIDTHS:
        cells = []
        for depth in (10, 50):
            count = results[("he", width)][DEPTHS.index(depth), 0]
            low, high = wilson_interval(int(count), TRIALS)
            cells.append(f"{count / TRIALS:.3f} [{low:.3f}, {high:.3f}]")
        rows.append(f"| {width} | " + " | ".join(cells) + " |")
    return "\n".join(["| width N | P(born dead), 10 layers [95 % CI] | 50 layers [95 % CI] |",
                      "|---:|---:|---:|", *rows])
