"""Figures and numbers on the sigmoid's derivative and the article's small univariate
network with N(0, 1) weights (chapter 2)."""

import functools
import math

import numpy as np

from snippets.core import gradient_chain as chain
from snippets.figures import style
from snippets.figures.registry import figure, quoted, scientific

SEED = 0
DRAWS = 200_000


def _derivative_of_output():
    s = np.linspace(0.0, 1.0, 401)
    return {"s": s, "slope": s * (1 - s)}


# --8<-- [start:sigmoid-slope-by-output]
@figure("sigmoid-slope-by-output", data=_derivative_of_output,
        alt="A downward parabola over the sigmoid's output s from 0 to 1: the slope s(1 − s) "
            "is 0 at both ends and peaks at one quarter when s is one half.",
        caption="The sigmoid's slope written through its own output, $\\sigma' = s(1-s)$ with "
                "$s = \\sigma(z)$: its range is $(0, 1/4]$, reaching $1/4$ only at $s = 1/2$ "
                "and approaching 0 as the unit saturates towards 0 or 1.",
        shows=("snippets/core/activations.py:sigmoid",))
def sigmoid_slope_by_output(data):
    fig, ax = style.new_figure()
    ax.plot(data["s"], data["slope"], color=style.colors()[0])
    ax.axhline(0.25, color=style.muted(), ls="--", lw=1)
    ax.annotate("1/4 at s = 1/2", (0.5, 0.25), xytext=(0.62, 0.2), color=style.muted(),
                arrowprops={"arrowstyle": "->", "color": style.muted()})
    ax.set(xlabel=r"sigmoid output $s = \sigma(z)$", ylabel=r"slope $\sigma'(z) = s(1-s)$",
           xlim=(0, 1), ylim=(0, 0.3))
    return fig
# --8<-- [end:sigmoid-slope-by-output]


@functools.lru_cache(maxsize=1)
def univariate_draws():
    """Factors |w_t σ′(z_t)| of the three-weight chain over many draws w ~ N(0, 1), x ~ N(0, 1)."""
    rng = np.random.default_rng(SEED)
    weights, inputs = chain.sample_chain(rng, DRAWS, 3, weight_scale=1.0)
    return {"weights": weights, "factors": chain.chain_factors(weights, inputs)}


# --8<-- [start:univariate-factors]
@figure("univariate-factors", data=univariate_draws,
        alt="Histograms, on a logarithmic axis, of the back-propagation factors of the "
            "second and third layers and of their product, for weights drawn from a standard "
            "normal. Most factors lie below one quarter, but a visible tail reaches above it.",
        caption=f"Back-propagation factors $|w_t\\,\\sigma'(z_t)|$ of the article's "
                f"three-weight network, weights and input drawn from $\\mathcal N(0, 1)$ "
                f"({DRAWS:,} draws, seed {SEED}). Dashed: $1/4$ for a single factor and $1/16$ "
                f"for the product of two.",
        shows=("snippets/core/gradient_chain.py:chain_gradient_ratios",))
def univariate_factors(draws):
    fig, ax = style.new_figure()
    factors = draws["factors"]
    bins = np.linspace(-6, 0.5, 80)
    series = [(r"$|w_2\,\sigma'(z_2)|$", factors[:, 1]), (r"$|w_3\,\sigma'(z_3)|$", factors[:, 2]),
              ("product of both", factors[:, 1] * factors[:, 2])]
    for color, (label, values) in zip(style.colors(), series):
        ax.hist(np.log10(values), bins=bins, histtype="step", lw=1.8, color=color, label=label)
    for level in (0.25, 1 / 16):
        ax.axvline(np.log10(level), color=style.muted(), ls="--", lw=1)
    ax.set(xlabel=r"$\log_{10}$ of the factor", ylabel="draws")
    ax.legend(loc="upper left")
    return fig
# --8<-- [end:univariate-factors]


@quoted("normal-weights-outside-unit-interval-exact")
def _outside_exact():
    return f"{100 * math.erfc(1 / math.sqrt(2)):.1f} %"


@quoted("normal-weights-outside-unit-interval-sampled")
def _outside_sampled():
    return f"{100 * np.mean(np.abs(univariate_draws()['weights']) > 1):.1f} %"


@quoted("univariate-factor-above-quarter")
def _above_quarter():
    factors = univariate_draws()["factors"][:, 1:]
    return f"{100 * np.mean(factors > 0.25):.1f} %"


@quoted("univariate-product-above-sixteenth")
def _product_above():
    factors = univariate_draws()["factors"]
    return f"{100 * np.mean(factors[:, 1] * factors[:, 2] > 1 / 16):.1f} %"


@quoted("univariate-product-median")
def _product_median():
    factors = univariate_draws()["factors"]
    return scientific(np.median(factors[:, 1] * factors[:, 2]))


@quoted("univariate-chain-table")
def _chain_table():
    rng = np.random.default_rng(SEED)
    weights = rng.standard_normal(3)
    x = float(rng.standard_normal())
    factors, product = chain.first_weight_gradient(weights, x)
    rows = [f"| {name} | {value:+.4f} |" for name, value in factors.items()]
    header = (f"Draw (seed {SEED}): $w_1 = {weights[0]:+.3f}$, $w_2 = {weights[1]:+.3f}$, "
              f"$w_3 = {weights[2]:+.3f}$, $x = {x:+.3f}$, target 1.\n\n")
    return header + "\n".join(["| factor | value |", "|---|---:|", *rows,
                               f"| **product** $\\partial J/\\partial w_1$ | **{product:+.2e}** |"])
