# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Run it yourself: the edge of chaos
#
# The companion notebook of chapter 5. With the same tested functions that draw the chapter's
# figures, it iterates the length map, finds critical points, and checks on simulated wide
# networks that every layer multiplies the squared gradient by $\chi_1$.
#
# **How to run it.** The notebook imports the site's tested code, the `snippets` package.
# In a copy of the site's repository, in a virtual environment, run
# `pip install -r requirements.txt && pip install --no-deps -e .` at its root (or
# `make build`, which does the same in `.venv`). Then open `edge-of-chaos.ipynb` as
# downloaded, or its source `notebooks/edge-of-chaos.py` (jupytext), from any
# folder, and run all cells. Change the parameters in the second cell and run everything again.

# %%
import matplotlib.pyplot as plt
import numpy as np

from snippets.core import mean_field
from snippets.experiments.edge_of_chaos import gradient_scaling
from snippets.figures import style

style.use_notebook_style()

# %% [markdown]
# **Parameters.** Change any of them and run the cells below again.

# %%
ACTIVATION = "tanh"            # any name of snippets.core.activations.ACTIVATIONS
BIAS_VARIANCE = 0.05           # σ_b²
WEIGHT_VARIANCES = (0.8, 1.76, 4.0)  # σ_w²: ordered, near the edge, chaotic (for tanh)
WIDTH = 300                    # of the simulated networks
DEPTH = 30                     # layers of the simulated networks
SEED = 0                       # every random draw below comes from this seed

# %% [markdown]
# ## The length map settles in a few layers
#
# $q^l = \sigma_w^2\,\mathbb E_z[\phi(\sqrt{q^{l-1}}z)^2] + \sigma_b^2$, iterated from $q^0 = 1$,
# against the mean square of the pre-activations of one simulated network per $\sigma_w^2$.

# %%
rng = np.random.default_rng(SEED)
report = []  # printed once, after the plot: one output stream, the same at every run
fig, ax = plt.subplots(figsize=style.NOTEBOOK_SIZE)
for weight_variance in WEIGHT_VARIANCES:
    predicted = mean_field.length_sequence(ACTIVATION, 1.0, weight_variance, BIAS_VARIANCE,
                                           DEPTH)
    pre, _ = mean_field.simulate(rng, ACTIVATION, weight_variance, BIAS_VARIANCE, WIDTH, DEPTH,
                                 1.0)
    line, = ax.plot(predicted, label=f"$\\sigma_w^2 = {weight_variance}$")
    ax.plot(mean_field.mean_squares(pre), "o", ms=3, color=line.get_color())
    q_star = mean_field.fixed_point(ACTIVATION, weight_variance, BIAS_VARIANCE)
    report.append(f"σ_w² = {weight_variance}: q* = {q_star:.4f}, "
                  f"q^{DEPTH} = {predicted[-1]:.4f}")
ax.set(yscale="log", xlabel="layer $l$", ylabel="$q^l$")
style.legend(ax)
plt.show()
print("\n".join(report))

# %% [markdown]
# Lines (the map) and dots (one network each) agree, and both reach $q^*$ within a few layers.
# That needs the biases: set `BIAS_VARIANCE = 0` and try $\sigma_w^2 = 1$, tanh's critical point
# without them, where $q^l$ creeps towards 0 like $1/(2l)$ instead (chapter 5 shows why).

# %% [markdown]
# ## Where is the edge?
#
# $\chi_1 = \sigma_w^2\,\mathbb E_z[\phi'(\sqrt{q^*}z)^2]$; the critical $\sigma_w^2$ solves
# $\chi_1 = 1$.

# %%
critical = {name: mean_field.critical_weight_variance(name, BIAS_VARIANCE)
            for name in ("tanh", "relu", "sigmoid")}
for name, weight_variance in critical.items():
    print(f"{name:8s} critical σ_w² = {weight_variance:.4f} at σ_b² = {BIAS_VARIANCE}")
sigmoid_q = mean_field.fixed_point("sigmoid", critical["sigmoid"], BIAS_VARIANCE)
sigmoid_weak = mean_field.weak_derivative_share("sigmoid", sigmoid_q)
print(f"sigmoid at its critical point: q* = {sigmoid_q:.1f}, "
      f"{sigmoid_weak:.0%} of units below a tenth of the largest slope")

# %% [markdown]
# ReLU is critical at $\sigma_w^2 = 2$ (He initialisation) whatever the bias; the sigmoid
# only at a large $\sigma_w^2$, where $q^* \ge 4$ and most units are saturated.

# %% [markdown]
# ## Gradients scale like χ₁ to the power L
#
# For each $\sigma_w^2$, a network started at its fixed point; the fitted slope of
# $\ln\lVert\delta^l\rVert^2$ per layer against $\ln\chi_1$.

# %%
slopes, report = {}, []
fig, ax = plt.subplots(figsize=style.NOTEBOOK_SIZE)
for weight_variance in WEIGHT_VARIANCES:
    logs = gradient_scaling.error_logs(rng, ACTIVATION, weight_variance, BIAS_VARIANCE,
                                       WIDTH, DEPTH)
    predicted = np.log(mean_field.chi_1(ACTIVATION, weight_variance, BIAS_VARIANCE))
    measured = gradient_scaling.measured_slope(logs[None])[0]
    slopes[weight_variance] = (predicted, measured)
    line, = ax.plot(np.arange(DEPTH + 1)[::-1], logs - logs[-1], "o", ms=3)
    ax.plot(np.arange(DEPTH + 1), np.arange(DEPTH + 1) * predicted, color=line.get_color(),
            label=f"$\\sigma_w^2 = {weight_variance}$")
    report.append(f"σ_w² = {weight_variance}: ln χ₁ = {predicted:+.4f}, "
                  f"measured slope {measured:+.4f}")
ax.set(xlabel="layers below the top, $L - l$",
       ylabel="$\\ln\\|\\delta^l\\|^2 - \\ln\\|\\delta^L\\|^2$")
style.legend(ax)
plt.show()
print("\n".join(report))

# %% [markdown]
# One network per setting already follows the prediction within a few hundredths per layer:
# shrinking below the edge, level on it, growing above it.
