"""Figures and numbers for the one-neuron-per-layer sigmoid chain (chapter 1)."""

import functools

import numpy as np

from snippets import gradient_chain as chain
from snippets.activations import derivative_peak, sigmoid_derivative
from snippets.figures import style
from snippets.figures.registry import figure, quoted, scientific

SEEDS = (0, 1, 2, 3, 4)
CHAINS_PER_SEED = 20_000
DEPTH = 10


@functools.lru_cache(maxsize=1)
def chain_experiment():
    """ρ_r statistics for both weight laws, per seed (5 seeds × 20 000 chains, depth 10)."""
    results = {}
    for label, scale in [("w = 1", 0.0), ("w ~ N(0, π/2), E|w| = 1", chain.UNIT_MEAN_ABS_SCALE)]:
        per_seed = []
        for seed in SEEDS:
            weights, inputs = chain.sample_chain(np.random.default_rng(seed), CHAINS_PER_SEED,
                                                 DEPTH, scale)
            ratios = chain.chain_gradient_ratios(weights, inputs)
            per_seed.append((chain.chain_ratio_statistics(ratios), ratios[:, -1]))
        results[label] = per_seed
    return results


# --8<-- [start:chain-gradient-decay]
@figure("chain-gradient-decay", data=chain_experiment,
        alt="Left: on a logarithmic axis, the gradient ratio after r sigmoid layers falls "
            "exponentially with r for both weight laws, below the dashed bound 0.25 to the r "
            "for the median, while the 95th percentile of random weights crosses the bound at "
            "small r. Right: histogram of the ratio after 10 layers for random weights, spread "
            "over many orders of magnitude, with a small tail to the right of the bound.",
        caption=f"Gradient ratio $\\rho_r = |\\partial J/\\partial y^{{(m-r)}}| \\,/\\, "
                f"|\\partial J/\\partial y^{{(m)}}|$ in one-neuron sigmoid chains. Left: median "
                f"(line) and 5–95 % band over {CHAINS_PER_SEED:,} chains of seed 0, against the "
                f"bound $0.25^r$ (dashed). Right: distribution of $\\rho_{{10}}$ for random "
                f"weights, all {len(SEEDS)} seeds ({len(SEEDS) * CHAINS_PER_SEED:,} chains) "
                f"pooled.",
        shows=("snippets/gradient_chain.py:chain_gradient_ratios",
               "snippets/gradient_chain.py:simulate_chain"))
def chain_gradient_decay(results):
    fig, (left, right) = style.new_figure(style.DOUBLE, panels=2)
    for color, (label, per_seed) in zip(style.colors(), results.items()):
        stats = per_seed[0][0]
        left.fill_between(stats["depth"], stats["q05"], stats["q95"], color=color, alpha=0.2,
                          lw=0)
        left.plot(stats["depth"], stats["median"], color=color, marker="o", ms=3, label=label)
    bound = results["w = 1"][0][0]["bound"]
    left.plot(np.arange(1, DEPTH + 1), bound, color=style.muted(), ls="--", label="$0.25^r$")
    left.set(yscale="log", xlabel="layers back from the top, r", ylabel=r"gradient ratio $\rho_r$")
    left.legend(loc="lower left")

    pooled = np.concatenate([final for _, final in results["w ~ N(0, π/2), E|w| = 1"]])
    bins = np.linspace(-16, -2, 71)
    right.hist(np.log10(pooled), bins=bins, color=style.colors()[1], alpha=0.85)
    right.axvline(np.log10(bound[-1]), color=style.muted(), ls="--")
    share = np.mean(pooled > bound[-1])
    right.text(np.log10(bound[-1]) + 0.3, 0.92, f"{share:.1%} of chains\nabove $0.25^{{10}}$",
               transform=right.get_xaxis_transform(), ha="left", va="top", color=style.muted())
    right.set(xlabel=r"$\log_{10}\rho_{10}$  (random weights)", ylabel="chains")
    return fig
# --8<-- [end:chain-gradient-decay]


def _over_seeds(label, statistic):
    values = np.array([stats[statistic][-1] for stats, _ in chain_experiment()[label]])
    return values.mean(), values.std(ddof=1)


RANDOM = "w ~ N(0, π/2), E|w| = 1"


@quoted("quarter-power-ten")
def _quarter_power_ten():
    peak = derivative_peak(sigmoid_derivative)[1]
    return scientific(peak ** 10)


@quoted("chain-unit-weights-median-ratio")
def _unit_median():
    return scientific(_over_seeds("w = 1", "median")[0])


@quoted("chain-fixed-point")
def _fixed_point():
    return f"{chain.sigmoid_fixed_point():.4f}"


@quoted("chain-fixed-point-factor")
def _fixed_point_factor():
    return f"{float(sigmoid_derivative(chain.sigmoid_fixed_point())):.4f}"


@quoted("chain-random-median-ratio")
def _random_median():
    mean, spread = _over_seeds(RANDOM, "median")
    return f"{scientific(mean)} (± {scientific(spread, 1)} over seeds)"


@quoted("chain-random-mean-ratio")
def _random_mean():
    mean, spread = _over_seeds(RANDOM, "mean")
    return f"{scientific(mean)} (± {scientific(spread, 1)} over seeds)"


@quoted("chain-random-share-above-bound")
def _random_share():
    mean, spread = _over_seeds(RANDOM, "fraction_above_bound")
    return f"{100 * mean:.2f} % (± {100 * spread:.2f} % over seeds)"


@quoted("chain-seeds")
def _seeds():
    return f"{len(SEEDS)} seeds × {CHAINS_PER_SEED:,} chains"


@quoted("unit-gain-band-w8")
def _unit_gain_band_w8():
    return f"{chain.unit_gain_half_width(8.0) / 8.0:.2f}"
