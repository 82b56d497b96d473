"""The training lab's model (docs/assets/lab/model.js) against snippets/core/networks.py.

The published script runs under the project's pinned Node.js on networks, digits and
mini-batches chosen here in Python; its activations, errors, gradients, cost and the parameters
after 50 SGD updates are compared with the tested Python's (the oracle): the relative error of
every array, max |JS − Python| / max |Python|, is at most 1e-12. The batches are the ones
train_sgd draws from the same generator (the test checks that too), so the last comparison is
against train_sgd itself, not against a copy of its loop. Fast tier: no site is built."""

import json
import subprocess
from pathlib import Path

import numpy as np
import pytest

from sitebuild.typeset_math import node_executable
from snippets.core import networks
from snippets.core.data import digits_labels, digits_pixels

MODEL = Path(__file__).resolve().parent.parent / "docs" / "assets" / "lab" / "model.js"
TOLERANCE = 1e-12
EXAMPLES, BATCH, EPOCHS = 100, 10, 5          # 5 epochs × 10 batches = 50 updates
LEARNING_RATE = 0.5

RUNNER = """
import { pathToFileURL } from "node:url";
import { readFileSync } from "node:fs";
const model = await import(pathToFileURL(process.argv[1]).href);
const job = JSON.parse(readFileSync(0, "utf8"));
const net = model.networkFromArrays(job.network);
const x = Float64Array.from(job.inputs.flat());
const y = Float64Array.from(job.targets.flat());
const rows = job.inputs.length;
const work = model.gradients(net, x, y, rows);
const plain = (arrays) => arrays.map((a) => Array.from(a));
const out = {
  z: plain(work.z), a: plain(work.a), delta: plain(work.delta),
  gradWeights: plain(work.gradWeights), gradBiases: plain(work.gradBiases),
  cost: model.meanCost(net, y, rows, work),
};
let step = null;
for (const batch of job.batches) {
  step = model.sgdStep(net, x, y, Int32Array.from(batch), job.learningRate, step);
}
out.weights = plain(net.weights);
out.biases = plain(net.biases);
process.stdout.write(JSON.stringify(out));
"""

CASES = [("sigmoid", "sigmoid", "lecun", 1.0, 0.0),     # Nielsen's network
         ("sigmoid", "softmax", "standard_uniform", 0.5, 0.0),
         ("tanh", "softmax", "glorot_uniform", 0.2, 0.0),
         ("relu", "softmax", "he", 0.1, -0.2),
         ("leaky_relu", "sigmoid", "he", 0.0, -1.0)]   # most units on the leaky side


def run_model(job):
    done = subprocess.run([node_executable(), "--input-type=module", "-e", RUNNER, str(MODEL)],
                          input=json.dumps(job), capture_output=True, text=True, check=True,
                          timeout=120)
    return json.loads(done.stdout)


def relative_error(computed, expected):
    computed, expected = np.asarray(computed, dtype=float), np.asarray(expected, dtype=float)
    assert computed.shape == expected.shape
    return float(np.max(np.abs(computed - expected)) / np.max(np.abs(expected)))


def flat(arrays):
    return [np.asarray(a).ravel().tolist() for a in arrays]


@pytest.fixture(scope="module", params=CASES, ids=[f"{c[0]}-{c[1]}" for c in CASES])
def compared(request):
    hidden, output, law, bias_std, hidden_bias = request.param
    rng = np.random.default_rng(23)
    network = networks.init_network(rng, [64, 16, 12, 10], weights=law, bias_std=bias_std,
                                    hidden=hidden, output=output, hidden_bias=hidden_bias)
    inputs = digits_pixels()[:EXAMPLES]
    targets = networks.one_hot(digits_labels()[:EXAMPLES])
    # The batches train_sgd takes with this generator: one permutation per epoch.
    shuffler = np.random.default_rng(5)
    batches = [order[start:start + BATCH].tolist() for _ in range(EPOCHS)
               for order in [shuffler.permutation(EXAMPLES)]
               for start in range(0, EXAMPLES, BATCH)]
    job = {"network": {"sizes": network.sizes, "weights": flat(network.weights),
                       "biases": flat(network.biases), "activation": hidden, "output": output},
           "inputs": inputs.tolist(), "targets": targets.tolist(), "batches": batches,
           "learningRate": LEARNING_RATE}
    trained, counts, _ = networks.train_sgd(network, inputs, targets, np.random.default_rng(5),
                                            EPOCHS, batch_size=BATCH,
                                            learning_rate=LEARNING_RATE)
    return network, inputs, targets, batches, trained, run_model(job)


def test_fifty_updates(compared):
    *_, batches, _, _ = compared
    assert len(batches) == 50


def test_forward_pass_matches(compared):
    network, inputs, targets, *_, js = compared
    pre, post, slopes = networks.forward(network, inputs)
    errors = [relative_error(np.reshape(j, p.shape), p) for j, p in zip(js["z"], pre)]
    errors += [relative_error(np.reshape(j, p.shape), p) for j, p in zip(js["a"], post[1:])]
    assert max(errors) <= TOLERANCE, errors


def test_back_propagation_matches(compared):
    network, inputs, targets, *_, js = compared
    _, post, slopes = networks.forward(network, inputs)
    deltas = networks.backward(network, slopes, post[-1], targets)
    grads = networks.gradients(network, inputs, targets)
    errors = [relative_error(np.reshape(j, d.shape), d) for j, d in zip(js["delta"], deltas)]
    errors += [relative_error(np.reshape(j, g.shape), g)
               for j, g in zip(js["gradWeights"], grads["weights"])]
    errors += [relative_error(j, g) for j, g in zip(js["gradBiases"], grads["biases"])]
    assert max(errors) <= TOLERANCE, errors


def test_cost_matches(compared):
    network, inputs, targets, *_, js = compared
    assert relative_error([js["cost"]], [networks.cost(network, inputs, targets)]) <= TOLERANCE


def test_parameters_after_fifty_sgd_updates_match_train_sgd(compared):
    network, _, _, _, trained, js = compared
    errors = [relative_error(np.reshape(j, w.shape), w)
              for j, w in zip(js["weights"], trained.weights)]
    errors += [relative_error(j, b) for j, b in zip(js["biases"], trained.biases)]
    moved = [relative_error(w, w0) for w, w0 in zip(trained.weights, network.weights)]
    assert min(moved) > 1e-3, "training must move every layer for the comparison to mean much"
    assert max(errors) <= TOLERANCE, errors


# Chapter 6's switches: residual connections and layer normalisation, against
# snippets/core/deep_networks.py (its own gradients are checked by finite differences in
# chapter 6's tests). Hidden layers of 16 units: every one after the first is residual.
# A rate of 0.1: at 0.5 these networks' training is unstable enough to amplify the last-bit
# differences of two summation orders (measured: 1e-16 after one update, 4e-8 after 50).
DEEP_LEARNING_RATE = 0.1
DEEP_CASES = [("tanh", True, "none"), ("relu", True, "layer"), ("tanh", False, "layer"),
              ("relu", False, "none")]

@pytest.fixture(scope="module", params=DEEP_CASES,
                ids=[f"{a}-{'residual' if r else 'plain'}-{n}" for a, r, n in DEEP_CASES])
def compared_deep(request):
    from snippets.core import deep_networks
    activation, residual, normalisation = request.param
    network = deep_networks.init_network([np.random.default_rng(6)], [64, 16, 16, 16, 10],
                                         activation=activation, weight_variance=1.5,
                                         bias_variance=0.05, residual=residual,
                                         normalisation=normalisation)
    inputs = digits_pixels()[:EXAMPLES]
    targets = networks.one_hot(digits_labels()[:EXAMPLES])
    shuffler = np.random.default_rng(8)
    batches = [order[start:start + BATCH].tolist() for _ in range(EPOCHS)
               for order in [shuffler.permutation(EXAMPLES)]
               for start in range(0, EXAMPLES, BATCH)]
    job = {"network": {"sizes": [64, 16, 16, 16, 10],
                       "weights": flat(w[0] for w in network.weights),
                       "biases": flat(b[0] for b in network.biases), "activation": activation,
                       "output": "softmax", "residual": "on" if residual else "off",
                       "normalisation": normalisation},
           "inputs": inputs.tolist(), "targets": targets.tolist(), "batches": batches,
           "learningRate": DEEP_LEARNING_RATE}
    trained, _ = deep_networks.train_sgd(network, inputs, targets, [np.random.default_rng(8)],
                                         EPOCHS, BATCH, DEEP_LEARNING_RATE)
    return deep_networks, network, inputs, targets, trained, run_model(job)


def test_deep_forward_cost_and_gradients_match(compared_deep):
    deep_networks, network, inputs, targets, _, js = compared_deep
    passed = deep_networks.forward(network, inputs)
    streams = passed["streams"][1:] + [passed["outputs"]]
    errors = [relative_error(np.reshape(j, s[0].shape), s[0])
              for j, s in zip(js["z"], streams)]
    cost, grads = deep_networks.cost_and_gradients(network, inputs, targets)
    errors += [relative_error(np.reshape(j, g[0].shape), g[0])
               for j, g in zip(js["gradWeights"], grads["weights"])]
    errors += [relative_error(j, g[0]) for j, g in zip(js["gradBiases"], grads["biases"])]
    errors.append(relative_error([js["cost"]], cost))
    assert len(errors) == 4 + 4 + 4 + 1 and max(errors) <= TOLERANCE, errors


def test_deep_parameters_after_fifty_sgd_updates_match_train_sgd(compared_deep):
    _, network, _, _, trained, js = compared_deep
    errors = [relative_error(np.reshape(j, w[0].shape), w[0])
              for j, w in zip(js["weights"], trained.weights)]
    errors += [relative_error(j, b[0]) for j, b in zip(js["biases"], trained.biases)]
    moved = [relative_error(w, w0) for w, w0 in zip(trained.weights, network.weights)]
    assert min(moved) > 1e-3
    assert max(errors) <= TOLERANCE, errors
