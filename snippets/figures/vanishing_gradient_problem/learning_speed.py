"""Figures and tables of Nielsen's per-layer speed of learning, reproduced on the digits:
figures 2.5 and 2.6 of chapter 2 (vanishing-gradient-problem.md)."""

import numpy as np

from snippets.core.statistics import mean_and_spread
from snippets.experiments.vanishing_gradient_problem.learning_speed import (
    EPOCHS,
    HIDDEN_LAYERS,
    L2,
    LEARNING_RATE,
    NIELSEN_MNIST_SPEEDS,
    SEEDS,
    TRAINED_SEEDS,
    TRAINING_EXAMPLES,
    WIDTH,
    final_speed_ratios,
    held_out_data,
    last_over_first,
    per_layer_factor,
    speeds_at_initialisation,
    speeds_during_training,
)
from snippets.figures import style
from snippets.figures.formatting import markdown_table
from snippets.figures.registry import figure, quoted


def _speed_at_init_alt(speeds):
    factors = [per_layer_factor(values) for values in speeds.values()]
    return (f"Speed of learning of each hidden layer at initialisation, on a logarithmic axis, "
            f"for sigmoid networks with {', '.join(map(str, HIDDEN_LAYERS[:-1]))} and "
            f"{HIDDEN_LAYERS[-1]} hidden layers. In every network the speed rises by a factor "
            f"of about {min(factors):.1f} to {max(factors):.1f} per layer from the first "
            f"hidden layer to the last, and Nielsen's MNIST values, drawn as open markers, lie "
            f"close to ours.")


# --8<-- [start:learning-speed-at-init]
@figure("learning-speed-at-init", experiment=speeds_at_initialisation,
        alt=_speed_at_init_alt,
        caption=f"Speed of learning $\\|\\partial C/\\partial b^l\\|$ of each hidden layer at "
                f"initialisation, averaged gradient over {TRAINING_EXAMPLES} digits. Dots and "
                f"bars: mean and standard deviation over {SEEDS} seeds (weights "
                f"$\\mathcal N(0, 1/n_{{in}})$, biases $\\mathcal N(0, 1)$, {WIDTH} sigmoid "
                f"units per layer). Open squares: Nielsen's MNIST values.",
        shows=("snippets/core/networks.py:init_network",
               "snippets/core/networks.py:forward_backward",
               "snippets/core/networks.py:learning_speeds"))
def learning_speed_at_init(speeds):
    """Speed of each hidden layer at initialisation, ours against Nielsen's (figure 2.5)."""
    fig, ax = style.new_figure()
    for color, (depth, values) in zip(style.colors(), speeds.items()):
        layers = np.arange(1, depth + 1)
        mean, spread = mean_and_spread(values)
        ax.errorbar(layers, mean, yerr=spread, fmt="o-", color=color, capsize=3,
                    label=f"{depth} hidden layers")
        ax.plot(layers, NIELSEN_MNIST_SPEEDS[depth], "s", mfc="none", color=color, ms=8)
    ax.plot([], [], "s", mfc="none", color=style.muted(), label="Nielsen, MNIST")
    ax.set(yscale="log", xlabel="hidden layer l", ylabel=r"$\|\partial C/\partial b^l\|$",
           xticks=list(range(1, max(speeds) + 1)))
    style.legend(ax, loc="lower right")
    return fig
# --8<-- [end:learning-speed-at-init]


def _slowest_first_seeds(speeds):
    """Seeds (of speeds shaped (seeds, epochs + 1, layers)) whose first hidden layer is the
    slowest before every epoch."""
    return int(np.sum(np.all(np.argmin(speeds, axis=-1) == 0, axis=-1)))


def _mean_ratio(speeds, epoch):
    """Last over first hidden layer's speed before ``epoch``, both averaged over the seeds."""
    mean = speeds[:, epoch].mean(axis=0)
    return float(mean[-1] / mean[0])


def _training_ordering(results):
    """What figure 2.6 shows about the order of the layers, in words, from the measurements."""
    sentences = []
    for depth, run in results.items():
        speeds = run["speeds"]
        kept = _slowest_first_seeds(speeds)
        seeds = speeds.shape[0]
        where = ("in every seed" if kept == seeds
                 else f"in {kept} of the {seeds} seeds (in the others the first layer is "
                      f"overtaken for a while)")
        sentences.append(
            f"with {depth} hidden layers the first hidden layer is the slowest before every "
            f"epoch {where}; the last layer's mean speed is {_mean_ratio(speeds, 0):.1f} times "
            f"the first's at the start, {_mean_ratio(speeds, min(100, EPOCHS)):.1f} times "
            f"after {min(100, EPOCHS)} epochs and {_mean_ratio(speeds, -1):.1f} times at the end")
    return "; ".join(sentences)


def _speed_during_training_alt(results):
    return (f"{len(results)} panels, for {', '.join(map(str, list(results)[:-1]))} and "
            f"{list(results)[-1]} hidden layers, showing the speed of learning of each hidden "
            f"layer over {EPOCHS} epochs of training on a logarithmic axis, averaged over "
            f"{TRAINED_SEEDS} seeds with a band from the lowest to the highest seed. All speeds "
            f"drop in the first tens of epochs. {_training_ordering(results).capitalize()}.")


# --8<-- [start:learning-speed-during-training]
@figure("learning-speed-during-training", experiment=speeds_during_training,
        alt=_speed_during_training_alt,
        caption=f"Speed of learning of each hidden layer during {EPOCHS} epochs of full-batch "
                f"gradient descent (η = {LEARNING_RATE}, L2 weight decay λ = {L2}, "
                f"{TRAINING_EXAMPLES} digits), as in Nielsen's experiment. Lines: mean over "
                f"{TRAINED_SEEDS} seeds; bands: from the lowest to the highest seed.",
        shows=("snippets/core/networks.py:learning_speeds",))
def learning_speed_during_training(results):
    """Speed of each hidden layer before every epoch, mean and range over seeds (figure 2.6)."""
    fig, axes = style.new_figure((style.MAX_WIDTH, 3.6), panels=len(results), sharey=True)
    for ax, (depth, run) in zip(axes, results.items()):
        speeds = run["speeds"]                       # (seeds, epochs + 1, layers)
        epochs = np.arange(speeds.shape[1])
        for layer, color in zip(range(depth), style.colors()):
            ax.fill_between(epochs, speeds[:, :, layer].min(axis=0),
                            speeds[:, :, layer].max(axis=0), color=color, alpha=0.2, lw=0)
            ax.plot(epochs, speeds[:, :, layer].mean(axis=0), color=color, lw=1.6,
                    label=f"layer {layer + 1}")
        ax.set(yscale="log", title=f"{depth} hidden layers", xlabel="epoch")
    for ax in (axes if style.narrow() else axes[:1]):
        ax.set_ylabel(r"$\|\partial C/\partial b^l\|$")
    # One key for all panels, above them: the deepest network's legend names every layer.
    handles, labels = axes[-1].get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside upper center",
               ncols=2 if style.narrow() else len(labels))
    return fig
# --8<-- [end:learning-speed-during-training]


def _mean_pm(values, digits):
    mean, spread = mean_and_spread(values)
    return f"{mean:.{digits}f} ± {spread:.{digits}f}"


@quoted("learning-speed-table")
def _speed_table():
    rows = []
    for depth, values in speeds_at_initialisation().items():
        nielsen = NIELSEN_MNIST_SPEEDS[depth]
        rows.append([str(depth), ", ".join(f"{v:.2g}" for v in values.mean(axis=0)),
                     _mean_pm(last_over_first(values), 0),
                     ", ".join(f"{v:g}" for v in nielsen),
                     f"{nielsen[-1] / nielsen[0]:.0f}"])
    return markdown_table(["hidden layers", "our speeds, layer 1 → last (mean of seeds)",
                           "last / first (ours)", "Nielsen, MNIST", "last / first (Nielsen)"],
                          rows, align="rlrlr")


@quoted("learning-speed-seeds")
def _seeds():
    return f"{SEEDS} seeds (the first {TRAINED_SEEDS} of them also trained)"


@quoted("trained-accuracy-table")
def _accuracy_table():
    rows = [[str(depth), f"{_mean_pm(100 * run['train_accuracy'], 1)} %",
             f"{_mean_pm(100 * run['held_out_accuracy'], 1)} %"]
            for depth, run in speeds_during_training().items()]
    return markdown_table(
        ["hidden layers",
         f"accuracy, {TRAINING_EXAMPLES} training digits (mean ± s.d., {TRAINED_SEEDS} seeds)",
         f"accuracy, {len(held_out_data()[1])} held-out digits"], rows)


@quoted("learning-speed-ordering-in-training")
def _ordering_in_training():
    return _training_ordering(speeds_during_training())


@quoted("learning-speed-ordering-table")
def _ordering_table():
    """The same measurements as the sentence above, as a table for the chapter."""
    results = speeds_during_training()
    checkpoint = min(100, EPOCHS)
    rows = [[str(depth), f"{_slowest_first_seeds(run['speeds'])} of {run['speeds'].shape[0]}",
             f"{_mean_ratio(run['speeds'], 0):.1f}",
             f"{_mean_ratio(run['speeds'], checkpoint):.1f}",
             f"{_mean_ratio(run['speeds'], -1):.1f}"]
            for depth, run in results.items()]
    return markdown_table(
        ["hidden layers", "seeds with layer 1 slowest throughout", "last ÷ first: start",
         f"after {checkpoint} epochs", f"after {EPOCHS}"], rows, align="rrrrr")


@quoted("learning-speed-per-layer-factors")
def _per_layer_factors():
    factors = [per_layer_factor(values) for values in speeds_at_initialisation().values()]
    return f"{min(factors):.1f} to {max(factors):.1f}"


@quoted("learning-speed-ratio-deepest")
def _ratio_deepest():
    return f"{np.mean(last_over_first(speeds_at_initialisation()[max(HIDDEN_LAYERS)])):.0f}"


@quoted("learning-speed-standard-error")
def _standard_error():
    """Largest standard error of a quoted mean speed, relative to the mean."""
    worst = max(float(np.max(values.std(axis=0, ddof=1) / np.sqrt(len(values))
                             / values.mean(axis=0)))
                for values in speeds_at_initialisation().values())
    return f"{100 * worst:.0f} %"


@quoted("final-speed-ratio-four-layers")
def _final_ratio():
    mean, spread = mean_and_spread(final_speed_ratios(4))
    return f"{mean:.0f} (± {spread:.0f} over {TRAINED_SEEDS} seeds)"


@quoted("learning-speed-ratio-by-depth")
def _ratio_by_depth():
    ratios = {depth: float(np.exp(np.mean(np.log(last_over_first(values)))))
              for depth, values in speeds_at_initialisation().items()}
    return (", ".join(f"1/{ratio:.0f} with {depth} hidden layers"
                      for depth, ratio in ratios.items())
            + f" (geometric means over {SEEDS} networks each)")


@quoted("final-speed-ratio-two-layers")
def _final_ratio_two():
    """Geometric mean over the trained seeds of last over first speed after training, with two
    hidden layers (the gap that closes)."""
    return f"{float(np.exp(np.mean(np.log(final_speed_ratios(2))))):.1f}"
