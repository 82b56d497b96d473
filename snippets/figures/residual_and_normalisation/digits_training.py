"""Figure 6.5 of chapter 6 (residual-and-normalisation.md): deep networks on the digits."""

import numpy as np

from snippets.experiments.residual_and_normalisation.digits_training import (
    BATCH_SIZE,
    DEPTH,
    EPOCHS,
    LEARNING_RATE,
    SEEDS,
    VARIANTS,
    WIDTH,
    trained_variants,
)
from snippets.figures import style
from snippets.figures.registry import figure, quoted

NAMES = [name for name, *_ in VARIANTS]


# --8<-- [start:deep-digits-training]
@figure("deep-digits-training", experiment=trained_variants,
        alt=lambda results: (
            f"Two panels for {len(VARIANTS)} kinds of tanh network {DEPTH} layers deep. Left: "
            f"the speed of learning of each hidden layer at initialisation on a logarithmic "
            f"axis; the plain network's falls by about "
            f"{np.log10(_ratio(results, 'plain')):.0f} powers of ten from the last hidden "
            f"layer to the first, the others' change by a factor of at most "
            f"{max(max(_ratio(results, n), 1 / _ratio(results, n)) for n in NAMES[1:]):.0f}. "
            f"Right: "
            f"held-out accuracy after training: the plain network stays at chance, "
            f"{results['plain']['accuracy'].mean():.2f}; the residual and normalised ones "
            f"reach between {min(results[n]['accuracy'].mean() for n in NAMES[2:]):.2f} and "
            f"{max(results[n]['accuracy'].mean() for n in NAMES[2:]):.2f}."),
        caption=f"Tanh networks of {DEPTH} hidden layers of width {WIDTH} on the 8×8 digits. "
                f"Left: chapter 2's speed of learning $\\lVert\\partial C/\\partial b^l\\rVert$ "
                f"at initialisation (geometric mean over {SEEDS} seeds). Right: accuracy on "
                f"the 797 held-out digits after {EPOCHS} epochs of SGD (batch {BATCH_SIZE}, "
                f"learning rate {LEARNING_RATE}), each seed a dot; the colours of the "
                f"names key both panels. Every variant but the "
                f"second starts from Glorot & Bengio's standard scale $\\sigma_w^2 = 1/3$; "
                f"the second from tanh's critical scale $\\sigma_w^2 = 1$ (chapter 5).",
        shows=("snippets/core/deep_networks.py:train_sgd",))
def deep_digits_training(results):
    """Speeds of learning per layer at initialisation (left), held-out accuracy (right)."""
    fig, (left, right) = style.new_figure(style.DOUBLE, panels=2)
    layers = np.arange(1, DEPTH + 1)
    for color, name in zip(style.colors(), NAMES):
        speeds = np.exp(np.log(results[name]["speeds"]).mean(axis=0))
        left.plot(layers, speeds, color=color, lw=1.5, label=name,
                  ls="--" if "layer norm" in name else "-")
        accuracy = results[name]["accuracy"]
        row = NAMES.index(name)
        right.plot(accuracy, np.full(accuracy.shape, row), "o", ms=5, color=color,
                   alpha=0.85)
    left.set(yscale="log", xlabel="hidden layer $l$",
             ylabel="$\\|\\partial C/\\partial b^l\\|$")
    right.set(xlim=(0, 1), xlabel="held-out accuracy", ylim=(len(NAMES) - 0.5, -0.5))
    right.set_yticks(range(len(NAMES)), NAMES)
    # The tick labels, each in its line's colour, are the key to both panels.
    for color, label in zip(style.colors(), right.get_yticklabels()):
        label.set_color(color)
    right.grid(axis="y", visible=False)
    return fig
# --8<-- [end:deep-digits-training]


def _ratio(results, name):
    """Geometric-mean speed of the last hidden layer over the first."""
    speeds = np.exp(np.log(results[name]["speeds"]).mean(axis=0))
    return speeds[-1] / speeds[0]


def _accuracy(name):
    accuracy = trained_variants()[name]["accuracy"]
    return f"{accuracy.mean():.2f} ± {accuracy.std(ddof=1):.2f}"


@quoted("digits-accuracy-table")
def _table():
    from snippets.figures.formatting import markdown_table
    results = trained_variants()
    rows = [[name, f"{_ratio(results, name):.2g}",
             f"{results[name]['costs'][:, -1].mean():.2f}", _accuracy(name)] for name in NAMES]
    return markdown_table(["network", "speed, last over first layer", "training cost, last "
                           "epoch", "held-out accuracy"], rows)


@quoted("digits-depth")
def _depth():
    return str(DEPTH)


@quoted("digits-seeds")
def _seeds():
    return str(SEEDS)


@quoted("digits-epochs")
def _epochs():
    return str(EPOCHS)


@quoted("digits-plain-ratio")
def _plain_ratio():
    """The plain network's last-over-first speed as TeX, m \\times 10^{e}."""
    exponent = int(np.floor(np.log10(_ratio(trained_variants(), "plain"))))
    mantissa = _ratio(trained_variants(), "plain") / 10 ** exponent
    return f"{mantissa:.1f} \\times 10^{{{exponent}}}"


@quoted("digits-width")
def _width():
    return str(WIDTH)
