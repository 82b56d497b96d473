"""Figure and table on the size of back-propagated errors through 50 layers at initialisation:
figure 4.1 of chapter 4 (dying-relus.md)."""

import numpy as np

from snippets.experiments.dying_relus.gradient_flow import (
    DEPTH,
    EXAMPLES,
    SATURATED_SLOPE,
    SEEDS,
    TANH_BIAS_VARIANCE,
    WIDTH,
    critical_gradient_flow,
    gradient_flow,
)
from snippets.figures import style
from snippets.figures.formatting import markdown_table
from snippets.figures.registry import figure, quoted


# --8<-- [start:gradient-flow-by-activation]
@figure("gradient-flow-by-activation", experiment=gradient_flow,
        alt=f"Size of the back-propagated error in each of {DEPTH} hidden layers at "
            f"initialisation, on a logarithmic axis. For ReLU with He initialisation it stays "
            f"within a factor of a few across all layers; for tanh with Xavier initialisation it "
            f"decays slowly towards the input; for the sigmoid it collapses by many orders of "
            f"magnitude within the first layers below the output.",
        caption=f"Root-mean-square of $\\delta^l = \\partial C/\\partial z^l$ in each hidden "
                f"layer of {DEPTH}-layer networks of width {WIDTH} at initialisation "
                f"({EXAMPLES} standardised digits, zero biases, geometric mean over "
                f"{SEEDS} seeds), one shared harness for the three activations.",
        shows=("snippets/core/networks.py:forward_backward",))
def gradient_flow_by_activation(flows):
    """RMS of δ^l per layer for the three activations (figure 4.1)."""
    fig, ax = style.new_figure()
    for color, (label, values) in zip(style.colors(), flows.items()):
        ax.plot(np.arange(1, DEPTH + 1), values, color=color, label=label)
    ax.set(yscale="log", xlabel="hidden layer l (1 = input side)",
           ylabel=r"RMS of $\delta^l$")
    style.legend(ax, loc="lower right")
    return fig
# --8<-- [end:gradient-flow-by-activation]


@quoted("gradient-flow-table")
def _flow_table():
    return markdown_table(
        ["network", "RMS δ, top hidden layer", "RMS δ, first hidden layer", "first / top"],
        [[label, f"{values[-1]:.2e}", f"{values[0]:.2e}", f"{values[0] / values[-1]:.2e}"]
         for label, values in gradient_flow().items()])


def _critical_ratio(rms):
    """First-layer over top-layer RMS of δ, geometric mean over seeds."""
    return float(np.exp(np.mean(np.log(rms[0] / rms[-1]))))


@quoted("critical-flow-summary")
def _critical_flow_summary():
    runs = critical_gradient_flow()
    relu, tanh = runs["ReLU, σ_w² = 2"], runs["tanh, σ_w² = σ_w²*(σ_b²)"]
    return (f"at their critical points (ReLU at $\\sigma_w^2 = 2$; tanh at "
            f"$\\sigma_b^2 = {TANH_BIAS_VARIANCE}$ and "
            f"$\\sigma_w^2 = {tanh['weight_variance']:.3f}$, where $\\chi_1 = 1$) the error "
            f"reaching the first of {DEPTH} layers is {_critical_ratio(relu['rms']):.2f} of its "
            f"top value for ReLU and {_critical_ratio(tanh['rms']):.2f} for tanh (geometric "
            f"means over {SEEDS} seeds), although {100 * tanh['saturated']:.0f} % of the "
            f"tanh units have a slope below {SATURATED_SLOPE} and no active ReLU unit does")
