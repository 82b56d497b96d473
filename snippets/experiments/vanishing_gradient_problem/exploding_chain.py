"""Nielsen's exploding-gradient construction: one-neuron sigmoid chains whose weights all equal
w and whose biases hold every pre-activation at 0, where σ′ = 1/4, so each layer multiplies the
gradient by exactly w/4 (chapter 2, figure 2.7). Deterministic."""

from snippets.core import gradient_chain as chain
from snippets.experiments import experiment

CHAIN_DEPTH = 10
CHAIN_WEIGHTS = (2.0, 4.0, 8.0, 100.0)


@experiment
def exploding_ratios():
    """{w: ρ_r for r = 1 … CHAIN_DEPTH} of the chain whose weights all equal w."""
    ratios = {}
    for weight in CHAIN_WEIGHTS:
        weights, biases, inputs = chain.exploding_chain(weight, CHAIN_DEPTH)
        ratios[weight] = chain.chain_gradient_ratios(weights, inputs, biases)[0]
    return ratios
