"""Figures and numbers on ReLU units killed by a large negative bias (chapter 2)."""

import functools

import numpy as np

from snippets.core import relu_unit
from snippets.core.data import digits_pixels
from snippets.figures import style
from snippets.figures.registry import figure, quoted

SEED = 0
STEPS = 300


@functools.lru_cache(maxsize=1)
def bias_sweep():
    """Share of digit images that activate one He-initialised ReLU unit, as its bias moves."""
    pixels = digits_pixels()
    rng = np.random.default_rng(SEED)
    weights = rng.normal(0.0, np.sqrt(2.0 / pixels.shape[1]), size=pixels.shape[1])
    scores = pixels @ weights
    biases = np.linspace(-scores.max() - 1.0, -scores.min() + 1.0, 400)
    return {"biases": biases, "active": relu_unit.active_share_by_bias(pixels, weights, biases),
            "threshold": -scores.max(), "weights": weights}


# --8<-- [start:dead-relu-by-bias]
@figure("dead-relu-by-bias", data=bias_sweep,
        alt="Share of digit images on which a ReLU unit is active, as its bias goes from "
            "strongly negative to positive. The curve rises from 0 to 1; to the left of a "
            "marked threshold it is exactly 0, the shaded region where the unit is dead.",
        caption=f"One ReLU unit with He-initialised weights (seed {SEED}) on all digit "
                f"images: share of images with $w \\cdot x + b > 0$ as the bias $b$ varies. Left "
                f"of $b = -\\max_x w \\cdot x$ (shaded) the unit is inactive on every image, "
                f"so its output and every gradient are exactly 0.",
        shows=("snippets/core/relu_unit.py:active_share_by_bias",))
def dead_relu_by_bias(sweep):
    fig, ax = style.new_figure()
    ax.axvspan(sweep["biases"][0], sweep["threshold"], color=style.muted(), alpha=0.15, lw=0)
    ax.plot(sweep["biases"], sweep["active"], color=style.colors()[0])
    ax.axvline(sweep["threshold"], color=style.muted(), ls="--", lw=1)
    ax.text(sweep["threshold"] - 0.1, 0.5, "dead:\nno gradient", ha="right", color=style.muted())
    ax.set(xlabel="bias b", ylabel="share of images with z > 0", ylim=(-0.03, 1.03),
           xlim=(sweep["biases"][0], sweep["biases"][-1]))
    return fig
# --8<-- [end:dead-relu-by-bias]


@functools.lru_cache(maxsize=1)
def dead_bias_training():
    """Gradient descent on a unit whose bias starts just inside the dead zone."""
    sweep = bias_sweep()
    pixels = digits_pixels()
    return relu_unit.train_single_unit(pixels, pixels.mean(axis=1), sweep["weights"],
                                        sweep["threshold"] - 0.5, steps=STEPS)


@quoted("dead-bias-threshold")
def _threshold():
    return f"{bias_sweep()['threshold']:.2f}"


@quoted("dead-bias-steps")
def _steps():
    return str(STEPS)


@quoted("dead-bias-parameter-change")
def _change():
    weights, biases, _ = dead_bias_training()
    return f"{np.max(np.abs(weights - weights[0])) + np.max(np.abs(biases - biases[0])):g}"
