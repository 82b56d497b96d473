"""Exact Taylor series of activation functions around 0, computed symbolically with sympy
(chapter 3)."""

import sympy

from snippets.core.validation import require_int

X = sympy.Symbol("x")

EXPRESSIONS = {
    "sigmoid": 1 / (1 + sympy.exp(-X)),
    "tanh": sympy.tanh(X),
    "rescaled_sigmoid": 4 / (1 + sympy.exp(-X)) - 2,
}


# --8<-- [start:taylor_coefficients]
def taylor_coefficients(name, order=7):
    """Exact rational coefficients c_0 … c_order of the Maclaurin series f(x) = Σ c_k x^k."""
    if name not in EXPRESSIONS:
        raise ValueError(f"name must be one of {sorted(EXPRESSIONS)}, got {name!r}")
    order = require_int("order", order, minimum=0, maximum=40)
    polynomial = sympy.series(EXPRESSIONS[name], X, 0, order + 1).removeO()
    return [sympy.Rational(polynomial.coeff(X, k)) for k in range(order + 1)]


def series_latex(coefficients):
    """The series as LaTeX, e.g. "\\frac{1}{2} + \\frac{x}{4} - \\frac{x^{3}}{48} + O(x^{8})"."""
    terms = sum(c * X ** k for k, c in enumerate(coefficients))
    order = len(coefficients)
    return sympy.latex(terms, order="rev-lex") + f" + O(x^{{{order}}})"
# --8<-- [end:taylor_coefficients]
