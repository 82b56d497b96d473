"""Figure 6.1 of chapter 6 (residual-and-normalisation.md): the squared gradient per layer in
plain and residual networks at initialisation, simulated and predicted."""

import math

import numpy as np

from snippets.experiments.residual_and_normalisation.residual_gradients import (
    DEPTH,
    EXAMPLES,
    SCAN_DEPTHS,
    SEEDS,
    VARIANTS,
    WEIGHT_VARIANCE,
    WIDTH,
    depth_scan,
    gradient_profiles,
)
from snippets.figures import style
from snippets.figures.registry import figure, quoted

LABELS = {"plain": "plain", "residual": "α = 1", "scaled": "α = 1/√L"}
TITLES = {"tanh": "tanh, $\\sigma_w^2 = 1/3$", "relu": "ReLU, $\\sigma_w^2 = 1$"}


def largest_gap(profiles):
    """max over settings of |seed mean − prediction| of ln‖δx^1‖²/‖δx^L‖² (layer 1)."""
    return max(abs(p["measured"][:, 0].mean() - p["predicted"][0]) for p in profiles.values())


# --8<-- [start:residual-gradients]
@figure("residual-gradients", experiment=gradient_profiles,
        alt=lambda profiles: (
            f"Two panels, tanh and ReLU networks {DEPTH} layers deep: the natural logarithm of "
            f"the squared gradient against the number of layers below the top. Plain networks "
            f"fall on straight lines to about {profiles['tanh', 'plain']['predicted'][0]:.0f} "
            f"(tanh) and {profiles['relu', 'plain']['predicted'][0]:.0f} (ReLU); residual "
            f"networks with branch scale one rise, slowly for tanh and along a straight line "
            f"for ReLU; with branch scale one over the square root of the depth they stay "
            f"near zero. "
            f"Measured points lie on the predicted lines."),
        caption=f"$\\ln(\\|\\delta x^l\\|^2 / \\|\\delta x^L\\|^2)$ in random "
                f"networks of width {WIDTH} and depth $L = {DEPTH}$ without biases ({EXAMPLES} "
                f"inputs, mean of {SEEDS} seeds; dots, every fifth layer) and the mean-field "
                f"prediction (lines): plain networks, and residual ones with branch scale "
                f"$\\alpha$. With $\\alpha = 0$ (ReZero, SkipInit) the gradient is the "
                f"same in every layer (dotted).",
        shows=("snippets/core/deep_networks.py:residual_mean_field",))
def residual_gradients(profiles):
    """ln of the squared stream error relative to the top, per variant, for tanh and ReLU."""
    fig, axes = style.new_figure(style.DOUBLE, panels=2)
    below_top = np.arange(DEPTH)[::-1]           # layer l = 1 … L is L − l below the top
    for ax, activation in zip(axes, WEIGHT_VARIANCE):
        ends = []
        for color, (name, *_) in zip(style.colors(), VARIANTS):
            run = profiles[activation, name]
            ax.plot(below_top, run["predicted"], color=color, lw=1.4)
            ax.plot(below_top[::5], run["measured"].mean(axis=0)[::5], "o", ms=3, color=color)
            ends.append((LABELS[name], (DEPTH - 1, run["predicted"][0]), color))
        ax.plot([0, DEPTH - 1], [0, 0], color=style.muted(), lw=1.0, ls=":")
        ends.append(("α = 0", (DEPTH - 1, 0.0), style.muted()))
        ax.set(title=TITLES[activation], xlabel="layers below the top, $L - l$",
               ylabel="$\\ln \\|\\delta x^l\\|^2 - \\ln \\|\\delta x^L\\|^2$")
        style.label_line_ends(ax, ends)
    return fig
# --8<-- [end:residual-gradients]


@quoted("residual-depth")
def _depth():
    return str(DEPTH)


@quoted("residual-width")
def _width():
    return str(WIDTH)


@quoted("residual-seeds")
def _seeds():
    return str(SEEDS)


@quoted("residual-largest-gap")
def _gap():
    return f"{largest_gap(gradient_profiles()):.2f}"


def _decades(activation, name):
    return -gradient_profiles()[activation, name]["predicted"][0] / math.log(10)


@quoted("plain-tanh-decades")
def _plain_tanh():
    return f"{_decades('tanh', 'plain'):.0f}"


@quoted("plain-relu-decades")
def _plain_relu():
    return f"{_decades('relu', 'plain'):.0f}"


@quoted("residual-relu-decades")
def _residual_relu():
    return f"{-_decades('relu', 'residual'):.0f}"


@quoted("residual-tanh-factor")
def _residual_tanh():
    return f"{math.exp(gradient_profiles()['tanh', 'residual']['predicted'][0]):.0f}"


@quoted("scaled-factors")
def _scaled():
    profiles = gradient_profiles()
    return " and ".join(f"{math.exp(profiles[a, 'scaled']['predicted'][0]):.2f}"
                        for a in WEIGHT_VARIANCE)


@quoted("scan-depths")
def _scan_depths():
    return ", ".join(str(d) for d in SCAN_DEPTHS[:-1]) + f" and {SCAN_DEPTHS[-1]}"


def _scan_row(activation, name, digits=1):
    return ", ".join(f"{v:.{digits}f}" for v in depth_scan()[activation, name])


@quoted("scan-tanh-residual")
def _scan_tanh():
    return _scan_row("tanh", "residual")


@quoted("scan-relu-residual")
def _scan_relu():
    return _scan_row("relu", "residual", 0)


@quoted("scan-scaled")
def _scan_scaled():
    return _scan_row("relu", "scaled", 3)


@quoted("scan-tanh-ratio")
def _scan_ratio():
    scan = depth_scan()["tanh", "residual"]
    return f"{scan[-1] / scan[-2]:.2f}"


@quoted("scan-ratio-depths")
def _scan_ratio_depths():
    return f"{SCAN_DEPTHS[-2]} to {SCAN_DEPTHS[-1]}"


@quoted("residual-log-range")
def _log_range():
    """The largest |predicted ln G| of any setting, at the first layer."""
    return f"{max(abs(p['predicted'][0]) for p in gradient_profiles().values()):.0f}"
