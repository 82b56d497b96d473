"""Dead ReLU units during training, networks born dead, and initialisations against them
(chapter 4).

A hidden unit is *inactive on a data set* when its pre-activation z is ≤ 0 on every example;
for ReLU such a unit is dead: its output and every gradient through it are exactly 0. A
network is *born dead* when, at initialisation, it computes a constant function.
"""

import math

import numpy as np

from snippets.core.initialisation import he_std
from snippets.core.validation import (
    MAX_ELEMENTS,
    MAX_OPERATIONS,
    STEP_COST,
    real_array,
    require_budget,
    require_choice,
    require_generator,
    require_int,
    require_sizes,
)


# --8<-- [start:inactive_share]
def inactive_share(pre_activations):
    """Share of hidden units whose pre-activation is ≤ 0 on every example, over all the
    hidden layers given (each an array of shape (examples, units), or (networks, examples,
    units) for stacked networks, which gives one share per network).

    NaN propagates: a network with a NaN pre-activation (a diverged run) gets the share NaN,
    never a plausible number.
    """
    if not isinstance(pre_activations, (list, tuple)) or not pre_activations:
        raise ValueError("pre_activations must be a non-empty list of arrays "
                         "(examples, units) or (networks, examples, units)")
    layers = [real_array("pre_activations", z) for z in pre_activations]
    leading = layers[0].shape[:-1]
    for z in layers:
        if z.ndim not in (2, 3) or z.shape[:-1] != leading or z.size == 0:
            raise ValueError(f"pre_activations must share their leading shape (networks, "
                             f"examples) and hold units, got shapes {[a.shape for a in layers]}")
    inactive = [np.all(z <= 0, axis=-2) for z in layers]
    share = np.concatenate(inactive, axis=-1).mean(axis=-1)
    diverged = np.any([np.isnan(z).any(axis=(-2, -1)) for z in layers], axis=0)
    share = np.where(diverged, np.nan, share)
    return float(share) if share.ndim == 0 else share
# --8<-- [end:inactive_share]


# --8<-- [start:born_dead]
def single_input_dead_probability(width, depth):
    """P(some hidden layer outputs all zeros for one fixed input x ≠ 0), zero biases and
    weights from any continuous symmetric law: 1 − (1 − 2^{−width})^{depth}.

    Given a non-zero, non-negative input to a layer, its width pre-activations are
    independent and symmetric, so the layer is all zero with probability 2^{−width},
    independently of the layers below.
    """
    width = require_int("width", width, minimum=1)
    # equivalent mutant (minimum dropped): 0 is require_int's default minimum.
    depth = require_int("depth", depth, minimum=0)
    return 1.0 - (1.0 - 0.5 ** width) ** depth


def sample_layer(rng, count, fan_in, width, init):
    """Weights (count, fan_in, width) and biases (count, 1, width) of ``count`` layers.

    "he": W ~ N(0, 2/fan_in), b = 0. "rai" (randomized asymmetric initialisation, after
    Lu et al. 2019): in every unit one parameter among its fan_in weights and its bias, chosen
    uniformly, is drawn positive from Beta(2, 1); the other weights are N(0, σ²) with
    σ² = (2 − E[ξ²]) / fan_in = 1.5 / fan_in, ξ ~ Beta(2, 1); the other biases are 0. Each weight
    then has E[w²] = 2 / (fan_in + 1): a fraction fan_in / (fan_in + 1) of He's 2 / fan_in, so
    the unit's expected squared norm (2 fan_in + ½) / (fan_in + 1) reaches He's 2 only for wide
    layers (1.25 at fan_in = 1).
    """
    rng = require_generator("rng", rng)
    count = require_int("count", count, minimum=1, maximum=1_000_000)
    fan_in = require_int("fan_in", fan_in, minimum=1, maximum=100_000)
    width = require_int("width", width, minimum=1, maximum=100_000)
    init = require_choice("init", init, ("he", "rai"))
    # Drawn, concatenated and split: about three arrays of this size at once.
    require_budget("3 × count × (fan_in + 1) × width", 3 * count * (fan_in + 1) * width,
                   MAX_ELEMENTS)
    if init == "he":
        return (rng.normal(0.0, he_std(fan_in), size=(count, fan_in, width)),
                np.zeros((count, 1, width)))
    # σ² = (2 − E[ξ²]) / fan_in, with E[ξ²] = 1/2 for ξ ~ Beta(2, 1).
    spread = math.sqrt(1.5 / fan_in)
    parameters = np.concatenate([rng.normal(0.0, spread, size=(count, fan_in, width)),
                                 np.zeros((count, 1, width))], axis=1)
    # equivalent mutant (low 0 dropped): integers(n) draws from [0, n), the same numbers.
    chosen = rng.integers(0, fan_in + 1, size=(count, 1, width))
    np.put_along_axis(parameters, chosen, rng.beta(2.0, 1.0, size=(count, 1, width)), axis=1)
    return parameters[:, :fan_in, :], parameters[:, fan_in:, :]


def born_dead_share(rng, width, depth, trials, init="he", grid=64, batch=2000):
    """Monte Carlo share of networks 1 → width → … → width (``depth`` hidden ReLU layers,
    initialised by ``init``, see :func:`sample_layer`) that are constant on a grid of ``grid``
    inputs in [−1, 1].

    All ``trials`` networks are simulated at once in batches. Returns (born dead count,
    count dead at the single input x = 1).
    """
    rng = require_generator("rng", rng)
    width = require_int("width", width, minimum=1, maximum=100_000)
    depth = require_int("depth", depth, minimum=1, maximum=10_000)
    trials = require_int("trials", trials, minimum=1, maximum=100_000_000)
    init = require_choice("init", init, ("he", "rai"))
    grid = require_int("grid", grid, minimum=2, maximum=100_000)
    batch = require_int("batch", batch, minimum=1, maximum=1_000_000)
    _born_dead_budget(width, depth, trials, grid, batch)
    x = np.linspace(-1.0, 1.0, grid)
    dead, dead_at_one = 0, 0
    for start in range(0, trials, batch):
        count = min(batch, trials - start)
        a = np.broadcast_to(x[None, :, None], (count, x.size, 1))
        fan_in = 1
        for _ in range(depth):
            w, b = sample_layer(rng, count, fan_in, width, init)
            a = np.maximum(a @ w + b, 0.0)
            fan_in = width
        constant = np.all(np.ptp(a, axis=1) == 0.0, axis=1)
        dead += int(constant.sum())
        dead_at_one += int(np.all(a[:, -1, :] == 0.0, axis=1).sum())
    return dead, dead_at_one
# --8<-- [end:born_dead]


def _born_dead_budget(width, depth, trials, grid, batch):
    """A layer of one batch holds a^l, a^{l−1} W + b and the drawn weights at once; each
    layer costs a product of 2 · grid · width² and about 20 operations per drawn weight."""
    require_budget("3 × batch × width × (grid + width + 1) of batch, grid and width",
                   3 * batch * width * (grid + width + 1), MAX_ELEMENTS)
    batches = -(-trials // batch)
    require_budget("trials × depth × width² × (2 × grid + 20) of trials, depth, width and grid, "
                   "plus STEP_COST per layer of each batch",
                   trials * depth * width * width * (2.0 * grid + 20) + batches * depth * STEP_COST,
                   MAX_OPERATIONS)


def rai_network(rng, sizes, output="softmax"):
    """A ReLU :class:`~snippets.networks.Network` whose hidden layers use the randomized
    asymmetric initialisation of :func:`sample_layer` (output layer: He, zero bias)."""
    from snippets.core.networks import Network

    rng = require_generator("rng", rng)
    sizes = require_sizes("sizes", sizes)
    require_budget("3 × the parameters (n_0 + 1) n_1 + … + (n_{L−1} + 1) n_L of sizes",
                   3 * sum((n_in + 1) * n_out for n_in, n_out in zip(sizes[:-1], sizes[1:])),
                   MAX_ELEMENTS)
    output = require_choice("output", output, ("sigmoid", "softmax"))
    weights, biases = [], []
    for layer, (fan_in, width) in enumerate(zip(sizes[:-1], sizes[1:])):
        init = "he" if layer == len(sizes) - 2 else "rai"
        w, b = sample_layer(rng, 1, fan_in, width, init)
        weights.append(w[0])
        biases.append(b[0, 0])
    return Network(weights, biases, "relu", output)
