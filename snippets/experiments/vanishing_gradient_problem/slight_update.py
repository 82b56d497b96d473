"""How much can a 1 % change of the weights change a deep ReLU network's output? Scaling every
weight by 1.01 multiplies it by exactly 1.01^(L+1) (positive homogeneity); moving each weight
matrix by 1 % of its own size in the worst direction — along the gradient of the output's size,
as an update computed on the wrong examples might — multiplies it by far more (chapter 2)."""

import numpy as np

from snippets.core import networks
from snippets.core.statistics import spawn_generators
from snippets.experiments import experiment

SEED = 51
SEEDS = 5
WIDTH = 100
HIDDEN_LAYERS = 50
EXAMPLES = 64
STEPS = (0.001, 0.01)  # ε: each matrix moves by ε times its Frobenius norm


def output_size_gradient(network, inputs):
    """(log ‖z^L‖², its gradient with respect to each weight matrix), z^L the output layer's
    pre-activations: back-propagation of δ^L = 2 z^L / ‖z^L‖² through
    δ^l = (δ^{l+1} W^{l+1}ᵀ) ⊙ φ′(z^l), ∂/∂W^l = a^{l−1}ᵀ δ^l."""
    pre, activations, slopes = networks.forward(network, inputs)
    output = pre[-1]
    size = float(np.sum(output ** 2))
    delta = 2.0 * output / size
    grads = [None] * len(network.weights)
    for layer in range(len(network.weights) - 1, -1, -1):
        grads[layer] = activations[layer].T @ delta
        if layer > 0:
            delta = (delta @ network.weights[layer].T) * slopes[layer - 1]
    return np.log(size), grads


def _output_factor(network, changed, inputs):
    """‖z^L‖ of ``changed`` over ‖z^L‖ of ``network``, on ``inputs``."""
    def size(net):
        # equivalent mutants (derivatives=True or dropped): z^L does not depend on whether φ′
        # is computed as well.
        return np.linalg.norm(networks.forward(net, inputs, derivatives=False)[0][-1])
    return size(changed) / size(network)


@experiment
def slight_updates():
    """{ε: (uniform factor, worst-direction factor) per seed}: the output's growth when every
    weight is scaled by 1 + ε, and when each matrix moves by ε‖W‖_F along the gradient of
    log ‖z^L‖²."""
    results = {step: [] for step in STEPS}
    for rng in spawn_generators(SEED, SEEDS):
        inputs = rng.standard_normal((EXAMPLES, WIDTH))
        network = networks.init_network(rng, [WIDTH] * (HIDDEN_LAYERS + 1) + [10],
                                        weights="he", bias_std=0.0, hidden="relu")
        _, grads = output_size_gradient(network, inputs)
        for step in STEPS:
            uniform, worst = network.copy(), network.copy()
            uniform.weights = [(1 + step) * w for w in network.weights]
            worst.weights = [w + step * np.linalg.norm(w) * g / np.linalg.norm(g)
                             for w, g in zip(network.weights, grads)]
            results[step].append((_output_factor(network, uniform, inputs),
                                  _output_factor(network, worst, inputs)))
    return {step: np.array(rows) for step, rows in results.items()}
