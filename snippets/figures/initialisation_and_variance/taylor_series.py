"""Quoted series and the comparison table of the Taylor-expansion argument: section "The
Taylor-expansion argument" of chapter 3 (initialisation-and-variance.md). No figure."""

import sympy

from snippets.core import series
from snippets.experiments.initialisation_and_variance.taylor_series import (
    article_comparison,
    exact_series,
)
from snippets.figures.formatting import markdown_table
from snippets.figures.registry import quoted


@quoted("taylor-sigmoid")
def _taylor_sigmoid():
    return series.series_latex(exact_series()["sigmoid"])


@quoted("taylor-tanh")
def _taylor_tanh():
    return series.series_latex(exact_series()["tanh"])


@quoted("taylor-rescaled-sigmoid")
def _taylor_rescaled():
    return series.series_latex(exact_series()["rescaled_sigmoid"])


@quoted("taylor-comparison-table")
def _comparison():
    rows = [[name, f"$z^{power}$", f"${sympy.latex(theirs)}$", f"${sympy.latex(ours)}$",
             "agrees" if agrees else "**differs**"]
            for name, power, theirs, ours, agrees in article_comparison()]
    return markdown_table(["function", "term", "article", "exact (sympy)", "verdict"], rows,
                          align="llrrl")
