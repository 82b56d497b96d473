"""Fully connected networks in numpy: initialisation, forward and backward passes, the
per-layer "speed of learning", and training by gradient descent (chapters 2–4).

Notation (Nielsen 2015, ch. 2): layer l computes z^l = a^{l−1} W^l + b^l and a^l = φ(z^l),
with a^0 = x; rows are examples. With sigmoid outputs and the cross-entropy cost
C = −Σ_j [y_j ln a^L_j + (1 − y_j) ln(1 − a^L_j)], the output error is δ^L = a^L − y; it is
passed back by δ^{l} = (δ^{l+1} (W^{l+1})ᵀ) ⊙ φ′(z^l); and ∂C/∂b^l = δ^l,
∂C/∂W^l = (a^{l−1})ᵀ δ^l, each averaged over the examples.
"""

import dataclasses

import numpy as np

from snippets import activations as act
from snippets.validation import require_array, require_generator, require_int, require_real

ACTIVATIONS = {
    "sigmoid": (act.sigmoid, act.sigmoid_derivative),
    "tanh": (act.tanh, act.tanh_derivative),
    "relu": (act.relu, act.relu_derivative),
    "leaky_relu": (act.leaky_relu, act.leaky_relu_derivative),
}
# Rectifiers whose negative-side slope a is not a constant: PReLU learns one a per hidden layer
# (initialised at 0.25, He et al. 2015); RReLU draws a ~ U(lower, upper) per unit and example
# while training and uses the mean slope at test time (PyTorch's convention, see chapter 4).
SLOPED = ("prelu", "rrelu")
PRELU_START = 0.25
RRELU_BOUNDS = (1.0 / 8.0, 1.0 / 3.0)

# Weight laws by name: each maps (n_in, n_out) to the standard deviation of a normal law, or to
# the half-width of a uniform one (names ending in "_uniform").
WEIGHT_LAWS = {
    "unit_normal": lambda n_in, n_out: 1.0,                          # N(0, 1)
    "nielsen": lambda n_in, n_out: 1.0 / np.sqrt(n_in),              # N(0, 1/n_in)
    "he": lambda n_in, n_out: np.sqrt(2.0 / n_in),                   # N(0, 2/n_in)
    "standard_uniform": lambda n_in, n_out: 1.0 / np.sqrt(n_in),     # U[±1/√n_in]
    "glorot_uniform": lambda n_in, n_out: np.sqrt(6.0 / (n_in + n_out)),
}


@dataclasses.dataclass
class Network:
    """Weights W^l of shape (n_{l−1}, n_l) and biases b^l of shape (n_l,), l = 1 … L."""

    weights: list
    biases: list
    hidden: str = "sigmoid"
    output: str = "sigmoid"   # "sigmoid" + cross-entropy, or "softmax" + log-likelihood
    slopes: list = None       # PReLU: the learned negative-side slope of each hidden layer

    @property
    def sizes(self):
        return [self.weights[0].shape[0]] + [w.shape[1] for w in self.weights]

    def copy(self):
        return Network([w.copy() for w in self.weights], [b.copy() for b in self.biases],
                       self.hidden, self.output,
                       None if self.slopes is None else list(self.slopes))


def _check_activation(hidden):
    if hidden not in ACTIVATIONS and hidden not in SLOPED:
        raise ValueError(f"hidden must be one of {sorted([*ACTIVATIONS, *SLOPED])}, "
                         f"got {hidden!r}")
    return hidden


# --8<-- [start:init_network]
def init_network(rng, sizes, weights="nielsen", bias_std=1.0, hidden="sigmoid", gain=1.0,
                 output="sigmoid"):
    """A network with layer widths ``sizes`` = [n_0, n_1, …, n_L].

    Weights follow the law ``weights`` (see WEIGHT_LAWS) multiplied by ``gain``; biases are
    N(0, bias_std²), or zero when bias_std is 0 (Nielsen's networks use N(0, 1) biases).
    """
    rng = require_generator("rng", rng)
    if len(sizes) < 2:
        raise ValueError(f"sizes must list at least an input and an output width, got {sizes}")
    sizes = [require_int("sizes", size, minimum=1) for size in sizes]
    if weights not in WEIGHT_LAWS:
        raise ValueError(f"weights must be one of {sorted(WEIGHT_LAWS)}, got {weights!r}")
    bias_std = require_real("bias_std", bias_std, minimum=0.0)
    gain = require_real("gain", gain, minimum=0.0, open_minimum=True)
    law = WEIGHT_LAWS[weights]
    layers_w, layers_b = [], []
    for n_in, n_out in zip(sizes[:-1], sizes[1:]):
        scale = gain * law(n_in, n_out)
        if weights.endswith("_uniform"):
            layers_w.append(rng.uniform(-scale, scale, size=(n_in, n_out)))
        else:
            layers_w.append(rng.normal(0.0, scale, size=(n_in, n_out)))
        layers_b.append(rng.normal(0.0, bias_std, size=n_out) if bias_std > 0 else np.zeros(n_out))
    if output not in ("sigmoid", "softmax"):
        raise ValueError(f"output must be 'sigmoid' or 'softmax', got {output!r}")
    slopes = [PRELU_START] * (len(sizes) - 2) if hidden == "prelu" else None
    return Network(layers_w, layers_b, _check_activation(hidden), output, slopes)
# --8<-- [end:init_network]


# --8<-- [start:forward_backward]
def _hidden(network, layer, z, rng):
    """Activation φ(z) of hidden layer ``layer`` and its derivative φ′(z)."""
    if network.hidden not in SLOPED:
        phi, phi_prime = ACTIVATIONS[network.hidden]
        return phi(z), phi_prime(z)
    if network.hidden == "prelu":
        slope = network.slopes[layer]
    elif rng is not None:  # RReLU while training: a fresh random slope per unit and example
        slope = rng.uniform(*RRELU_BOUNDS, size=z.shape)
    else:
        slope = 0.5 * (RRELU_BOUNDS[0] + RRELU_BOUNDS[1])
    return np.where(z > 0, z, slope * z), np.where(z > 0, 1.0, slope)


def _propagate(network, inputs, rng=None):
    inputs = require_array("inputs", inputs, ndim=2)
    if inputs.shape[1] != network.sizes[0]:
        raise ValueError(f"inputs must have {network.sizes[0]} columns, got {inputs.shape[1]}")
    pre_activations, activations, slopes = [], [inputs], []
    for layer, (w, b) in enumerate(zip(network.weights, network.biases)):
        z = activations[-1] @ w + b
        pre_activations.append(z)
        if layer == len(network.weights) - 1:
            activations.append(act.softmax(z) if network.output == "softmax" else act.sigmoid(z))
        else:
            value, derivative = _hidden(network, layer, z, rng)
            activations.append(value)
            slopes.append(derivative)
    return pre_activations, activations, slopes


def forward(network, inputs, rng=None):
    """Pre-activations z^1 … z^L and activations a^0 … a^L; the output layer is a sigmoid or
    a softmax (``network.output``). ``rng`` puts an RReLU network in training mode."""
    pre_activations, activations, _ = _propagate(network, inputs, rng)
    return pre_activations, activations


def cross_entropy(outputs, targets, output="sigmoid"):
    """C = mean over examples of −Σ_j [y_j ln a_j + (1 − y_j) ln(1 − a_j)] for sigmoid
    outputs, or of −Σ_j y_j ln a_j (the negative log-likelihood) for a softmax."""
    eps = np.finfo(float).tiny  # keeps ln finite when an output rounds to 0 or 1
    if output == "softmax":
        return float(-np.mean(np.sum(targets * np.log(outputs + eps), axis=1)))
    return float(-np.mean(np.sum(targets * np.log(outputs + eps)
                                 + (1 - targets) * np.log(1 - outputs + eps), axis=1)))


def cost(network, inputs, targets):
    """The network's cost on (inputs, targets): cross-entropy for sigmoid outputs,
    log-likelihood for a softmax (see :func:`cross_entropy`)."""
    return cross_entropy(forward(network, inputs)[1][-1], targets, network.output)


def output_errors(network, inputs, targets, rng=None):
    """Per-example errors δ^l = ∂C/∂z^l for l = 1 … L (each of shape (examples, n_l)), and the
    activations a^0 … a^L of the forward pass."""
    deltas, activations, _ = _errors(network, inputs, targets, rng)
    return deltas, activations


def _errors(network, inputs, targets, rng):
    targets = require_array("targets", targets, ndim=2)
    pre_activations, activations, slopes = _propagate(network, inputs, rng)
    if targets.shape != activations[-1].shape:
        raise ValueError(f"targets must have shape {activations[-1].shape}, got {targets.shape}")
    # Sigmoid + cross-entropy and softmax + log-likelihood both give δ^L = a^L − y.
    deltas, upstream = [activations[-1] - targets], []
    for layer in range(len(network.weights) - 1, 0, -1):
        upstream.insert(0, deltas[0] @ network.weights[layer].T)  # ∂C/∂a^{layer}
        deltas.insert(0, upstream[0] * slopes[layer - 1])
    return deltas, activations, (pre_activations, upstream)


def gradients(network, inputs, targets, rng=None):
    """Mean gradients of the cost: {"weights": [∂C/∂W^l], "biases": [∂C/∂b^l], "slopes":
    [∂C/∂a_l] for PReLU (a_l multiplies min(z, 0) in hidden layer l), else None}."""
    deltas, activations, (pre_activations, upstream) = _errors(network, inputs, targets, rng)
    count = activations[0].shape[0]
    result = {"weights": [a.T @ delta / count for a, delta in zip(activations[:-1], deltas)],
              "biases": [delta.mean(axis=0) for delta in deltas], "slopes": None}
    if network.hidden == "prelu":
        result["slopes"] = [float(np.sum(up * np.minimum(z, 0.0)) / count)
                            for up, z in zip(upstream, pre_activations[:-1])]
    return result


def backward(network, inputs, targets):
    """Mean gradients (∂C/∂W^l, ∂C/∂b^l) of the cross-entropy cost, by back-propagation."""
    grads = gradients(network, inputs, targets)
    return grads["weights"], grads["biases"]
# --8<-- [end:forward_backward]


# --8<-- [start:learning_speeds]
def learning_speeds(network, inputs, targets):
    """Nielsen's speed of learning of each hidden layer l: ‖∂C/∂b^l‖, the Euclidean norm of
    the bias gradient averaged over the examples given."""
    _, grad_b = backward(network, inputs, targets)
    return np.array([np.linalg.norm(g) for g in grad_b[:-1]])


def train_recording_speeds(network, inputs, targets, epochs, learning_rate=0.1, l2=5.0):
    """Full-batch gradient descent with L2 weight decay, as in Nielsen's experiment:
    W ← (1 − η λ / n) W − η ∂C/∂W and b ← b − η ∂C/∂b, with n examples.

    Returns the speeds of learning measured before each epoch, shape (epochs + 1, hidden
    layers), and the trained network (the input network is left unchanged).
    """
    epochs = require_int("epochs", epochs, minimum=0)
    learning_rate = require_real("learning_rate", learning_rate, 0.0, open_minimum=True)
    l2 = require_real("l2", l2, minimum=0.0)
    network = network.copy()
    decay = 1.0 - learning_rate * l2 / inputs.shape[0]
    speeds = []
    for _ in range(epochs + 1):
        grad_w, grad_b = backward(network, inputs, targets)
        speeds.append([np.linalg.norm(g) for g in grad_b[:-1]])
        if len(speeds) > epochs:
            break
        for layer in range(len(network.weights)):
            network.weights[layer] = decay * network.weights[layer] - learning_rate * grad_w[layer]
            network.biases[layer] = network.biases[layer] - learning_rate * grad_b[layer]
    return np.array(speeds), network
# --8<-- [end:learning_speeds]


def one_hot(labels, classes=10):
    """Targets y with y_j = 1 for the true class and 0 elsewhere."""
    labels = np.asarray(labels)
    classes = require_int("classes", classes, minimum=1)
    if labels.ndim != 1 or labels.min() < 0 or labels.max() >= classes:
        raise ValueError(f"labels must be a 1-d array of integers in [0, {classes - 1}]")
    return np.eye(classes)[labels]


def accuracy(network, inputs, labels):
    """Share of examples whose largest output is the true class."""
    return float(np.mean(forward(network, inputs)[1][-1].argmax(axis=1) == labels))


# --8<-- [start:activation_growth]
def activation_growth(rng, width, depth, gain, hidden="relu", examples=256):
    """Mean squared activation E[(a^l)²] of each layer l = 0 … depth of a deep network with
    weights N(0, gain² · 2/width) and zero biases, fed x ~ N(0, 1).

    For ReLU, E[(a^l)²] = gain² · E[(a^{l−1})²] (He et al. 2015): it grows geometrically
    when gain > 1 and shrinks when gain < 1.
    """
    rng = require_generator("rng", rng)
    width = require_int("width", width, minimum=1)
    depth = require_int("depth", depth, minimum=1)
    gain = require_real("gain", gain, minimum=0.0, open_minimum=True)
    examples = require_int("examples", examples, minimum=1)
    phi, _ = ACTIVATIONS[_check_activation(hidden)]
    activation = rng.standard_normal((examples, width))
    second_moments = [np.mean(activation ** 2)]
    for _ in range(depth):
        weights = rng.normal(0.0, gain * np.sqrt(2.0 / width), size=(width, width))
        activation = phi(activation @ weights)
        second_moments.append(np.mean(activation ** 2))
    return np.array(second_moments)
# --8<-- [end:activation_growth]


# --8<-- [start:train_sgd]
def train_sgd(network, inputs, targets, rng, epochs, batch_size=10, learning_rate=0.1,
              record=None, record_every=None):
    """Mini-batch stochastic gradient descent, W ← W − η ∂C/∂W on shuffled mini-batches.

    ``record(network)`` (optional) is called before the first update and then after every
    ``record_every`` updates, or at the end of every epoch when record_every is None; its
    results are returned as a list with the update counts.
    Returns (trained network, update counts, records).
    """
    rng = require_generator("rng", rng)
    epochs = require_int("epochs", epochs, minimum=0)
    batch_size = require_int("batch_size", batch_size, minimum=1)
    learning_rate = require_real("learning_rate", learning_rate, 0.0, open_minimum=True)
    if record_every is not None:
        record_every = require_int("record_every", record_every, minimum=1)
    network = network.copy()
    counts, records = [], []
    if record is not None:
        counts.append(0)
        records.append(record(network))
    update = 0
    for _ in range(epochs):
        order = rng.permutation(inputs.shape[0])
        for start in range(0, len(order), batch_size):
            batch = order[start:start + batch_size]
            grads = gradients(network, inputs[batch], targets[batch], rng=rng)
            for layer in range(len(network.weights)):
                network.weights[layer] -= learning_rate * grads["weights"][layer]
                network.biases[layer] -= learning_rate * grads["biases"][layer]
            if grads["slopes"] is not None:
                network.slopes = [a - learning_rate * g
                                  for a, g in zip(network.slopes, grads["slopes"])]
            update += 1
            if record is not None and record_every is not None and update % record_every == 0:
                counts.append(update)
                records.append(record(network))
        if record is not None and record_every is None:
            counts.append(update)
            records.append(record(network))
    return network, np.array(counts), records
# --8<-- [end:train_sgd]
