"""Figures and numbers about sparse and dead ReLU units, and activation cost (chapter 1)."""

import functools

import numpy as np

from snippets import dead_units
from snippets.cost import activation_costs
from snippets.data import digits_pixels
from snippets.figures import style
from snippets.figures.registry import figure, quoted

SEED = 0
SPARSITY_SEEDS = tuple(range(10))
HIDDEN_UNITS = 256
STEPS = 800
LEARNING_RATE = 0.1


@functools.lru_cache(maxsize=1)
def dying_unit_runs():
    return dead_units.dying_unit_experiment(np.random.default_rng(SEED), digits_pixels(),
                                            steps=STEPS, learning_rate=LEARNING_RATE)


# --8<-- [start:dying-unit-revival]
@figure("dying-unit-revival", data=dying_unit_runs,
        alt=f"Fraction of digit images on which a single unit is active, over {STEPS} gradient "
            f"descent steps. The ReLU unit stays at exactly 0 for the whole run. Leaky units with "
            f"slopes 0.1 and 0.01 start at 0 too, then become active on almost every image, the "
            "larger slope after far fewer steps.",
        caption=f"A unit whose weights all start negative, on non-negative inputs (all digit "
                f"images, pixels in [0, 1]), trained by gradient descent (learning rate "
                f"{LEARNING_RATE}, "
                f"seed {SEED}). With ReLU its gradient is exactly zero and it never moves; with "
                f"leaky ReLU the small negative-side slope carries a gradient that revives it.",
        shows=("snippets/dead_units.py:train_single_unit",
               "snippets/dead_units.py:dying_unit_experiment"))
def dying_unit_revival(runs):
    fig, ax = style.new_figure()
    for color, (slope, (_, _, active)) in zip(style.colors(), sorted(runs.items())):
        label = "ReLU" if slope == 0 else f"leaky ReLU, a = {slope:g}"
        ax.plot(np.arange(len(active)), active, color=color, label=label)
    ax.set(xlabel="gradient-descent step", ylabel="share of images with z > 0",
           ylim=(-0.03, 1.03))
    ax.legend(loc="center right")
    return fig
# --8<-- [end:dying-unit-revival]


def _first_step_active(slope):
    active = dying_unit_runs()[slope][2]
    return int(np.argmax(active > 0)) if np.any(active > 0) else None


@quoted("dead-relu-weights-moved")
def _relu_moved():
    weights, biases, _ = dying_unit_runs()[0.0]
    moved = np.max(np.abs(weights - weights[0])) + np.max(np.abs(biases - biases[0]))
    return f"{moved:g}"


@quoted("leaky-001-revival-step")
def _revival_001():
    return str(_first_step_active(0.01))


@quoted("leaky-01-revival-step")
def _revival_01():
    return str(_first_step_active(0.1))


@quoted("relu-layer-sparsity")
def _sparsity():
    pixels = digits_pixels()
    shares = [dead_units.relu_layer_sparsity(
        pixels, *dead_units.he_normal_layer(np.random.default_rng(seed), pixels.shape[1],
                                            HIDDEN_UNITS)) for seed in SPARSITY_SEEDS]
    return (f"{100 * np.mean(shares):.1f} % (± {100 * np.std(shares, ddof=1):.1f} % over "
            f"{len(SPARSITY_SEEDS)} seeds)")


# --8<-- [start:activation-cost-table]
@quoted("activation-cost-table")
def _cost_table():
    costs = activation_costs(np.random.default_rng(SEED))
    baseline = costs["ReLU, max(0, x)"]
    rows = [f"| {name} | {nanoseconds:.2f} | {nanoseconds / baseline:.1f}× |"
            for name, nanoseconds in costs.items()]
    return "\n".join(["| activation | ns per element | relative to ReLU |",
                      "|---|---:|---:|", *rows])
# --8<-- [end:activation-cost-table]


@quoted("digit-count")
def _digit_count():
    return str(digits_pixels().shape[0])


@quoted("dying-unit-steps")
def _dying_unit_steps():
    return str(len(dying_unit_runs()[0.0][2]) - 1)
