"""How large the back-propagated error is in each layer of a deep network at initialisation:
sigmoid and tanh with Xavier's initialisation against ReLU with He's, on one harness
(chapter 4, figure 4.1); and ReLU against tanh with both at their critical point (the edge of
chaos, chapter 5), so that neither is compared at a marginal scale."""

import numpy as np

from snippets.core import mean_field, networks
from snippets.core.data import digits_labels, digits_pixels
from snippets.core.preprocessing import standardise
from snippets.core.statistics import spawn_generators
from snippets.experiments import experiment

DEPTH = 50
WIDTH = 100
EXAMPLES = 500
SEED = 0
SEEDS = 3
SETUPS = {"sigmoid, Xavier": ("sigmoid", "glorot_uniform"),
          "tanh, Xavier": ("tanh", "glorot_uniform"),
          "ReLU, He": ("relu", "he")}
# Critical points: ReLU's is σ_w² = 2 with zero biases (He); tanh's, at a bias variance σ_b² > 0,
# is the σ_w² where χ₁ = 1 (with σ_b² = 0 it is σ_w² = 1, which deep networks approach only
# slowly, polynomially in depth).
TANH_BIAS_VARIANCE = 0.05
SATURATED_SLOPE = 0.5       # a unit whose φ′ is below this passes back less than half


def _error_sizes(network, inputs, targets):
    """RMS of δ^l per hidden layer and stacked network, shape (DEPTH, SEEDS), and the hidden
    units' derivatives φ′(z^l) of every layer, shape (DEPTH, SEEDS, examples, WIDTH)."""
    _, activations, derivatives = networks.forward(network, inputs)
    deltas = networks.backward(network, derivatives, activations[-1], targets)
    rms = np.array([np.sqrt(np.mean(d ** 2, axis=(-2, -1))) for d in deltas[:-1]])
    return rms, np.array(derivatives)  # forward returns φ′ of the hidden layers only


@experiment
def critical_gradient_flow():
    """{"ReLU, σ_w² = 2" / "tanh, σ_w² = σ_w²*(σ_b²)": {"rms": (DEPTH, SEEDS) RMS of δ^l,
    "saturated": share of hidden units (all layers, examples, seeds) with φ′ < SATURATED_SLOPE
    among those with φ′ > 0, "weight_variance": σ_w²}}: both at their critical point."""
    inputs = standardise(digits_pixels())[:EXAMPLES]
    targets = networks.one_hot(digits_labels()[:EXAMPLES])
    tanh_variance = mean_field.critical_weight_variance("tanh", TANH_BIAS_VARIANCE)
    setups = {"ReLU, σ_w² = 2": ("relu", 2.0, 0.0),
              "tanh, σ_w² = σ_w²*(σ_b²)": ("tanh", tanh_variance, TANH_BIAS_VARIANCE)}
    results = {}
    for label, (hidden, weight_variance, bias_variance) in setups.items():
        # LeCun's law N(0, 1/n) times the gain g has variance g²/n: σ_w² = g².
        network = networks.stack_networks([
            networks.init_network(rng, [64] + [WIDTH] * DEPTH + [10], weights="lecun",
                                  gain=np.sqrt(weight_variance),
                                  bias_std=np.sqrt(bias_variance), hidden=hidden,
                                  output="softmax")
            for rng in spawn_generators(SEED, SEEDS)])
        rms, slopes = _error_sizes(network, inputs, targets)
        active = slopes[slopes > 0]
        results[label] = {"rms": rms, "saturated": float(np.mean(active < SATURATED_SLOPE)),
                          "weight_variance": float(weight_variance)}
    return results


@experiment
def gradient_flow():
    """{setup: RMS of δ^l per hidden layer l = 1 … DEPTH, geometric mean over seeds}."""
    inputs = standardise(digits_pixels())[:EXAMPLES]
    targets = networks.one_hot(digits_labels()[:EXAMPLES])
    flows = {}
    for label, (hidden, law) in SETUPS.items():
        network = networks.stack_networks([
            networks.init_network(rng, [64] + [WIDTH] * DEPTH + [10], weights=law,
                                  bias_std=0.0, hidden=hidden, output="softmax")
            for rng in spawn_generators(SEED, SEEDS)])
        rms, _ = _error_sizes(network, inputs, targets)  # (l, S)
        flows[label] = np.exp(np.mean(np.log(rms), axis=1))
    return flows
