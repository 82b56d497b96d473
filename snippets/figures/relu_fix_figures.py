"""Figures and numbers comparing the fixes for dying ReLUs, and He initialisation derived and
trained (chapter 4)."""

import functools

import numpy as np

from snippets.core import dead_networks, networks
from snippets.core.data import digits_labels, digits_pixels
from snippets.figures import style
from snippets.figures.dying_figures import BATCH, EPOCHS, SIZES, pixels_and_targets, relu_network, train_epochs
from snippets.figures.registry import figure, quoted
from snippets.core.preprocessing import standardise

# ------------------------------------------------------------------ fixes compared
FIX_SEEDS = (0, 1, 2)
FIX_RATE = 0.5
TRAIN = 1297


def _fix_networks(seed):
    return {
        "ReLU, He": relu_network(seed),
        "ReLU, Xavier": relu_network(seed, weights="glorot_uniform"),
        "leaky ReLU 0.01": relu_network(seed, hidden="leaky_relu"),
        "PReLU": relu_network(seed, hidden="prelu"),
        "RReLU": relu_network(seed, hidden="rrelu"),
        "ReLU, RAI": dead_networks.rai_network(np.random.default_rng(seed), SIZES),
    }


@functools.lru_cache(maxsize=1)
def fix_runs():
    """Every fix trained in the dying regime (learning rate FIX_RATE): inactive share,
    bias-gradient norm per hidden layer, and held-out accuracy at the end, per seed. A run
    whose parameters overflow is recorded as diverged (numpy's warnings are silenced for that
    run only, and its numbers are NaN)."""
    pixels, targets = pixels_and_targets()
    labels = digits_labels()
    train, test = slice(0, TRAIN), slice(TRAIN, None)
    results = {}
    for seed in FIX_SEEDS:
        for label, network in _fix_networks(seed).items():
            with np.errstate(all="ignore"):
                trained, _, _ = train_epochs(network, FIX_RATE, seed, pixels[train], targets[train])
            finite = all(np.all(np.isfinite(w)) for w in trained.weights)
            run = {"diverged": not finite, "inactive": np.nan, "accuracy": np.nan,
                   "gradient": [np.nan] * (len(SIZES) - 2)}
            if finite:
                pre_activations, _ = networks.forward(trained, pixels[train])
                grads = networks.gradients(trained, pixels[train], targets[train])
                run.update(inactive=dead_networks.inactive_share(pre_activations[:-1]),
                           gradient=[float(np.linalg.norm(g)) for g in grads["biases"][:-1]],
                           accuracy=networks.accuracy(trained, pixels[test], labels[test]))
            results.setdefault(label, []).append(run)
    return results


# --8<-- [start:fixes-compared]
@figure("fixes-compared", data=fix_runs,
        alt="Two bar charts over six variants trained at a learning rate that kills ReLU "
            "units. Left: share of hidden units inactive at the end; plain ReLU with He "
            "initialisation loses about a quarter of them, the leaky and randomized variants "
            "and the asymmetric initialisation far fewer; PReLU diverged. Right: accuracy on "
            "held-out digits, highest for the variants that keep their units.",
        caption=f"Each fix trained {EPOCHS} epochs at learning rate {FIX_RATE:g} on "
                f"{TRAIN} digits (pixels in [0, 1], mini-batches of {BATCH}); bars: mean over "
                f"{len(FIX_SEEDS)} seeds, ticks: every seed. Left: hidden units inactive on "
                f"every training image (for ReLU: dead). Right: accuracy on the "
                f"{len(digits_labels()) - TRAIN} held-out digits.",
        shows=("snippets/core/networks.py:train_sgd", "snippets/core/dead_networks.py:inactive_share"))
def fixes_compared(results):
    fig, (left, right) = style.new_figure((9.0, 3.8), panels=2)
    labels = list(results)
    positions = np.arange(len(labels))
    for ax, key in ((left, "inactive"), (right, "accuracy")):
        values = np.array([[run[key] for run in results[label]] for label in labels])
        means = np.where(np.all(np.isnan(values), axis=1), 0.0, np.nanmean(
            np.where(np.isnan(values), 0.0, values), axis=1))
        ax.bar(positions, means, color=style.colors()[0], alpha=0.8)
        for column in range(values.shape[1]):
            ax.plot(positions, values[:, column], "_", ms=14, mew=2, color=style.colors()[1])
        for position, label in zip(positions, labels):
            if any(run["diverged"] for run in results[label]):
                ax.text(position, 0.05, "diverged", rotation=90, ha="center", va="bottom",
                        color=style.muted(), fontsize=8.5)
        ax.set_xticks(positions, labels, rotation=35, ha="right")
        ax.set_ylim(0, 1.05)
    left.set(ylabel="share of inactive hidden units")
    right.set(ylabel="held-out accuracy")
    return fig
# --8<-- [end:fixes-compared]


@quoted("fixes-table")
def _fixes_table():
    rows = []
    for label, runs in fix_runs().items():
        diverged = sum(r["diverged"] for r in runs)
        if diverged == len(runs):
            rows.append(f"| {label} | diverged in all {diverged} seeds | | |")
            continue
        kept = [r for r in runs if not r["diverged"]]
        inactive = np.array([r["inactive"] for r in kept])
        accuracy = np.array([r["accuracy"] for r in kept])
        gradient = np.array([r["gradient"] for r in kept]).mean(axis=0)
        note = f" ({diverged} seed(s) diverged)" if diverged else ""
        spread = f" ± {100 * accuracy.std(ddof=1):.1f}" if len(kept) > 1 else ""
        rows.append(f"| {label}{note} | {100 * inactive.mean():.0f} % | "
                    f"{100 * accuracy.mean():.1f} %{spread} | "
                    + ", ".join(f"{g:.1e}" for g in gradient) + " |")
    return "\n".join(["| variant | inactive units | held-out accuracy (mean ± sd) "
                      "| ‖∂C/∂b^l‖, layers 1–3 |", "|---|---:|---:|---|", *rows])


# ------------------------------------------------------------------ He initialisation
HE_DEPTH = 30
HE_WIDTH = 100
HE_SEEDS = (0, 1, 2)


@functools.lru_cache(maxsize=1)
def he_variances():
    """Mean squared activation per layer of deep ReLU networks, Xavier (g² = 1/2) against He
    (g² = 1), through networks.activation_growth."""
    return {label: np.mean([networks.activation_growth(np.random.default_rng(seed), HE_WIDTH,
                                                       HE_DEPTH, gain) for seed in HE_SEEDS],
                           axis=0)
            for label, gain in (("Xavier, Var[w] = 1/n", np.sqrt(0.5)),
                                ("He, Var[w] = 2/n", 1.0))}


# --8<-- [start:he-variance]
@figure("he-variance", data=he_variances,
        alt="Mean squared activation per layer of a 30-layer ReLU network on a logarithmic "
            "axis: with Xavier weights it halves at every layer, following the dashed "
            "prediction one half to the power l, down to about ten to the minus nine; with He "
            "weights it stays near 1.",
        caption=f"Second moment $\\mathbb E[(a^l)^2]$ of the activations of a {HE_DEPTH}-layer "
                f"ReLU network (width {HE_WIDTH}, zero biases, inputs $\\mathcal N(0, 1)$, "
                f"mean of {len(HE_SEEDS)} seeds). Dashed: He et al.'s prediction "
                f"$(\\tfrac12 n \\mathrm{{Var}}[w])^l$.",
        shows=("snippets/core/networks.py:activation_growth",))
def he_variance(runs):
    fig, ax = style.new_figure()
    layers = np.arange(HE_DEPTH + 1)
    for color, ((label, values), factor) in zip(style.colors(), zip(runs.items(), (0.5, 1.0))):
        ax.plot(layers, values, color=color, label=label)
        ax.plot(layers, factor ** layers, "--", lw=1, color=color)
    ax.set(yscale="log", xlabel="layer l", ylabel=r"$\mathbb{E}[(a^l)^2]$")
    ax.legend(loc="lower left")
    return fig
# --8<-- [end:he-variance]


DEEP_SIZES = [64] + [64] * 30 + [10]
DEEP_EPOCHS = 10
DEEP_RATE = 0.01


@functools.lru_cache(maxsize=1)
def deep_training():
    """Training loss per epoch of a 30-layer plain ReLU network, Xavier against He."""
    inputs = standardise(digits_pixels())
    targets = networks.one_hot(digits_labels())

    curves = {}
    for label, law in (("Xavier", "glorot_uniform"), ("He", "he")):
        network = networks.init_network(np.random.default_rng(0), DEEP_SIZES, weights=law,
                                        bias_std=0.0, hidden="relu", output="softmax")
        trained, _, losses = networks.train_sgd(network, inputs, targets,
                                                np.random.default_rng(1), DEEP_EPOCHS, BATCH,
                                                DEEP_RATE,
                                                record=lambda n: networks.cost(n, inputs, targets))
        curves[label] = (np.array(losses), networks.accuracy(trained, inputs, digits_labels()))
    return curves


# --8<-- [start:he-versus-xavier-training]
@figure("he-versus-xavier-training", data=deep_training,
        alt="Training loss against epochs for a 30-layer plain ReLU network on the digits. "
            "With Xavier initialisation the loss stays flat at its starting value of about "
            "2.3; with He initialisation it falls steadily.",
        caption=f"A {len(DEEP_SIZES) - 2}-layer plain ReLU network (width 64, zero biases) "
                f"trained with mini-batch SGD (learning rate {DEEP_RATE}, batches of {BATCH}, "
                f"seed 0) on the standardised digits: the scale of He et al. (2015), figure 3, "
                f"reduced to build in seconds.",
        shows=("snippets/core/networks.py:init_network", "snippets/core/networks.py:train_sgd"))
def he_versus_xavier_training(curves):
    fig, ax = style.new_figure()
    for color, (label, (losses, _)) in zip(style.colors(), curves.items()):
        ax.plot(np.arange(len(losses)), losses, "o-", ms=3, color=color, label=label)
    ax.set(xlabel="epoch", ylabel="training loss")
    ax.legend(loc="center right")
    return fig
# --8<-- [end:he-versus-xavier-training]


@quoted("deep-training-table")
def _deep_table():
    rows = [f"| {label} | {losses[0]:.3f} | {losses[-1]:.3f} | {100 * accuracy:.1f} % |"
            for label, (losses, accuracy) in deep_training().items()]
    return "\n".join(["| initialisation | loss at start | loss at the end | training accuracy |",
                      "|---|---:|---:|---:|", *rows])


@quoted("rrelu-test-slopes")
def _rrelu_slopes():
    low, high = networks.RRELU_BOUNDS
    return (f"{1 / 5.5:.3f} in Xu et al. (divisor fixed at (3 + 8)/2 = 5.5) and "
            f"{(low + high) / 2:.3f} in PyTorch (slope fixed at the mean of U({low:.3f}, "
            f"{high:.3f}))")
