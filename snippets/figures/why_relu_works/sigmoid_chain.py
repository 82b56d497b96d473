"""Figures and numbers for the one-neuron-per-layer sigmoid chain: figure 1.3 of chapter 1
(why-relu-works.md)."""

import numpy as np

from snippets.core import gradient_chain as chain
from snippets.core.activations import derivative_peak, sigmoid_derivative
from snippets.experiments.why_relu_works.sigmoid_chain import (
    CHAINS_PER_SEED,
    DEPTH,
    GAP_TOLERANCE,
    SEEDS,
    START_WEIGHT,
    STEP_BUDGET,
    TEACHER_WEIGHT,
    TRAINED_DEPTHS,
    chain_experiment,
    long_training,
    mean_one_counterexample,
    over_seeds,
    step_factor_shares,
)
from snippets.figures import style
from snippets.figures.formatting import scientific
from snippets.figures.registry import figure, quoted


# --8<-- [start:chain-gradient-decay]
@figure("chain-gradient-decay", experiment=chain_experiment,
        alt="Left: on a logarithmic axis, the gradient ratio after r sigmoid layers falls "
            "exponentially with r for both weight laws, below the dashed bound 0.25 to the r "
            "for the median, while the upper edge of the band (a high percentile, given in the "
            "caption) of random weights crosses the bound at small r. Right: histogram of the "
            f"ratio after {DEPTH} layers for random weights, spread over many orders of "
            "magnitude, with a small tail to the right of the bound.",
        caption=f"Gradient ratio $\\rho_r = |\\partial J/\\partial y^{{(m-r)}}| \\,/\\, "
                f"|\\partial J/\\partial y^{{(m)}}|$ in one-neuron sigmoid chains. Left: median "
                f"(line) and 5–95 % band over {CHAINS_PER_SEED:,} chains of the first "
                f"repetition, against the "
                f"bound $0.25^r$ (dashed). Right: distribution of $\\rho_{{10}}$ for random "
                f"weights, all {SEEDS} repetitions ({SEEDS * CHAINS_PER_SEED:,} chains) "
                f"pooled.",
        shows=("snippets/core/gradient_chain.py:chain_gradient_ratios",
               "snippets/core/gradient_chain.py:simulate_chain"))
def chain_gradient_decay(results):
    """ρ_r against r with the (1/4)^r bound, and the spread of ρ_10 (figure 1.3)."""
    fig, (left, right) = style.new_figure(style.DOUBLE, panels=2)
    lines = []
    for color, (label, per_seed) in zip(style.colors(), results.items()):
        stats = per_seed[0][0]
        left.fill_between(stats["depth"], stats["q05"], stats["q95"], color=color, alpha=0.2,
                          lw=0)
        lines += left.plot(stats["depth"], stats["median"], color=color, marker="o", ms=3,
                           label=label)
    bound = results["w = 1"][0][0]["bound"]
    lines += left.plot(np.arange(1, DEPTH + 1), bound, color=style.muted(), ls="--",
                       label="$0.25^r$")
    left.set(yscale="log", xlabel="layers back from the top, r", ylabel=r"gradient ratio $\rho_r$")
    style.label_line_ends(left, lines, wrap=14)

    pooled = np.concatenate([final for _, final in results["w ~ N(0, π/2), E|w| = 1"]])
    bins = np.linspace(-16, -2, 71)
    right.hist(np.log10(pooled), bins=bins, color=style.colors()[1], alpha=0.85)
    right.axvline(np.log10(bound[-1]), color=style.muted(), ls="--")
    share = np.mean(pooled > bound[-1])
    # Not clipped, so the layout makes room for the words where they run past the axes.
    right.text(np.log10(bound[-1]) + 0.3, 0.92, f"{share:.1%} of chains\nabove $0.25^{{10}}$",
               transform=right.get_xaxis_transform(), ha="left", va="top", color=style.muted(),
               clip_on=False)
    right.set(xlabel=r"$\log_{10}\rho_{10}$  (random weights)", ylabel="chains")
    return fig
# --8<-- [end:chain-gradient-decay]


RANDOM = "w ~ N(0, π/2), E|w| = 1"  # a key of WEIGHT_LAWS


@quoted("quarter-power-ten")
def _quarter_power_ten():
    peak = derivative_peak(sigmoid_derivative)[1]
    return scientific(peak ** 10)


@quoted("chain-unit-weights-median-ratio")
def _unit_median():
    return scientific(over_seeds("w = 1", "median")[0])


@quoted("chain-fixed-point")
def _fixed_point():
    return f"{chain.sigmoid_fixed_point():.4f}"


@quoted("chain-fixed-point-factor")
def _fixed_point_factor():
    return f"{float(sigmoid_derivative(chain.sigmoid_fixed_point())):.4f}"


@quoted("chain-random-median-ratio")
def _random_median():
    mean, spread = over_seeds(RANDOM, "median")
    return f"{scientific(mean)} (± {scientific(spread, 1)} over seeds)"


@quoted("chain-random-mean-ratio")
def _random_mean():
    mean, spread = over_seeds(RANDOM, "mean")
    return f"{scientific(mean)} (± {scientific(spread, 1)} over seeds)"


@quoted("chain-random-share-above-bound")
def _random_share():
    mean, spread = over_seeds(RANDOM, "fraction_above_bound")
    return f"{100 * mean:.2f} % (± {100 * spread:.2f} % over seeds)"


@quoted("chain-seeds")
def _seeds():
    return f"{SEEDS} independent repetitions × {CHAINS_PER_SEED:,} chains"


@quoted("unit-gain-band-w8")
def _unit_gain_band_w8():
    return f"{chain.unit_gain_half_width(8.0) / 8.0:.2f}"


@quoted("chain-steps-above-quarter")
def _steps_above_quarter():
    shares = step_factor_shares()
    layers, chains = shares["layers"], shares["chains"]
    return (f"{100 * layers.mean():.1f} % of the layers (± {100 * layers.std(ddof=1):.1f} % "
            f"over seeds) pass back more than a quarter of the gradient they receive, and "
            f"{100 * chains.mean():.1f} % of the chains have at least one such layer")


@quoted("chain-mean-one-counterexample")
def _mean_one_counterexample():
    result = mean_one_counterexample()
    mean, bound = result["mean_ratio"][-1], result["bound"][-1]
    return (f"$\\mathbb E[\\rho_{{{DEPTH}}}]$ = {scientific(mean)}, "
            f"{mean / bound:.0f} times the bound $0.25^{{{DEPTH}}}$")


def _predicted_shared_rate_steps():
    """Steps the one shared rate η = 1/λ_1 needs for each depth, from the linear rate: the gap
    shrinks by (1 − η λ_m) per step near the optimum."""
    result = long_training()
    contraction = result["rate"] * result["curvature"]
    gap = abs(START_WEIGHT - TEACHER_WEIGHT) / GAP_TOLERANCE
    with np.errstate(divide="ignore"):
        return np.log(gap) / -np.log1p(-np.minimum(contraction, 1 - 1e-16))


@quoted("long-training-summary")
def _long_training_summary():
    result = long_training()
    depths = np.array(TRAINED_DEPTHS)
    steps, gaps = result["steps"], result["final_gap"]
    reached = ", ".join(f"{s:,} ({m} layer{'s' if m > 1 else ''})"
                        for m, s in zip(depths, steps) if s >= 0)
    stuck = ", ".join(f"{g:.3f} ({m} layers)" if g >= 1e-3 else
                      f"{scientific(g, 2)} ({m} layers)"
                      for m, g in zip(depths, gaps) if g >= GAP_TOLERANCE)
    return (f"with one learning rate, the best one for the one-layer chain, the first weight "
            f"comes within {scientific(GAP_TOLERANCE, 1)} of the optimum after {reached} "
            f"steps; after {STEP_BUDGET:,} steps the deeper chains are still {stuck} away, "
            f"and the linear rate predicts {scientific(_predicted_shared_rate_steps()[-1], 2)} "
            f"steps for {depths[-1]} layers. With a step scaled to its own layer's curvature, "
            f"every chain gets there within {result['own_rate_steps'].max()} steps")


@quoted("long-training-factor-per-layer")
def _long_training_factor():
    curvature, (below, above) = long_training()["curvature"], TRAINED_DEPTHS[-2:]
    factor = (curvature[-2] / curvature[-1]) ** (1 / (above - below))
    fixed_point_factor = float(sigmoid_derivative(chain.sigmoid_fixed_point()))
    return (f"{factor:.1f}, the $1/\\sigma'(y^\\ast)^2$ = {fixed_point_factor ** -2:.1f} of the "
            f"fixed point")
