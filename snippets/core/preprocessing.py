"""Input standardisation (LeCun et al. 1998) and its effect on first-layer gradients
(chapter 3)."""

import numpy as np

from snippets.core.validation import MAX_MAGNITUDE, require_array


# --8<-- [start:standardise]
def standardise(inputs):
    """Shift and scale every input feature to mean 0 and variance 1 over the data set.

    Features with zero variance (always-blank pixels) are only centred.
    """
    inputs = require_array("inputs", inputs, ndim=2, minimum=-MAX_MAGNITUDE,
                           maximum=MAX_MAGNITUDE)
    mean = inputs.mean(axis=0)
    centred = inputs - mean
    spread = centred.std(axis=0)
    # A constant feature's mean is rounded, so its centred values are rounding residue (a
    # spread of a few ulps of the mean): it counts as constant and stays only centred, at 0.
    # tolerance mutant (17 for 16), not an equivalent one: any factor well above the residue's
    # few ulps and far below a real feature's spread decides every input here alike.
    constant = spread <= 16 * np.finfo(np.float64).eps * np.abs(mean)
    # equivalent mutant (2.0 for 1.0): a constant feature's centred entries are zeroed.
    return np.where(constant, 0.0, centred / np.where(constant, 1.0, spread))


def same_sign_share(inputs):
    """Share of examples whose non-zero input features all have the same sign.

    For such an example the gradient with respect to the weights into a first-layer unit,
    δ_j x, has all its components of one sign (that of δ_j): every update then moves those
    weights all up or all down together (LeCun et al. 1998, section 4.3).
    """
    inputs = require_array("inputs", inputs, ndim=2)
    nonzero = inputs != 0
    # equivalent mutants (>= 0, <= 0 below): zeros already count through ~nonzero.
    positive = np.all((inputs > 0) | ~nonzero, axis=1)
    negative = np.all((inputs < 0) | ~nonzero, axis=1)
    return float(np.mean(positive | negative))
# --8<-- [end:standardise]
