"""Figures and numbers about sparse and dead ReLU units: figure 1.6 of chapter 1
(why-relu-works.md). The activation-cost table is in activation_cost.py."""

import numpy as np

from snippets.core.data import digits_pixels
from snippets.experiments.why_relu_works.dying_unit import (
    LEARNING_RATE,
    SEED,
    SLOPES,
    SPARSITY_SEEDS,
    STEPS,
    dying_unit_runs,
    first_active_step,
    layer_sparsity,
)
from snippets.figures import style
from snippets.figures.registry import figure, quoted


# --8<-- [start:dying-unit-revival]
@figure("dying-unit-revival", experiment=dying_unit_runs,
        alt=f"Fraction of digit images on which a single unit is active, over {STEPS} gradient "
            f"descent steps. The ReLU unit stays at exactly 0 for the whole run. Leaky units with "
            f"slopes {SLOPES[2]:g} and {SLOPES[1]:g} start at 0 too, then become active on almost "
            f"every image, the "
            "larger slope after far fewer steps.",
        caption=f"A unit whose weights all start negative, on non-negative inputs (all digit "
                f"images, pixels in [0, 1]), trained by gradient descent (learning rate "
                f"{LEARNING_RATE}, "
                f"seed {SEED}). With ReLU its gradient is exactly zero and it never moves; with "
                f"leaky ReLU the small negative-side slope carries a gradient that revives it.",
        shows=("snippets/core/relu_unit.py:train_single_unit",
               "snippets/core/relu_unit.py:dying_unit_experiment"))
def dying_unit_revival(runs):
    """Share of images on which each unit is active, per step (figure 1.6)."""
    fig, ax = style.new_figure()
    rising = []
    for color, (slope, (_, _, active)) in zip(style.colors(), sorted(runs.items())):
        label = "ReLU" if slope == 0 else f"leaky ReLU, a = {slope:g}"
        # The leaky units start dead too, on the ReLU's line: ReLU is drawn dashed on top.
        line, = ax.plot(np.arange(len(active)), active, color=color, label=label,
                        **({"ls": "--", "lw": 2.6, "zorder": 3} if slope == 0 else {}))
        if slope == 0:
            style.label_line_ends(ax, [line])
        else:
            rising.append((active, line))
    # The leaky units all end near 1, where labels would say nothing: each is labelled where
    # it rises, the first to rise on its right at 2/3, the others on their left at 1/3.
    rising.sort(key=lambda pair: int(np.argmax(pair[0] >= 0.5)))
    for order, (active, line) in enumerate(rising):
        level = 2 / 3 if order == 0 else 1 / 3
        side = 1 if order == 0 else -1
        label = line.get_label().replace(", ", ",\n") if style.narrow() else line.get_label()
        ax.annotate(label, (int(np.argmax(active >= level)), level),
                    xytext=(8 * side, 0), textcoords="offset points", va="center",
                    ha="left" if side > 0 else "right", color=line.get_color())
    ax.set(xlabel="gradient-descent step", ylabel="share of images with z > 0",
           ylim=(-0.03, 1.03))
    return fig
# --8<-- [end:dying-unit-revival]


@quoted("dead-relu-weights-moved")
def _relu_moved():
    weights, biases, _ = dying_unit_runs()[0.0]
    moved = np.max(np.abs(weights - weights[0])) + np.max(np.abs(biases - biases[0]))
    return f"{moved:g}"


@quoted("leaky-001-revival-step")
def _revival_001():
    return str(first_active_step(0.01))


@quoted("leaky-01-revival-step")
def _revival_01():
    return str(first_active_step(0.1))


@quoted("relu-layer-sparsity")
def _sparsity():
    shares = layer_sparsity()
    return (f"{100 * np.mean(shares):.1f} % (± {100 * np.std(shares, ddof=1):.1f} % over "
            f"{SPARSITY_SEEDS} seeds)")


@quoted("digit-count")
def _digit_count():
    return str(digits_pixels().shape[0])


@quoted("dying-unit-steps")
def _dying_unit_steps():
    return str(STEPS)
