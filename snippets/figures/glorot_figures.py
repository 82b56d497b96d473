"""Figures and numbers reproducing Glorot & Bengio (2010) on the handwritten digits: layer
histograms under the standard and normalised initialisations, the saturation of the top
sigmoid layer during training, and Xavier initialisation verified in deep tanh networks
(chapter 3)."""

import functools

import numpy as np

from snippets.core import networks, variance
from snippets.core.data import digits_labels, digits_pixels
from snippets.figures import style
from snippets.figures.registry import figure, quoted
from snippets.core.preprocessing import standardise

HIDDEN = 5
WIDTH = 256
INITS = {"standard": "standard_uniform", "normalised": "glorot_uniform"}
SEED = 0


@functools.lru_cache(maxsize=1)
def layer_samples():
    """Per-layer tanh activations and back-propagated gradients δ^l = ∂C/∂s^l at
    initialisation, for both initialisations, on all digits."""
    inputs = standardise(digits_pixels())
    targets = networks.one_hot(digits_labels())
    samples = {}
    for label, law in INITS.items():
        network = networks.init_network(np.random.default_rng(SEED), [64] + [WIDTH] * HIDDEN + [10],
                                        weights=law, bias_std=0.0, hidden="tanh", output="softmax")
        deltas, activations = networks.output_errors(network, inputs, targets)
        samples[label] = {"activations": activations[1:-1], "gradients": deltas[:-1]}
    return samples


def _histograms(ax, layers, bins, title):
    for color, (index, values) in zip(style.colors(), enumerate(layers, start=1)):
        counts, edges = np.histogram(values.ravel(), bins=bins, density=True)
        ax.plot(0.5 * (edges[1:] + edges[:-1]), counts, color=color, lw=1.5,
                label=f"layer {index}")
    ax.set(title=title)


# --8<-- [start:init-activation-histograms]
@figure("init-activation-histograms", data=layer_samples,
        alt="Two panels of normalised histograms of the tanh activation values of five hidden "
            "layers at initialisation. With the standard initialisation the histograms get "
            "narrower and more peaked at zero from layer 1 to layer 5; with the normalised "
            "initialisation they keep about the same width in every layer.",
        caption=f"Histograms of the activations $\\tanh(s^l)$ of each hidden layer at "
                f"initialisation ({HIDDEN} layers of {WIDTH} tanh units, zero biases, all "
                f"standardised digits, seed {SEED}). Left: standard initialisation "
                f"$U[\\pm 1/\\sqrt{{n}}]$; right: normalised $U[\\pm\\sqrt6/\\sqrt{{n_{{in}} + "
                f"n_{{out}}}}]$ (Glorot & Bengio 2010, figure 6).",
        shows=("snippets/core/networks.py:init_network", "snippets/core/networks.py:forward_backward"))
def init_activation_histograms(samples):
    fig, axes = style.new_figure(style.DOUBLE, panels=2)
    bins = np.linspace(-1, 1, 61)
    for ax, (label, data) in zip(axes, samples.items()):
        _histograms(ax, data["activations"], bins, f"{label} initialisation")
        ax.set(xlabel="activation value", yscale="log", ylim=(1e-2, 30))
    axes[0].set_ylabel("density")
    axes[1].legend(loc="upper right", fontsize=8.5)
    return fig
# --8<-- [end:init-activation-histograms]


# --8<-- [start:init-gradient-histograms]
@figure("init-gradient-histograms", data=layer_samples,
        alt="Two panels of normalised histograms of the back-propagated gradients of five "
            "hidden layers at initialisation. With the standard initialisation the lower "
            "layers' histograms are narrower, so their gradients are smaller; with the "
            "normalised initialisation all five layers overlap.",
        caption="Histograms of the back-propagated gradients $\\partial C/\\partial s^l$ (one "
                "value per unit and example) of each hidden layer, same networks as the "
                "previous figure (Glorot & Bengio 2010, figure 7).",
        shows=("snippets/core/networks.py:forward_backward",))
def init_gradient_histograms(samples):
    fig, axes = style.new_figure(style.DOUBLE, panels=2)
    spread = max(np.quantile(np.abs(samples["normalised"]["gradients"][-1]), 0.995), 1e-12)
    bins = np.linspace(-spread, spread, 61)
    for ax, (label, data) in zip(axes, samples.items()):
        _histograms(ax, data["gradients"], bins, f"{label} initialisation")
        ax.set(xlabel=r"$\partial C/\partial s^l$", yscale="log")
        ax.ticklabel_format(axis="x", style="sci", scilimits=(-2, 2))
    axes[0].set_ylabel("density")
    axes[1].legend(loc="upper right", fontsize=8.5)
    return fig
# --8<-- [end:init-gradient-histograms]


@quoted("init-spread-table")
def _spread_table():
    samples = layer_samples()
    rows = []
    for layer in range(HIDDEN):
        cells = []
        for label in INITS:
            cells.append(f"{samples[label]['activations'][layer].std():.3f}")
            cells.append(f"{samples[label]['gradients'][layer].std():.2e}")
        rows.append(f"| {layer + 1} | " + " | ".join(cells) + " |")
    return "\n".join(["| layer | std of activations, standard | std of gradients, standard "
                      "| std of activations, normalised | std of gradients, normalised |",
                      "|---:|---:|---:|---:|---:|", *rows])


# ---------------------------------------------------------------- Xavier verified
XAVIER_WIDTH = 100
XAVIER_DEPTH = 50
XAVIER_SEEDS = (0, 1, 2)


def xavier_laws():
    """Weight standard deviations compared (normal laws of the stated variance)."""
    n = XAVIER_WIDTH
    xavier = variance.xavier_bound(n, n) / np.sqrt(3.0)  # std of U[−b, b] is b/√3
    return {"standard U[±1/√n]": 1.0 / np.sqrt(3.0 * n), "Xavier": xavier,
            "0.5 × Xavier": 0.5 * xavier, "2 × Xavier": 2.0 * xavier}


@functools.lru_cache(maxsize=1)
def xavier_profiles():
    profiles = {}
    for label, std in xavier_laws().items():
        runs = [variance.simulate_variances(np.random.default_rng(seed), "tanh", XAVIER_WIDTH,
                                            XAVIER_DEPTH, std) for seed in XAVIER_SEEDS]
        profiles[label] = (np.mean([f for f, _ in runs], axis=0),
                           np.mean([b for _, b in runs], axis=0))
    return profiles


# --8<-- [start:xavier-verification]
@figure("xavier-verification", data=xavier_profiles,
        alt="Two panels on logarithmic axes for 50-layer tanh networks. Left: activation "
            "variance per layer; right: back-propagated gradient variance per layer. With "
            "Xavier weights both stay within a modest band; with the standard or halved scale "
            "they fall by orders of magnitude; with the doubled scale the activations saturate "
            "near 1 and the gradients grow towards the input.",
        caption=f"Forward variance $\\mathrm{{Var}}[a^l]$ and backward variance "
                f"$\\mathrm{{Var}}[\\partial C/\\partial a^l]$ per layer in tanh networks of "
                f"depth {XAVIER_DEPTH} and width {XAVIER_WIDTH} (zero biases, inputs and top "
                f"gradients $\\mathcal N(0,1)$, mean over {len(XAVIER_SEEDS)} seeds), for "
                f"four weight scales.",
        shows=("snippets/core/variance.py:simulate_variances", "snippets/core/variance.py:xavier_bound"))
def xavier_verification(profiles):
    fig, (left, right) = style.new_figure(style.DOUBLE, panels=2)
    layers = np.arange(XAVIER_DEPTH + 1)
    for color, (label, (forward, backward)) in zip(style.colors(), profiles.items()):
        left.plot(layers, forward, color=color, label=label)
        right.plot(layers, backward, color=color, label=label)
    left.set(yscale="log", xlabel="layer l", ylabel=r"Var$[a^l]$", title="forward")
    right.set(yscale="log", xlabel="layer l", ylabel=r"Var$[\partial C/\partial a^l]$",
              title="backward")
    left.legend(loc="lower left", fontsize=8.5)
    return fig
# --8<-- [end:xavier-verification]


@quoted("xavier-table")
def _xavier_table():
    rows = []
    for label, (forward, backward) in xavier_profiles().items():
        rows.append(f"| {label} | {forward[10]:.3g} | {forward[-1]:.3g} | {backward[0]:.3g} "
                    f"| {backward[-1]:.3g} |")
    return "\n".join(["| weights | Var[a¹⁰] | Var[a⁵⁰] | Var[∂C/∂a⁰] (bottom) "
                      "| Var[∂C/∂a⁵⁰] (top) |", "|---|---:|---:|---:|---:|", *rows])
