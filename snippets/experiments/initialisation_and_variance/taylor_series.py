"""The exact Maclaurin series of the sigmoid, tanh and the rescaled sigmoid, computed
symbolically, and the series printed in the source article checked against them (chapter 3,
"Initialisation and variance", section "The Taylor-expansion argument")."""

import sympy

from snippets.core import series
from snippets.experiments import experiment

ORDER = 7                         # highest power of z shown
FUNCTIONS = ("sigmoid", "tanh", "rescaled_sigmoid")
# The source article's series, transcribed as printed (coefficients of z^0 … z^3).
ARTICLE_SERIES = {
    "sigmoid": [sympy.Rational(1, 2), sympy.Rational(1, 4), 0, sympy.Rational(-1, 48)],
    "tanh": [0, 1, 0, sympy.Rational(1, 3)],
}


@experiment
def exact_series():
    """{name: exact rational coefficients c_0 … c_ORDER} for each of FUNCTIONS."""
    return {name: series.taylor_coefficients(name, ORDER) for name in FUNCTIONS}


@experiment
def article_comparison():
    """One row per printed coefficient: (function, power of z, the article's coefficient, the
    exact one, whether they are equal)."""
    rows = []
    for name, printed in ARTICLE_SERIES.items():
        exact = series.taylor_coefficients(name, len(printed) - 1)
        for power, (theirs, ours) in enumerate(zip(printed, exact)):
            theirs = sympy.Rational(theirs)
            rows.append((name, power, theirs, ours, theirs == ours))
    return rows
