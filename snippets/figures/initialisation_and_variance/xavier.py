"""Figure and table verifying Xavier initialisation in deep tanh networks: figure
xavier-verification of chapter 3 (initialisation-and-variance.md)."""

import numpy as np

from snippets.experiments.initialisation_and_variance.xavier import (
    DEPTH,
    REPETITIONS,
    SATURATED_SLOPE,
    WIDTH,
    mean_profiles,
    saturation_by_scale,
    weight_laws,
    xavier_profiles,
)
from snippets.figures import style
from snippets.figures.formatting import markdown_table
from snippets.figures.registry import figure, quoted

TABLE_LAYER = 10                  # the intermediate layer the table quotes
_SUPERSCRIPTS = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


DOUBLED = "2 × Xavier"


def _doubled_top_variance():
    """Activation variance of the top layer with the doubled scale, mean over networks."""
    return float(mean_profiles()[DOUBLED][0][-1])


def _xavier_alt(profiles):
    return (f"Two panels on logarithmic axes for {DEPTH}-layer tanh networks. Left: activation "
            f"variance per layer; right: back-propagated gradient variance per layer. With "
            f"Xavier weights both stay within a modest band; with the standard or halved scale "
            f"they fall by orders of magnitude; with the doubled scale the activation variance "
            f"levels off at about {_doubled_top_variance():.2f}, part of the way to tanh's "
            f"ceiling of 1, and the gradients grow towards the input.")


# --8<-- [start:xavier-verification]
@figure("xavier-verification", experiment=xavier_profiles,
        alt=_xavier_alt,
        caption=f"Forward variance $\\mathrm{{Var}}[a^l]$ and backward variance "
                f"$\\mathrm{{Var}}[\\partial C/\\partial a^l]$ per layer in tanh networks of "
                f"depth {DEPTH} and width {WIDTH} (zero biases, inputs and top "
                f"gradients $\\mathcal N(0,1)$, mean over {REPETITIONS} networks), for "
                f"{len(weight_laws())} weight scales.",
        shows=("snippets/core/variance.py:simulate_variances",
               "snippets/core/initialisation.py:glorot_bound"))
def xavier_verification(profiles):
    """Forward and backward variance per layer for each weight scale (figure
    xavier-verification)."""
    fig, (left, right) = style.new_figure(style.DOUBLE, panels=2)
    layers = np.arange(DEPTH + 1)
    for color, (label, runs) in zip(style.colors(), profiles.items()):
        left.plot(layers, runs["forward"].mean(axis=0), color=color, label=label)
        right.plot(layers, runs["backward"].mean(axis=0), color=color, label=label)
    left.set(yscale="log", xlabel="layer l", ylabel=r"Var$[a^l]$", title="forward")
    right.set(yscale="log", xlabel="layer l", ylabel=r"Var$[\partial C/\partial a^l]$",
              title="backward")
    # One key above both panels (they share colours), clear of every curve; on a phone in
    # two columns, and the figure grows by its rows so that the panels keep their height.
    handles, labels = left.get_legend_handles_labels()
    columns = 2 if style.narrow() else len(labels)
    if style.narrow():
        width, height = fig.get_size_inches()
        rows = -(-len(labels) // columns)
        fig.set_size_inches(width, height + rows * 1.3 * style.SMALL_TEXT / 72)
    fig.legend(handles, labels, loc="outside upper center", ncols=columns, handlelength=1.2,
               columnspacing=1.0)
    return fig
# --8<-- [end:xavier-verification]


@quoted("xavier-table")
def _xavier_table():
    def layer(index):
        return f"a{str(index).translate(_SUPERSCRIPTS)}"

    rows = [[label, f"{forward[TABLE_LAYER]:.3g}", f"{forward[-1]:.3g}", f"{backward[0]:.3g}",
             f"{backward[-1]:.3g}"] for label, (forward, backward) in mean_profiles().items()]
    header = ["weights", f"Var[{layer(TABLE_LAYER)}]", f"Var[{layer(DEPTH)}]",
              f"Var[∂C/∂{layer(0)}] (bottom)", f"Var[∂C/∂{layer(DEPTH)}] (top)"]
    return markdown_table(header, rows)


@quoted("xavier-doubled-top-variance")
def _doubled_variance():
    return f"{_doubled_top_variance():.2f}"


@quoted("xavier-saturated-shares")
def _saturated_shares():
    shares = saturation_by_scale()
    doubled, control = shares["2 × Xavier"], shares["Xavier"]
    return (f"{100 * doubled.mean():.0f} % (± {100 * doubled.std(ddof=1):.1f} % over "
            f"{doubled.size} networks) of the top layer's units have a slope "
            f"$\\tanh' < {SATURATED_SLOPE}$ at twice Xavier's scale, against "
            f"{100 * control.mean():.1f} % at Xavier's own")


@quoted("tanh-gradient-by-scale")
def _tanh_gradient_by_scale():
    from snippets.experiments.dying_relus.gradient_flow import critical_gradient_flow

    def decades(law):
        backward = xavier_profiles()[law]["backward"]
        return np.mean(np.log10(backward[:, 0] / backward[:, -1]))

    rms = critical_gradient_flow()["tanh, σ_w² = σ_w²*(σ_b²)"]["rms"]
    critical = float(np.exp(np.mean(np.log(rms[0] / rms[-1]))))
    return (f"over {DEPTH} tanh layers of width {WIDTH}, the gradient variance reaching the "
            f"input is $10^{{{decades('standard U[±1/√n]'):.1f}}}$ of the top layer's at the "
            f"standard scale and $10^{{{decades('Xavier'):.1f}}}$ at Xavier's (zero biases, "
            f"{REPETITIONS} networks each), while at tanh's critical point with biases the "
            f"error's root-mean-square ends at {critical:.2f} times its top value")
