# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Run it yourself: why ReLU works so well
#
# The companion notebook of chapter 1. It reproduces the chapter's experiments with the same
# tested functions that draw its figures: the derivatives of σ and tanh, the one-neuron
# sigmoid chain and its $(1/4)^r$ bound, the sparsity of a ReLU layer, and a dying unit that a
# leaky slope revives.
#
# **How to run it.** The notebook imports the site's tested code, the `snippets` package.
# In a copy of the site's repository, in a virtual environment, run
# `pip install -r requirements.txt && pip install --no-deps -e .` at its root (or
# `make build`, which does the same in `.venv`). Then open `why-relu-works.ipynb` as
# downloaded, or its source `notebooks/why-relu-works.py` (jupytext), from any
# folder, and run all cells. Change the parameters in the second cell and run everything again.

# %%
import matplotlib.pyplot as plt
import numpy as np

from snippets.core import gradient_chain as chain
from snippets.core import relu_unit
from snippets.core.activations import ACTIVATIONS, derivative_peak
from snippets.core.data import digits_pixels
from snippets.experiments.why_relu_works import dying_unit, sigmoid_chain
from snippets.experiments.why_relu_works.activation_curves import activation_curves
from snippets.figures import style

style.use_notebook_style()

# %% [markdown]
# **Parameters.** The chapter's values, from its experiment modules; change any of them
# and run the cells below again.

# %%
DEPTH = sigmoid_chain.DEPTH             # layers of the one-neuron sigmoid chain
CHAINS = sigmoid_chain.CHAINS_PER_SEED  # random chains drawn
SEED = 0                   # every random draw below comes from this seed
HIDDEN_UNITS = dying_unit.HIDDEN_UNITS  # units of the random ReLU layer
LEAKY_SLOPES = dying_unit.SLOPES        # slopes of the dying unit; 0 is ReLU

# %% [markdown]
# ## The derivatives of σ and tanh are small
#
# The chapter's experiment evaluates every activation and its derivative on one grid; here
# are the derivatives, and their maxima found by a grid search.

# %%
curves = activation_curves()
fig, ax = plt.subplots(figsize=style.NOTEBOOK_SIZE)
for name in ("sigmoid", "tanh", "relu"):
    ax.plot(curves["z"], curves[f"{name}_derivative"], label=f"{ACTIVATIONS[name].label}′")
ax.set(xlabel="pre-activation $z$", ylabel="φ′(z)")
style.legend(ax)
plt.show()
peaks = {name: derivative_peak(ACTIVATIONS[name].derivative) for name in ("sigmoid", "tanh")}
for name, (where, height) in peaks.items():
    print(f"max {name}′ = {height:.6f} at z = {where:+.6f}")

# %% [markdown]
# σ′ never exceeds $1/4$ and tanh′ never exceeds $1$, both at $z = 0$; away from zero both
# fall towards 0, while ReLU′ stays exactly 1 for every positive input.

# %% [markdown]
# ## One neuron per layer: the gradient ratio
#
# Layer $t$ computes $y^{(t)} = \sigma(z^{(t)})$ from $z^{(t)} = w^{(t)} y^{(t-1)}$, so $r$ layers
# below the top the gradient has been multiplied by
# $\rho_r = \prod |w^{(t)}|\,\sigma'(z^{(t)}) \le (1/4)^r \prod |w^{(t)}|$. We draw
# `CHAINS` chains with weights $w \sim \mathcal N(0, \pi/2)$, whose mean absolute value is 1.

# %%
rng = np.random.default_rng(SEED)
weights, inputs = chain.sample_chain(rng, CHAINS, DEPTH, chain.UNIT_MEAN_ABS_SCALE)
ratios = chain.chain_gradient_ratios(weights, inputs)
statistics = chain.chain_ratio_statistics(ratios)
fig, ax = plt.subplots(figsize=style.NOTEBOOK_SIZE)
ax.semilogy(statistics["depth"], statistics["bound"], "--", label="bound $(1/4)^r$")
ax.semilogy(statistics["depth"], statistics["mean"], label="mean $\\rho_r$")
ax.semilogy(statistics["depth"], statistics["median"], label="median $\\rho_r$")
ax.fill_between(statistics["depth"], statistics["q05"], statistics["q95"], alpha=0.2,
                label="5–95 % of chains")
ax.set(xlabel="layers below the top, $r$", ylabel="gradient ratio $\\rho_r$")
style.legend(ax)
plt.show()
print(f"depth {DEPTH}: bound {statistics['bound'][-1]:.3g}, mean {statistics['mean'][-1]:.3g}, "
      f"median {statistics['median'][-1]:.3g}, "
      f"{statistics['fraction_above_bound'][-1]:.1%} of chains above the bound")

# %% [markdown]
# The mean ratio stays below $(1/4)^r$ at every depth and the median chain is far below it,
# yet a small share of chains — those with large weights — ends above the bound.

# %% [markdown]
# With every weight equal to 1 the chain is deterministic: the activations settle at the fixed
# point $y^\ast = \sigma(y^\ast)$ and each layer multiplies the gradient by
# $\sigma'(y^\ast) < 1/4$.

# %%
unit_weights, unit_inputs = chain.sample_chain(rng, CHAINS, DEPTH, weight_scale=0.0)
unit_ratios = chain.chain_gradient_ratios(unit_weights, unit_inputs)
fixed_point = chain.sigmoid_fixed_point()
fixed_point_factor = ACTIVATIONS["sigmoid"].derivative(fixed_point)
print(f"y* = {fixed_point:.6f}, σ′(y*) = {fixed_point_factor:.6f}, "
      f"median ρ_{DEPTH} = {np.median(unit_ratios[:, -1]):.3g}, "
      f"σ′(y*)^{DEPTH} = {fixed_point_factor ** DEPTH:.3g}")

# %% [markdown]
# The median $\rho_{10}$ of the unit-weight chains is close to $\sigma'(y^\ast)^{10}$: a clean
# geometric decay, slightly faster than $(1/4)^{10}$.

# %% [markdown]
# ## ReLU: exact zeros in a random layer
#
# A He-initialised ReLU layer ($W \sim \mathcal N(0, 2/n_\text{in})$, zero biases) on the
# handwritten digits bundled with scikit-learn.

# %%
pixels = digits_pixels()
layer_weights, layer_biases = relu_unit.he_normal_layer(rng, pixels.shape[1], HIDDEN_UNITS)
sparsity = relu_unit.relu_layer_sparsity(pixels, layer_weights, layer_biases)
print(f"share of exact zeros in ReLU(XW + b): {sparsity:.3f}")

# %% [markdown]
# About half of the layer's outputs are exactly zero — the symmetric weights put half of the
# pre-activations below zero — so the representation is sparse at no cost.

# %% [markdown]
# ## A dying unit, and leaky units that revive
#
# One unit starts with every weight negative on the non-negative pixels, so it is inactive on
# every image; it is trained to output the mean pixel intensity, once with each slope of
# `LEAKY_SLOPES`.

# %%
runs = relu_unit.dying_unit_experiment(rng, pixels, slopes=LEAKY_SLOPES)
fig, ax = plt.subplots(figsize=style.NOTEBOOK_SIZE)
for slope, (_, _, active) in runs.items():
    ax.plot(active, label="ReLU" if slope == 0 else f"leaky ReLU, slope {slope:g}")
ax.set(xlabel="gradient step", ylabel="share of images with $z > 0$")
style.legend(ax)
plt.show()
for slope, (_, _, active) in runs.items():
    print(f"slope {slope:<5g} active on {active[-1]:.1%} of the images after {len(active)} steps")

# %% [markdown]
# The plain ReLU unit never receives a gradient and stays dead on every image, while any
# positive slope lets the gradient through and the unit becomes active again.
