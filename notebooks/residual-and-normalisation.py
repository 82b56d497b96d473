# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Run it yourself: residual connections and normalisation
#
# The companion notebook of chapter 6. With the same tested functions that draw the chapter's
# figures, it compares the gradient per layer of plain and residual networks with the
# mean-field prediction, measures batch normalisation's factor per layer, and trains deep
# networks on the digits.
#
# **How to run it.** The notebook imports the site's tested code, the `snippets` package.
# In a copy of the site's repository, in a virtual environment, run
# `pip install -r requirements.txt && pip install --no-deps -e .` at its root (or
# `make build`, which does the same in `.venv`). Then open `residual-and-normalisation.ipynb`
# as downloaded, or its source `notebooks/residual-and-normalisation.py` (jupytext), from any
# folder, and run all cells. Change the parameters in the second cell and run everything again.

# %%
import math

import matplotlib.pyplot as plt
import numpy as np

from snippets.core import deep_networks
from snippets.core.data import digits_labels, digits_pixels
from snippets.core.statistics import spawn_generators
from snippets.experiments.residual_and_normalisation import (
    batch_normalisation,
    residual_gradients,
)
from snippets.figures import style

style.use_notebook_style()

# %% [markdown]
# **Parameters.** Change any of them and run the cells below again.

# %%
ACTIVATION = "tanh"          # "tanh", "relu" or "linear"
WEIGHT_VARIANCE = 1 / 3      # σ_w²: Glorot & Bengio's standard scale
DEPTH = 60                   # layers of the simulated networks
WIDTH = 150                  # units per layer
BRANCH_SCALES = (1.0, 1 / math.sqrt(DEPTH))   # α of the residual networks
BATCH_SIZES = (8, 16, 32)    # for batch normalisation
TRAINED_DEPTH = 20           # hidden layers of the networks trained on the digits
SEED = 0                     # every random draw below comes from this seed

# %% [markdown]
# ## Plain and residual networks at initialisation
#
# $\ln(\lVert\delta x^l\rVert^2/\lVert\delta x^L\rVert^2)$, the logarithm of the squared
# stream error at each layer relative to the top, for one simulated network per setting (dots)
# and the mean-field recursions $r^l = 1 + \alpha^2\chi(v^{l-1})$ (lines).

# %%
settings = [("plain", False, 1.0)] + [(f"α = {a:.2f}", True, a) for a in BRANCH_SCALES]
generators = spawn_generators(SEED, len(settings))
report = []  # printed once, after the plot: one output stream, the same at every run
fig, ax = plt.subplots(figsize=style.NOTEBOOK_SIZE)
for rng, (name, residual, scale) in zip(generators, settings):
    measured = residual_gradients.stream_error_logs([rng], ACTIVATION, WEIGHT_VARIANCE,
                                                    residual, scale, WIDTH, DEPTH)[0]
    predicted = residual_gradients.predicted_logs(ACTIVATION, WEIGHT_VARIANCE, residual,
                                                  scale, DEPTH)
    line, = ax.plot(np.arange(DEPTH)[::-1], predicted, label=name)
    ax.plot(np.arange(DEPTH)[::-1][::4], measured[::4], "o", ms=3, color=line.get_color())
    report.append(f"{name}: ln G at layer 1 = {measured[0]:+.2f} "
                  f"(mean field {predicted[0]:+.2f})")
ax.set(xlabel="layers below the top, $L - l$", ylabel="$\\ln G^l$")
style.legend(ax)
plt.show()
print("\n".join(report))

# %% [markdown]
# The plain network loses its gradient exponentially, the residual one with α = 1 gains a
# little, and α = 1/√L keeps it close to its size at the top; each single network sits near
# its line.

# %% [markdown]
# ## Batch normalisation's factor per layer
#
# The factor by which each batch-normalised layer multiplies the squared gradient, fitted
# over the layers of one network per batch size, against the large-batch prediction
# $\lambda = \mathbb E[\phi'(z)^2]/\operatorname{Var}[\phi(z)]$ and, for linear units,
# $(B-2)/(B-3)$.

# %%
network = deep_networks.init_network(spawn_generators(SEED + 1, 1),
                                     [WIDTH] * (DEPTH // 3 + 1) + [WIDTH], ACTIVATION,
                                     WEIGHT_VARIANCE, normalisation="batch")
rng = np.random.default_rng(SEED + 2)
for batch_size in BATCH_SIZES:
    inputs = rng.standard_normal((batch_size, WIDTH))
    top = rng.standard_normal((1, batch_size, WIDTH))
    errors = deep_networks.backward(network, inputs, top)["errors"][1:]
    logs = np.log([[np.mean(e ** 2) for e in errors]])
    measured = batch_normalisation.per_layer_factor(logs)[0]
    line = f"B = {batch_size:3d}: measured {measured:.3f}"
    if ACTIVATION == "linear":
        line += f", (B − 2)/(B − 3) = {deep_networks.linear_batch_factor(batch_size):.3f}"
    print(line)
print(f"large-batch λ = {deep_networks.normalised_gradient_factor(ACTIVATION, 'batch'):.3f}")

# %% [markdown]
# Every factor exceeds 1 and shrinks towards the large-batch value as the batch grows: the
# gradient explodes with depth whatever the weight scale.

# %% [markdown]
# ## Deep networks on the digits
#
# A plain, a residual and a batch-normalised tanh network at the standard scale, trained on
# the first 1000 digits and scored on the other 797; the speed of learning
# $\lVert\partial C/\partial b^l\rVert$ of every hidden layer at initialisation.

# %%
pixels, labels = digits_pixels(), digits_labels()
targets = np.eye(10)[labels]
report = []
fig, ax = plt.subplots(figsize=style.NOTEBOOK_SIZE)
for name, residual, normalisation in (("plain", False, "none"), ("residual", True, "none"),
                                      ("batch-normalised", False, "batch")):
    rngs = spawn_generators(SEED + 3, 1)
    net = deep_networks.init_network(rngs, [64] + [32] * TRAINED_DEPTH + [10], "tanh",
                                     WEIGHT_VARIANCE, 0.0, residual,
                                     1 / math.sqrt(TRAINED_DEPTH), normalisation)
    speeds = deep_networks.learning_speeds(net, pixels[:1000], targets[:1000])[0]
    trained, _ = deep_networks.train_sgd(net, pixels[:1000], targets[:1000], rngs, 8, 50, 0.03)
    accuracy = deep_networks.accuracy(trained, pixels[1000:], labels[1000:],
                                      reference=pixels[:1000])[0]
    ax.plot(np.arange(1, TRAINED_DEPTH + 1), speeds, label=name)
    report.append(f"{name:17s} speed first/last layer {speeds[0] / speeds[-1]:.1e}, "
                  f"held-out accuracy {accuracy:.2f}")
ax.set(yscale="log", xlabel="hidden layer $l$", ylabel="$\\|\\partial C/\\partial b^l\\|$")
style.legend(ax)
plt.show()
print("\n".join(report))

# %% [markdown]
# The plain network's speeds fall steeply towards its first layer and it stays near chance
# (0.1); the residual and batch-normalised networks, from the same draws, keep every layer
# learning, and learn.
