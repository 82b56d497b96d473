"""Figure 5.3 of chapter 5 (edge-of-chaos.md): gradients scale like χ₁^L."""

import numpy as np

from snippets.core.activations import ACTIVATIONS
from snippets.experiments.edge_of_chaos.gradient_scaling import (
    BIAS_VARIANCE,
    DEPTH,
    EXAMPLES,
    MULTIPLES,
    SEEDS,
    WIDTH,
    gradient_norms,
    measured_slope,
)
from snippets.figures import style
from snippets.figures.registry import figure, quoted


def _gaps(runs):
    """|mean measured slope − predicted ln χ₁| and the seeds' standard deviation, per setting."""
    slopes = [measured_slope(logs) for *_, logs in runs]
    return (np.array([abs(s.mean() - predicted) for s, (_, _, predicted, _) in zip(slopes, runs)]),
            np.array([s.std(ddof=1) for s in slopes]))


# --8<-- [start:gradient-scaling]
@figure("gradient-scaling", experiment=gradient_norms,
        alt=lambda runs: (
            f"Two panels. Left: the logarithm of the squared back-propagated error against "
            f"the number of layers below the top, for tanh networks at {len(MULTIPLES)} weight "
            f"variances; "
            f"measured points follow the predicted straight lines, falling below the critical "
            f"value, level on it, rising above it. Right: measured against predicted "
            f"per-layer slope for tanh, ReLU and sigmoid networks, {len(runs)} settings, all "
            f"on the diagonal within {_gaps(runs)[0].max():.3f}."),
        caption=f"Left: $\\ln \\|\\delta^l\\|^2$ relative to the top layer in random "
                f"tanh networks ($\\sigma_b^2 = {BIAS_VARIANCE['tanh']}$, width {WIDTH}, "
                f"depth {DEPTH}, {EXAMPLES} inputs, mean of {SEEDS} seeds; dots) and the "
                f"mean-field prediction $(L - l)\\ln\\chi_1$ (lines). Right: the per-layer slope "
                f"fitted to each seed (mean ± one standard deviation) against $\\ln\\chi_1$, "
                f"for $\\sigma_w^2$ at {', '.join(f'{m:g}' for m in MULTIPLES[:-1])} and "
                f"{MULTIPLES[-1]:g} times each activation's critical value.",
        shows=("snippets/core/mean_field.py:fixed_point", "snippets/core/mean_field.py:simulate"))
def gradient_scaling(runs):
    """Measured ln‖δ^l‖² against the χ₁^L prediction (left), slopes for all settings (right)."""
    fig, (left, right) = style.new_figure(style.DOUBLE, panels=2)
    colors = style.colors()
    below_top = np.arange(DEPTH + 1)[::-1]
    tanh_runs = [run for run in runs if run[0] == "tanh"]
    ends = []
    for color, (_, weight_variance, predicted, logs) in zip(colors, tanh_runs):
        relative = (logs - logs[:, -1:]).mean(axis=0)
        left.plot(below_top, relative, "o", ms=3, color=color)
        left.plot(below_top, below_top * predicted, color=color, lw=1.3)
        # The lines run from the top (L − l = 0) down: label each at its deepest point.
        ends.append((f"$\\sigma_w^2 = {weight_variance:.2f}$", (DEPTH, DEPTH * predicted), color))
    left.set(xlabel="layers below the top, L − l",
             ylabel="$\\ln \\|\\delta^l\\|^2 - \\ln \\|\\delta^L\\|^2$")
    style.label_line_ends(left, ends)
    markers = {"tanh": "o", "relu": "s", "sigmoid": "^"}
    for color, name in zip(colors, BIAS_VARIANCE):
        points = [run for run in runs if run[0] == name]
        slopes = [measured_slope(logs) for *_, logs in points]
        right.errorbar([p[2] for p in points], [s.mean() for s in slopes],
                       yerr=[s.std(ddof=1) for s in slopes], fmt=markers[name], ms=5,
                       color=color, label=ACTIVATIONS[name].label)
    reach = max(abs(run[2]) for run in runs) * 1.1
    right.plot([-reach, reach], [-reach, reach], color=style.muted(), lw=0.8, ls="--")
    right.set(xlabel="predicted $\\ln \\chi_1$", ylabel="measured slope per layer")
    right.legend(loc="upper left", handlelength=1.0, handletextpad=0.4, borderaxespad=0.2)
    return fig
# --8<-- [end:gradient-scaling]


@quoted("gradient-slope-largest-gap")
def _largest_gap():
    return f"{_gaps(gradient_norms())[0].max():.3f}"


@quoted("gradient-slope-seed-spread")
def _spread():
    return f"{_gaps(gradient_norms())[1].max():.3f}"


@quoted("gradient-scaling-seeds")
def _seeds():
    return str(SEEDS)


@quoted("gradient-scaling-settings")
def _settings():
    return str(len(BIAS_VARIANCE) * len(MULTIPLES))


@quoted("gradient-scaling-weight-variances")
def _weight_variances():
    return str(len(MULTIPLES))


@quoted("gradient-scaling-width")
def _width():
    return str(WIDTH)
