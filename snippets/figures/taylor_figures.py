"""Figures and numbers on Xu, Huang & Li's (2016) Taylor-expansion argument: exact series,
the variance recursion in the linear regime, the "16 times" claim, and the rescaled sigmoid
and penalized tanh (chapter 3)."""

import functools

import numpy as np
import sympy

from snippets.core import activations as act
from snippets.core import series, variance
from snippets.figures import style
from snippets.figures.registry import figure, quoted

# The source article's series, transcribed as printed (coefficients of x^0 … x^3).
ARTICLE_SERIES = {
    "sigmoid": [sympy.Rational(1, 2), sympy.Rational(1, 4), 0, sympy.Rational(-1, 48)],
    "tanh": [0, 1, 0, sympy.Rational(1, 3)],
}
WIDTH = 200
DEPTH = 20
SEEDS = (0, 1, 2, 3, 4)
CASES = {  # label: (alpha, beta, n·Var[w])
    "α = 1/4, β = 1/2, nσ² = 1 (sigmoid-like)": (0.25, 0.5, 1.0),
    "α = 1/4, β = 1/2, nσ² = 16": (0.25, 0.5, 16.0),
    "α = 1, β = 0, nσ² = 1 (tanh-like)": (1.0, 0.0, 1.0),
}


@quoted("taylor-sigmoid")
def _taylor_sigmoid():
    return series.series_latex(series.taylor_coefficients("sigmoid", 7))


@quoted("taylor-tanh")
def _taylor_tanh():
    return series.series_latex(series.taylor_coefficients("tanh", 7))


@quoted("taylor-rescaled-sigmoid")
def _taylor_rescaled():
    return series.series_latex(series.taylor_coefficients("rescaled_sigmoid", 7))


@quoted("taylor-comparison-table")
def _comparison():
    rows = []
    for name, printed in ARTICLE_SERIES.items():
        exact = series.taylor_coefficients(name, len(printed) - 1)
        for power, (theirs, ours) in enumerate(zip(printed, exact)):
            verdict = "agrees" if sympy.Rational(theirs) == ours else "**differs**"
            rows.append(f"| {name} | $x^{power}$ | ${sympy.latex(sympy.Rational(theirs))}$ "
                        f"| ${sympy.latex(ours)}$ | {verdict} |")
    return "\n".join(["| function | term | article | exact (sympy) | |",
                      "|---|---|---:|---:|---|", *rows])


@functools.lru_cache(maxsize=1)
def recursion_runs():
    runs = {}
    for label, (alpha, beta, gain) in CASES.items():
        samples = np.array([variance.simulate_variances(
            np.random.default_rng(seed), "affine", WIDTH, DEPTH, np.sqrt(gain / WIDTH),
            alpha=alpha, beta=beta)[0] for seed in SEEDS])
        predicted = variance.predicted_forward_variance(alpha, beta, gain, DEPTH, 1.0)
        error = 2 * samples.std(axis=0, ddof=1) / np.sqrt(len(SEEDS))
        runs[label] = (predicted, samples.mean(axis=0), error)
    return runs


# --8<-- [start:variance-recursion]
@figure("variance-recursion", data=recursion_runs,
        alt="Activation variance against layer on a logarithmic axis for three deep networks "
            "with affine activations. Measured points follow the predicted lines: the "
            "sigmoid-like unit with unit weight variance settles at a small constant, with "
            "16 times the weight variance it grows steadily, and the tanh-like unit keeps the "
            "variance at 1.",
        caption=f"The linear-regime recursion $\\mathrm{{Var}}[a^i] = \\alpha^2 n\\sigma^2 "
                f"(\\mathrm{{Var}}[a^{{i-1}}] + \\beta^2)$ (lines) against simulated deep "
                f"networks with the affine activation $f(s) = \\alpha s + \\beta$ (dots: mean "
                f"of {len(SEEDS)} seeds, bars: ±2 standard errors; width {WIDTH}, inputs "
                f"$\\mathcal N(0, 1)$).",
        shows=("snippets/core/variance.py:predicted_forward_variance",
               "snippets/core/variance.py:simulate_variances"))
def variance_recursion(runs):
    fig, ax = style.new_figure()
    layers = np.arange(DEPTH + 1)
    for color, (label, (predicted, measured, error)) in zip(style.colors(), runs.items()):
        ax.plot(layers, predicted, color=color, lw=1.5, label=label)
        ax.errorbar(layers, measured, yerr=error, fmt="o", color=color, ms=4, capsize=2)
    ax.set(yscale="log", xlabel="layer i", ylabel=r"Var$[a^i]$")
    ax.legend(loc="center right", fontsize=8.5)
    return fig
# --8<-- [end:variance-recursion]


@functools.lru_cache(maxsize=1)
def balancing_runs():
    rng = np.random.default_rng(0)
    return {
        "affine α = 1/4 (linear regime of σ)": variance.balancing_gain(rng, "affine",
                                                                      alpha=0.25, beta=0.5),
        "tanh": variance.balancing_gain(rng, "tanh"),
        "sigmoid": variance.balancing_gain(rng, "sigmoid"),
    }


# --8<-- [start:sixteen-times]
@figure("sixteen-times", data=balancing_runs,
        alt="Per-layer change of the back-propagated gradient variance against the weight "
            "variance times the width, on logarithmic axes, for a tanh network, a sigmoid "
            "network and an affine unit of slope one quarter. Each curve crosses the level 1 "
            "at its balancing point, marked: about 1.6 for tanh, exactly 16 for the affine "
            "model and about a hundred for the sigmoid.",
        caption="How the back-propagated gradient variance changes per layer, "
                "$(\\mathrm{Var}[\\partial C/\\partial a^0] / \\mathrm{Var}[\\partial C/\\partial "
                "a^{20}])^{1/20}$, as a function of $n\\,\\mathrm{Var}[w]$ (width 100, 20 "
                "layers, two seeds per point). Where a curve crosses 1 (dots), gradients keep "
                "their size.",
        shows=("snippets/core/variance.py:balancing_gain",))
def sixteen_times(runs):
    fig, ax = style.new_figure()
    for color, (label, (gain, grid, rates)) in zip(style.colors(), runs.items()):
        ax.plot(grid, rates, color=color, label=f"{label}: {gain:.3g}")
        ax.plot([gain], [1.0], "o", color=color, ms=7)
    ax.axhline(1.0, color=style.muted(), ls="--", lw=1)
    ax.set(xscale="log", yscale="log", xlabel=r"$n\,\mathrm{Var}[w]$",
           ylabel="gradient variance change per layer")
    ax.legend(loc="upper left", fontsize=8.5)
    return fig
# --8<-- [end:sixteen-times]


def _gain(label):
    return balancing_runs()[label][0]


@quoted("balancing-gain-affine")
def _gain_affine():
    return f"{_gain('affine α = 1/4 (linear regime of σ)'):.1f}"


@quoted("balancing-gain-tanh")
def _gain_tanh():
    return f"{_gain('tanh'):.2f}"


@quoted("balancing-gain-sigmoid")
def _gain_sigmoid():
    return f"{_gain('sigmoid'):.0f}"


@quoted("balancing-ratio-variance")
def _ratio_variance():
    return f"{_gain('sigmoid') / _gain('tanh'):.0f}"


@quoted("balancing-ratio-std")
def _ratio_std():
    return f"{np.sqrt(_gain('sigmoid') / _gain('tanh')):.1f}"


def _rescaled_curves():
    x = np.linspace(-6, 6, 601)
    return {"x": x, "functions": {
        "sigmoid σ": (act.sigmoid(x), act.sigmoid_derivative(x)),
        "tanh": (act.tanh(x), act.tanh_derivative(x)),
        "rescaled sigmoid 4σ − 2": (act.rescaled_sigmoid(x), act.rescaled_sigmoid_derivative(x)),
        "penalized tanh (0.25)": (act.penalized_tanh(x), act.penalized_tanh_derivative(x)),
    }}


# --8<-- [start:rescaled-activations]
@figure("rescaled-activations", data=_rescaled_curves,
        alt="Left: four activation functions: sigmoid, tanh, the rescaled sigmoid 4 sigma "
            "minus 2 which runs from −2 to 2 through the origin with slope 1, and penalized "
            "tanh, which follows tanh for positive inputs and a quarter of it for negative "
            "ones. Right: their derivatives; all but the sigmoid have slope 1 at 0.",
        caption="Xu, Huang & Li's fixes for the sigmoid's linear regime: the rescaled sigmoid "
                "$4\\sigma(x) - 2 = 2\\tanh(x/2)$ has $\\alpha = 1$, $\\beta = 0$; penalized "
                "tanh scales the negative side by $0.25$. Left: functions; right: derivatives.",
        shows=("snippets/core/activations.py:rescaled_activations",))
def rescaled_activations(curves):
    fig, (left, right) = style.new_figure(style.DOUBLE, panels=2)
    for color, (label, (values, slopes)) in zip(style.colors(), curves["functions"].items()):
        left.plot(curves["x"], values, color=color, label=label)
        right.plot(curves["x"], slopes, color=color, label=label)
    left.set(xlabel="x", title="f(x)", xlim=(-6, 6))
    right.set(xlabel="x", title="f′(x)", xlim=(-6, 6))
    left.legend(loc="upper left", fontsize=8.5)
    return fig
# --8<-- [end:rescaled-activations]
