# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Run it yourself: dying ReLUs and their fixes
#
# The companion notebook of chapter 4. It reproduces the chapter's experiments with the same
# tested functions that draw its figures: gradient flow through a deep network at
# initialisation, narrow deep ReLU networks born dead, and He's initialisation — its
# variance argument and a deep ReLU network trained from it and from Xavier's.
#
# **How to run it.** The notebook imports the site's tested code, the `snippets` package.
# In a copy of the site's repository, in a virtual environment, run
# `pip install -r requirements.txt && pip install --no-deps -e .` at its root (or
# `make build`, which does the same in `.venv`). Then open `dying-relus.ipynb` as
# downloaded, or its source `notebooks/dying-relus.py` (jupytext), from any
# folder, and run all cells. Change the parameters in the second cell and run everything again.

# %%
import matplotlib.pyplot as plt
import numpy as np

from snippets.core import dead_networks, networks
from snippets.core.data import digits_labels, digits_pixels
from snippets.core.preprocessing import standardise
from snippets.experiments.dying_relus import (
    born_dead,
    gradient_flow,
    he_initialisation,
)
from snippets.figures import style

style.use_notebook_style()

# %% [markdown]
# **Parameters.** The chapter's values, from its experiment modules; change any of them
# and run the cells below again.

# %%
DEPTH = gradient_flow.DEPTH        # hidden layers of the gradient-flow network
WIDTH = gradient_flow.WIDTH        # its units per layer
SETUPS = gradient_flow.SETUPS      # label: (activation, initialisation)
NARROW_WIDTH = 3                   # width of the narrow networks born dead
NARROW_DEPTHS = born_dead.DEPTHS   # their depths
TRIALS = born_dead.TRIALS          # networks drawn per depth
TRAINING_EPOCHS = he_initialisation.DEEP_EPOCHS  # epochs of the deep network
SEED = 0                           # every random draw below comes from this seed
rng = np.random.default_rng(SEED)

# %% [markdown]
# ## Gradient flow at initialisation
#
# The root-mean-square of the back-propagated error $\delta^l$ in every hidden layer of a
# `DEPTH`-layer network on standardised digits: sigmoid and tanh with Xavier's
# initialisation, ReLU with He's.

# %%
inputs = standardise(digits_pixels())[:gradient_flow.EXAMPLES]
targets = networks.one_hot(digits_labels()[:gradient_flow.EXAMPLES])
sizes = [inputs.shape[1]] + [WIDTH] * DEPTH + [targets.shape[1]]
error_rms = {}
for label, (hidden, law) in SETUPS.items():
    network = networks.init_network(rng, sizes, weights=law, bias_std=0.0,
                                    hidden=hidden, output="softmax")
    _, activations, derivatives = networks.forward(network, inputs)
    deltas = networks.backward(network, derivatives, activations[-1], targets)
    error_rms[label] = np.array([np.sqrt(np.mean(d ** 2)) for d in deltas[:-1]])
fig, ax = plt.subplots(figsize=style.NOTEBOOK_SIZE)
for label, rms in error_rms.items():
    ax.semilogy(np.arange(1, DEPTH + 1), rms, label=label)
ax.set(xlabel="hidden layer $l$", ylabel="RMS of $\\delta^l$")
style.legend(ax)
plt.show()
for label, rms in error_rms.items():
    print(f"{label:16s} first / last hidden layer: {rms[0] / rms[-1]:.3g}")

# %% [markdown]
# With sigmoid units the error shrinks by orders of magnitude on its way down; tanh with
# Xavier and ReLU with He carry it through all the layers at about the same size.

# %% [markdown]
# ## Born dead: narrow, deep ReLU networks
#
# A network $1 \to w \to \dots \to w$ with He's initialisation and zero biases computes a
# constant function when some layer outputs all zeros. For one input $x \neq 0$ that happens
# with probability $1 - (1 - 2^{-w})^{d}$ (Lu et al. 2019).

# %%
counts = np.array([dead_networks.born_dead_share(rng, NARROW_WIDTH, depth, TRIALS)
                   for depth in NARROW_DEPTHS])
closed_form = [dead_networks.single_input_dead_probability(NARROW_WIDTH, depth)
               for depth in NARROW_DEPTHS]
fig, ax = plt.subplots(figsize=style.NOTEBOOK_SIZE)
ax.plot(NARROW_DEPTHS, counts[:, 0] / TRIALS, "o-", label="born dead (constant)")
ax.plot(NARROW_DEPTHS, counts[:, 1] / TRIALS, "s", mfc="none",
        label="dead at $x = 1$")
ax.plot(NARROW_DEPTHS, closed_form, "--", label="$1 - (1 - 2^{-w})^d$")
ax.set(xlabel="depth $d$", ylabel="share of networks", ylim=(0, 1),
       title=f"width {NARROW_WIDTH}, {TRIALS} networks per depth")
style.legend(ax)
plt.show()
print(f"depth {NARROW_DEPTHS[-1]}: {counts[-1, 0] / TRIALS:.1%} born dead")

# %% [markdown]
# The share dead at one input follows the closed form, and the share born dead climbs with
# depth towards one: a narrow network deep enough is almost surely constant before training.

# %% [markdown]
# ## He's initialisation
#
# A ReLU layer halves the second moment of its input unless the weights have variance
# $2/n$: $E[(a^l)^2] = n\,\mathrm{Var}[w]\, E[(a^{l-1})^2] / 2$.

# %%
second_moments = {label: networks.activation_growth(
    rng, he_initialisation.VARIANCE_WIDTH, he_initialisation.VARIANCE_DEPTH, gain)
    for label, gain in he_initialisation.VARIANCE_SETUPS.items()}
fig, ax = plt.subplots(figsize=style.NOTEBOOK_SIZE)
for label, moments in second_moments.items():
    ax.semilogy(moments, label=label)
ax.set(xlabel="layer $l$", ylabel="$E[(a^l)^2]$")
style.legend(ax)
plt.show()
for label, moments in second_moments.items():
    print(f"{label:20s} E[(a^l)²] at the top: {moments[-1]:.3g}")

# %% [markdown]
# Under Xavier's $1/n$ the second moment halves at every layer; under He's $2/n$ it stays
# put.

# %% [markdown]
# Then the chapter's 30-layer plain ReLU network, trained on the digits by mini-batch SGD from
# each initialisation (one seed here; the chapter runs several).

# %%
pixels = standardise(digits_pixels())
labels = digits_labels()
one_hot = networks.one_hot(labels)
# As in the chapter, the loss is measured on a fixed random subset of the digits.
measured = np.random.default_rng(SEED).choice(
    len(labels), he_initialisation.LOSS_EXAMPLES, replace=False)
training = {}  # law: (loss after each epoch, final accuracy)
for label, law in he_initialisation.DEEP_LAWS.items():
    training_rng = np.random.default_rng(SEED)
    network = networks.init_network(
        training_rng, he_initialisation.DEEP_SIZES, weights=law, bias_std=0.0,
        hidden="relu", output="softmax")
    trained, _, losses = networks.train_sgd(
        network, pixels, one_hot, training_rng, TRAINING_EPOCHS,
        he_initialisation.DEEP_BATCH, he_initialisation.DEEP_RATE,
        record=lambda n: networks.cost(n, pixels[measured], one_hot[measured]))
    training[label] = (losses, networks.accuracy(trained, pixels, labels))
fig, ax = plt.subplots(figsize=style.NOTEBOOK_SIZE)
for label, (losses, accuracy) in training.items():
    ax.plot(losses, label=label)
    print(f"{label:7s} loss {losses[0]:.3f} → {losses[-1]:.3f}, "
          f"accuracy {accuracy:.1%}")
ax.set(xlabel="epoch", ylabel="training loss")
style.legend(ax)
plt.show()

# %% [markdown]
# From He's initialisation the deep network trains; from Xavier's its signal has shrunk by
# $2^{-30}$ before the output and the loss barely moves.
