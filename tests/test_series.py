import math

import sympy

from snippets.core import series
from snippets.experiments.initialisation_and_variance.taylor_series import ARTICLE_SERIES


def _tanh_by_bernoulli(order):
    """tanh z = Σ_{n≥1} 2^{2n}(2^{2n} − 1) B_{2n} z^{2n−1} / (2n)!  (a closed form)."""
    coefficients = [sympy.Integer(0)] * (order + 1)
    for n in range(1, order // 2 + 2):
        if 2 * n - 1 <= order:
            coefficients[2 * n - 1] = (sympy.Integer(2) ** (2 * n) * (2 ** (2 * n) - 1)
                                       * sympy.bernoulli(2 * n) / sympy.factorial(2 * n))
    return coefficients


def test_tanh_series_matches_the_bernoulli_closed_form():
    assert series.taylor_coefficients("tanh", 11) == _tanh_by_bernoulli(11)


def test_sigmoid_series_is_half_plus_half_tanh_of_half_z():
    tanh = _tanh_by_bernoulli(9)
    expected = [sympy.Rational(1, 2) * c / 2 ** k for k, c in enumerate(tanh)]
    expected[0] += sympy.Rational(1, 2)
    assert series.taylor_coefficients("sigmoid", 9) == expected
    # The rescaled sigmoid 4σ − 2 is 2 tanh(z/2).
    assert series.taylor_coefficients("rescaled_sigmoid", 9) == \
        [2 * c / 2 ** k for k, c in enumerate(tanh)]


def test_article_sigmoid_series_holds_and_tanh_cubic_term_has_the_wrong_sign():
    assert series.taylor_coefficients("sigmoid", 3) == ARTICLE_SERIES["sigmoid"]
    exact = series.taylor_coefficients("tanh", 3)
    assert exact[3] == sympy.Rational(-1, 3) and ARTICLE_SERIES["tanh"][3] == sympy.Rational(1, 3)
    # Numerically: at z = 0.3 the article's cubic is further from tanh than the linear term.
    z = 0.3
    article = z + z ** 3 / 3
    correct = z - z ** 3 / 3
    assert abs(correct - math.tanh(z)) < 1e-3 < abs(article - math.tanh(z))


def test_latex_of_the_series():
    text = series.series_latex(series.taylor_coefficients("sigmoid", 3))
    assert text.startswith("\\frac{1}{2} + \\frac{z}{4}") and text.endswith("O(z^{4})")
