"""Figures and numbers about the shapes of σ, tanh, ReLU and leaky ReLU: figures 1.1, 1.2, 1.4
and 1.5 of chapter 1 (why-relu-works.md)."""

import numpy as np

from snippets.core import activations as act
from snippets.experiments.why_relu_works.activation_curves import (
    LEAKY_SLOPE_SHOWN,
    activation_curves,
)
from snippets.figures import style
from snippets.figures.registry import figure, quoted

Z_LIMIT = 8          # the figures show pre-activations z in [−Z_LIMIT, Z_LIMIT]
SATURATED_FROM = 4   # |z| beyond which figure 1.1 shades σ and tanh as saturated


# --8<-- [start:sigmoid-tanh-saturation]
@figure("sigmoid-tanh-saturation", experiment=activation_curves,
        alt=f"Two S-shaped curves on z from −{Z_LIMIT} to {Z_LIMIT}: the sigmoid rises from 0 "
            f"to 1 and tanh from −1 to 1. Both are steep only in a narrow band around z = 0 and "
            f"flat outside roughly |z| > {SATURATED_FROM}, the shaded saturation regions.",
        caption=f"The sigmoid $\\sigma$ and $\\tanh$ saturate: for $|z| > {SATURATED_FROM}$ "
                f"(shaded) both are nearly flat, so a change of input barely changes the "
                f"output.",
        shows=("snippets/core/activations.py:sigmoid", "snippets/core/activations.py:tanh"))
def sigmoid_tanh_saturation(curves):
    """σ and tanh with their saturated regions shaded (figure 1.1)."""
    fig, axes = style.new_figure(style.DOUBLE, panels=2)
    panels = [("sigmoid", r"$\sigma(z)$", (0.0, 1.0)), ("tanh", r"$\tanh(z)$", (-1.0, 1.0))]
    for ax, color, (key, label, limits) in zip(axes, style.colors(), panels):
        for side in (-1, 1):
            ax.axvspan(SATURATED_FROM * side, Z_LIMIT * side, color=style.muted(), alpha=0.12, lw=0)
        for level in limits:
            ax.axhline(level, color=style.muted(), lw=0.8, ls=":")
        ax.plot(curves["z"], curves[key], color=color)
        ax.set(title=label, xlabel="pre-activation z", xlim=(-Z_LIMIT, Z_LIMIT))
    # Upright, the word is wider than the shaded band; turned, it fits inside it.
    middle = (SATURATED_FROM + Z_LIMIT) / 2
    axes[0].text(middle, 0.5, "saturated", ha="center", va="center", rotation=90,
                 color=style.muted())
    axes[1].text(-middle, 0.0, "saturated", ha="center", va="center", rotation=90,
                 color=style.muted())
    return fig
# --8<-- [end:sigmoid-tanh-saturation]


# --8<-- [start:activation-derivatives]
@figure("activation-derivatives", experiment=activation_curves,
        alt=lambda curves: (
            f"Two bell-shaped curves: the derivative of the sigmoid peaks at "
            f"{curves['sigmoid_peak'][1]:.2f} and the derivative of tanh at "
            f"{curves['tanh_peak'][1]:.2f}, both at z = 0; both fall towards 0 for large |z|."),
        caption="$\\sigma'$ never exceeds $1/4$ and $\\tanh'$ never exceeds 1; both peak at "
                "$z = 0$ (dots, located by grid search) and decay like $e^{-|z|}$ and "
                "$4e^{-2|z|}$.",
        shows=("snippets/core/activations.py:sigmoid", "snippets/core/activations.py:tanh",
               "snippets/core/activations.py:derivative_peak"))
def activation_derivatives(curves):
    """σ′ and tanh′ with their grid-searched maxima (figure 1.2)."""
    fig, ax = style.new_figure()
    first, second = style.colors()[:2]
    maxima = []
    for key, label, color in [("sigmoid", "σ′(z) = σ(z)(1 − σ(z))", first),
                              ("tanh", "tanh′(z) = 1 − tanh²(z)", second)]:
        ax.plot(curves["z"], curves[f"{key}_derivative"], color=color, label=label)
        peak_x, peak = curves[f"{key}_peak"]
        ax.plot([peak_x], [peak], "o", color=color)
        # A dotted guide carries each maximum to its label in the right margin, off the curves.
        ax.plot([peak_x, Z_LIMIT], [peak, peak], ":", lw=1, color=color)
        maxima.append((f"max {peak:.2f}", (Z_LIMIT, peak), color))
    ax.set(xlabel="pre-activation z", ylabel="derivative", xlim=(-Z_LIMIT, Z_LIMIT), ylim=(0, 1.1))
    style.label_line_ends(ax, maxima)
    if style.narrow():
        style.legend(ax)
    else:  # inside the axes, the key would sit on the tanh′ curve's flank
        fig.legend(loc="outside upper center", ncols=2)
    return fig
# --8<-- [end:activation-derivatives]


def _step_plot(ax, x, y, color):
    # Draw a piecewise function with its jump at 0 left open instead of a vertical line.
    ax.plot(x[x < 0], y[x < 0], color=color)
    ax.plot(x[x > 0], y[x > 0], color=color)


# --8<-- [start:relu-and-derivative]
@figure("relu-and-derivative", experiment=activation_curves,
        alt="Left: ReLU is 0 for negative z and equals z for positive z. Right: its derivative "
            "is a step, 0 for negative z and 1 for positive z, with the value at 0 a choice.",
        caption="ReLU (left) and its derivative (right): the gradient is exactly 1 for every "
                "positive input and exactly 0 for every negative one. At 0 any value in "
                "[0, 1] is a valid subgradient; we use 0 (open and filled dots).",
        shows=("snippets/core/activations.py:relu",))
def relu_and_derivative(curves):
    """ReLU and its step derivative (figure 1.4)."""
    fig, (left, right) = style.new_figure(style.DOUBLE, panels=2)
    color = style.colors()[0]
    left.plot(curves["z"], curves["relu"], color=color)
    left.set(title="ReLU(z) = max(0, z)", xlabel="pre-activation z", xlim=(-Z_LIMIT, Z_LIMIT))
    _step_plot(right, curves["z"], curves["relu_derivative"], color)
    right.plot([0], [1], "o", mfc="none", color=color)
    right.plot([0], [0], "o", color=color)
    right.set(title="ReLU′(z)", xlabel="pre-activation z", xlim=(-Z_LIMIT, Z_LIMIT),
              ylim=(-0.1, 1.2))
    return fig
# --8<-- [end:relu-and-derivative]


# --8<-- [start:leaky-relu-and-derivative]
@figure("leaky-relu-and-derivative", experiment=activation_curves,
        alt=f"Left: leaky ReLU with slope {LEAKY_SLOPE_SHOWN:g} is a line of slope "
            f"{LEAKY_SLOPE_SHOWN:g} for negative z and the identity for positive z. Right: its "
            f"derivative is {LEAKY_SLOPE_SHOWN:g} for negative z and 1 for "
            "positive z, never zero.",
        caption=f"Leaky ReLU, drawn with slope $a = {LEAKY_SLOPE_SHOWN:g}$ so the negative side "
                "is visible (the common default is $a = 0.01$). Its derivative is $a$, not 0, "
                "for negative inputs.",
        shows=("snippets/core/activations.py:leaky_relu",))
def leaky_relu_and_derivative(curves):
    """Leaky ReLU and its derivative, never zero (figure 1.5)."""
    fig, (left, right) = style.new_figure(style.DOUBLE, panels=2)
    color, reference = style.colors()[0], style.muted()
    left.plot(curves["z"], curves["relu"], color=reference, lw=1, ls="--", label="ReLU")
    left.plot(curves["z"], curves["leaky_relu"], color=color,
              label=f"leaky ReLU, a = {LEAKY_SLOPE_SHOWN:g}")
    left.set(title="max(z, a·z)", xlabel="pre-activation z", xlim=(-Z_LIMIT, Z_LIMIT))
    left.legend(loc="upper left")
    _step_plot(right, curves["z"], curves["leaky_relu_derivative"], color)
    right.axhline(0, color=reference, lw=1, ls="--")
    right.set(title="derivative", xlabel="pre-activation z", xlim=(-Z_LIMIT, Z_LIMIT),
              ylim=(-0.1, 1.2))
    right.annotate(f"a = {LEAKY_SLOPE_SHOWN:g}: gradient never vanishes", (-4, LEAKY_SLOPE_SHOWN),
                   xytext=(-7.5, 0.45),
                   arrowprops={"arrowstyle": "->", "color": reference}, color=color)
    return fig
# --8<-- [end:leaky-relu-and-derivative]


@quoted("sigmoid-derivative-max")
def _sigmoid_derivative_max():
    return f"{activation_curves()['sigmoid_peak'][1]:.4g}"


@quoted("tanh-derivative-max")
def _tanh_derivative_max():
    return f"{activation_curves()['tanh_peak'][1]:.4g}"


@quoted("sigmoid-rounds-to-one-float64")
def _rounds_to_one_64():
    return f"{act.saturation_onset(np.float64):.1f}"


@quoted("sigmoid-rounds-to-one-float32")
def _rounds_to_one_32():
    return f"{act.saturation_onset(np.float32):.1f}"


@quoted("sigmoid-at-4")
def _sigmoid_at_4():
    return f"{float(act.sigmoid(4.0)):.3f}"


@quoted("sigmoid-derivative-at-4")
def _sigmoid_derivative_at_4():
    return f"{float(act.sigmoid_derivative(4.0)):.4f}"


@quoted("sigmoid-peak-over-slope-at-4")
def _peak_over_slope_at_4():
    return f"{float(act.sigmoid_derivative(0.0) / act.sigmoid_derivative(4.0)):.0f}"
