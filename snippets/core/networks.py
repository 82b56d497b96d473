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
    MAX_ELEMENTS,
    MAX_OPERATIONS,
    STEP_COST,
    real_array,
    require_array,
    require_bool,
    require_budget,
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
MAX_STEPS = 10_000_000  # upper bound on epochs (their total work is budgeted separately)
MAX_INPUT = 1e6         # inputs lie in [−MAX_INPUT, MAX_INPUT]: x W + b cannot overflow


@dataclasses.dataclass
class Network:
    """Weights W^l of shape (n_{l−1}, n_l) and biases b^l of shape (n_l,), l = 1 … L, each
    with a leading axis of networks when several are stacked.

    Checked when built: ``hidden`` and ``output`` are names from PLAIN + SLOPED and
    ("sigmoid", "softmax"); weights and biases are lists of finite float arrays that chain
    layer to layer and share their leading (stack) shape; ``slopes`` holds one finite slope
    per hidden layer (one per stacked network) for PReLU and is None otherwise. Training
    updates the parameters in place and may drive them to ±∞ or NaN (a diverged run, which
    chapter 4 counts): every function given a network checks its structure again, and a
    diverged network evaluates to NaN, never to a plausible number.
    """

    weights: list
    biases: list
    hidden: str = "sigmoid"
    output: str = "sigmoid"   # "sigmoid" + cross-entropy, or "softmax" + log-likelihood
    slopes: list = None       # PReLU: the learned negative-side slope of each hidden layer

    def __post_init__(self):
        _check_network(self, finite=True, prefix="")

    def checked(self, name="network"):
        """This network, its fields checked again (they may have been changed since it was
        built; its parameters may have diverged); a message names it as ``name``."""
        # equivalent mutant (finite=None): _check_network only tests ``if finite``; None is falsy.
        return _check_network(self, finite=False, prefix=f"{name}: ")

    @property
    def sizes(self):
        return [self.weights[0].shape[-2]] + [w.shape[-1] for w in self.weights]

    @property
    def stack(self):
        """Leading shape: () for one network, (S,) for S stacked networks."""
        return self.weights[0].shape[:-2]

    @property
    def parameter_count(self):
        """Weights and biases of one network of the stack."""
        return sum(w.shape[-2] * w.shape[-1] + w.shape[-1] for w in self.weights)

    def copy(self):
        return Network([w.copy() for w in self.weights], [b.copy() for b in self.biases],
                       self.hidden, self.output,
                       None if self.slopes is None else [np.copy(a) for a in self.slopes])


def _check_network(network, finite, prefix):
    """Check ``network``'s fields (see :class:`Network`), normalising weights and biases to
    lists of float arrays; ``prefix`` names the parameter the network came in as, so that a
    message names it ("network: …") as well as the field."""
    def fail(problem):
        raise ValueError(f"{prefix}{problem}")

    for field, options in (("hidden", (*PLAIN, *SLOPED)), ("output", ("sigmoid", "softmax"))):
        value = getattr(network, field)
        if not isinstance(value, str) or value not in options:
            fail(f"{field} must be one of {list(options)}, got {value!r}")
    layers = {}
    for field, extra_axes in (("weights", 2), ("biases", 1)):
        value = getattr(network, field)
        if not isinstance(value, (list, tuple)) or not value:
            fail(f"{field} must be a non-empty list of arrays, got {type(value).__name__}")
        try:
            arrays = [real_array(field, array) for array in value]
        except ValueError as error:
            fail(str(error))
        for array in arrays:
            if array.ndim not in (extra_axes, extra_axes + 1) or array.size == 0:
                fail(f"{field} must hold non-empty {extra_axes}-dimensional arrays (one more "
                     f"axis when stacked), got shapes {[a.shape for a in arrays]}")
            if finite and not np.all(np.isfinite(array)):
                fail(f"{field} must contain only finite values")
        layers[field] = arrays
    weights, biases = layers["weights"], layers["biases"]
    stack = weights[0].shape[:-2]
    chained = len(biases) == len(weights) and all(
        w.shape[:-2] == stack and b.shape == (*stack, w.shape[-1])
        for w, b in zip(weights, biases)) and all(
        below.shape[-1] == above.shape[-2] for below, above in zip(weights, weights[1:]))
    if not chained:
        fail(f"weights and biases must chain layer to layer (W^l: (n_l−1, n_l), b^l: (n_l,), "
             f"one more leading axis when stacked), got weights {[w.shape for w in weights]} "
             f"and biases {[b.shape for b in biases]}")
    network.weights, network.biases = weights, biases
    if network.hidden != "prelu":
        if network.slopes is not None:
            fail(f"slopes must be None unless hidden is 'prelu', got {network.slopes!r}")
        return network
    if not isinstance(network.slopes, (list, tuple)) or len(network.slopes) != len(weights) - 1:
        fail(f"slopes must list one PReLU slope per hidden layer ({len(weights) - 1}), "
             f"got {network.slopes!r}")
    try:
        slopes = [real_array("slopes", slope) for slope in network.slopes]
    except ValueError as error:
        fail(str(error))
    if any(slope.shape != stack for slope in slopes):
        fail(f"slopes must each have the stack shape {stack}, "
             f"got {[slope.shape for slope in slopes]}")
    if finite and not all(np.all(np.isfinite(slope)) for slope in slopes):
        fail("slopes must contain only finite values")
    return network


def _check_hidden(hidden):
    return require_choice("hidden", hidden, (*PLAIN, *SLOPED))


def _network(network):
    """``network`` if it is a Network whose fields are still well formed (its parameters may
    have diverged to ±∞ or NaN in training)."""
    return require_instance("network", network, Network).checked()


def _pass_budget(network, examples, passes=1, examples_name="the examples of inputs",
                 passes_name="one pass"):
    """Refuse forward-and-backward passes too large for the budgets: a pass over ``examples``
    examples holds the activations, derivatives and errors of every layer, and costs about 6
    operations per weight and example (forward, and back-propagation's two products)."""
    # equivalent mutants (dtype=None, dtype dropped): numpy 2's default integer is int64 on
    # 64-bit platforms, and an empty stack's product 1.0 becomes int 1.
    count = int(np.prod(network.stack, dtype=np.int64)) * examples
    require_budget(f"3 × stacked networks × {examples_name} × (n_0 + … + n_L) of network",
                   3 * count * sum(network.sizes), MAX_ELEMENTS)
    require_budget(f"{passes_name} × (6 × stacked networks × {examples_name} × parameters of "
                   f"network + STEP_COST)",
                   passes * (6.0 * count * network.parameter_count + STEP_COST), MAX_OPERATIONS)


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
    sizes = _check_sizes(sizes)
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
    # equivalent mutants (copy True, None or dropped): the arrays are fresh draws no one else
    # holds, so a copy has the same values and nothing can observe the sharing.
    return Network([w.astype(dtype, copy=False) for w in layers_w],
                   [b.astype(dtype, copy=False) for b in layers_b], hidden, output, slopes)
# --8<-- [end:init_network]


def _check_sizes(sizes):
    sizes = require_sizes("sizes", sizes)
    parameters = sum(n_in * n_out + n_out for n_in, n_out in zip(sizes[:-1], sizes[1:]))
    require_budget("the parameters n_0 n_1 + n_1 + … + n_{L−1} n_L + n_L of sizes",
                   parameters, MAX_ELEMENTS)
    return sizes


def stack_networks(networks):
    """One stacked Network holding ``networks`` (same sizes, activations and output)."""
    if not isinstance(networks, (list, tuple)) or not networks \
            or not all(isinstance(n, Network) for n in networks):
        raise ValueError(f"networks must be a non-empty list of Networks, got {networks!r}")
    for network in networks:
        network.checked("networks")
    first = networks[0]
    if any(n.sizes != first.sizes or n.hidden != first.hidden or n.output != first.output
           or n.stack != () for n in networks):
        raise ValueError("networks must be single (unstacked) networks sharing sizes, hidden "
                         "activation and output to be stacked")
    require_budget("networks × parameters of each", len(networks) * first.parameter_count,
                   MAX_ELEMENTS)
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
    return _one_per_network("rng", rng, network)


def _one_per_network(name, generators, network):
    """``generators``: a list of one Generator per network of the stack ``network``."""
    generators = require_generators(name, generators)
    # equivalent mutants (`or True`, else 2): the only caller, _generators, passes stacked
    # networks alone, so network.stack is never empty here.
    count = network.stack[0] if network.stack else 1
    if len(generators) != count:
        raise ValueError(f"{name} must hold {count} generators, one per stacked network of "
                         f"network, got {len(generators)}")
    return generators


def _inputs(network, inputs):
    """``inputs`` checked against ``network``: (examples, n_0), or (S, examples, n_0) for S
    stacked networks, entries in [−MAX_INPUT, MAX_INPUT]."""
    inputs = require_array("inputs", inputs, minimum=-MAX_INPUT, maximum=MAX_INPUT)
    per_network = inputs.ndim == 3 and network.stack and inputs.shape[0] == network.stack[0]
    if not (inputs.ndim == 2 or per_network) or inputs.shape[-1] != network.sizes[0]:
        raise ValueError(f"inputs must have shape (examples, {network.sizes[0]}) to fit the "
                         f"network, got {inputs.shape}")
    return inputs


def _targets(network, targets, examples):
    """``targets`` y for ``examples`` examples: entries in [0, 1] (class probabilities),
    shape (examples, n_L), or one such per stacked network."""
    targets = require_array("targets", targets, minimum=0.0, maximum=1.0)
    shape = (examples, network.sizes[-1])
    if targets.shape not in (shape, (*network.stack, *shape)):
        raise ValueError(f"targets must have shape {shape} (one row per input, one column per "
                         f"output of the network), got {targets.shape}")
    return targets


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
    inputs = _inputs(network, inputs)
    _pass_budget(network, inputs.shape[-2])
    return _forward(network, inputs, generators, derivatives)


def _forward(network, inputs, generators, derivatives=True):
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
    # Outputs and φ′ come from a forward pass, which in a diverging run (chapter 4 counts
    # those) may hold NaN: it propagates here. The data, the targets, must be in [0, 1].
    # equivalent mutant (finite=None): require_array only tests ``if finite``; None is falsy.
    outputs = require_array("outputs", outputs, ndim=(2, 3) if network.stack else 2,
                            finite=False, minimum=0.0, maximum=1.0)
    if outputs.shape[-1] != network.sizes[-1]:
        raise ValueError(f"outputs must have {network.sizes[-1]} columns, got {outputs.shape}")
    targets = require_array("targets", targets, minimum=0.0, maximum=1.0)
    if targets.shape not in (outputs.shape, outputs.shape[-2:]):
        raise ValueError(f"targets must have the shape of outputs {outputs.shape}, "
                         f"got {targets.shape}")
    hidden_shapes = [outputs.shape[:-1] + (width,) for width in network.sizes[1:-1]]
    if not isinstance(derivatives, (list, tuple)) or len(derivatives) != len(hidden_shapes):
        raise ValueError(f"derivatives must be a list of {len(hidden_shapes)} arrays φ′(z^l), "
                         f"one per hidden layer")
    # equivalent mutant (finite=None): require_array only tests ``if finite``; None is falsy.
    derivatives = [require_array("derivatives", d, finite=False) for d in derivatives]
    if [d.shape for d in derivatives] != hidden_shapes:
        raise ValueError(f"derivatives must have shapes {hidden_shapes}, "
                         f"got {[d.shape for d in derivatives]}")
    _pass_budget(network, outputs.shape[-2])
    return _backward(network, derivatives, outputs, targets)


def _backward(network, derivatives, outputs, targets):
    deltas = [outputs - targets]
    for layer in range(len(network.weights) - 1, 0, -1):
        upstream = deltas[0] @ np.swapaxes(network.weights[layer], -1, -2)  # ∂C/∂a^{layer}
        deltas.insert(0, upstream * derivatives[layer - 1])
    return deltas


def gradients(network, inputs, targets, rng=None):
    """Mean gradients of the cost: {"weights": [∂C/∂W^l], "biases": [∂C/∂b^l], "slopes":
    [∂C/∂a_l] for PReLU (a_l multiplies min(z, 0) in hidden layer l), else None}."""
    network = _network(network)
    inputs = _inputs(network, inputs)
    targets = _targets(network, targets, inputs.shape[-2])
    _pass_budget(network, inputs.shape[-2])
    return _gradients(network, inputs, targets, _generators(network, rng))


def _gradients(network, inputs, targets, generators):
    pre_activations, activations, derivatives = _forward(network, inputs, generators)
    deltas = _backward(network, derivatives, activations[-1], targets)
    # equivalent mutant (activations[1]): every activation has the examples on axis −2.
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
    stacked network. Outputs a and targets y lie in [0, 1]."""
    outputs = require_array("outputs", outputs, ndim=(2, 3), minimum=0.0, maximum=1.0)
    targets = require_array("targets", targets, ndim=2, minimum=0.0, maximum=1.0)
    if targets.shape not in (outputs.shape, outputs.shape[-2:]):
        raise ValueError(f"outputs and targets must share a shape (examples, classes), got "
                         f"{outputs.shape} and {targets.shape}")
    output = require_choice("output", output, ("sigmoid", "softmax"))
    return _cross_entropy(outputs, targets, output)


def _cross_entropy(outputs, targets, output):
    eps = np.finfo(float).tiny  # keeps ln finite when an output rounds to 0 or 1
    terms = targets * np.log(outputs + eps)
    if output == "sigmoid":
        terms = terms + (1 - targets) * np.log(1 - outputs + eps)
    values = -np.mean(np.sum(terms, axis=-1), axis=-1)
    return float(values) if values.ndim == 0 else values


def cost(network, inputs, targets):
    """The network's cost on (inputs, targets): cross-entropy for sigmoid outputs,
    log-likelihood for a softmax (see :func:`cross_entropy`); NaN for a diverged network."""
    network = _network(network)
    inputs = _inputs(network, inputs)
    targets = _targets(network, targets, inputs.shape[-2])
    _pass_budget(network, inputs.shape[-2])
    # equivalent mutants (derivatives None, True or dropped): the same activations; derivatives,
    # computed silently for every z (snippets/core/activations.py), would only be discarded.
    outputs = _forward(network, inputs, None, derivatives=False)[1][-1]
    return _cross_entropy(outputs, targets, network.output)


def one_hot(labels, classes=10):
    """Targets y with y_j = 1 for the true class and 0 elsewhere."""
    classes = require_int("classes", classes, minimum=1, maximum=100_000)
    labels = _labels("labels", labels, classes)
    require_budget("labels × classes", labels.size * classes, MAX_ELEMENTS)
    targets = np.zeros((labels.size, classes))
    targets[np.arange(labels.size), labels] = 1.0
    return targets


def _labels(name, labels, classes, shape=None, classes_name="classes"):
    """``labels`` as a non-empty 1-d integer array with entries in [0, classes − 1]."""
    try:
        labels = np.asarray(labels)
    except (TypeError, ValueError) as error:
        raise ValueError(f"{name} must be an array of integer class labels: {error}") from None
    # equivalent mutant ("XXiuXX"): no numpy dtype kind is "X", and "i", "u" are still in it.
    if labels.ndim != 1 or labels.size == 0 or labels.dtype.kind not in "iu" \
            or (shape is not None and labels.shape != shape) \
            or labels.min() < 0 or labels.max() >= classes:
        wanted = "non-empty 1-d" if shape is None else f"shape {shape}"
        raise ValueError(f"{name} must be a {wanted} array of integers in [0, {classes_name} − "
                         f"1] = [0, {classes - 1}], got {labels.dtype} of shape {labels.shape}")
    return labels


def accuracy(network, inputs, labels):
    """Share of examples whose largest output is the true class (one per stacked network);
    NaN for a diverged network, whose outputs are not all finite."""
    network = _network(network)
    inputs = _inputs(network, inputs)
    labels = _labels("labels", labels, network.sizes[-1], shape=inputs.shape[-2:-1],
                     classes_name="outputs of the network")
    _pass_budget(network, inputs.shape[-2])
    # equivalent mutants (derivatives None, True or dropped): the same activations; derivatives,
    # computed silently for every z (snippets/core/activations.py), would only be discarded.
    outputs = _forward(network, inputs, None, derivatives=False)[1][-1]
    values = np.mean(outputs.argmax(axis=-1) == labels, axis=-1)
    values = np.where(np.all(np.isfinite(outputs), axis=(-2, -1)), values, np.nan)
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
    network, inputs, targets = _training_data(network, inputs, targets)
    # equivalent mutants (minimum or maximum dropped): require_int's defaults are 0 and
    # MAX_COUNT, which equals MAX_STEPS.
    epochs = require_int("epochs", epochs, minimum=0, maximum=MAX_STEPS)
    learning_rate = require_real("learning_rate", learning_rate, 0.0, 1e3, open_minimum=True)
    l2 = require_real("l2", l2, minimum=0.0, maximum=1e6)
    _pass_budget(network, inputs.shape[-2], passes=epochs + 1, passes_name="(epochs + 1) passes")
    network = network.copy()
    decay = 1.0 - learning_rate * l2 / inputs.shape[-2]
    speeds = []
    # equivalent mutant (epochs + 2): the loop breaks at epoch == epochs, before the extra turn.
    for epoch in range(epochs + 1):
        grads = _gradients(network, inputs, targets, None)
        speeds.append(np.stack([np.linalg.norm(g, axis=-1) for g in grads["biases"][:-1]], -1))
        if epoch == epochs:
            break
        for layer in range(len(network.weights)):
            network.weights[layer] = decay * network.weights[layer] \
                - learning_rate * grads["weights"][layer]
            network.biases[layer] = network.biases[layer] - learning_rate * grads["biases"][layer]
    return np.stack(speeds, axis=-2), network
# --8<-- [end:learning_speeds]


def _training_data(network, inputs, targets):
    """Network, inputs (examples, n_0) and targets (examples, n_L) shared by all the stacked
    networks, as the training loops index them."""
    network = _network(network)
    inputs = _inputs(network, inputs)
    if inputs.ndim != 2:
        raise ValueError(f"inputs must have shape (examples, {network.sizes[0]}): every "
                         f"stacked network trains on the same data, got {inputs.shape}")
    targets = _targets(network, targets, inputs.shape[0])
    if targets.ndim != 2:
        raise ValueError(f"targets must have shape {(inputs.shape[0], network.sizes[-1])}: "
                         f"every stacked network trains on the same data, got {targets.shape}")
    return network, inputs, targets


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
    phi = ACTIVATIONS[require_choice("hidden", hidden, PLAIN)].function
    _growth_budget(width, depth, gain if hidden in ("relu", "leaky_relu") else 1.0, examples)
    activation = rng.standard_normal((examples, width))
    second_moments = [np.mean(activation ** 2)]
    for _ in range(depth):
        activation = phi(activation @ draw_weights(rng, "he", width, width, gain))
        second_moments.append(np.mean(activation ** 2))
    return np.array(second_moments)
# --8<-- [end:activation_growth]


def _growth_budget(width, depth, gain, examples):
    require_budget("examples × width + width² of examples and width",
                   examples * width + width * width, MAX_ELEMENTS)
    require_budget("depth × (2 × examples × width² + STEP_COST) of depth, examples and width",
                   depth * (2.0 * examples * width * width + STEP_COST), MAX_OPERATIONS)
    # A rectifier's E[(a^l)²] grows by about gain² per layer: keep it within float64.
    if depth * 2 * np.log10(gain) > 300:
        raise ValueError(f"gain^(2 × depth) must be at most 1e300 (float64) for a rectifier, "
                         f"got gain={gain} and depth={depth}")


# --8<-- [start:train_sgd]
def train_sgd(network, inputs, targets, rng, epochs, batch_size=10, learning_rate=0.1,
              record=None, record_every=None, frozen=None):
    """Mini-batch stochastic gradient descent, W ← W − η ∂C/∂W on shuffled mini-batches.

    ``frozen``: indices of weight layers (0 = the first, from the inputs) whose weights and
    biases keep their starting values (None: none); the others train as usual.

    ``rng`` is one Generator, or for S stacked networks a list of S (each network shuffles
    with its own). ``record(network)`` (optional) is called before the first update and then
    after every ``record_every`` updates, or at the end of every epoch when record_every is
    None. Returns (trained network, update counts, records).
    """
    network, inputs, targets = _training_data(network, inputs, targets)
    if rng is None:
        raise ValueError("rng must be a numpy Generator (or one per stacked network)")
    generators = _generators(network, rng)
    # equivalent mutants (minimum or maximum dropped): require_int's defaults are 0 and
    # MAX_COUNT, which equals MAX_STEPS.
    epochs = require_int("epochs", epochs, minimum=0, maximum=MAX_STEPS)
    batch_size = require_int("batch_size", batch_size, minimum=1, maximum=inputs.shape[-2])
    learning_rate = require_real("learning_rate", learning_rate, 0.0, 1e3, open_minimum=True)
    record = None if record is None else _recorder(record)
    if record_every is not None:
        # equivalent mutant (maximum dropped): require_int's default MAX_COUNT equals MAX_STEPS.
        record_every = require_int("record_every", record_every, minimum=1, maximum=MAX_STEPS)
    frozen = _frozen_layers(frozen, len(network.weights))
    updates = epochs * -(-inputs.shape[-2] // batch_size)
    _pass_budget(network, batch_size, passes=updates, examples_name="batch_size",
                 passes_name="epochs × ⌈examples of inputs / batch_size⌉ updates")
    network = network.copy()
    counts, records = [], []
    if record is not None:
        counts.append(0)
        records.append(record(network))
    update = 0
    # equivalent mutants (`or True`, [:2]): an unstacked network has exactly one generator.
    shuffling = generators if network.stack else generators[:1]
    for _ in range(epochs):
        orders = np.stack([g.permutation(inputs.shape[0]) for g in shuffling])
        if not network.stack:
            orders = orders[0]
        for start in range(0, inputs.shape[0], batch_size):
            batch = orders[..., start:start + batch_size]
            grads = _gradients(network, inputs[batch], targets[batch], generators)
            for layer in range(len(network.weights)):
                if layer in frozen:
                    continue
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


def _frozen_layers(frozen, layers):
    """``frozen`` as a set of distinct layer indices in [0, layers − 1] (None: no layer)."""
    if frozen is None:
        return set()
    # Elements are checked one by one below (a nested list fails there, naming frozen).
    if not isinstance(frozen, (list, tuple, np.ndarray)) \
            or (isinstance(frozen, np.ndarray) and frozen.ndim != 1) or len(frozen) == 0:
        raise ValueError(f"frozen must be None or a non-empty list of layer indices in "
                         f"[0, {layers - 1}], got {frozen!r}")
    # equivalent mutant (minimum dropped): require_int's default minimum is 0.
    indices = [require_int("frozen", index, minimum=0, maximum=layers - 1) for index in frozen]
    if len(set(indices)) != len(indices):
        raise ValueError(f"frozen must list each layer once, got {list(frozen)!r}")
    return set(indices)


def _recorder(record):
    """``record`` wrapped so that a function that cannot take a network is named."""
    record = require_callable("record", record)

    def recorded(network):
        try:
            return record(network)
        except Exception as error:  # noqa: BLE001 - whatever the caller's function raised
            raise ValueError(f"record must be a function of the network: {error}") from error
    return recorded
