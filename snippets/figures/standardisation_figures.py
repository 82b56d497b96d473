"""Figures and numbers on standardising the inputs (LeCun et al. 1998), on the digits
(chapter 3)."""

import functools

import numpy as np

from snippets.core import networks
from snippets.core.data import digits_labels, digits_pixels
from snippets.figures import style
from snippets.figures.registry import figure, quoted
from snippets.core.preprocessing import same_sign_share, standardise

RATES = (0.03, 0.1, 0.3, 1.0)
EPOCHS = 8
BATCH = 20
HIDDEN = 30
SEEDS = (0, 1, 2)


def variants():
    """The same images under four preprocessings."""
    pixels = digits_pixels() * 16.0  # scikit-learn's raw intensities, 0 … 16
    return {
        "raw, 0 … 16": pixels,
        "scaled to [0, 1]": pixels / 16.0,
        "centred, [0, 1] scale": pixels / 16.0 - (pixels / 16.0).mean(axis=0),
        "standardised": standardise(pixels),
    }


def _run(inputs, rate, seed):
    targets = networks.one_hot(digits_labels())
    network = networks.init_network(np.random.default_rng(seed), [64, HIDDEN, 10],
                                    weights="glorot_uniform", bias_std=0.0, hidden="tanh",
                                    output="softmax")

    _, _, losses = networks.train_sgd(network, inputs, targets,
                                      np.random.default_rng(100 + seed), EPOCHS, BATCH, rate,
                                      record=lambda net: networks.cost(net, inputs, targets))
    return np.arange(EPOCHS + 1), np.array(losses)


@functools.lru_cache(maxsize=1)
def standardisation_runs():
    """For each preprocessing: the best learning rate on seed 0 (lowest final loss), and the
    loss curves at that rate for every seed."""
    results = {}
    for label, inputs in variants().items():
        finals = {rate: _run(inputs, rate, SEEDS[0])[1][-1] for rate in RATES}
        best = min(finals, key=lambda rate: finals[rate] if np.isfinite(finals[rate]) else np.inf)
        curves = [_run(inputs, best, seed) for seed in SEEDS]
        results[label] = {"rate": best, "epochs": curves[0][0],
                          "losses": np.array([c[1] for c in curves]),
                          "same_sign": same_sign_share(inputs)}
    return results


# --8<-- [start:input-standardisation]
@figure("input-standardisation", data=standardisation_runs,
        alt="Training loss against epochs for the same small tanh network on digit images "
            "under four preprocessings, each at its own best learning rate. Standardised and "
            "centred inputs reach a low loss fastest; raw intensities from 0 to 16 are "
            "slowest.",
        caption=f"Training loss (cross-entropy) of a 64–{HIDDEN}–10 tanh network (Xavier "
                f"initialisation, mini-batches of {BATCH}) on the digits under four "
                f"preprocessings, each at its best learning rate from {RATES} (chosen on seed "
                f"0). Lines: mean over {len(SEEDS)} seeds; bands: min to max.",
        shows=("snippets/core/preprocessing.py:standardise", "snippets/core/networks.py:train_sgd"))
def input_standardisation(runs):
    fig, ax = style.new_figure()
    for color, (label, run) in zip(style.colors(), runs.items()):
        losses = run["losses"]
        ax.fill_between(run["epochs"], losses.min(axis=0), losses.max(axis=0), color=color,
                        alpha=0.15, lw=0)
        ax.plot(run["epochs"], losses.mean(axis=0), "o-", ms=3, color=color,
                label=f"{label} (η = {run['rate']:g})")
    ax.set(yscale="log", xlabel="epoch", ylabel="training loss")
    ax.legend(loc="upper right", fontsize=8.5)
    return fig
# --8<-- [end:input-standardisation]


@quoted("standardisation-table")
def _table():
    rows = []
    for label, run in standardisation_runs().items():
        final = run["losses"][:, -1]
        rows.append(f"| {label} | {100 * run['same_sign']:.0f} % | {run['rate']:g} | "
                    f"{final.mean():.3f} ± {final.std(ddof=1):.3f} |")
    return "\n".join(["| inputs | examples whose non-zero inputs share one sign | best η "
                      f"| loss after {EPOCHS} epochs (mean ± sd, {len(SEEDS)} seeds) |",
                      "|---|---:|---:|---:|", *rows])
