"""The data of the explorable page (edge-of-chaos-explorer.md): the explorer grid rounded to
what the page draws, as JSON, and the same results as a table for readers without scripts."""

import numpy as np

from snippets.core.activations import ACTIVATIONS
from snippets.experiments.edge_of_chaos.explorer import (
    ACTIVATION_NAMES,
    BIAS_VARIANCES,
    DEPTH,
    EXAMPLES,
    QUANTILES,
    WEAK,
    WEIGHT_VARIANCES,
    WIDTH,
    explorer_grid,
)
from snippets.figures.formatting import markdown_table, superscript
from snippets.figures.registry import data, quoted

TABLE_WEIGHT_VARIANCES = (0.5, 1.0, 2.0, 4.0, 128.0)


def _hundredths(values):
    """Integers in units of 0.01: the JSON stays small and still finer than a pixel."""
    return [int(round(100 * float(v))) for v in np.asarray(values)]


def _significant(values, digits=3):
    return [float(f"{v:.{digits}g}") for v in np.asarray(values, dtype=float)]


# --8<-- [start:edge-of-chaos-explorer]
@data("edge-of-chaos-explorer")
def edge_of_chaos_explorer():
    """The grid as the page's script reads it: per activation, bias and weight variance, the
    log10 of each layer's gradient step (measured, predicted) and the share of weak units
    (measured, predicted), both in hundredths, and the activation quantiles (two significant
    digits): finer than a pixel of the page's plots."""
    grid = explorer_grid()
    points = {}
    for name in ACTIVATION_NAMES:
        points[name] = [[{
            "stepMeasured": _hundredths(np.log10(run["step_measured"])),
            "stepPredicted": _hundredths(np.log10(run["step_predicted"])),
            "quantiles": [_significant(row, 2) for row in run["quantiles"]],
            "weakMeasured": _hundredths(run["weak_measured"]),
            "weakPredicted": _hundredths(run["weak_predicted"]),
        } for run in (grid[name, bias, weight] for weight in WEIGHT_VARIANCES)]
            for bias in BIAS_VARIANCES]
    return {
        "activations": [{"name": n, "label": ACTIVATIONS[n].label} for n in ACTIVATION_NAMES],
        "weightVariances": _significant(WEIGHT_VARIANCES, 4),
        "biasVariances": list(BIAS_VARIANCES),
        "depth": DEPTH, "width": WIDTH, "examples": EXAMPLES,
        "quantiles": list(QUANTILES), "weakThreshold": WEAK,
        "points": points,
    }
# --8<-- [end:edge-of-chaos-explorer]


@quoted("explorer-fallback-table")
def _fallback_table():
    grid = explorer_grid()
    rows = []
    for name in ACTIVATION_NAMES:
        for weight in TABLE_WEIGHT_VARIANCES:
            run = grid[name, 0.0, float(weight)]
            rows.append([ACTIVATIONS[name].label, f"{weight:g}",
                         f"{np.sum(np.log10(run['step_measured'])):+.1f}",
                         f"{np.sum(np.log10(run['step_predicted'])):+.1f}",
                         f"{100 * run['weak_measured'][-1]:.0f} %"])
    return markdown_table(["activation", "σ_w²", f"log₁₀ ‖δ⁰‖²/‖δ{superscript(DEPTH)}‖², measured",
                           "mean-field prediction", f"weak units in layer {DEPTH}"], rows)


@quoted("explorer-depth")
def _depth():
    return str(DEPTH)


@quoted("explorer-width")
def _width():
    return str(WIDTH)


@quoted("explorer-grid-size")
def _grid_size():
    return (f"{len(ACTIVATION_NAMES)} activations × {len(WEIGHT_VARIANCES)} weight variances "
            f"× {len(BIAS_VARIANCES)} bias variances")
