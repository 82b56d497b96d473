"""Figure and numbers on a ReLU unit killed by a large negative bias: figure 2.8 of chapter 2
(vanishing-gradient-problem.md)."""

from snippets.experiments.vanishing_gradient_problem.dead_relu_by_bias import (
    SEED,
    STEPS,
    bias_sweep,
    parameter_change,
)
from snippets.figures import style
from snippets.figures.registry import figure, quoted


# --8<-- [start:dead-relu-by-bias]
@figure("dead-relu-by-bias", experiment=bias_sweep,
        alt="Share of digit images on which a ReLU unit is active, as its bias goes from "
            "strongly negative to positive. The curve rises from 0 to 1; to the left of a "
            "marked threshold it is exactly 0, the shaded region where the unit is dead.",
        caption=f"One ReLU unit with He-initialised weights (seed {SEED}) on all digit "
                f"images: share of images with $w \\cdot x + b > 0$ as the bias $b$ varies. Left "
                f"of $b = -\\max_x w \\cdot x$ (shaded) the unit is inactive on every image, "
                f"so its output and every gradient are exactly 0.",
        shows=("snippets/core/relu_unit.py:active_share_by_bias",))
def dead_relu_by_bias(sweep):
    """Share of images activating the unit against its bias, dead zone shaded (figure 2.8)."""
    fig, ax = style.new_figure()
    ax.axvspan(sweep["biases"][0], sweep["threshold"], color=style.muted(), alpha=0.15, lw=0)
    ax.plot(sweep["biases"], sweep["active"], color=style.colors()[0])
    ax.axvline(sweep["threshold"], color=style.muted(), ls="--", lw=1)
    # On a phone the shaded zone is narrower than the words: there they run up inside it.
    middle = (sweep["biases"][0] + sweep["threshold"]) / 2
    ax.text(*((middle, 0.5) if style.narrow() else (sweep["threshold"] - 0.1, 0.5)),
            "dead:\nno gradient", ha="center" if style.narrow() else "right", va="center",
            rotation=90 if style.narrow() else 0, color=style.muted())
    ax.set(xlabel="bias b", ylabel="share of images with z > 0", ylim=(-0.03, 1.03),
           xlim=(sweep["biases"][0], sweep["biases"][-1]))
    return fig
# --8<-- [end:dead-relu-by-bias]


@quoted("dead-bias-threshold")
def _threshold():
    return f"{bias_sweep()['threshold']:.2f}"


@quoted("dead-bias-steps")
def _steps():
    return str(STEPS)


@quoted("dead-bias-parameter-change")
def _change():
    return f"{parameter_change():g}"
