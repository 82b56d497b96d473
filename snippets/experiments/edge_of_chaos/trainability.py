"""Which random tanh networks train (figure 5.5): Schoenholz et al. (2017) found that a network
trains only when it is at most about 6 ξ_c layers deep. Here tanh networks with σ_b² = 0.05
are trained on the 8×8 digits over a grid of σ_w² (both phases) and depths, each for the same
fixed budget of plain SGD steps and over a few seeds; their held-out accuracy is set against
the correlation depth scale ξ_c and the gradient depth scale ξ = 1/|ln χ₁| at each σ_w².

The budget is small by design (the whole grid costs seconds of CPU): the paper's networks
were wider and trained far longer, on MNIST and CIFAR-10."""

import numpy as np

from snippets.core import mean_field, networks
from snippets.core.data import digits_labels, digits_pixels
from snippets.core.statistics import spawn_generators
from snippets.experiments import experiment
from snippets.experiments.edge_of_chaos import depth_scale

ACTIVATION = "tanh"
BIAS_VARIANCE = 0.05
WEIGHT_VARIANCES = np.geomspace(0.5, 4.0, 8)   # both phases: critical σ_w² ≈ 1.76 here
DEPTHS = (4, 6, 8, 11, 16, 23, 32, 45)         # hidden layers, about √2 apart
WIDTH = 32                                     # units per hidden layer
SEEDS = 3
SEED = 2017
TRAINING_EXAMPLES = 1000   # the first 1000 digits train, the other 797 are held out
EPOCHS = 8
BATCH_SIZE = 16
LEARNING_RATE = 0.05
STEPS = EPOCHS * -(-TRAINING_EXAMPLES // BATCH_SIZE)   # SGD updates per network
CHANCE = 0.1                                            # ten classes
HELD_OUT_CHUNK = 200       # held-out digits evaluated per pass (keeps each pass in budget)

# How the page and the ledger read the grid. A cell (σ_w², depth) trained if its mean held-out
# accuracy less two standard deviations over the seeds is at least TRAINS, and stayed near
# chance if the mean plus two standard deviations is at most FAILS. The claim compares cells
# at least BEYOND ξ_c deep with cells at most INSIDE ξ_c deep, the latter where ξ ≤ AWAY layers
# (away from the critical line, where the budget rather than depth stops the deepest networks).
TRAINABLE_MULTIPLE = depth_scale.TRAINABLE_MULTIPLE   # Schoenholz et al.'s 6
TRAINS, FAILS = 0.5, 0.3
INSIDE, BEYOND = 2, 8
AWAY = 5.0


def _starting_network(rng, weight_variance, depth):
    """A tanh network 64 → WIDTH × depth → 10 (softmax), weights N(0, σ_w²/n_in), biases
    N(0, σ_b²): the random network of the mean-field theory."""
    return networks.init_network(rng, [64] + [WIDTH] * depth + [10], weights="lecun",
                                 gain=float(np.sqrt(weight_variance)),
                                 bias_std=float(np.sqrt(BIAS_VARIANCE)), hidden=ACTIVATION,
                                 output="softmax")


def _held_out_accuracy(network, pixels, labels):
    """Accuracy of each stacked network on all of (pixels, labels), in chunks."""
    correct = 0.0
    for start in range(0, len(labels), HELD_OUT_CHUNK):
        part = slice(start, start + HELD_OUT_CHUNK)
        correct = correct + networks.accuracy(network, pixels[part], labels[part]) \
            * len(labels[part])
    return correct / len(labels)


@experiment
def trained_grid():
    """{"accuracy": held-out accuracy, shape (σ_w², depth, seed); "xi_c", "xi": the depth
    scales at each σ_w²; "critical": the critical σ_w² at BIAS_VARIANCE}. Grid point (i, j)
    and seed k train with generator (i·len(DEPTHS) + j)·SEEDS + k of spawn_generators(SEED)."""
    pixels, labels = digits_pixels(), digits_labels()
    targets = networks.one_hot(labels)
    train, held_out = slice(0, TRAINING_EXAMPLES), slice(TRAINING_EXAMPLES, None)
    generators = spawn_generators(SEED, len(WEIGHT_VARIANCES) * len(DEPTHS) * SEEDS)
    accuracy = np.empty((len(WEIGHT_VARIANCES), len(DEPTHS), SEEDS))
    for j, depth in enumerate(DEPTHS):
        # Every σ_w² and seed at this depth trains at once, as one stack of networks.
        points = [(i, k) for i in range(len(WEIGHT_VARIANCES)) for k in range(SEEDS)]
        rngs = [generators[(i * len(DEPTHS) + j) * SEEDS + k] for i, k in points]
        stack = networks.stack_networks([_starting_network(rng, WEIGHT_VARIANCES[i], depth)
                                         for rng, (i, _) in zip(rngs, points)])
        with np.errstate(over="ignore", invalid="ignore"):
            trained, _, _ = networks.train_sgd(stack, pixels[train], targets[train], rngs,
                                               EPOCHS, BATCH_SIZE, LEARNING_RATE)
            scores = _held_out_accuracy(trained, pixels[held_out], labels[held_out])
        for (i, k), score in zip(points, scores):
            accuracy[i, j, k] = score
    xi_c = np.array([mean_field.correlation_depth_scale(ACTIVATION, s, BIAS_VARIANCE)
                     for s in WEIGHT_VARIANCES])
    xi = np.array([mean_field.depth_scale(mean_field.chi_1(ACTIVATION, s, BIAS_VARIANCE))
                   for s in WEIGHT_VARIANCES])
    return {"accuracy": accuracy, "xi_c": xi_c, "xi": xi,
            "critical": mean_field.critical_weight_variance(ACTIVATION, BIAS_VARIANCE)}
