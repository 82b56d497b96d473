"""Figure of Xu, Huang & Li's (2016) rescaled sigmoid and penalized tanh: figure
rescaled-activations of chapter 3 (initialisation-and-variance.md)."""

from snippets.experiments.initialisation_and_variance.rescaled_activations import (
    PENALTY,
    Z_RANGE,
    rescaled_curves,
)
from snippets.figures import style
from snippets.figures.registry import figure


# --8<-- [start:rescaled-activations]
@figure("rescaled-activations", experiment=rescaled_curves,
        alt="Left: four activation functions: sigmoid, tanh, the rescaled sigmoid 4 sigma "
            "minus 2 which runs from −2 to 2 through the origin with slope 1, and penalized "
            f"tanh, which follows tanh for positive inputs and {PENALTY:g} times it for "
            "negative ones. Right: their derivatives; all but the sigmoid have slope 1 at 0.",
        caption="Xu, Huang & Li's fixes for the sigmoid's linear regime: the rescaled sigmoid "
                "$4\\sigma(z) - 2 = 2\\tanh(z/2)$ has $\\alpha = 1$, $\\beta = 0$; penalized "
                f"tanh scales the negative side by ${PENALTY:g}$. Left: functions; right: "
                "derivatives.",
        shows=("snippets/core/activations.py:rescaled_activations",))
def rescaled_activations(curves):
    """The four activations and their derivatives side by side (figure
    rescaled-activations)."""
    fig, (left, right) = style.new_figure(style.DOUBLE, panels=2)
    for color, (label, (values, slopes)) in zip(style.colors(), curves["functions"].items()):
        left.plot(curves["z"], values, color=color, label=label)
        right.plot(curves["z"], slopes, color=color, label=label)
    left.set(xlabel="pre-activation z", title="f(z)", xlim=Z_RANGE)
    right.set(xlabel="pre-activation z", title="f′(z)", xlim=Z_RANGE)
    # One key above both panels (they share colours), clear of every curve; on a phone one
    # entry a line, and the figure grows by those lines so that the panels keep their height.
    handles, labels = left.get_legend_handles_labels()
    if style.narrow():
        width, height = fig.get_size_inches()
        fig.set_size_inches(width, height + len(labels) * 1.3 * style.SMALL_TEXT / 72)
    fig.legend(handles, labels, loc="outside upper center",
               ncols=1 if style.narrow() else 2, handlelength=1.2, columnspacing=1.0)
    return fig
# --8<-- [end:rescaled-activations]
