"""The data of the explorable page (edge-of-chaos-explorer.md): the explorer grid rounded to
what the page draws, as JSON, and the same results as a table for readers without scripts."""

import numpy as np

from snippets.core import mean_field
from snippets.core.activations import (
    ACTIVATIONS,
    sigmoid,
    sigmoid_derivative,
    tanh,
    tanh_derivative,
)
from snippets.core.mean_field import BOUNDED_ACTIVATIONS
from snippets.experiments.edge_of_chaos.explorer import (
    ACTIVATION_NAMES,
    BIAS_VARIANCES,
    DEPTH,
    EXAMPLES,
    NETWORKS,
    QUANTILES,
    WEAK,
    WIDTH,
    critical_on_grid,
    explorer_grid,
    weight_variances,
)
from snippets.figures.formatting import markdown_table
from snippets.figures.registry import data, quoted

BAND = 1.2816  # z of the 90 % quantile: log10 of the gradient ± BAND sd holds 8 networks in 10


def _sigmoid_critical():
    """The sigmoid's critical σ_w² without biases, as it stands on the grid."""
    return critical_on_grid()["sigmoid", 0.0]


def _table_weight_variances():
    """The σ_w² of the table for readers without scripts."""
    return (0.5, 1.0, 2.0, 4.0, _sigmoid_critical(), 128.0)


def totals(run):
    """log10 ‖δ⁰‖²/‖δ^DEPTH‖² over the whole depth, from the per-layer statistics of one grid
    point: (mean square, typical (mean of the log), its spread (standard deviation),
    prediction). The log of a network's gradient is a sum over layers of independent terms
    (one random weight matrix each), so means and variances add."""
    return (float(np.sum(run["step_mean_log10"])), float(np.sum(run["step_log10_mean"])),
            float(np.sqrt(np.sum(run["step_log10_sd"] ** 2))),
            float(np.sum(np.log10(run["step_predicted"]))))


def _hundredths(values):
    """Integers in units of 0.01: the JSON stays small and still finer than a pixel."""
    return [int(round(100 * float(v))) for v in np.asarray(values)]


def _summable_hundredths(steps):
    """Per-layer steps in hundredths whose sums over any run of layers are exact to 0.01:
    the differences of the rounded tail sums Σ_{j ≥ k} step_j, so rounding errors do not pile
    up over 50 layers (plain rounding of a near-constant step shifted a total by 0.2)."""
    tails = np.cumsum(np.asarray(steps, dtype=float)[::-1])[::-1]
    rounded = np.round(100 * np.append(tails, 0.0)).astype(int)
    return [int(d) for d in rounded[:-1] - rounded[1:]]


# The three shapes the page's script knows, with their derivatives: each activation of the grid
# is one of them for h > 0, and a constant multiple of it for h ≤ 0.
MEAN_FIELD_BASES = {
    "sigmoid": (sigmoid, sigmoid_derivative),
    "tanh": (tanh, tanh_derivative),
    "identity": (lambda h: h, np.ones_like),
}


def mean_field_activation(name):
    """How the page's script rebuilds φ and φ′ for χ₁ and the critical σ_w² (the mean field of
    snippets/core/mean_field.py, redone in assets/explorer-model.js): φ(h) = base(h) for h > 0
    and negativeScale · base(h) for h ≤ 0, the same for φ′. The scale is read off φ at h = −1
    and the description checked here against φ and φ′ themselves, so the script's activations
    are the tested ones."""
    activation = ACTIVATIONS[name]
    h = np.linspace(-12.0, 12.0, 2401)
    minus_one = np.array([-1.0])
    for base, (function, derivative) in MEAN_FIELD_BASES.items():
        # + 0.0: ReLU's ratio is −0.0, which JSON would keep
        scale = float(activation.function(minus_one)[0] / function(minus_one)[0]) + 0.0
        if all(np.allclose(np.where(h > 0, rebuilt(h), scale * rebuilt(h)), actual(h),
                           rtol=1e-12, atol=1e-15)
               for rebuilt, actual in ((function, activation.function),
                                       (derivative, activation.derivative))):
            return {"base": base, "negativeScale": scale}
    raise ValueError(f"activation {name!r} is none of {sorted(MEAN_FIELD_BASES)} for h > 0 "
                     f"times a constant for h <= 0: the explorer cannot compute its chi_1")


def mean_field_settings():
    """The quadrature and bounds of snippets/core/mean_field.py, for the page's script."""
    return {"quadratureStep": mean_field.QUADRATURE_STEP,
            "quadratureReach": mean_field.QUADRATURE_REACH,
            "smallestLength": mean_field.SMALLEST_LENGTH, "maxLength": mean_field.MAX_LENGTH}


def _significant(values, digits=3):
    return [float(f"{v:.{digits}g}") for v in np.asarray(values, dtype=float)]


def explorer_settings():
    """The page's data without the networks: the grid's axes and sizes, and what the script
    needs to compute χ₁, the phase and the critical σ_w² itself — each activation's shape
    (:func:`mean_field_activation`) and the mean field's quadrature. Cheap: the fast tests run
    the page's script on it."""
    return {
        "activations": [{"name": n, "label": ACTIVATIONS[n].label,
                         "quantileScale": 100 if n in BOUNDED_ACTIVATIONS else 1,
                         **mean_field_activation(n)}
                        for n in ACTIVATION_NAMES],
        "meanField": mean_field_settings(),
        "weightVariances": _significant(weight_variances(), 4),
        "biasVariances": list(BIAS_VARIANCES),
        "depth": DEPTH, "width": WIDTH, "examples": EXAMPLES, "networks": NETWORKS,
        "band": BAND,
        "quantiles": list(QUANTILES), "weakThreshold": WEAK,
    }


# --8<-- [start:edge-of-chaos-explorer]
@data("edge-of-chaos-explorer")
def edge_of_chaos_explorer():
    """The grid as the page's script reads it: per activation, bias and weight variance, the
    mean and standard deviation over the networks of the log10 of each layer's gradient step,
    the log10 of its mean less that mean log10, the predicted step, and the share of weak units
    (measured, predicted), in hundredths, and the activation quantiles (in hundredths for the
    activations bounded by 1, else to two significant digits): finer than a pixel of the page's
    plots; with them, :func:`explorer_settings`."""
    grid = explorer_grid()
    points = {}
    for name in ACTIVATION_NAMES:
        points[name] = [[{
            "stepTypical": _summable_hundredths(run["step_log10_mean"]),
            # log10 of the mean minus the mean of log10: small, never negative (Jensen)
            "stepGap": _summable_hundredths(run["step_mean_log10"] - run["step_log10_mean"]),
            "stepSpread": _hundredths(run["step_log10_sd"]),
            "stepPredicted": _summable_hundredths(np.log10(run["step_predicted"])),
            "quantiles": [_hundredths(row) if name in BOUNDED_ACTIVATIONS  # |φ| ≤ 1
                          else _significant(row, 2)
                          for row in run["quantiles"]],
            "weakMeasured": _hundredths(run["weak_measured"]),
            "weakPredicted": _hundredths(run["weak_predicted"]),
        } for run in (grid[name, bias, weight] for weight in weight_variances())]
            for bias in BIAS_VARIANCES]
    return {**explorer_settings(), "points": points}
# --8<-- [end:edge-of-chaos-explorer]


@quoted("explorer-fallback-table")
def _fallback_table():
    grid = explorer_grid()
    rows = []
    for name in ACTIVATION_NAMES:
        for weight in _table_weight_variances():
            run = grid[name, 0.0, float(weight)]
            mean, typical, spread, predicted = totals(run)
            rows.append([ACTIVATIONS[name].label, f"{weight:g}", f"{predicted:+.1f}",
                         f"{mean:+.1f}", f"{typical:+.1f}",
                         f"{typical - BAND * spread:+.1f} … {typical + BAND * spread:+.1f}",
                         f"{100 * run['weak_measured'][-1]:.0f} %"])
    return markdown_table(["activation", "σ_w²", "mean-field prediction",
                           f"mean of {NETWORKS} networks", "typical network",
                           "8 networks in 10", f"weak units in layer {DEPTH}"], rows)


@quoted("explorer-networks")
def _networks():
    return str(NETWORKS)


@quoted("explorer-depth")
def _depth():
    return str(DEPTH)


@quoted("explorer-width")
def _width():
    return str(WIDTH)


@quoted("explorer-grid-size")
def _grid_size():
    return (f"{len(ACTIVATION_NAMES)} activations × {len(weight_variances())} weight variances "
            f"× {len(BIAS_VARIANCES)} bias variances")


def _power(exponent):
    """10 to a power as the page's math: $10^{-0.4}$."""
    return f"\\(10^{{{exponent:.1f}}}\\)".replace("{-0.0}", "{0.0}")


@quoted("explorer-relu-mean")
def _relu_mean():
    return _power(totals(explorer_grid()["relu", 0.0, 2.0])[0])


@quoted("explorer-relu-typical")
def _relu_typical():
    _, typical, spread, _ = totals(explorer_grid()["relu", 0.0, 2.0])
    return (f"{_power(typical)}, with 8 networks in 10 between {_power(typical - BAND * spread)}"
            f" and {_power(typical + BAND * spread)}")


@quoted("explorer-sigmoid-critical-weak")
def _sigmoid_critical_weak():
    weak = explorer_grid()["sigmoid", 0.0, _sigmoid_critical()]["weak_measured"][-1]
    return f"{100 * weak:.0f} %"


@quoted("explorer-sigmoid-critical-predicted")
def _sigmoid_critical_predicted():
    return _power(totals(explorer_grid()["sigmoid", 0.0, _sigmoid_critical()])[3])


@quoted("explorer-sigmoid-critical-first-step")
def _sigmoid_critical_first_step():
    """log10 χ(q⁰) at the sigmoid's critical point: the top layer's predicted step, taken
    before the variance has settled at q*."""
    return _power(np.log10(explorer_grid()["sigmoid", 0.0, _sigmoid_critical()]
                           ["step_predicted"][0]))
