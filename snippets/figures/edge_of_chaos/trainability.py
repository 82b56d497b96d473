"""Figure 5.5 of chapter 5 (edge-of-chaos.md): which random tanh networks train, against the
depth scales."""

import matplotlib.patheffects
import numpy as np

from snippets.experiments.edge_of_chaos import depth_scale as scales
from snippets.experiments.edge_of_chaos.trainability import (
    ACTIVATION,
    AWAY,
    BATCH_SIZE,
    BEYOND,
    BIAS_VARIANCE,
    CHANCE,
    DEPTHS,
    EPOCHS,
    FAILS,
    INSIDE,
    LEARNING_RATE,
    SEEDS,
    STEPS,
    TRAINABLE_MULTIPLE,
    TRAINING_EXAMPLES,
    TRAINS,
    WEIGHT_VARIANCES,
    WIDTH,
    trained_grid,
)
from snippets.figures import style
from snippets.figures.registry import figure, quoted

MULTIPLE = TRAINABLE_MULTIPLE


def _edges(centres):
    """Cell edges for log-spaced centres: geometric midpoints, the ends mirrored."""
    centres = np.log(np.asarray(centres, dtype=float))
    middle = (centres[1:] + centres[:-1]) / 2
    return np.exp(np.concatenate([[2 * centres[0] - middle[0]], middle,
                                  [2 * centres[-1] - middle[-1]]]))


def summary(result):
    """Mean and sample spread (ddof 1) of the held-out accuracy over seeds, (σ_w², depth)."""
    accuracy = result["accuracy"]
    return accuracy.mean(axis=-1), accuracy.std(axis=-1, ddof=1)


def _outlined(width):
    return [matplotlib.patheffects.withStroke(linewidth=width + 2.2, foreground="black")]


# --8<-- [start:trainability]
@figure("trainability", experiment=trained_grid,
        alt=lambda result: (
            f"Heat map of held-out accuracy of tanh networks on the digits over weight "
            f"variance ({WEIGHT_VARIANCES[0]:g} to {WEIGHT_VARIANCES[-1]:g}, logarithmic) and "
            f"depth ({DEPTHS[0]} to {DEPTHS[-1]} hidden layers, logarithmic). Shallow networks "
            f"reach about {summary(result)[0].max():.0%} everywhere; the trained region is a "
            f"tongue that reaches deepest near the critical weight variance "
            f"{result['critical']:.2f} and narrows on both sides. A solid line, "
            f"{MULTIPLE} times the correlation depth scale, bounds it on the ordered side; on "
            f"the chaotic side the dashed line, {MULTIPLE} times the gradient depth scale, "
            f"follows its edge more closely."),
        caption=f"Held-out accuracy of tanh networks ($\\sigma_b^2 = {BIAS_VARIANCE:g}$, width "
                f"{WIDTH}) after {STEPS} steps of plain SGD on the 8×8 digits, mean of "
                f"{SEEDS} seeds; chance is {CHANCE:.0%}. Solid: ${MULTIPLE}\\,\\xi_c$, "
                f"Schoenholz et al.'s bound; dashed: ${MULTIPLE}\\,\\xi$ with "
                f"$\\xi = 1/\\lvert\\ln\\chi_1\\rvert$ (the two coincide left of the critical "
                f"line, dotted).",
        shows=("snippets/experiments/edge_of_chaos/trainability.py",))
def trainability(result):
    """Held-out accuracy over (σ_w², depth), with 6 ξ_c and 6 ξ drawn over it."""
    fig, ax = style.new_figure(size=(6.0, 3.6))
    mean, _ = summary(result)
    mesh = ax.pcolormesh(_edges(WEIGHT_VARIANCES), _edges(DEPTHS), mean.T, cmap="viridis",
                         vmin=0.0, vmax=1.0, rasterized=True)
    xi, xi_c, critical = scales.depth_scales()[BIAS_VARIANCE]
    x_edges, y_edges = _edges(WEIGHT_VARIANCES), _edges(DEPTHS)
    shown = (scales.WEIGHT_VARIANCES >= x_edges[0]) & (scales.WEIGHT_VARIANCES <= x_edges[-1])
    curve = scales.WEIGHT_VARIANCES[shown]
    ax.plot(curve, MULTIPLE * xi_c[shown], color="white", lw=2.2, path_effects=_outlined(2.2),
            label=f"${MULTIPLE}\\,\\xi_c$ (correlation)")
    chaotic = curve > critical
    ax.plot(curve[chaotic], MULTIPLE * xi[shown][chaotic], color="white", lw=2.0, ls="--",
            path_effects=_outlined(2.0), label=f"${MULTIPLE}\\,\\xi$ (gradient)")
    ax.axvline(critical, color="white", lw=1.0, ls=":")
    ax.grid(False)
    ax.set(xscale="log", yscale="log", xlim=(x_edges[0], x_edges[-1]),
           ylim=(y_edges[0], y_edges[-1]), xlabel="weight variance $\\sigma_w^2$",
           ylabel="hidden layers $L$")
    ax.set_xticks([0.5, 1, 2, 4], ["0.5", "1", "2", "4"])
    ax.set_xticks([], minor=True)
    # Across a phone every other depth is labelled: neighbouring labels would touch.
    ticks = DEPTHS[::2] if style.narrow() else DEPTHS
    ax.set_yticks(ticks, [str(d) for d in ticks])
    ax.set_yticks([], minor=True)
    if style.narrow():  # the colour bar goes on top, leaving the map the phone's whole width
        fig.set_size_inches(style.NARROW_WIDTH, 3.6)
        bar = fig.colorbar(mesh, ax=ax, location="top", label="held-out accuracy",
                           fraction=0.08)
        style.legend(ax)
    else:
        bar = fig.colorbar(mesh, ax=ax, label="held-out accuracy")
        fig.legend(*ax.get_legend_handles_labels(), loc="outside upper center", ncols=2)
    bar.set_ticks([0.0, 0.2, 0.4, 0.6, 0.8, 1.0])
    for i, weight_variance in enumerate(WEIGHT_VARIANCES):  # each cell opens the training lab
        for j, depth in enumerate(DEPTHS):
            style.link_region(ax, x_edges[i:i + 2], y_edges[j:j + 2],
                              lab_target(weight_variance, depth),
                              f"Open the tanh network with σ_w² = {weight_variance:.3g} and "
                              f"{depth} hidden layers in the training lab",
                              row=f"{depth} layers", column=f"σ_w² = {weight_variance:.3g}")
    return fig
# --8<-- [end:trainability]


def lab_target(weight_variance, depth):
    """The training lab (docs/lab.md) set to one cell's network and training: its settings
    are the names of docs/assets/lab/model.js's DEFAULTS, prefixed "lab-" in the address."""
    settings = {"activation": ACTIVATION, "depth": depth, "width": WIDTH, "init": "variance",
                "weightVariance": f"{weight_variance:.4g}",
                "biasStd": f"{np.sqrt(BIAS_VARIANCE):.6g}", "learningRate": LEARNING_RATE,
                "batchSize": BATCH_SIZE, "output": "softmax", "stopAfter": EPOCHS}
    return "lab/?" + "&".join(f"lab-{key}={value}" for key, value in settings.items())


def cells(result):
    """Per cell (σ_w², depth): its depth in units of ξ_c, and whether it trained or stayed near
    chance by the seeds' spread: mean − 2 sd ≥ TRAINS, or mean + 2 sd ≤ FAILS."""
    mean, spread = summary(result)
    depth_in_xi_c = np.asarray(DEPTHS)[None, :] / result["xi_c"][:, None]
    return depth_in_xi_c, mean - 2 * spread >= TRAINS, mean + 2 * spread <= FAILS


def away_from_criticality(result):
    """The σ_w² (a boolean per grid point) whose gradient depth scale ξ is at most AWAY
    layers: there the budget is not what stops training."""
    return result["xi"] <= AWAY


@quoted("trainability-width")
def _width():
    return str(WIDTH)


@quoted("trainability-depths")
def _depths():
    return f"{DEPTHS[0]} to {DEPTHS[-1]}"


@quoted("trainability-weight-variances")
def _weight_variances():
    return f"{len(WEIGHT_VARIANCES)} values from {WEIGHT_VARIANCES[0]:g} to " \
        f"{WEIGHT_VARIANCES[-1]:g}"


@quoted("trainability-bias-variance")
def _bias():
    return f"{BIAS_VARIANCE:g}"


@quoted("trainability-budget")
def _budget():
    return f"{STEPS} steps of plain SGD ({EPOCHS} passes over {TRAINING_EXAMPLES} digits in " \
        f"mini-batches of {BATCH_SIZE}, learning rate {LEARNING_RATE:g})"


@quoted("trainability-seeds")
def _seeds():
    return str(SEEDS)


@quoted("trainability-held-out")
def _held_out():
    from snippets.core.data import digits_labels
    return str(len(digits_labels()) - TRAINING_EXAMPLES)


@quoted("trainability-networks")
def _networks():
    return str(len(WEIGHT_VARIANCES) * len(DEPTHS) * SEEDS)


@quoted("trainability-thresholds")
def _thresholds():
    return f"trained: mean − 2 sd ≥ {TRAINS:.0%}; near chance: mean + 2 sd ≤ {FAILS:.0%}"


@quoted("trainability-trains")
def _trains():
    return f"{TRAINS:.0%}"


@quoted("trainability-fails")
def _fails():
    return f"{FAILS:.0%}"


@quoted("trainability-best-beyond")
def _best_beyond():
    """The best mean accuracy of any cell at least BEYOND ξ_c deep."""
    result = trained_grid()
    depth_in_xi_c, _, _ = cells(result)
    return f"{summary(result)[0][depth_in_xi_c >= BEYOND].max():.0%}"


@quoted("trainability-worst-inside")
def _worst_inside():
    """The worst mean accuracy of a cell at most INSIDE ξ_c deep, away from criticality."""
    result = trained_grid()
    depth_in_xi_c, _, _ = cells(result)
    away = away_from_criticality(result)[:, None]
    return f"{summary(result)[0][(depth_in_xi_c <= INSIDE) & away].min():.0%}"


@quoted("trainability-away")
def _away():
    return f"{AWAY:g}"


@quoted("trainability-near-critical-variances")
def _near():
    """The σ_w² of the grid whose ξ exceeds AWAY layers."""
    near = WEIGHT_VARIANCES[~away_from_criticality(trained_grid())]
    return ", ".join(f"{s:.2f}" for s in near)


def _chaotic_between(result):
    """Chaotic cells deeper than 6 ξ but shallower than 6 ξ_c: (σ_w², L, mean accuracy)."""
    mean, _ = summary(result)
    rows = []
    for i, s in enumerate(WEIGHT_VARIANCES):
        for j, depth in enumerate(DEPTHS):
            if s > result["critical"] and MULTIPLE * result["xi"][i] <= depth \
                    < MULTIPLE * result["xi_c"][i]:
                rows.append((s, depth, mean[i, j]))
    return rows


@quoted("trainability-chaotic-between")
def _between():
    rows = _chaotic_between(trained_grid())
    return f"{len(rows)} cells, mean accuracy at most {max(r[2] for r in rows):.0%}"


def _near_critical_cell(result):
    """The first chaotic σ_w² above the critical point and its worst cell within INSIDE ξ_c:
    (index of σ_w², index of depth)."""
    mean, _ = summary(result)
    i = int(np.argmax(WEIGHT_VARIANCES > result["critical"]))
    inside = [j for j, d in enumerate(DEPTHS) if d <= INSIDE * result["xi_c"][i]]
    return i, min(inside, key=lambda j: mean[i, j])


@quoted("trainability-near-critical-variance")
def _near_critical_variance():
    i, _ = _near_critical_cell(trained_grid())
    return f"{WEIGHT_VARIANCES[i]:.2f}"


@quoted("trainability-near-critical-xi-c")
def _near_critical_xi_c():
    result = trained_grid()
    i, _ = _near_critical_cell(result)
    return f"{result['xi_c'][i]:.0f}"


@quoted("trainability-near-critical-depth")
def _near_critical_depth():
    _, j = _near_critical_cell(trained_grid())
    return str(DEPTHS[j])


@quoted("trainability-near-critical-accuracy")
def _near_critical_accuracy():
    result = trained_grid()
    i, j = _near_critical_cell(result)
    return f"{summary(result)[0][i, j]:.0%}"


@quoted("trainability-inside-multiple")
def _inside():
    return str(INSIDE)


@quoted("trainability-beyond-multiple")
def _beyond():
    return str(BEYOND)
