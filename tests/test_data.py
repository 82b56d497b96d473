import numpy as np

from snippets.core.data import digits_labels, digits_pixels


def test_digits_match_scikit_learns_own_loader():
    from sklearn.datasets import load_digits

    reference = load_digits()
    np.testing.assert_array_equal(digits_pixels() * 16.0, reference.data)
    np.testing.assert_array_equal(digits_labels(), reference.target)
    assert digits_pixels().min() == 0.0 and digits_pixels().max() == 1.0
