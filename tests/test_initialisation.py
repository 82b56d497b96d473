"""Each initialisation against its defining variance, estimated from samples (a second method)."""

import math

import numpy as np
import pytest

from snippets.core import initialisation


@pytest.mark.parametrize("law, fan_in, fan_out, variance", [
    ("lecun", 50, 20, 1 / 50),
    ("he", 50, 20, 2 / 50),
    ("standard_uniform", 50, 20, 1 / (3 * 50)),       # U[±1/√n] has variance 1/(3n)
    ("glorot_uniform", 50, 20, 2 / (50 + 20)),        # Glorot & Bengio's eq. 16
    ("unit_normal", 50, 20, 1.0),
])
def test_weight_laws_have_their_published_variances(law, fan_in, fan_out, variance):
    rng = np.random.default_rng(0)
    samples = np.concatenate([initialisation.draw_weights(rng, law, fan_in, fan_out).ravel()
                              for _ in range(400)])
    # Sample variance of n draws: relative standard error about √(2/n) (normal), less (uniform).
    assert samples.var() == pytest.approx(variance, rel=4 * math.sqrt(2 / samples.size))
    assert abs(samples.mean()) < 4 * math.sqrt(variance / samples.size)


def test_bad_fans_and_laws_raise_value_errors_naming_them():
    with pytest.raises(ValueError, match="fan_in"):
        initialisation.he_std(0)
    with pytest.raises(ValueError, match="fan_out"):
        initialisation.glorot_bound(3, -1)
    with pytest.raises(ValueError, match="law"):
        initialisation.draw_weights(np.random.default_rng(0), "orthogonal", 3, 3)
