"""Fully connected networks in numpy: initialisation, the forward pass, back-propagation,
the per-layer "speed of learning", and training by gradient descent (chapters 2–4).

Notation (Nielsen 2015, ch. 2): layer l computes z^l = a^{l−1} W^l + b^l and a^l = φ(z^l),
with a^0 = x; rows are examples. With sigmoid outputs and the cross-entropy cost
C = −Σ_j [y_j ln a^L_j + (1 − y_j) ln(1 − a^L_j)], or softmax outputs and the log-likelihood
C = −Σ_j y_j ln a^L_j, the output error is δ^L = a^L − y; it is passed back by
δ^l = (δ^{l+1} (W^{l+1})ᵀ) ⊙ φ′(z^l); and ∂C/∂b^l = δ^l, ∂C/∂W^l = (a^{l−1})ᵀ δ^l, each
averaged over the examples.

Several networks of the same shape can be *stacked*: every array then carries a leading axis
of networks (weights (S, n_{l−1}, n_l), biases (S, n_l)), and one call trains or evaluates all
S at once. Each stacked network keeps its own random generator, so its run is the one it would
have alone; stacking only saves Python overhead (tests/test_networks.py checks both agree).
"""

import dataclasses

import numpy as np

from snippets.core.activations import ACTIVATIONS, sigmoid, softmax
from snippets.core.initialisation import WEIGHT_LAWS, draw_weights
from snippets.core.validation import (
    require_array,
    require_bool,
    require_callable,
    require_choice,
    require_float_dtype,
    require_generator,
    require_generators,
    require_instance,
    require_int,
    require_real,
    require_sizes,
)

# Hidden activations a network can use: the shared table's rectifiers and squashers, and two
# rectifiers whose negative-side slope a is not a constant. PReLU learns one a per hidden layer
# (initialised at 0.25, He et al. 2015); RReLU draws a ~ U(lower, upper) per unit and example
# while training and uses the mean slope at test time (PyTorch's convention, see chapter 4).
PLAIN = ("sigmoid", "tanh", "relu", "leaky_relu")
SLOPED = ("prelu", "rrelu")
PRELU_START = 0.25
RRELU_BOUNDS = (1.0 / 8.0, 1.0 / 3.0)
MAX_STEPS = 10_000_000  # upper bound on epochs × mini-batches, so no call runs for days


@dataclasses.dataclass
class Network:
    """Weights W^l of shape (n_{l−1}, n_l) and biases b^l of shape (n_l,), l = 1 … L, each
    with a leading axis of networks when several are stacked."""

    weights: list
    biases: list
    hidden: str = "sigmoid"
    output: str = "sigmoid"   # "sigmoid" + cross-entropy, or "softmax" + log-likelihood
    slopes: list = None       # PReLU: the learned negative-side slope of each hidden layer

    @property
    def sizes(self):
        return [self.weights[0].shape[-2]] + [w.shape[-1] for w in self.weights]

    @property
    def stack(self):
        """Leading shape: () for one network, (S,) for S stacked networks."""
        return self.weights[0].shape[:-2]

    def copy(self):
        return Network([w.copy() for w in self.weights], [b.copy() for b in self.biases],
                       self.hidden, self.output,
                       None if self.slopes is None else [np.copy(a) for a in self.slopes])


def _check_hidden(hidden):
    return require_choice("hidden", hidden, (*PLAIN, *SLOPED))


def _network(network):
    """``network`` if it is a Network whose weights and biases chain layer to layer."""
    require_instance("network", network, Network)
    if not network.weights or len(network.weights) != len(network.biases):
        raise ValueError("network must have as many bias vectors as weight matrices (≥ 1)")
    return network


# --8<-- [start:init_network]
def init_network(rng, sizes, weights="lecun", bias_std=1.0, hidden="sigmoid", gain=1.0,
                 output="sigmoid", hidden_bias=0.0, dtype=np.float64):
    """A network with layer widths ``sizes`` = [n_0, n_1, …, n_L].

    Weights follow the law ``weights`` (see snippets/core/initialisation.py) multiplied by
    ``gain``; biases are N(hidden_bias, bias_std²) in the hidden layers and N(0, bias_std²) in
    the output layer (Nielsen's networks use N(0, 1) biases; bias_std = 0 gives constants).
    The parameters are drawn in float64 and stored as ``dtype`` (float64 or float32; a float32
    network computes in float32 when fed float32 inputs and targets).
    """
    rng = require_generator("rng", rng)
    sizes = require_sizes("sizes", sizes)
    weights = require_choice("weights", weights, tuple(WEIGHT_LAWS))
    hidden = _check_hidden(hidden)
    bias_std = require_real("bias_std", bias_std, minimum=0.0, maximum=1e6)
    gain = require_real("gain", gain, minimum=0.0, maximum=1e6, open_minimum=True)
    hidden_bias = require_real("hidden_bias", hidden_bias, -1e6, 1e6)
    output = require_choice("output", output, ("sigmoid", "softmax"))
    dtype = require_float_dtype("dtype", dtype, (np.float32, np.float64))
    layers_w, layers_b = [], []
    for layer, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:])):
        layers_w.append(draw_weights(rng, weights, n_in, n_out, gain))
        mean = hidden_bias if layer < len(sizes) - 2 else 0.0
        layers_b.append(mean + (rng.normal(0.0, bias_std, size=n_out) if bias_std > 0
                                else np.zeros(n_out)))
    slopes = [PRELU_START] * (len(sizes) - 2) if hidden == "prelu" else None
    return Network([w.astype(dtype) for w in layers_w], [b.astype(dtype) for b in layers_b],
                   hidden, output, slopes)
# --8<-- [end:init_network]


def stack_networks(networks):
    """One stacked Network holding ``networks`` (same sizes, activations and output)."""
    if not isinstance(networks, (list, tuple)) or not networks \
            or not all(isinstance(n, Network) for n in networks):
        raise ValueError(f"networks must be a non-empty list of Networks, got {networks!r}")
    first = networks[0]
    if any(n.sizes != first.sizes or n.hidden != first.hidden or n.output != first.output
           or n.stack != () for n in networks):
        raise ValueError("networks must be single (unstacked) networks sharing sizes, hidden "
                         "activation and output to be stacked")
    slopes = None if first.slopes is None else [
        np.array([n.slopes[layer] for n in networks]) for layer in range(len(first.slopes))]
    return Network([np.stack([n.weights[k] for n in networks]) for k in range(len(first.weights))],
                   [np.stack([n.biases[k] for n in networks]) for k in range(len(first.biases))],
                   first.hidden, first.output, slopes)


def _generators(network, rng):
    """One generator per stacked network (a single one for an unstacked network)."""
    if rng is None:
        return None
    if not network.stack:
        return [require_generator("rng", rng)]
    return require_generators("rng", rng, count=network.stack[0])


# --8<-- [start:forward_backward]
def _hidden(network, layer, z, generators):
    """Activation φ(z) of hidden layer ``layer`` and its derivative φ′(z)."""
    if network.hidden in PLAIN:
        activation = ACTIVATIONS[network.hidden]
        return activation.function(z), activation.derivative(z)
    if network.hidden == "prelu":
        slope = np.asarray(network.slopes[layer])[..., None, None]
    elif generators is not None:  # RReLU while training: a fresh random slope per unit, example
        draws = [g.uniform(*RRELU_BOUNDS, size=z.shape[-2:]) for g in generators]
        slope = draws[0] if not network.stack else np.stack(draws)
    else:
        slope = 0.5 * (RRELU_BOUNDS[0] + RRELU_BOUNDS[1])
    derivative = slope + (1 - slope) * (z > 0)  # 1 for z > 0, the slope otherwise
    return z * derivative, derivative


def _hidden_value(network, layer, z, generators):
    """φ(z) alone, for passes that need no derivative."""
    if network.hidden in PLAIN:
        return ACTIVATIONS[network.hidden].function(z)
    return _hidden(network, layer, z, generators)[0]


def forward(network, inputs, rng=None, derivatives=True):
    """Forward pass: pre-activations z^1 … z^L, activations a^0 … a^L and the derivatives
    φ′(z^1) … φ′(z^{L−1}) of the hidden layers (an empty list when ``derivatives`` is False:
    evaluating a network needs no back-propagation). The output layer is a sigmoid or a
    softmax (``network.output``). ``rng`` puts an RReLU network in training mode."""
    network = _network(network)
    generators = _generators(network, rng)
    derivatives = require_bool("derivatives", derivatives)
    inputs = require_array("inputs", inputs)
    # An unstacked network takes (examples, n_0); S stacked ones also take (S, examples, n_0).
    per_network = inputs.ndim == 3 and network.stack and inputs.shape[0] == network.stack[0]
    if not (inputs.ndim == 2 or per_network) or inputs.shape[-1] != network.sizes[0]:
        raise ValueError(f"inputs must have shape (examples, {network.sizes[0]}), "
                         f"got {inputs.shape}")
    pre_activations, activations, slopes = [], [inputs], []
    last = len(network.weights) - 1
    for layer, (w, b) in enumerate(zip(network.weights, network.biases)):
        z = activations[-1] @ w + b[..., None, :]
        pre_activations.append(z)
        if layer == last:
            activations.append(softmax(z) if network.output == "softmax" else sigmoid(z))
        elif derivatives:
            value, derivative = _hidden(network, layer, z, generators)
            activations.append(value)
            slopes.append(derivative)
        else:
            activations.append(_hidden_value(network, layer, z, generators))
    return pre_activations, activations, slopes


def backward(network, derivatives, outputs, targets):
    """Back-propagation: the errors δ^l = ∂C/∂z^l for l = 1 … L, per example, from the output
    error δ^L = a^L − y (both sigmoid + cross-entropy and softmax + log-likelihood give it)."""
    network = _network(network)
    # Outputs and φ′ may overflow in a diverging run (chapter 4 counts those runs): NaN and
    # ±inf propagate here; the data, the targets, must be finite.
    outputs = require_array("outputs", outputs, ndim=(2, 3) if network.stack else 2,
                            finite=False)
    if outputs.shape[-1] != network.sizes[-1]:
        raise ValueError(f"outputs must have {network.sizes[-1]} columns, got {outputs.shape}")
    targets = require_array("targets", targets)
    if targets.shape not in (outputs.shape, outputs.shape[-2:]):
        raise ValueError(f"targets must have the shape of outputs {outputs.shape}, "
                         f"got {targets.shape}")
    hidden_shapes = [outputs.shape[:-1] + (width,) for width in network.sizes[1:-1]]
    if not isinstance(derivatives, (list, tuple)) or len(derivatives) != len(hidden_shapes):
        raise ValueError(f"derivatives must be a list of {len(hidden_shapes)} arrays φ′(z^l), "
                         f"one per hidden layer")
    derivatives = [require_array("derivatives", d, finite=False) for d in derivatives]
    if [d.shape for d in derivatives] != hidden_shapes:
        raise ValueError(f"derivatives must have shapes {hidden_shapes}, "
                         f"got {[d.shape for d in derivatives]}")
    deltas = [outputs - targets]
    for layer in range(len(network.weights) - 1, 0, -1):
        upstream = deltas[0] @ np.swapaxes(network.weights[layer], -1, -2)  # ∂C/∂a^{layer}
        deltas.insert(0, upstream * derivatives[layer - 1])
    return deltas


def gradients(network, inputs, targets, rng=None):
    """Mean gradients of the cost: {"weights": [∂C/∂W^l], "biases": [∂C/∂b^l], "slopes":
    [∂C/∂a_l] for PReLU (a_l multiplies min(z, 0) in hidden layer l), else None}."""
    pre_activations, activations, derivatives = forward(network, inputs, rng)
    deltas = backward(network, derivatives, activations[-1], targets)
    count = activations[0].shape[-2]
    result = {"weights": [np.swapaxes(a, -1, -2) @ delta / count
                          for a, delta in zip(activations[:-1], deltas)],
              "biases": [delta.mean(axis=-2) for delta in deltas], "slopes": None}
    if network.hidden == "prelu":
        # ∂C/∂a_l = Σ over examples and units of ∂C/∂a^l ⊙ min(z^l, 0), averaged over examples.
        result["slopes"] = [
            np.sum((delta_above @ np.swapaxes(w, -1, -2)) * np.minimum(z, 0.0), axis=(-2, -1))
            / count for delta_above, w, z in zip(deltas[1:], network.weights[1:],
                                                 pre_activations[:-1])]
    return result
# --8<-- [end:forward_backward]


def cross_entropy(outputs, targets, output="sigmoid"):
    """C = mean over examples of −Σ_j [y_j ln a_j + (1 − y_j) ln(1 − a_j)] for sigmoid
    outputs, or of −Σ_j y_j ln a_j (the negative log-likelihood) for a softmax; one value per
    stacked network."""
    outputs = require_array("outputs", outputs, ndim=(2, 3), minimum=0.0, maximum=1.0)
    targets = require_array("targets", targets, ndim=2)
    if targets.shape not in (outputs.shape, outputs.shape[-2:]):
        raise ValueError(f"outputs and targets must share a shape (examples, classes), got "
                         f"{outputs.shape} and {targets.shape}")
    output = require_choice("output", output, ("sigmoid", "softmax"))
    eps = np.finfo(float).tiny  # keeps ln finite when an output rounds to 0 or 1
    terms = targets * np.log(outputs + eps)
    if output == "sigmoid":
        terms = terms + (1 - targets) * np.log(1 - outputs + eps)
    values = -np.mean(np.sum(terms, axis=-1), axis=-1)
    return float(values) if values.ndim == 0 else values


def cost(network, inputs, targets):
    """The network's cost on (inputs, targets): cross-entropy for sigmoid outputs,
    log-likelihood for a softmax (see :func:`cross_entropy`)."""
    outputs = forward(network, inputs, derivatives=False)[1][-1]
    return cross_entropy(outputs, targets, network.output)


def one_hot(labels, classes=10):
    """Targets y with y_j = 1 for the true class and 0 elsewhere."""
    classes = require_int("classes", classes, minimum=1, maximum=100_000)
    labels = np.asarray(labels)
    if labels.ndim != 1 or labels.size == 0 or labels.dtype.kind not in "iu" \
            or labels.min() < 0 or labels.max() >= classes:
        raise ValueError(f"labels must be a non-empty 1-d array of integers in "
                         f"[0, {classes - 1}]")
    return np.eye(classes)[labels]


def accuracy(network, inputs, labels):
    """Share of examples whose largest output is the true class (one per stacked network)."""
    outputs = forward(network, inputs, derivatives=False)[1][-1]
    labels = np.asarray(labels)
    classes = outputs.shape[-1]
    if labels.shape != outputs.shape[-2:-1] or labels.dtype.kind not in "iu" \
            or labels.min() < 0 or labels.max() >= classes:
        raise ValueError(f"labels must be integers in [0, {classes - 1}] of shape "
                         f"{outputs.shape[-2:-1]}, got {labels.dtype} of shape {labels.shape}")
    values = np.mean(outputs.argmax(axis=-1) == labels, axis=-1)
    return float(values) if values.ndim == 0 else values


# --8<-- [start:learning_speeds]
def learning_speeds(network, inputs, targets):
    """Nielsen's speed of learning of each hidden layer l: ‖∂C/∂b^l‖, the Euclidean norm of
    the bias gradient averaged over the examples given (last axis: hidden layers)."""
    biases = gradients(network, inputs, targets)["biases"][:-1]
    return np.stack([np.linalg.norm(g, axis=-1) for g in biases], axis=-1)


def train_recording_speeds(network, inputs, targets, epochs, learning_rate=0.1, l2=5.0):
    """Full-batch gradient descent with L2 weight decay, as in Nielsen's experiment:
    W ← (1 − η λ / n) W − η ∂C/∂W and b ← b − η ∂C/∂b, with n examples.

    Returns the speeds of learning measured before each epoch, shape (epochs + 1, hidden
    layers) — (S, epochs + 1, hidden layers) for S stacked networks — and the trained network
    (the input network is left unchanged).
    """
    network = _network(network)
    epochs = require_int("epochs", epochs, minimum=0, maximum=MAX_STEPS)
    learning_rate = require_real("learning_rate", learning_rate, 0.0, 1e3, open_minimum=True)
    l2 = require_real("l2", l2, minimum=0.0, maximum=1e6)
    inputs = require_array("inputs", inputs, ndim=2)
    network = network.copy()
    decay = 1.0 - learning_rate * l2 / inputs.shape[0]
    speeds = []
    for epoch in range(epochs + 1):
        grads = gradients(network, inputs, targets)
        speeds.append(np.stack([np.linalg.norm(g, axis=-1) for g in grads["biases"][:-1]], -1))
        if epoch == epochs:
            break
        for layer in range(len(network.weights)):
            network.weights[layer] = decay * network.weights[layer] \
                - learning_rate * grads["weights"][layer]
            network.biases[layer] = network.biases[layer] - learning_rate * grads["biases"][layer]
    return np.stack(speeds, axis=-2), network
# --8<-- [end:learning_speeds]


# --8<-- [start:activation_growth]
def activation_growth(rng, width, depth, gain, hidden="relu", examples=256):
    """Mean squared activation E[(a^l)²] of each layer l = 0 … depth of a deep network with
    He weights N(0, 2/width) scaled by ``gain``, zero biases, fed x ~ N(0, 1).

    For ReLU, E[(a^l)²] = gain² · E[(a^{l−1})²] (He et al. 2015): it grows geometrically
    when gain > 1 and shrinks when gain < 1.
    """
    rng = require_generator("rng", rng)
    width = require_int("width", width, minimum=1, maximum=10_000)
    depth = require_int("depth", depth, minimum=1, maximum=10_000)
    gain = require_real("gain", gain, minimum=0.0, maximum=1e3, open_minimum=True)
    examples = require_int("examples", examples, minimum=1, maximum=1_000_000)
    if hidden not in PLAIN:
        raise ValueError(f"hidden must be one of {list(PLAIN)}, got {hidden!r}")
    phi = ACTIVATIONS[hidden].function
    activation = rng.standard_normal((examples, width))
    second_moments = [np.mean(activation ** 2)]
    for _ in range(depth):
        activation = phi(activation @ draw_weights(rng, "he", width, width, gain))
        second_moments.append(np.mean(activation ** 2))
    return np.array(second_moments)
# --8<-- [end:activation_growth]


# --8<-- [start:train_sgd]
def train_sgd(network, inputs, targets, rng, epochs, batch_size=10, learning_rate=0.1,
              record=None, record_every=None):
    """Mini-batch stochastic gradient descent, W ← W − η ∂C/∂W on shuffled mini-batches.

    ``rng`` is one Generator, or for S stacked networks a list of S (each network shuffles
    with its own). ``record(network)`` (optional) is called before the first update and then
    after every ``record_every`` updates, or at the end of every epoch when record_every is
    None. Returns (trained network, update counts, records).
    """
    network = _network(network)
    if rng is None:
        raise ValueError("rng must be a numpy Generator (or one per stacked network)")
    generators = _generators(network, rng)
    epochs = require_int("epochs", epochs, minimum=0, maximum=MAX_STEPS)
    inputs = require_array("inputs", inputs, ndim=2)
    targets = require_array("targets", targets, ndim=2)
    if targets.shape[0] != inputs.shape[0]:
        raise ValueError(f"targets must have one row per input ({inputs.shape[0]}), "
                         f"got {targets.shape[0]}")
    batch_size = require_int("batch_size", batch_size, minimum=1, maximum=inputs.shape[0])
    learning_rate = require_real("learning_rate", learning_rate, 0.0, 1e3, open_minimum=True)
    if record is not None:
        record = require_callable("record", record)
    if record_every is not None:
        record_every = require_int("record_every", record_every, minimum=1, maximum=MAX_STEPS)
    network = network.copy()
    counts, records = [], []
    if record is not None:
        counts.append(0)
        records.append(record(network))
    update = 0
    shuffling = generators if network.stack else generators[:1]
    for _ in range(epochs):
        orders = np.stack([g.permutation(inputs.shape[0]) for g in shuffling])
        if not network.stack:
            orders = orders[0]
        for start in range(0, inputs.shape[0], batch_size):
            batch = orders[..., start:start + batch_size]
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
