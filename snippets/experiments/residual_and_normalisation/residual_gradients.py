"""The squared gradient per layer in plain and residual networks at initialisation (figure
6.1): simulated wide networks of depth DEPTH against the mean-field recursions of
snippets/core/deep_networks.residual_mean_field (after Yang & Schoenholz 2017), for tanh at
Glorot & Bengio's standard initialisation and ReLU at Xavier's — both in the ordered phase of
chapter 5, where plain networks lose their gradient exponentially."""

import math

import numpy as np

from snippets.core import deep_networks
from snippets.core.statistics import spawn_generators
from snippets.core.validation import require_generators, require_int
from snippets.experiments import experiment

SEED = 2017
DEPTH = 100
WIDTH = 200
EXAMPLES = 8
SEEDS = 4
# σ_w² per activation: tanh at U[±1/√n]'s 1/3, ReLU at Xavier's 1 (χ₁ = 1/3 and 1/2).
WEIGHT_VARIANCE = {"tanh": 1 / 3, "relu": 1.0}
# (name, residual, branch scale α): α = 0 (ReZero, SkipInit) is exact, computed, not simulated.
VARIANTS = (("plain", False, 1.0), ("residual", True, 1.0),
            ("scaled", True, 1 / math.sqrt(DEPTH)))
# Depths of the mean-field scan (ReLU's residual signal passes 1e100 by about 600 layers).
SCAN_DEPTHS = (25, 100, 400)


def stream_error_logs(rng_list, activation, weight_variance, residual, branch_scale,
                      width=WIDTH, depth=DEPTH, examples=EXAMPLES):
    """ln of the mean squared stream error ‖δx^l‖²/N at l = 1 … depth relative to the top,
    one row per generator: networks of ``depth`` hidden layers of ``width`` units, top errors
    N(0, 1) drawn from each network's own generator after its weights, and the same inputs
    N(0, 1) for all (drawn from the first generator after that)."""
    generators = require_generators("rng_list", rng_list)
    width = require_int("width", width, minimum=1, maximum=2_000)
    depth = require_int("depth", depth, minimum=2, maximum=1_000)
    examples = require_int("examples", examples, minimum=1, maximum=1_000)
    network = deep_networks.init_network(generators, [width] * (depth + 1) + [width],
                                         activation, weight_variance, 0.0, residual,
                                         branch_scale)
    top = np.stack([rng.standard_normal((examples, width)) for rng in generators])
    inputs = generators[0].standard_normal((examples, width))
    errors = deep_networks.backward(network, inputs, top)["errors"][1:]
    squares = np.stack([np.mean(e ** 2, axis=(-2, -1)) for e in errors], axis=-1)
    if not np.all((squares > 0) & np.isfinite(squares)):
        raise ValueError(f"weight_variance={weight_variance} and depth={depth} must keep the "
                         f"squared error of every layer within float64")
    return np.log(squares) - np.log(squares[:, -1:])


def predicted_logs(activation, weight_variance, residual, branch_scale, depth=DEPTH):
    """The mean-field ln ‖δx^l‖²/‖δx^L‖² at l = 1 … depth (inputs of mean square 1, no
    biases): the sums of ln r^k over the layers above l."""
    _, factors = deep_networks.residual_mean_field(activation, weight_variance, 0.0, depth,
                                                   1.0, residual, branch_scale)
    return np.append(np.cumsum(np.log(factors)[::-1])[::-1], 0.0)


@experiment
def gradient_profiles():
    """{(activation, variant): {"measured": (SEEDS, DEPTH) logs, "predicted": (DEPTH,)}}.
    Setting k of the sweep simulates with generators spawn_generators(SEED + k, SEEDS)."""
    results = {}
    settings = [(activation, variant) for activation in WEIGHT_VARIANCE for variant in VARIANTS]
    for k, (activation, (name, residual, scale)) in enumerate(settings):
        weight_variance = WEIGHT_VARIANCE[activation]
        results[activation, name] = {
            "measured": stream_error_logs(spawn_generators(SEED + k, SEEDS), activation,
                                          weight_variance, residual, scale),
            "predicted": predicted_logs(activation, weight_variance, residual, scale)}
    return results


@experiment
def depth_scan():
    """{(activation, variant): ln of the squared gradient at layer 1 relative to the top, at
    each of SCAN_DEPTHS}, from the mean-field recursions (the branch scale of "scaled" is
    1/√L at each depth L)."""
    scan = {}
    for activation, weight_variance in WEIGHT_VARIANCE.items():
        for name, residual, scale in VARIANTS:
            scan[activation, name] = np.array([
                predicted_logs(activation, weight_variance, residual,
                               1 / math.sqrt(depth) if name == "scaled" else scale, depth)[0]
                for depth in SCAN_DEPTHS])
    return scan
