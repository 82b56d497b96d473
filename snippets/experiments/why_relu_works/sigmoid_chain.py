"""The one-neuron-per-layer sigmoid chain: how far the gradient ratio ρ_r falls below the
bound (1/4)^r, for unit weights and for random weights with E|w| = 1 (chapter 1, figure 1.3)."""

import numpy as np

from snippets.core import gradient_chain as chain
from snippets.core.activations import sigmoid, sigmoid_derivative
from snippets.core.statistics import spawn_generators
from snippets.core.validation import require_choice
from snippets.experiments import experiment

SEED = 0
SEEDS = 5                   # independent repetitions, each its own generator
CHAINS_PER_SEED = 20_000
DEPTH = 10
STATISTICS = ("q05", "median", "q95", "mean", "fraction_above_bound")
WEIGHT_LAWS = {"w = 1": 0.0, "w ~ N(0, π/2), E|w| = 1": chain.UNIT_MEAN_ABS_SCALE}


@experiment
def chain_experiment():
    """{weight law: [(ρ_r statistics, ρ_DEPTH of every chain) for each repetition]}."""
    results = {}
    for label, scale in WEIGHT_LAWS.items():
        per_seed = []
        for rng in spawn_generators(SEED, SEEDS):
            weights, inputs = chain.sample_chain(rng, CHAINS_PER_SEED, DEPTH, scale)
            ratios = chain.chain_gradient_ratios(weights, inputs)
            per_seed.append((chain.chain_ratio_statistics(ratios), ratios[:, -1]))
        results[label] = per_seed
    return results


def over_seeds(label, statistic):
    """Mean and standard deviation over the repetitions of a statistic at depth DEPTH."""
    label = require_choice("label", label, tuple(WEIGHT_LAWS))
    statistic = require_choice("statistic", statistic, STATISTICS)
    values = np.array([stats[statistic][-1] for stats, _ in chain_experiment()[label]])
    return values.mean(), values.std(ddof=1)


@experiment
def step_factor_shares():
    """Per repetition, for the random weights with E|w| = 1: the share of chains in which at
    least one layer passes back more than 1/4 of the gradient it receives (|w_t σ′(v_t)| >
    1/4), and the share of all layers that do. The same chains as chain_experiment."""
    scale = WEIGHT_LAWS["w ~ N(0, π/2), E|w| = 1"]
    chains_with_one, layers = [], []
    for rng in spawn_generators(SEED, SEEDS):
        weights, inputs = chain.sample_chain(rng, CHAINS_PER_SEED, DEPTH, scale)
        above = chain.chain_factors(weights, inputs) > 0.25
        chains_with_one.append(np.mean(above.any(axis=1)))
        layers.append(np.mean(above))
    return {"chains": np.array(chains_with_one), "layers": np.array(layers)}


# The article's first assumption, E[w] = 1, is not its later one, E|w| = 1. A two-point law
# has mean 1 and mean absolute value 3: w = 3 with probability 2/3, w = −3 with 1/3.
TWO_POINT_WEIGHTS = (3.0, -3.0)
TWO_POINT_PROBABILITIES = (2 / 3, 1 / 3)
COUNTEREXAMPLE_INPUT = 1.0


@experiment
def mean_one_counterexample():
    """The exact mean of ρ_r (r = 1 … DEPTH) over the two-point weight law, each layer's
    weight drawn independently, for the input COUNTEREXAMPLE_INPUT: every one of the
    2^DEPTH weight sequences enumerated and weighted by its probability. No sampling."""
    choices = np.array(np.meshgrid(*[[0, 1]] * DEPTH, indexing="ij")).reshape(DEPTH, -1).T
    weights = np.array(TWO_POINT_WEIGHTS)[choices]
    probabilities = np.prod(np.array(TWO_POINT_PROBABILITIES)[choices], axis=1)
    inputs = np.full(weights.shape[0], COUNTEREXAMPLE_INPUT)
    ratios = chain.chain_gradient_ratios(weights, inputs)
    return {"mean_ratio": probabilities @ ratios, "bound": 0.25 ** np.arange(1, DEPTH + 1),
            "mean_weight": float(np.dot(TWO_POINT_WEIGHTS, TWO_POINT_PROBABILITIES)),
            "mean_absolute_weight": float(np.dot(np.abs(TWO_POINT_WEIGHTS),
                                                 TWO_POINT_PROBABILITIES))}


# The article: "even if we train for a long time, it is not possible to reach the optimum".
# Train the first weight w of a chain x → σ(w x) → σ(·) → … (every weight above it 1, input 1)
# towards the teacher w = TEACHER_WEIGHT, so the optimum is known and the loss there is 0:
# J_m(w) = ½ (y_m(w) − y_m(TEACHER_WEIGHT))² for a chain of m layers. Near the optimum gradient
# descent shrinks the gap by (1 − η λ_m) per step, λ_m = (∂y_m/∂w)² at the teacher, so the
# steps it needs grow like 1/λ_m: by about 1/σ′(y*)² per layer added.
TRAINED_DEPTHS = (1, 2, 3, 4, 5, 6, 8, 10)
TEACHER_WEIGHT = 2.0
START_WEIGHT = 1.0
GAP_TOLERANCE = 1e-6        # "reached": |w − TEACHER_WEIGHT| below this
STEP_BUDGET = 100_000       # one long training run: every depth gets the same number of steps


def _outputs_and_slopes(weight):
    """y_m and ∂y_m/∂w for every m in TRAINED_DEPTHS, one row per entry of ``weight``."""
    weight = np.atleast_1d(np.asarray(weight, dtype=float))
    # equivalent mutants (/ 1.0 for * 1.0, in either line): x / 1.0 and x * 1.0 are x exactly.
    activation = sigmoid(weight * 1.0)                  # the input is 1
    slope = sigmoid_derivative(weight * 1.0) * 1.0      # ∂y_1/∂w = σ′(w x) x
    outputs, slopes = {1: activation}, {1: slope}
    # equivalent mutant (+ 2): one more layer is computed, and no depth in TRAINED_DEPTHS reads it.
    for layer in range(2, max(TRAINED_DEPTHS) + 1):     # y_t = σ(1 · y_{t−1})
        slope = slope * sigmoid_derivative(activation)
        activation = sigmoid(activation)
        outputs[layer], slopes[layer] = activation, slope
    return (np.stack([outputs[m] for m in TRAINED_DEPTHS], axis=-1),
            np.stack([slopes[m] for m in TRAINED_DEPTHS], axis=-1))


def _diagonal(values):
    """Entry i of row i: the quantity of the chain of depth TRAINED_DEPTHS[i]."""
    return values[np.arange(len(TRAINED_DEPTHS)), np.arange(len(TRAINED_DEPTHS))]


@experiment
def long_training():
    """Gradient descent on the first weight of chains of each depth in TRAINED_DEPTHS, all
    with one learning rate (the best one for the one-layer chain, 1/λ_1) and each with its own
    (1/λ_m, the step a per-layer learning rate would take): {"curvature": λ_m, "rate":
    1/λ_1, "steps": steps to reach GAP_TOLERANCE with the one rate (−1: not within
    STEP_BUDGET), "final_gap": |w − teacher| after STEP_BUDGET steps, "own_rate_steps":
    steps to reach it with 1/λ_m}."""
    targets, teacher_slopes = _outputs_and_slopes(np.full(len(TRAINED_DEPTHS), TEACHER_WEIGHT))
    targets, curvature = np.diag(targets), np.diag(teacher_slopes) ** 2
    runs = {}
    for name, rates in (("shared", np.full(len(TRAINED_DEPTHS), 1 / curvature[0])),
                        ("own", 1 / curvature)):
        weight = np.full(len(TRAINED_DEPTHS), START_WEIGHT)
        steps = np.full(len(TRAINED_DEPTHS), -1)
        for step in range(STEP_BUDGET + 1):
            gap = np.abs(weight - TEACHER_WEIGHT)
            steps[(steps < 0) & (gap < GAP_TOLERANCE)] = step
            if np.all(steps >= 0) or step == STEP_BUDGET:
                break
            outputs, slopes = _outputs_and_slopes(weight)
            weight = weight - rates * (_diagonal(outputs) - targets) * _diagonal(slopes)
        runs[name] = (steps, np.abs(weight - TEACHER_WEIGHT))
    return {"curvature": curvature, "rate": 1 / curvature[0], "steps": runs["shared"][0],
            "final_gap": runs["shared"][1], "own_rate_steps": runs["own"][0]}
