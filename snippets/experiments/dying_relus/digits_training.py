"""The training harness that chapter 4's experiments share: a 64–100–100–100–10 network on the
handwritten digits (pixels in [0, 1]), mini-batch SGD for a few epochs, several seeds trained
at once as one stacked network. Not an experiment itself: dying_in_training.py and
fixes_compared.py build on it."""


from snippets.core import dead_networks, networks
from snippets.core.data import digits_labels, digits_pixels
from snippets.core.statistics import spawn_generators
from snippets.core.validation import require_array, require_generators, require_instance

SIZES = [64, 100, 100, 100, 10]
EPOCHS = 10
BATCH = 32
SEED = 0
SEEDS = 5                 # independent repetitions: seed k initialises and shuffles network k
TRAIN = 1297              # the first 1297 digits train, the other 500 are held out


def pixels_and_targets():
    return digits_pixels(), networks.one_hot(digits_labels())


def seed_generators():
    """One generator per repetition. Every variant draws from the same list, so variant A and
    variant B of repetition k start from the same random numbers (a paired comparison)."""
    return spawn_generators(SEED, SEEDS)


def relu_networks(generators, hidden_bias=0.0, weights="he", hidden="relu"):
    """Stacked networks of shape SIZES, one per generator, hidden biases set to
    ``hidden_bias``, zero output bias."""
    generators = require_generators("generators", generators)
    return networks.stack_networks([
        networks.init_network(rng, SIZES, weights=weights, bias_std=0.0, hidden=hidden,
                              output="softmax", hidden_bias=hidden_bias) for rng in generators])


def train(network, generators, learning_rate, inputs, targets, record=None):
    """EPOCHS epochs of SGD on mini-batches of BATCH; ``record`` is called after each epoch.
    ``generators``: one per stacked network."""
    network = require_instance("network", network, networks.Network).checked()
    generators = require_generators("generators", generators)
    stacked = network.stack[0] if network.stack else 1
    if len(generators) != stacked:
        raise ValueError(f"generators must hold {stacked} generators, one per stacked network "
                         f"of network, got {len(generators)}")
    inputs = require_array("inputs", inputs, shape=(None, SIZES[0]))
    if inputs.shape[0] < BATCH:
        raise ValueError(f"inputs must hold at least BATCH = {BATCH} examples, "
                         f"got {inputs.shape[0]}")
    return networks.train_sgd(network, inputs, targets,
                              generators if network.stack else generators[0], EPOCHS, BATCH,
                              learning_rate, record=record)


def inactive_shares(network, inputs):
    """Per stacked network: share of hidden units with z ≤ 0 on every input (``inputs``:
    pixels in [0, 1], shape (examples, 64))."""
    require_instance("network", network, networks.Network).checked()  # named before the inputs
    inputs = require_array("inputs", inputs, shape=(None, SIZES[0]), minimum=0.0, maximum=1.0)
    # equivalent mutants (derivatives=True or dropped): the pre-activations z do not depend
    # on whether φ′ is computed as well.
    pre_activations = networks.forward(network, inputs, derivatives=False)[0]
    return dead_networks.inactive_share(pre_activations[:-1])
