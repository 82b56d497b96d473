"""Exact Taylor series of activation functions around 0, computed symbolically with sympy
(chapter 3)."""

import math
import numbers

import sympy

from snippets.core.validation import require_choice, require_int

Z = sympy.Symbol("z")  # the pre-activation, as the chapters write it

EXPRESSIONS = {
    "sigmoid": 1 / (1 + sympy.exp(-Z)),
    "tanh": sympy.tanh(Z),
    "rescaled_sigmoid": 4 / (1 + sympy.exp(-Z)) - 2,
}


# --8<-- [start:taylor_coefficients]
def taylor_coefficients(name, order=7):
    """Exact rational coefficients c_0 … c_order of the Maclaurin series f(z) = Σ c_k z^k."""
    name = require_choice("name", name, tuple(EXPRESSIONS))
    # equivalent mutant (minimum dropped): 0 is require_int's default minimum.
    order = require_int("order", order, minimum=0, maximum=40)
    # equivalent mutants (Z or 0 replaced by None: sympy then takes the expression's one
    # symbol, and the point 0; order + 2: the extra term is cut by range(order + 1) below).
    polynomial = sympy.series(EXPRESSIONS[name], Z, 0, order + 1).removeO()
    return [sympy.Rational(polynomial.coeff(Z, k)) for k in range(order + 1)]


def series_latex(coefficients):
    """The series as LaTeX, e.g. "\\frac{1}{2} + \\frac{z}{4} - \\frac{z^{3}}{48} + O(z^{8})".

    ``coefficients`` c_0 … c_k are finite real numbers: integers, fractions, sympy rationals
    or floats.
    """
    if not isinstance(coefficients, (list, tuple)) or not coefficients \
            or not all(_finite_real(c) for c in coefficients):
        raise ValueError(f"coefficients must be a non-empty list of finite real numbers, "
                         f"got {coefficients!r}")
    terms = sum(c * Z ** k for k, c in enumerate(coefficients))
    order = len(coefficients)
    return sympy.latex(terms, order="rev-lex") + f" + O(z^{{{order}}})"
# --8<-- [end:taylor_coefficients]


def _finite_real(value):
    if isinstance(value, sympy.Basic):
        return bool(value.is_real and value.is_finite)
    return isinstance(value, numbers.Real) and not isinstance(value, bool) \
        and math.isfinite(value)
