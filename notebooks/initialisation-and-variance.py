# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Run it yourself: initialisation and variance
#
# The companion notebook of chapter 3. It reproduces the chapter's experiments with the same
# tested functions that draw its figures: gradients in deep linear networks, the
# linear-regime variance recursion checked against simulated networks, and Xavier's
# initialisation in a deep tanh network.
#
# **How to run it.** The notebook imports the site's tested code, the `snippets` package.
# In a copy of the site's repository, in a virtual environment, run
# `pip install -r requirements.txt && pip install --no-deps -e .` at its root (or
# `make build`, which does the same in `.venv`). Then open `initialisation-and-variance.ipynb` as
# downloaded, or its source `notebooks/initialisation-and-variance.py` (jupytext), from any
# folder, and run all cells. Change the parameters in the second cell and run everything again.

# %%
import matplotlib.pyplot as plt
import numpy as np

from snippets.core import initialisation, variance
from snippets.core import linear_networks as linear
from snippets.experiments.initialisation_and_variance import (
    linear_networks,
    variance_recursion,
    xavier,
)
from snippets.figures import style

style.use_notebook_style()

# %% [markdown]
# **Parameters.** The chapter's values, from its experiment modules; change any of them
# and run the cells below again.

# %%
LINEAR_DEPTH = linear_networks.DEPTH   # layers of the scalar linear chain
LINEAR_WEIGHTS = linear_networks.SCALAR_WEIGHTS  # its weights w, one chain each
WIDTH = xavier.WIDTH                   # units per layer of the simulated networks
DEPTH = xavier.DEPTH                   # layers of the deep tanh network
INIT_SCALE = 1.0    # multiplies Xavier's standard deviation (try 0.5 or 2)
SEED = 0            # every random draw below comes from this seed
rng = np.random.default_rng(SEED)

# %% [markdown]
# ## A deep linear network
#
# In the scalar chain $a_i = w\, a_{i-1}$ with loss $L = a_l$, back-propagation carries the
# factor $w^{l-n}$ down to layer $n$, while every weight receives the same gradient
# $x\, w^{l-1}$.

# %%
fig, ax = plt.subplots(figsize=style.NOTEBOOK_SIZE)
layers = np.arange(1, LINEAR_DEPTH + 1)
backward = {}
for w in LINEAR_WEIGHTS:
    backward[w] = np.abs(linear.linear_chain_backward(np.full(LINEAR_DEPTH, w)))
    ax.semilogy(layers, backward[w], label=f"$w = {w:g}$")
ax.set(xlabel="layer $n$", ylabel="$|\\partial L / \\partial a_n|$")
style.legend(ax)
plt.show()
gradients = {w: linear.linear_chain_gradients(np.full(LINEAR_DEPTH, w))
             for w in LINEAR_WEIGHTS}
for w, gradient in gradients.items():
    print(f"w = {w:<5g} ∂L/∂a_1 = {backward[w][0]:10.4g}   "
          f"∂L/∂w_n from {gradient.min():.4g} to {gradient.max():.4g}")

# %% [markdown]
# The signal reaching the first layer shrinks or grows geometrically with $w$, yet all
# weights of one chain receive the same gradient: the forward factor offsets the backward one.

# %% [markdown]
# ## The variance recursion
#
# With units that are exactly affine, $f(s) = \alpha s + \beta$, and weights of variance
# $\sigma^2$, the variance of the activations follows
# $\operatorname{Var}[a^i] = \alpha^2 n\sigma^2 (\operatorname{Var}[a^{i-1}] + \beta^2)$.
# We simulate the chapter's three cases, one network each.

# %%
fig, ax = plt.subplots(figsize=style.NOTEBOOK_SIZE)
recursion = {}
for label, (alpha, beta, gain) in variance_recursion.CASES.items():
    measured, _ = variance.simulate_variances(
        rng, "affine", variance_recursion.WIDTH, variance_recursion.DEPTH,
        np.sqrt(gain / variance_recursion.WIDTH), alpha=alpha, beta=beta)
    predicted = variance.predicted_forward_variance(
        alpha, beta, gain, variance_recursion.DEPTH, 1.0)
    recursion[label] = (predicted, measured)
    line, = ax.semilogy(measured, "o", ms=4)
    ax.semilogy(predicted, "-", color=line.get_color(), label=label)
ax.set(xlabel="layer $i$", ylabel="$\\mathrm{Var}[a^i]$")
style.legend(ax)
plt.show()
for label, (predicted, measured) in recursion.items():
    print(f"{label}: measured/predicted at the top = "
          f"{measured[-1] / predicted[-1]:.3f}")

# %% [markdown]
# The simulated variances (dots) follow the recursion (lines): sigmoid-like units with
# $n\sigma^2 = 1$ shrink the variance towards a small constant, tanh-like units keep it, and
# the gain $1/\alpha^2$ compensates the sigmoid's slope.

# %% [markdown]
# ## Xavier's initialisation in a deep tanh network
#
# Glorot & Bengio's $U[\pm\sqrt 6/\sqrt{n + n}]$ has standard deviation $\sqrt{1/n}$ for a
# square layer; the "standard" $U[\pm 1/\sqrt n]$ has $\sqrt{1/(3n)}$. We follow the
# forward and backward variances through `DEPTH` tanh layers for both, the Xavier one
# scaled by `INIT_SCALE`.

# %%
standard_std = initialisation.standard_uniform_bound(WIDTH) / np.sqrt(3.0)
xavier_std = initialisation.glorot_bound(WIDTH, WIDTH) / np.sqrt(3.0)
laws = {"standard U[±1/√n]": standard_std,
        f"{INIT_SCALE:g} × Xavier": INIT_SCALE * xavier_std}
profiles = {label: variance.simulate_variances(rng, "tanh", WIDTH, DEPTH, std)
            for label, std in laws.items()}
fig, axes = plt.subplots(2, 1, figsize=(style.NOTEBOOK_SIZE[0], 2 * style.NOTEBOOK_PANEL_HEIGHT),
                         sharex=True)
for label, (forward, backward_variance) in profiles.items():
    axes[0].semilogy(forward, label=label)
    axes[1].semilogy(backward_variance, label=label)
axes[0].set(ylabel="$\\mathrm{Var}[a^l]$", title="forward")
axes[1].set(xlabel="layer $l$", ylabel="$\\mathrm{Var}[\\partial C/\\partial a^l]$",
            title="backward")
style.legend(axes[1])
plt.show()
for label, (forward, backward_variance) in profiles.items():
    print(f"{label:18s} Var[a^{DEPTH}] = {forward[-1]:.3g}, "
          f"Var[∂C/∂a^0] / Var[∂C/∂a^{DEPTH}] = "
          f"{backward_variance[0] / backward_variance[-1]:.3g}")

# %% [markdown]
# Under the standard scale both variances collapse layer after layer; under Xavier's they
# stay within a small factor over all the layers, which is what the derivation promised.
