"""Figure 6.2 of chapter 6 (residual-and-normalisation.md): batch normalisation multiplies the
squared gradient by more than 1 in every layer."""

import math

import numpy as np

from snippets.core import deep_networks
from snippets.experiments.residual_and_normalisation.batch_normalisation import (
    ACTIVATIONS,
    BATCH_SIZES,
    DEPTH,
    LAYER_NORM_BATCH,
    SEEDS,
    WIDTH,
    normalised_factors,
)
from snippets.figures import style
from snippets.figures.registry import figure, quoted

LABELS = {"linear": "linear", "tanh": "tanh", "relu": "ReLU"}
EXAMPLE_DEPTH = 30   # the depth at which the page quotes λ^depth for ReLU


# --8<-- [start:batch-norm-gradients]
@figure("batch-norm-gradients", experiment=normalised_factors,
        alt=lambda factors: (
            f"The factor by which each batch-normalised layer multiplies the squared gradient, "
            f"against the batch size from {BATCH_SIZES[0]} to {BATCH_SIZES[-1]} on a "
            f"logarithmic axis, for linear, tanh and ReLU units. Every measured factor is "
            f"above one and falls as the batch grows: for ReLU from "
            f"{factors['batch']['relu'][:, 0].mean():.2f} to "
            f"{factors['batch']['relu'][:, -1].mean():.2f}, towards the large-batch value "
            f"{deep_networks.normalised_gradient_factor('relu', 'batch'):.2f}; the linear "
            f"network follows the curve B minus two over B minus three towards one."),
        caption=f"Per-layer factor of $\\lVert\\delta x^l\\rVert^2$ in plain networks with "
                f"batch normalisation in every layer (width {WIDTH}, depth {DEPTH}, mean and "
                f"standard deviation over {SEEDS} seeds; dots), the large-batch prediction "
                f"$\\mathbb E[\\phi'(z)^2]/\\operatorname{{Var}}[\\phi(z)]$ (dashed) and, for "
                f"the linear network, $(B-2)/(B-3)$ (solid).",
        shows=("snippets/core/deep_networks.py:normalise",
               "snippets/core/deep_networks.py:normalised_gradient_factor",
               "snippets/core/deep_networks.py:linear_batch_factor"))
def batch_norm_gradients(factors):
    """Measured per-layer factors against the batch size, with both predictions."""
    fig, ax = style.new_figure()
    sizes = np.array(BATCH_SIZES)
    ends = []
    for color, activation in zip(style.colors(), ACTIVATIONS):
        measured = factors["batch"][activation]
        ax.errorbar(sizes, measured.mean(axis=0), yerr=measured.std(axis=0, ddof=1), fmt="o",
                    ms=4, color=color, capsize=2)
        limit = deep_networks.normalised_gradient_factor(activation, "batch")
        if activation == "linear":
            curve = np.geomspace(sizes[0], sizes[-1], 60)
            ax.plot(curve, [deep_networks.linear_batch_factor(round(b)) if b == round(b)
                            else (b - 2) / (b - 3) for b in curve], color=color, lw=1.3)
        ax.plot([sizes[0], sizes[-1]], [limit, limit], color=color, lw=1.0, ls="--")
        ends.append((LABELS[activation], (sizes[-1], limit), color))
    ax.set(xscale="log", xlabel="batch size $B$", ylabel="factor per layer")
    ax.set_xticks(sizes, [str(b) for b in sizes])
    ax.set_xticks([], minor=True)
    style.label_line_ends(ax, ends)
    return fig
# --8<-- [end:batch-norm-gradients]


@quoted("relu-batch-limit")
def _relu_limit():
    return f"{deep_networks.normalised_gradient_factor('relu', 'batch'):.3f}"


@quoted("tanh-batch-limit")
def _tanh_limit():
    return f"{deep_networks.normalised_gradient_factor('tanh', 'batch'):.3f}"


@quoted("bn-width")
def _width():
    return str(WIDTH)


@quoted("bn-seeds")
def _seeds():
    return str(SEEDS)


@quoted("bn-batch-sizes")
def _batch_sizes():
    return f"{BATCH_SIZES[0]} to {BATCH_SIZES[-1]}"


@quoted("bn-largest-batch")
def _largest():
    return str(BATCH_SIZES[-1])


def _measured(activation, index):
    return normalised_factors()["batch"][activation][:, index].mean()


@quoted("bn-relu-small")
def _relu_small():
    return f"{_measured('relu', 0):.2f}"


@quoted("bn-relu-large")
def _relu_large():
    return f"{_measured('relu', -1):.3f}"


@quoted("bn-tanh-large")
def _tanh_large():
    return f"{_measured('tanh', -1):.3f}"


@quoted("bn-smallest-batch")
def _smallest():
    return str(BATCH_SIZES[0])


@quoted("bn-linear-table")
def _linear_table():
    from snippets.figures.formatting import markdown_table
    measured = normalised_factors()["batch"]["linear"]
    rows = [[str(b), f"{deep_networks.linear_batch_factor(b):.3f}",
             f"{measured[:, k].mean():.3f} ± {measured[:, k].std(ddof=1):.3f}"]
            for k, b in enumerate(BATCH_SIZES)]
    return markdown_table(["batch size B", "(B − 2)/(B − 3)", "measured"], rows)


@quoted("relu-thirty-layers")
def _relu_thirty():
    return f"{deep_networks.normalised_gradient_factor('relu', 'batch') ** EXAMPLE_DEPTH:.0f}"


@quoted("bn-example-depth")
def _example_depth():
    return str(EXAMPLE_DEPTH)


@quoted("layer-norm-factors")
def _layer_norm():
    layer = normalised_factors()["layer"]
    return ", ".join(f"{LABELS[a]} {layer[a].mean():.3f} ± {layer[a].std(ddof=1):.3f} "
                     f"(predicted {deep_networks.normalised_gradient_factor(a, 'layer'):.3f})"
                     for a in ACTIVATIONS)


@quoted("layer-norm-batch")
def _layer_norm_batch():
    return str(LAYER_NORM_BATCH)


@quoted("poincare-gap")
def _poincare():
    return f"{math.pi / (math.pi - 1):.3f}"
