"""ReLU units dying during training, by learning rate and by the initial bias (chapter 4,
figure 4.2), over several seeds."""

import functools

import numpy as np

from snippets.experiments import experiment
from snippets.experiments.dying_relus.digits_training import (
    inactive_shares,
    pixels_and_targets,
    relu_networks,
    seed_generators,
    train,
)

RATES = (0.1, 0.3, 1.0, 2.0)
BIASES = (0.0, -0.5, -1.0)
BASE_RATE = 0.1


@experiment
def dying_runs():
    """{"rate": {η: shares}, "bias": {b: shares}}: shares has shape (seeds, epochs + 1), the
    share of hidden units inactive on every image after each epoch. "rate" runs start from
    zero biases; "bias" runs use learning rate BASE_RATE."""
    inputs, targets = pixels_and_targets()

    @functools.cache  # (BASE_RATE, bias 0) belongs to both sweeps: train it once
    def run(rate, bias):
        generators = seed_generators()
        _, _, shares = train(relu_networks(generators, hidden_bias=bias), generators, rate,
                             inputs, targets, record=lambda n: inactive_shares(n, inputs))
        return np.stack(shares, axis=-1)

    return {"rate": {rate: run(rate, 0.0) for rate in RATES},
            "bias": {bias: run(BASE_RATE, bias) for bias in BIASES}}
