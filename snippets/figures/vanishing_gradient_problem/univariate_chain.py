"""Figure and numbers on the article's univariate network with N(0, 1) weights: figure 2.4 of
chapter 2 (vanishing-gradient-problem.md)."""

from fractions import Fraction

import numpy as np

from snippets.experiments.vanishing_gradient_problem.univariate_chain import (
    DRAWS,
    FACTOR_BOUND,
    PRODUCT_BOUND,
    SEED,
    exact_share_outside_unit_interval,
    example_draw,
    middle_product,
    sampled_share_outside_unit_interval,
    share_of_factors_above_bound,
    share_of_products_above_bound,
    univariate_draws,
)
from snippets.figures import style
from snippets.figures.formatting import markdown_table, scientific
from snippets.figures.registry import figure, quoted


# --8<-- [start:univariate-factors]
@figure("univariate-factors", experiment=univariate_draws,
        alt=f"Histograms, on a logarithmic axis, of the back-propagation factors of the "
            f"second and third layers and of their product, for weights drawn from a standard "
            f"normal. Most factors lie below {Fraction(FACTOR_BOUND)}, but a visible tail "
            f"reaches above it.",
        caption=f"Back-propagation factors $|w_t\\,\\sigma'(z_t)|$ of the article's "
                f"three-weight network, weights and input drawn from $\\mathcal N(0, 1)$ "
                f"({DRAWS:,} draws, seed {SEED}). Dashed: ${Fraction(FACTOR_BOUND)}$ for a "
                f"single factor and ${Fraction(PRODUCT_BOUND)}$ for the product of two.",
        shows=("snippets/core/gradient_chain.py:chain_gradient_ratios",))
def univariate_factors(draws):
    """Histograms of the two middle factors and of their product (figure 2.4)."""
    fig, ax = style.new_figure()
    factors = draws["factors"]
    bins = np.linspace(-6, 0.5, 80)
    # The prime stays outside $…$: mathtext would write it as "0" of a TeX font (cmsy10).
    series = [(r"$|w_2\,\sigma$′$(z_2)|$", factors[:, 1]),
              (r"$|w_3\,\sigma$′$(z_3)|$", factors[:, 2]),
              ("product of both", factors[:, 1] * factors[:, 2])]
    for color, (label, values) in zip(style.colors(), series):
        ax.hist(np.log10(values), bins=bins, histtype="step", lw=1.8, color=color, label=label)
    for level in (FACTOR_BOUND, PRODUCT_BOUND):
        ax.axvline(np.log10(level), color=style.muted(), ls="--", lw=1)
    ax.set(xlabel=r"$\log_{10}$ of the factor", ylabel="draws")
    style.legend(ax, loc="upper left")
    return fig
# --8<-- [end:univariate-factors]


@quoted("normal-weights-outside-unit-interval-exact")
def _outside_exact():
    return f"{100 * exact_share_outside_unit_interval():.1f} %"


@quoted("normal-weights-outside-unit-interval-sampled")
def _outside_sampled():
    return f"{100 * sampled_share_outside_unit_interval():.1f} %"


@quoted("univariate-factor-above-quarter")
def _above_quarter():
    return f"{100 * share_of_factors_above_bound():.1f} %"


@quoted("univariate-product-above-sixteenth")
def _product_above():
    return f"{100 * share_of_products_above_bound():.1f} %"


@quoted("univariate-product-median")
def _product_median():
    return scientific(np.median(middle_product()))


@quoted("univariate-chain-table")
def _chain_table():
    draw = example_draw()
    w1, w2, w3 = draw["weights"]
    header = (f"Draw (seed {SEED}): $w_1 = {w1:+.3f}$, $w_2 = {w2:+.3f}$, "
              f"$w_3 = {w3:+.3f}$, $x = {draw['x']:+.3f}$, target {draw['target']:g}.\n\n")
    rows = [[name, f"{value:+.4f}"] for name, value in draw["factors"].items()]
    rows.append(["**product** $\\partial J/\\partial w_1$", f"**{draw['product']:+.2e}**"])
    return header + markdown_table(["factor", "value"], rows)
