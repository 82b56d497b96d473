"""Figures 6.3 and 6.4 of chapter 6 (residual-and-normalisation.md): shattered gradients, after
Balduzzi et al. (2017)."""


from snippets.experiments.residual_and_normalisation.shattered_gradients import (
    DEPTHS,
    GRID,
    SEEDS,
    VARIANTS,
    WIDTH,
    grid_gradients,
    neighbour_correlations,
)
from snippets.figures import style
from snippets.figures.registry import figure, quoted

# The three networks of the first figure: (variant, depth), as in Balduzzi et al.'s figure 1.
SHOWN = ((VARIANTS[0][0], 1), (VARIANTS[1][0], 24), (VARIANTS[2][0], 50))
SHORT = {VARIANTS[0][0]: "feedforward", VARIANTS[1][0]: "feedforward + BN",
         VARIANTS[2][0]: "residual + BN"}


# --8<-- [start:shattered-gradients]
@figure("shattered-gradients", experiment=grid_gradients,
        alt=lambda gradients: (
            f"Three panels: the gradient of the output with respect to a one-dimensional "
            f"input, over {len(GRID)} inputs from −2 to 2. A {SHOWN[0][1]}-layer network's "
            f"gradient is a few flat steps; a {SHOWN[1][1]}-layer batch-normalised feedforward "
            f"network's jumps at random from point to point like white noise; a "
            f"{SHOWN[2][1]}-layer batch-normalised residual network's varies too, but stays "
            f"correlated from one point to the next."),
        caption=f"$\\partial y/\\partial x$ over a grid of {len(GRID)} inputs for one random "
                f"ReLU network of each kind (width {WIDTH}, He's scale).",
        shows=("snippets/core/deep_networks.py:forward_backward",))
def shattered_gradients(gradients):
    """∂y/∂x along the grid: one layer, deep feedforward with BN, deep residual with BN."""
    fig, axes = style.new_figure(style.DOUBLE, panels=3)
    for ax, color, (name, depth) in zip(axes, style.colors(), SHOWN):
        ax.plot(GRID[:, 0], gradients[name, depth][0], color=color, lw=1.0)
        ax.set(title=f"{SHORT[name]}\n{depth} layer{'s' if depth > 1 else ''}",
               xlabel="input $x$")
        ax.title.set_fontsize(style.SMALL_TEXT)
    axes[0].set_ylabel("$\\partial y / \\partial x$")
    return fig
# --8<-- [end:shattered-gradients]


# --8<-- [start:gradient-correlation-depth]
@figure("gradient-correlation-depth", experiment=grid_gradients,
        alt=lambda gradients: (
            f"The correlation of the gradients at neighbouring inputs against depth from "
            f"{DEPTHS[0]} to {DEPTHS[-1]} layers on a logarithmic axis. The batch-normalised "
            f"feedforward networks fall from near one to "
            f"{neighbour_correlations()[VARIANTS[1][0]][:, DEPTHS.index(24)].mean():.2f} by "
            f"{DEPTHS[DEPTHS.index(24)]} layers; the residual "
            f"batch-normalised networks and the feedforward networks without normalisation "
            f"decline slowly and stay well above it."),
        caption=f"Correlation of $\\partial y/\\partial x$ at neighbouring grid points "
                f"(spacing {GRID[1, 0] - GRID[0, 0]:.3f}), mean and standard deviation over "
                f"{SEEDS} networks per depth; without normalisation the biases have "
                f"$\\sigma_b^2 = 0.1$, with it none.",
        shows=("snippets/core/deep_networks.py:gradient_correlation",))
def gradient_correlation_depth(gradients):
    """Neighbour correlation of the grid gradient against depth, per architecture."""
    correlations = neighbour_correlations()
    fig, ax = style.new_figure()
    ends = []
    for color, (name, *_) in zip(style.colors(), VARIANTS):
        values = correlations[name]
        ax.errorbar(DEPTHS, values.mean(axis=0), yerr=values.std(axis=0, ddof=1), fmt="o-",
                    ms=4, lw=1.3, color=color, capsize=2)
        ends.append((SHORT[name], (DEPTHS[-1], values[:, -1].mean()), color))
    ax.set(xscale="log", xlabel="depth (hidden layers)",
           ylabel="neighbour correlation", ylim=(-0.3, 1.08))
    ax.set_xticks(DEPTHS, [str(d) for d in DEPTHS])
    ax.set_xticks([], minor=True)
    if style.narrow():   # a phone's column has no room for labels beside the lines
        for line, (label, _, _) in zip(ax.containers, ends):
            line.set_label(label)
        style.legend(ax)
    else:
        style.label_line_ends(ax, ends)
    return fig
# --8<-- [end:gradient-correlation-depth]


def _mean(name, depth):
    return neighbour_correlations()[name][:, DEPTHS.index(depth)].mean()


@quoted("shattered-width")
def _width():
    return str(WIDTH)


@quoted("shattered-seeds")
def _seeds():
    return str(SEEDS)


@quoted("shattered-bn-12")
def _bn_12():
    return f"{_mean(VARIANTS[1][0], 12):.2f}"


@quoted("shattered-bn-24")
def _bn_24():
    return f"{_mean(VARIANTS[1][0], 24):.2f}"


@quoted("shattered-bn-50")
def _bn_50():
    return f"{_mean(VARIANTS[1][0], 50):.2f}"


@quoted("shattered-residual-50")
def _residual_50():
    return f"{_mean(VARIANTS[2][0], 50):.2f}"


@quoted("shattered-plain-50")
def _plain_50():
    return f"{_mean(VARIANTS[0][0], 50):.2f}"


@quoted("shattered-bn-decay")
def _bn_decay():
    """1 − ρ at depths 3, 6, 12 of the batch-normalised feedforward networks."""
    return ", ".join(f"{1 - _mean(VARIANTS[1][0], d):.2f}" for d in (3, 6, 12))


@quoted("shattered-residual-decay")
def _residual_decay():
    return ", ".join(f"{1 - _mean(VARIANTS[2][0], d):.2f}" for d in (6, 12, 24, 50))


@quoted("grid-size")
def _grid():
    return str(len(GRID))


