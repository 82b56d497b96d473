"""Does ReLU's sparsity reduce the computation? The work of passing a ReLU layer's output to
the next layer, counted as the multiply-adds actually performed: by a dense product, which
multiplies every entry, and by a compressed (CSR-style) product, which visits only the
non-zero entries (chapter 4). The layer is chapter 1's: He-initialised, HIDDEN_UNITS ReLU
units, zero biases, on the digits, the next layer as wide. Operations are counted, not
timed: a count is the same on every machine."""

import numpy as np

from snippets.core import relu_unit
from snippets.core.data import digits_pixels
from snippets.core.statistics import spawn_generators
from snippets.experiments import experiment
from snippets.experiments.why_relu_works.dying_unit import HIDDEN_UNITS, SEED, SPARSITY_SEEDS

NEXT_UNITS = HIDDEN_UNITS


def _compressed_product(activations, weights):
    """activations @ weights computed row by row from the non-zero entries only, as a CSR
    kernel does, and the number of multiply-adds it performed."""
    result = np.zeros((activations.shape[0], weights.shape[1]))
    multiply_adds = 0
    for row, values in enumerate(activations):
        columns = np.flatnonzero(values)                    # the row's stored entries
        result[row] = values[columns] @ weights[columns]
        multiply_adds += columns.size * weights.shape[1]    # one per entry and output
    return result, multiply_adds


@experiment
def sparse_cost():
    """Per seed: {"dense": multiply-adds of the dense product, "compressed": those of the
    compressed one, "zeros": share of exact zeros in the layer's output, "agreement": largest
    |compressed − dense| over the product's entries}."""
    pixels = digits_pixels()
    runs = {"dense": [], "compressed": [], "zeros": [], "agreement": []}
    for rng in spawn_generators(SEED, SPARSITY_SEEDS):
        weights, biases = relu_unit.he_normal_layer(rng, pixels.shape[1], HIDDEN_UNITS)
        hidden = np.maximum(pixels @ weights + biases, 0.0)
        following = rng.normal(0.0, np.sqrt(2.0 / HIDDEN_UNITS), size=(HIDDEN_UNITS, NEXT_UNITS))
        compressed, count = _compressed_product(hidden, following)
        runs["dense"].append(hidden.size * NEXT_UNITS)
        runs["compressed"].append(count)
        runs["zeros"].append(np.mean(hidden == 0.0))
        runs["agreement"].append(np.max(np.abs(compressed - hidden @ following)))
    return {key: np.array(values) for key, values in runs.items()}
