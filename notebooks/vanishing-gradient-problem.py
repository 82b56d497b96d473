# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Run it yourself: the vanishing gradient problem
#
# The companion notebook of chapter 2. It reproduces the chapter's experiments with the same
# tested functions that draw its figures: the depth at which a product of sigmoid factors
# underflows, Nielsen's per-layer speeds of learning on real digits (at initialisation and
# during training), and Nielsen's exploding chain.
#
# **How to run it.** The notebook imports the site's tested code, the `snippets` package.
# In a copy of the site's repository, in a virtual environment, run
# `pip install -r requirements.txt && pip install --no-deps -e .` at its root (or
# `make build`, which does the same in `.venv`). Then open `vanishing-gradient-problem.ipynb` as
# downloaded, or its source `notebooks/vanishing-gradient-problem.py` (jupytext), from any
# folder, and run all cells. Change the parameters in the second cell and run everything again.

# %%
import matplotlib.pyplot as plt
import numpy as np

from snippets.core import gradient_chain as chain
from snippets.core import networks, underflow
from snippets.experiments.vanishing_gradient_problem import (
    exploding_chain,
    learning_speed,
)
from snippets.figures import style

style.use_notebook_style()

# %% [markdown]
# **Parameters.** The chapter's values, from its experiment modules; change any of them
# and run the cells below again.

# %%
HIDDEN_LAYERS = max(learning_speed.HIDDEN_LAYERS)  # depth of the network
SEED = 0                          # the network's weights come from this seed
EPOCHS = learning_speed.EPOCHS    # full-batch epochs of training
CHAIN_WEIGHT = 8.0                # the exploding chain's weights (> 4 explodes)
CHAIN_DEPTH = exploding_chain.CHAIN_DEPTH  # layers of that chain

# %% [markdown]
# ## Underflow: when the product of sigmoid factors becomes 0
#
# σ′ is at most $1/4$, so after $r$ sigmoid layers the gradient carries at most $(1/4)^r$.
# Computed step by step in each floating-point type, that product first turns subnormal and
# then becomes exactly zero.

# %%
depths = {np.dtype(dtype).name: underflow.underflow_depths(0.25, dtype)
          for dtype in underflow.FLOAT_TYPES}
for name, (subnormal_at, zero_at) in depths.items():
    print(f"{name:8s} subnormal from r = {subnormal_at:4d}, "
          f"exactly 0 from r = {zero_at:4d}")

# %% [markdown]
# In float64 it takes hundreds of layers before the bound reaches zero, so underflow is not
# what stops a sigmoid network of a few layers from learning; in float16 a dozen layers do it.

# %% [markdown]
# ## Nielsen's experiment: how fast does each layer learn?
#
# A sigmoid network $64 \to 30 \to \dots \to 30 \to 10$ with `HIDDEN_LAYERS` hidden layers,
# weights $\mathcal N(0, 1/n_\text{in})$ and biases $\mathcal N(0, 1)$, on the first 1000
# handwritten digits bundled with scikit-learn. The speed of learning of layer $l$ is
# $\lVert \partial C / \partial b^l \rVert$.

# %%
inputs, targets, labels = learning_speed.training_data()
sizes = ([learning_speed.INPUTS] + [learning_speed.WIDTH] * HIDDEN_LAYERS
         + [learning_speed.CLASSES])
network = networks.init_network(np.random.default_rng(SEED), sizes,
                                weights="lecun", bias_std=1.0, hidden="sigmoid")
speeds = networks.learning_speeds(network, inputs, targets)
for layer, speed in enumerate(speeds, start=1):
    print(f"hidden layer {layer}: ‖∂C/∂b‖ = {speed:.4f}")
print(f"last layer over first: {speeds[-1] / speeds[0]:.1f}")
if HIDDEN_LAYERS in learning_speed.NIELSEN_MNIST_SPEEDS:
    print("Nielsen's MNIST network:",
          learning_speed.NIELSEN_MNIST_SPEEDS[HIDDEN_LAYERS])

# %% [markdown]
# Each hidden layer learns several times more slowly than the one above it, as in Nielsen's
# MNIST networks: the first layer's speed is a small fraction of the last one's.

# %% [markdown]
# Training: full-batch gradient descent with L2 weight decay, with the chapter's learning
# rate and decay, the speeds measured before every epoch.

# %%
speeds_per_epoch, trained = networks.train_recording_speeds(
    network, inputs, targets, EPOCHS, learning_speed.LEARNING_RATE,
    learning_speed.L2)
fig, ax = plt.subplots(figsize=style.NOTEBOOK_SIZE)
for layer in range(HIDDEN_LAYERS):
    ax.semilogy(speeds_per_epoch[:, layer], label=f"hidden layer {layer + 1}")
ax.set(xlabel="epoch", ylabel="speed of learning $\\|\\partial C/\\partial b^l\\|$")
style.legend(ax)
plt.show()
held_out = learning_speed.held_out_data()
print(f"accuracy after {EPOCHS} epochs: "
      f"{networks.accuracy(trained, inputs, labels):.1%} on the training digits, "
      f"{networks.accuracy(trained, *held_out):.1%} on held-out digits")

# %% [markdown]
# The ordering persists through training — the lower a layer, the more slowly it learns —
# and with one full-batch step per epoch a deep network learns almost nothing: its accuracy
# stays near chance (10 %), as in the chapter.

# %% [markdown]
# ## Exploding gradients
#
# Nielsen's construction: every weight equals $w$ and the biases hold every pre-activation at
# 0, where $\sigma' = 1/4$, so each layer multiplies the gradient by exactly $w/4$.

# %%
weights, biases, first_input = chain.exploding_chain(CHAIN_WEIGHT, CHAIN_DEPTH)
ratios = chain.chain_gradient_ratios(weights, first_input, biases)[0]
layers = np.arange(1, CHAIN_DEPTH + 1)
fig, ax = plt.subplots(figsize=style.NOTEBOOK_SIZE)
ax.semilogy(layers, ratios, "o-", label=f"$\\rho_r$, $w = {CHAIN_WEIGHT:g}$")
ax.semilogy(layers, (CHAIN_WEIGHT / 4) ** layers, "--", label="$(w/4)^r$")
ax.set(xlabel="layers below the top, $r$", ylabel="gradient ratio $\\rho_r$")
style.legend(ax)
plt.show()
print(f"ρ_{CHAIN_DEPTH} = {ratios[-1]:.6g}")

# %% [markdown]
# The measured ratios lie on $(w/4)^r$: with $w > 4$ the gradient grows geometrically
# towards the input — the same product that vanishes can explode.
