"""The article's univariate network x → h1 → h2 → out with weights and input drawn from
N(0, 1): one seeded draw worked through factor by factor, and the back-propagation factors
|w_t σ′(z_t)| over many draws, against the article's bounds 1/4 per factor and 1/16 for the
product of the two middle ones (chapter 2, figure 2.4)."""

import math

import numpy as np

from snippets.core import gradient_chain as chain
from snippets.experiments import experiment

SEED = 0
DRAWS = 200_000
TARGET = 1.0                         # the worked example's target y
FACTOR_BOUND = 0.25                  # the article's bound on one factor |w σ′(z)|
PRODUCT_BOUND = FACTOR_BOUND ** 2    # … and on the product of the two middle factors


@experiment
def example_draw():
    """One draw (seed SEED) of w1, w2, w3 and x ~ N(0, 1): {"weights", "x", "factors" of
    ∂J/∂w1 by name, "product" ∂J/∂w1}, for the target TARGET."""
    rng = np.random.default_rng(SEED)
    weights = rng.standard_normal(3)
    x = float(rng.standard_normal())
    factors, product = chain.first_weight_gradient(weights, x, TARGET)
    return {"weights": weights, "x": x, "target": TARGET, "factors": factors,
            "product": product}


@experiment
def univariate_draws():
    """Over DRAWS draws w ~ N(0, 1), x ~ N(0, 1) (seed SEED): {"weights" (DRAWS, 3),
    "factors" |w_t σ′(z_t)| (DRAWS, 3)}."""
    rng = np.random.default_rng(SEED)
    weights, inputs = chain.sample_chain(rng, DRAWS, 3, weight_scale=1.0)
    return {"weights": weights, "factors": chain.chain_factors(weights, inputs)}


def middle_product():
    """|w2 σ′(z2)| · |w3 σ′(z3)| of every draw."""
    factors = univariate_draws()["factors"]
    return factors[:, 1] * factors[:, 2]


def exact_share_outside_unit_interval():
    """P(|w| > 1) for w ~ N(0, 1), erfc(1/√2)."""
    return math.erfc(1 / math.sqrt(2))


def sampled_share_outside_unit_interval():
    """Share of the drawn weights with |w| > 1."""
    return float(np.mean(np.abs(univariate_draws()["weights"]) > 1))


def share_of_factors_above_bound():
    """Share of the middle factors |w2 σ′(z2)|, |w3 σ′(z3)| above FACTOR_BOUND."""
    return float(np.mean(univariate_draws()["factors"][:, 1:] > FACTOR_BOUND))


def share_of_products_above_bound():
    """Share of the two-factor products above PRODUCT_BOUND."""
    return float(np.mean(middle_product() > PRODUCT_BOUND))
