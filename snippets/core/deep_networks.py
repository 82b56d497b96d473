"""Deep networks that keep training: residual connections and normalisation (chapter 6,
Depth without vanishing).

Notation (chapter 6, after chapter 5's): a fully connected network maps its inputs x^0 through
hidden layers l = 1 … L to linear outputs z (the logits of a softmax). x^l is the stream that
runs from layer to layer; hidden layer l computes

    u^l = x^0 (l = 1: the inputs as they are)  or  φ(x^{l−1}) (l ≥ 2),
    a^l = u^l W^l,    n^l = normalise(a^l),
    plain:     x^l = n^l + b^l,
    residual:  x^l = x^{l−1} + α (n^l + b^l)   (when layer l keeps the width: N in, N out),

and z = φ(x^L) W^{L+1} + b^{L+1}, with W^l_{ij} ~ N(0, σ_w²/n_{l−1}) and b^l_i ~ N(0, σ_b²).
Without normalisation the plain network is chapter 5's, x^l = h^l = φ(h^{l−1}) W^l + b^l. The
residual branch applies φ before its weights (He et al.'s "pre-activation" order), so what it
adds to the stream has mean zero whatever φ. The branch scale α is 1 in the residual networks
of He et al. (2016), 1/√L in the scaled ones, 0 at the start of ReZero and SkipInit.
``normalise`` is the identity, batch normalisation (each unit over the examples of a
mini-batch; Ioffe & Szegedy 2015) or layer normalisation (each example over its units; Ba,
Kiros & Hinton 2016):

    n = (a − mean(a)) / √(var(a) + ε),    ε = EPSILON,

the mean and the (biased) variance taken over the examples (batch) or the units (layer). The
bias b^l is added after the normalisation, where it plays the part of batch normalisation's
shift β; the gain γ is fixed at 1 (its value at initialisation).

Back-propagation: δx^L = (δz (W^{L+1})ᵀ) ⊙ φ′(x^L) from δz = ∂C/∂z, and for l = L … 1

    δ^l = (α or 1) δx^l,    ∂C/∂b^l = Σ_examples δ^l,
    δa^l = (δ^l − mean(δ^l) − n^l · mean(δ^l ⊙ n^l)) / √(var(a^l) + ε)   (normalised),
    ∂C/∂W^l = (u^l)ᵀ δa^l,
    δx^{l−1} = (δa^l (W^l)ᵀ) ⊙ φ′(x^{l−1})   (no φ′ at l = 1)   [+ δx^l when residual].

Several networks can be stacked along a leading axis (one per seed) and run as one on the
same examples: every weight then has shape (S, n_in, n_out), every bias (S, n_out), inputs
(B, n); what comes out has the leading axis S.
"""

import dataclasses
import math

import numpy as np

from snippets.core import activations, mean_field
from snippets.core.validation import (
    MAX_ELEMENTS,
    MAX_MAGNITUDE,
    MAX_OPERATIONS,
    STEP_COST,
    require_array,
    require_bool,
    require_budget,
    require_choice,
    require_generators,
    require_instance,
    require_int,
    require_real,
    require_sizes,
)

EPSILON = 1e-5          # added to the variance before dividing by its square root
NORMALISATIONS = ("none", "batch", "layer")
MAX_WIDTH = 10_000
MAX_LAYERS = 1_000
MAX_STACK = 1_000
MAX_WEIGHT_VARIANCE = mean_field.MAX_WEIGHT_VARIANCE
MAX_BIAS_VARIANCE = mean_field.MAX_BIAS_VARIANCE
MAX_BRANCH_SCALE = 10.0
MAX_COUNT_BATCH = 10_000_000  # batch sizes in formulas (no arrays are made)
DATA_RANGE = 1e6        # |inputs| ≤ this: x W + b stays finite
MAX_LENGTH = 1e100      # a mean square beyond this counts as exploded (its square is finite)


def _linear(z):
    return np.asarray(z, dtype=float) * 1.0


def _linear_derivative(z):
    return np.ones_like(np.asarray(z, dtype=float))


# The activations of this chapter: tanh and ReLU from chapter 1's table, and the identity
# (a linear network), the case in which normalisation's effect on gradients is smallest.
ACTIVATIONS = {"tanh": activations.ACTIVATIONS["tanh"],
               "relu": activations.ACTIVATIONS["relu"],
               "linear": activations.Activation("linear", "linear", _linear,
                                                _linear_derivative)}


@dataclasses.dataclass
class DeepNetwork:
    """Weights W^1 … W^{L+1}, shape (S, n_in, n_out) each, biases (S, n_out) each, for S
    stacked networks; the hidden activation φ, whether hidden layers that keep their width
    are residual, the branch scale α and the normalisation ("none", "batch", "layer")."""

    weights: list
    biases: list
    activation: str
    residual: bool
    branch_scale: float
    normalisation: str

    def __post_init__(self):
        _check_network(self)   # checked when built, and again by every function given one

    def copy(self):
        return dataclasses.replace(self, weights=[w.copy() for w in self.weights],
                                   biases=[b.copy() for b in self.biases])


def _check_network(network):
    """The network, if its fields are consistent: checked at every use, since a caller may
    change a field after building it."""
    require_instance("network", network, DeepNetwork)
    require_choice("network.activation", network.activation, tuple(ACTIVATIONS))
    require_choice("network.normalisation", network.normalisation, NORMALISATIONS)
    require_bool("network.residual", network.residual)
    require_real("network.branch_scale", network.branch_scale, 0.0, MAX_BRANCH_SCALE)
    weights, biases = network.weights, network.biases
    if not isinstance(weights, list) or not isinstance(biases, list) or len(weights) < 2 \
            or len(weights) != len(biases) or len(weights) > MAX_LAYERS + 1:
        raise ValueError("network.weights and network.biases must be lists of equal length, "
                         f"2 to {MAX_LAYERS + 1} layers")
    stack = None
    for index, (w, b) in enumerate(zip(weights, biases)):
        w = require_array(f"network.weights[{index}]", w, ndim=3, minimum=-MAX_MAGNITUDE,
                          maximum=MAX_MAGNITUDE)
        b = require_array(f"network.biases[{index}]", b, ndim=2, minimum=-MAX_MAGNITUDE,
                          maximum=MAX_MAGNITUDE)
        stack = w.shape[0] if stack is None else stack
        if w.shape[0] != stack or b.shape != (stack, w.shape[2]):
            raise ValueError(f"network.biases[{index}] must have shape (S, n_out) = "
                             f"{(stack, w.shape[2])} to match network.weights[{index}]")
        if index and w.shape[1] != weights[index - 1].shape[2]:
            raise ValueError(f"network.weights[{index}] must take the "
                             f"{weights[index - 1].shape[2]} outputs of the layer below")
    return network


# --8<-- [start:init_network]
def init_network(rng_list, sizes, activation="tanh", weight_variance=1.0, bias_variance=0.0,
                 residual=False, branch_scale=1.0, normalisation="none"):
    """S = len(rng_list) stacked networks with layer widths ``sizes`` (inputs, hidden …,
    outputs): W^l_{ij} ~ N(0, σ_w²/n_{l−1}), b^l_i ~ N(0, σ_b²) for the hidden layers; the
    output layer has W ~ N(0, 1/N) and zero biases. Network k draws from ``rng_list[k]``."""
    generators = require_generators("rng_list", rng_list)
    if len(generators) > MAX_STACK:
        raise ValueError(f"rng_list must hold at most {MAX_STACK} generators, "
                         f"got {len(generators)}")
    sizes = require_sizes("sizes", sizes, maximum=MAX_WIDTH, layers=MAX_LAYERS)
    if len(sizes) < 3:
        raise ValueError(f"sizes must list inputs, at least one hidden layer and outputs, "
                         f"got {sizes}")
    require_choice("activation", activation, tuple(ACTIVATIONS))
    weight_variance = require_real("weight_variance", weight_variance, 0.0,
                                   MAX_WEIGHT_VARIANCE, open_minimum=True)
    bias_variance = require_real("bias_variance", bias_variance, 0.0, MAX_BIAS_VARIANCE)
    residual = require_bool("residual", residual)
    branch_scale = require_real("branch_scale", branch_scale, 0.0, MAX_BRANCH_SCALE)
    require_choice("normalisation", normalisation, NORMALISATIONS)
    parameters = sum(n_in * n_out for n_in, n_out in zip(sizes, sizes[1:]))
    require_budget("len(rng_list) × Σ n_in n_out of rng_list and sizes",
                   len(generators) * parameters, MAX_ELEMENTS)
    weights = [np.empty((len(generators), n_in, n_out)) for n_in, n_out in zip(sizes, sizes[1:])]
    biases = [np.zeros((len(generators), n_out)) for n_out in sizes[1:]]
    for k, rng in enumerate(generators):
        for layer, (n_in, n_out) in enumerate(zip(sizes, sizes[1:])):
            last = layer == len(sizes) - 2
            variance = 1.0 if last else weight_variance
            weights[layer][k] = rng.normal(0.0, math.sqrt(variance / n_in), (n_in, n_out))
            if not last and bias_variance > 0:
                biases[layer][k] = rng.normal(0.0, math.sqrt(bias_variance), n_out)
    return DeepNetwork(weights, biases, activation, residual, branch_scale, normalisation)
# --8<-- [end:init_network]


def _inputs(network, inputs, name="inputs"):
    inputs = require_array(name, inputs, ndim=2, minimum=-DATA_RANGE, maximum=DATA_RANGE)
    width = network.weights[0].shape[1]
    if inputs.shape[-1] != width:
        raise ValueError(f"{name} must have shape (examples, {width}), got {inputs.shape}")
    if network.normalisation == "batch" and inputs.shape[-2] < 2:
        raise ValueError(f"{name} must hold at least 2 examples: batch normalisation "
                         f"divides by their spread")
    return inputs


def _pass_budget(network, examples, passes=1, passes_name="passes"):
    """Refuse a call whose arrays or arithmetic exceed the budgets of validation.py."""
    stack = network.weights[0].shape[0]
    widths = sum(w.shape[2] for w in network.weights)
    multiply_adds = sum(w.shape[1] * w.shape[2] for w in network.weights)
    require_budget("S × examples × 6 Σ widths of network and inputs",
                   stack * examples * 6 * widths, MAX_ELEMENTS)
    require_budget(f"{passes_name} × (S × examples × 6 Σ n_in n_out + layers × STEP_COST)",
                   passes * (stack * examples * 6.0 * multiply_adds
                             + len(network.weights) * STEP_COST), MAX_OPERATIONS)


def _residual_layer(network, layer):
    weights = network.weights[layer]
    return network.residual and weights.shape[1] == weights.shape[2]


# --8<-- [start:normalise]
def _normalise(kind, a, statistics=None):
    """(n, √(var + ε)): ``a`` over the examples (batch) or the units (layer); given
    ``statistics`` = (mean, var) — at evaluation, or frozen — those, constant in back-prop."""
    if kind == "none":
        return a, None
    axis = -2 if kind == "batch" else -1
    if statistics is None:
        mean, var = a.mean(axis=axis, keepdims=True), a.var(axis=axis, keepdims=True)
    else:
        mean, var = statistics
    spread = np.sqrt(var + EPSILON)
    return (a - mean) / spread, spread


def _normalise_backward(kind, delta, n, spread, frozen):
    """δa = (δn − mean δn − n mean(δn ⊙ n)) / √(var + ε), means over the normalised axis;
    δn / √(var + ε) when the statistics are frozen."""
    if kind == "none":
        return delta
    if frozen:
        return delta / spread
    axis = -2 if kind == "batch" else -1
    return (delta - delta.mean(axis=axis, keepdims=True)
            - n * (delta * n).mean(axis=axis, keepdims=True)) / spread
# --8<-- [end:normalise]


def _forward(network, inputs, statistics=None):
    """Every hidden layer's (x^{l−1}, u^l, n^l, spread^l) and the top stream x^L and outputs z;
    ``statistics``: a list of (mean, var) per hidden layer to normalise with instead of the
    batch's own. Also the statistics of batch normalisation that this batch produced."""
    phi = ACTIVATIONS[network.activation].function
    x = inputs
    layers, used = [], []
    for layer in range(len(network.weights) - 1):
        u = x if layer == 0 else phi(x)   # the first layer reads the inputs as they are
        a = u @ network.weights[layer]
        given = None if statistics is None else statistics[layer]
        if network.normalisation == "batch" and given is None:
            used.append((a.mean(axis=-2, keepdims=True), a.var(axis=-2, keepdims=True)))
        n, spread = _normalise(network.normalisation, a, given)
        layers.append((x, u, n, spread))
        branch = n + network.biases[layer][..., None, :]
        x = x + network.branch_scale * branch if _residual_layer(network, layer) else branch
    outputs = phi(x) @ network.weights[-1] + network.biases[-1][..., None, :]
    return layers, x, outputs, used


# --8<-- [start:forward_backward]
def forward(network, inputs, reference=None):
    """{"streams": [x^0 … x^L], "pre_activations": [h^1 … h^L], "outputs": z}. With
    batch normalisation and ``reference`` inputs given, every layer is normalised with the
    mean and variance that the reference batch produces there (population statistics, as at
    evaluation), not with the batch's own."""
    network = _check_network(network)
    inputs = _inputs(network, inputs)
    _pass_budget(network, inputs.shape[-2])
    statistics = _reference_statistics(network, reference)
    layers, last, outputs, _ = _forward(network, inputs, statistics)
    return {"streams": [x for x, *_ in layers] + [last],
            "pre_activations": [h for *_, h in layers], "outputs": outputs}


def _reference_statistics(network, reference):
    if reference is None or network.normalisation != "batch":
        if reference is not None:
            _inputs(network, reference, "reference")
        return None
    reference = _inputs(network, reference, "reference")
    _pass_budget(network, reference.shape[-2])
    return _forward(network, reference)[3]


def backward(network, inputs, output_gradient, reference=None):
    """Back-propagate δz = ``output_gradient`` = ∂C/∂z (shape (S, examples, outputs)):
    {"weights": [∂C/∂W^l], "biases": [∂C/∂b^l], "errors": [δx^0 … δx^L]}. With ``reference``
    (batch normalisation) the statistics come from the reference batch and are constants, so
    each example's gradient depends on that example alone."""
    network = _check_network(network)
    inputs = _inputs(network, inputs)
    stack, outputs = network.weights[-1].shape[0], network.weights[-1].shape[2]
    output_gradient = require_array("output_gradient", output_gradient, ndim=3,
                                    shape=(stack, inputs.shape[-2], outputs),
                                    minimum=-MAX_MAGNITUDE, maximum=MAX_MAGNITUDE)
    statistics = _reference_statistics(network, reference)
    _pass_budget(network, inputs.shape[-2], passes=3)
    layers, last, _, _ = _forward(network, inputs, statistics)
    return _backward(network, layers, last, output_gradient, frozen=statistics is not None)


def _backward(network, layers, last, output_gradient, frozen=False):
    """The gradients from the forward pass's ``layers`` and top stream ``last``; ``frozen``:
    the normalisation's statistics were given, constants for back-propagation."""
    phi, derivative = (ACTIVATIONS[network.activation].function,
                       ACTIVATIONS[network.activation].derivative)
    weight_grads = [np.swapaxes(phi(last), -1, -2) @ output_gradient]
    bias_grads = [output_gradient.sum(axis=-2)]
    delta = (output_gradient @ np.swapaxes(network.weights[-1], -1, -2)) * derivative(last)
    errors = [delta]
    for layer in range(len(network.weights) - 2, -1, -1):
        x, u, n, spread = layers[layer]
        residual = _residual_layer(network, layer)
        delta_branch = network.branch_scale * delta if residual else delta
        bias_grads.insert(0, delta_branch.sum(axis=-2))
        delta_a = _normalise_backward(network.normalisation, delta_branch, n, spread, frozen)
        weight_grads.insert(0, np.swapaxes(u, -1, -2) @ delta_a)
        below = delta_a @ np.swapaxes(network.weights[layer], -1, -2)
        if layer > 0:
            below = below * derivative(x)
        delta = below + delta if residual else below
        errors.insert(0, delta)
    return {"weights": weight_grads, "biases": bias_grads, "errors": errors}


def cost_and_gradients(network, inputs, targets):
    """The softmax cross-entropy C = −(1/B) Σ_examples Σ_k y_k ln softmax(z)_k of each stacked
    network, shape (S,), and its gradients (``backward`` with δz = (softmax(z) − y)/B)."""
    network = _check_network(network)
    inputs = _inputs(network, inputs)
    targets = _targets(network, targets, inputs.shape[-2])
    _pass_budget(network, inputs.shape[-2], passes=3)
    return _cost_and_gradients(network, inputs, targets)


def _cost_and_gradients(network, inputs, targets):
    layers, last, outputs, _ = _forward(network, inputs)
    probabilities = activations.softmax(outputs)
    examples = inputs.shape[-2]
    with np.errstate(divide="ignore"):
        cost = -np.sum(targets * np.log(probabilities), axis=(-2, -1)) / examples
    return cost, _backward(network, layers, last, (probabilities - targets) / examples)
# --8<-- [end:forward_backward]


def _targets(network, targets, examples):
    classes = network.weights[-1].shape[2]
    targets = require_array("targets", targets, ndim=2, minimum=0.0, maximum=1.0)
    if targets.shape != (examples, classes):
        raise ValueError(f"targets must have shape (examples, classes) = {(examples, classes)}, "
                         f"got {targets.shape}")
    return targets


# --8<-- [start:train_sgd]
def train_sgd(network, inputs, targets, rng_list, epochs, batch_size, learning_rate):
    """Mini-batch SGD, W ← W − η ∂C/∂W, b ← b − η ∂C/∂b; network k shuffles the examples with
    ``rng_list[k]`` every epoch. Returns (trained network, cost of each network's mini-batches
    averaged over each epoch, shape (S, epochs))."""
    network = _check_network(network).copy()
    inputs = _inputs(network, inputs)
    targets = _targets(network, targets, inputs.shape[0])
    generators = require_generators("rng_list", rng_list, count=network.weights[0].shape[0])
    epochs = require_int("epochs", epochs, minimum=1, maximum=100_000)
    batch_size = require_int("batch_size", batch_size, minimum=2, maximum=inputs.shape[0])
    learning_rate = require_real("learning_rate", learning_rate, 0.0, 10.0, open_minimum=True)
    steps = -(-inputs.shape[0] // batch_size)
    _pass_budget(network, batch_size, passes=3 * epochs * steps,
                 passes_name="3 × epochs × ⌈examples / batch_size⌉")
    costs = np.zeros((len(generators), epochs))
    for epoch in range(epochs):
        orders = np.stack([rng.permutation(inputs.shape[0]) for rng in generators])
        for start in range(0, inputs.shape[0], batch_size):
            batch = orders[:, start:start + batch_size]
            if batch.shape[1] < 2:
                continue  # a last batch of one example has no spread to normalise by
            cost, grads = _cost_and_gradients(network, inputs[batch], targets[batch])
            costs[:, epoch] += cost * batch.shape[1] / inputs.shape[0]
            for layer in range(len(network.weights)):
                network.weights[layer] -= learning_rate * grads["weights"][layer]
                network.biases[layer] -= learning_rate * grads["biases"][layer]
    return network, costs
# --8<-- [end:train_sgd]


def accuracy(network, inputs, labels, reference=None):
    """Share of ``labels`` whose output z is largest, per stacked network (shape (S,));
    ``reference`` as in :func:`forward` (the training inputs, for batch normalisation)."""
    outputs = forward(network, inputs, reference)["outputs"]
    labels = require_array("labels", labels, ndim=1, minimum=0,
                           maximum=network.weights[-1].shape[2] - 1)
    if labels.shape[0] != outputs.shape[-2] or np.any(labels != np.round(labels)):
        raise ValueError(f"labels must hold one class index per example "
                         f"({outputs.shape[-2]}), got shape {labels.shape}")
    return np.mean(np.argmax(outputs, axis=-1) == labels.astype(int), axis=-1)


def learning_speeds(network, inputs, targets):
    """Chapter 2's speed of learning of each hidden layer l, ‖∂C/∂b^l‖ over all the examples
    given at once, shape (S, L)."""
    _, grads = cost_and_gradients(network, inputs, targets)
    return np.stack([np.linalg.norm(g, axis=-1) for g in grads["biases"][:-1]], axis=-1)


# --8<-- [start:residual_mean_field]
def residual_mean_field(activation, weight_variance, bias_variance, depth, p0, residual=True,
                        branch_scale=1.0):
    """The mean-field recursions of a wide network without normalisation whose layers all
    keep the width, after Yang & Schoenholz (2017). With v^l the mean square of the stream
    x^l, p0 that of the inputs, and what one branch adds,

        β^1 = σ_w² p0 + σ_b²,    β^l = σ_w² E_z[φ(√v^{l−1} z)²] + σ_b²   (l ≥ 2),
        plain:     v^l = β^l,
        residual:  v^l = v^{l−1} + α² β^l    (v^0 = p0; the branch has mean zero and fresh
                                              weights, so it is uncorrelated with x^{l−1}),

    and for l ≥ 2 the mean squared stream error changes from layer l to layer l − 1 by

        plain:     r^l = χ(v^{l−1}) = σ_w² E_z[φ′(√v^{l−1} z)²]   (chapter 5's χ),
        residual:  r^l = 1 + α² χ(v^{l−1}).

    Returns (v^1 … v^depth, r^2 … r^depth); the squared gradient at layer l relative to the
    top is the product r^{l+1} ⋯ r^depth.
    """
    require_choice("activation", activation, tuple(ACTIVATIONS))
    weight_variance = require_real("weight_variance", weight_variance, 0.0,
                                   MAX_WEIGHT_VARIANCE, open_minimum=True)
    bias_variance = require_real("bias_variance", bias_variance, 0.0, MAX_BIAS_VARIANCE)
    depth = require_int("depth", depth, minimum=2, maximum=MAX_LAYERS)
    p0 = require_real("p0", p0, 0.0, DATA_RANGE ** 2, open_minimum=True)
    residual = require_bool("residual", residual)
    branch_scale = require_real("branch_scale", branch_scale, 0.0, MAX_BRANCH_SCALE)
    first = weight_variance * p0 + bias_variance
    lengths = [p0 + branch_scale ** 2 * first if residual else first]
    factors = []
    for _ in range(depth - 1):
        if not lengths[-1] < MAX_LENGTH:
            raise ValueError(f"weight_variance={weight_variance}, branch_scale={branch_scale} "
                             f"and depth={depth} must keep the signal below {MAX_LENGTH:g} "
                             f"(float64 holds its square): it grows past it")
        _, square, slope = _moments(activation, lengths[-1])
        branch = weight_variance * square + bias_variance
        if residual:
            lengths.append(lengths[-1] + branch_scale ** 2 * branch)
            factors.append(1.0 + branch_scale ** 2 * weight_variance * slope)
        else:
            lengths.append(branch)
            factors.append(weight_variance * slope)
    return np.array(lengths), np.array(factors)
# --8<-- [end:residual_mean_field]


def _moments(activation, q):
    """(E[φ(h)], E[φ(h)²], E[φ′(h)²]) for h ~ N(0, q): closed forms for the homogeneous
    activations (ReLU: √(q/2π), q/2, 1/2; linear: 0, q, 1), and for tanh 0 (it is odd) and
    chapter 5's quadrature."""
    if activation == "relu":
        return math.sqrt(q / (2 * math.pi)), q / 2, 0.5
    if activation == "linear":
        return 0.0, q, 1.0
    act = ACTIVATIONS[activation]
    return (0.0, _expectation(lambda h: act.function(h) ** 2, q),
            _expectation(lambda h: act.derivative(h) ** 2, q))


def _expectation(function, variance):
    """E[f(h)] for h ~ N(0, variance) by chapter 5's quadrature; the limit h → 0 at 0."""
    return mean_field.gaussian_expectation(function, max(variance, mean_field.SMALLEST_LENGTH))


# --8<-- [start:normalised_gradient_factor]
def normalised_gradient_factor(activation, normalisation):
    """The factor by which one normalised layer multiplies the mean squared error, in a wide
    network and (for batch normalisation) a large batch, whatever σ_w²:

        batch:  λ = E[φ′(z)²] / Var[φ(z)],      layer:  λ = E[φ′(z)²] / E[φ(z)²],

    z ~ N(0, 1) (the normalised pre-activation, no bias). Back-propagation divides by the
    spread √var(a) that the forward pass divided by, and var(a) = σ_w² × (the variance of
    φ(h) over the batch, for batch normalisation; its mean square over the units, for layer
    normalisation), while W passes back σ_w² E[φ′²]: σ_w² cancels. The centring terms of
    :func:`_normalise_backward` are left out: they remove O(1/B) (batch) or O(1/N) (layer)
    of the squared error. By the Gaussian Poincaré inequality Var[φ(z)] ≤ E[φ′(z)²], with
    equality only for linear φ: for batch normalisation λ ≥ 1."""
    require_choice("activation", activation, tuple(ACTIVATIONS))
    require_choice("normalisation", normalisation, ("batch", "layer"))
    mean, square, slope = _moments(activation, 1.0)
    return slope / (square - mean ** 2 if normalisation == "batch" else square)
# --8<-- [end:normalised_gradient_factor]


# --8<-- [start:gradient_correlation]
def gradient_correlation(gradients, lag=1):
    """The correlation of the gradients g_k = ∂y/∂x at grid points k and k + lag, over the
    grid and the stacked networks (rows): Σ g̃_k g̃_{k+lag} / √(Σ g̃_k² Σ g̃_{k+lag}²) with
    g̃ = g − mean(g) per network. Near 1 for a smooth ("brown") gradient, near 0 for a
    shattered ("white") one."""
    gradients = require_array("gradients", gradients, ndim=2, minimum=-1e150, maximum=1e150)
    lag = require_int("lag", lag, minimum=1, maximum=max(1, gradients.shape[1] - 2))
    if gradients.shape[1] < lag + 2:
        raise ValueError(f"gradients must hold at least lag + 2 = {lag + 2} grid points per "
                         f"row, got shape {gradients.shape}")
    centred = gradients - gradients.mean(axis=1, keepdims=True)
    first, second = centred[:, :-lag], centred[:, lag:]
    denominator = math.sqrt(float(np.sum(first ** 2)) * float(np.sum(second ** 2)))
    if denominator == 0:
        raise ValueError("gradients must vary along the grid: every row is constant")
    return float(np.sum(first * second)) / denominator
# --8<-- [end:gradient_correlation]


# --8<-- [start:linear_batch_factor]
def linear_batch_factor(batch_size):
    """The per-layer factor of the mean squared error in a wide *linear* network with batch
    normalisation and a batch of B examples, derived here:

        λ_B = (B − 2) / (B − 3)    (B ≥ 4),

    from two effects of :func:`_normalise_backward` on one unit. (i) The division by the
    batch's spread s: deep in such a network the B normalised examples are spread evenly over
    the B − 1 directions that centring leaves (the batch's Gram matrix is a multiple of
    I − 11ᵀ/B), so s² = σ_w² χ²_{B−1}/(B − 1) and E[1/s²] = (B − 1)/((B − 3) σ_w²), not
    1/E[s²]. (ii) The projection that removes the error's component along n: one of those
    B − 1 directions, a factor (B − 2)/(B − 1). The weights pass back σ_w²; the product is
    λ_B, which tends to 1, the large-batch factor of :func:`normalised_gradient_factor`."""
    batch_size = require_int("batch_size", batch_size, minimum=4, maximum=MAX_COUNT_BATCH)
    return (batch_size - 2) / (batch_size - 3)
# --8<-- [end:linear_batch_factor]
