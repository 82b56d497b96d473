"""Figure, table and summary comparing the fixes for dying ReLUs: figure 4.4 of chapter 4
(dying-relus.md)."""

import numpy as np

from snippets.core import networks
from snippets.core.data import digits_labels
from snippets.experiments.dying_relus.digits_training import BATCH, EPOCHS, SEEDS, TRAIN
from snippets.experiments.dying_relus.fixes_compared import FIX_RATE, VARIANTS, fix_runs
from snippets.figures import style
from snippets.figures.formatting import markdown_table, mean_and_sd
from snippets.figures.registry import figure, quoted


# --8<-- [start:fixes-compared]
@figure("fixes-compared", experiment=fix_runs,
        alt=f"Two bar charts over {len(VARIANTS)} variants trained at a learning rate that kills "
            f"ReLU units, one tick per seed. Left: share of hidden units inactive at the end. "
            f"Right: accuracy on held-out digits. Runs that diverged are counted under each "
            f"variant's name instead of drawn; the table below the figure gives the numbers.",
        caption=f"Each fix trained {EPOCHS} epochs at learning rate {FIX_RATE:g} on "
                f"{TRAIN} digits (pixels in [0, 1], mini-batches of {BATCH}); bars: mean over "
                f"the seeds that did not diverge, ticks: every seed ({SEEDS} in all). Left: "
                f"hidden units inactive on every training image (for ReLU: dead). Right: "
                f"accuracy on the {len(digits_labels()) - TRAIN} held-out digits.",
        shows=("snippets/core/networks.py:train_sgd",
               "snippets/core/dead_networks.py:inactive_share",
               "snippets/experiments/dying_relus/digits_training.py"))
def fixes_compared(results):
    """Inactive share and held-out accuracy per variant and seed (figure 4.4)."""
    # Horizontal bars: the variants' names read level, once, on the shared axis.
    fig, (left, right) = style.new_figure((style.MAX_WIDTH, 3.8), panels=2, sharey=True)
    labels = list(results)
    positions = np.arange(len(labels))[::-1]  # the first variant on top
    for ax, key in ((left, "inactive"), (right, "accuracy")):
        values = np.array([results[label][key] for label in labels])  # (variants, seeds)
        kept = ~np.isnan(values)
        means = np.array([row[ok].mean() if ok.any() else 0.0 for row, ok in zip(values, kept)])
        ax.barh(positions, means, color=style.colors()[0], alpha=0.8)
        for column in range(values.shape[1]):
            ax.plot(values[:, column], positions, "|", ms=14, mew=2, color=style.colors()[1])
        ticks = [label + (f"\n{diverged}/{SEEDS} diverged" if diverged else "")
                 for label, diverged in ((label, int(results[label]["diverged"].sum()))
                                         for label in labels)]
        ax.set_yticks(positions, ticks, linespacing=1.0)
        ax.set_xlim(0, 1.05)
        ax.grid(axis="y", visible=False)
    left.set(xlabel="share inactive")
    right.set(xlabel="held-out accuracy")
    return fig
# --8<-- [end:fixes-compared]


@quoted("fixes-table")
def _fixes_table():
    rows = []
    for label, run in fix_runs().items():
        diverged = int(run["diverged"].sum())
        kept = run["gradient"][~run["diverged"]]
        gradient = ", ".join(f"{g:.1e}" for g in kept.mean(axis=0)) if kept.size else "—"
        rows.append([label, f"{diverged} of {SEEDS}",
                     mean_and_sd(run["inactive"], 0, 100, " %"),
                     mean_and_sd(run["accuracy"], 1, 100, " %"), gradient])
    return markdown_table(["variant", "diverged", "inactive units (mean ± sd)",
                           "held-out accuracy (mean ± sd)", "‖∂C/∂bˡ‖, layers 1–3"],
                          rows, "lrrrl")


@quoted("rrelu-test-slopes")
def _rrelu_slopes():
    low, high = networks.RRELU_BOUNDS
    return (f"{1 / 5.5:.3f} in Xu et al. (divisor fixed at (3 + 8)/2 = 5.5) and "
            f"{(low + high) / 2:.3f} in PyTorch (slope fixed at the mean of U({low:.3f}, "
            f"{high:.3f}))")


@quoted("fix-rate")
def _fix_rate():
    return f"{FIX_RATE:g}"


@quoted("prelu-diverged")
def _prelu_diverged():
    return str(int(fix_runs()["PReLU"]["diverged"].sum()))


@quoted("fix-seeds")
def _fix_seeds():
    return str(SEEDS)


@quoted("fixes-summary")
def _fixes_summary():
    """One sentence per fix against plain ReLU, generated from the measurements so the page
    says what this build measured."""
    results = fix_runs()
    relu = results["ReLU, He"]
    sentences = []
    for label in ("RReLU", "leaky ReLU 0.01"):
        kept = ~results[label]["diverged"] & ~relu["diverged"]
        if not kept.any():
            sentences.append(f"{label} diverged in every seed.")
            continue
        fewer = int(np.sum(results[label]["inactive"][kept] < relu["inactive"][kept]))
        sentences.append(
            f"{label[0].upper()}{label[1:]} ends with "
            f"{100 * results[label]['inactive'][kept].mean():.0f} % inactive "
            f"units against plain ReLU's {100 * relu['inactive'][kept].mean():.0f} % in the "
            f"{int(kept.sum())} seeds where both trained, fewer in {fewer} of them.")
    return " ".join(sentences)


def accuracy_statement(results, reference="ReLU, He", standard_errors=2.0):
    """One sentence on whether any variant's mean held-out accuracy differs from
    ``reference``'s by more than ``standard_errors`` standard errors of the difference
    (Welch: √(s₁²/n₁ + s₂²/n₂), seeds that diverged left out). Variants with fewer than two
    trained seeds are not compared."""
    base = results[reference]["accuracy"]
    base = base[np.isfinite(base)]
    separated, compared = [], []
    for label, run in results.items():
        values = run["accuracy"][np.isfinite(run["accuracy"])]
        if label == reference or values.size < 2:
            continue
        compared.append(label)
        difference = values.mean() - base.mean()
        error = np.sqrt(values.var(ddof=1) / values.size + base.var(ddof=1) / base.size)
        if abs(difference) > standard_errors * error:
            separated.append(f"{label} ({100 * difference:+.1f} points)")
    if not separated:
        return (f"Held-out accuracy does not separate the variants that trained: none of "
                f"them ({'; '.join(compared)}) has a mean more than {standard_errors:g} "
                f"standard errors of the difference away from that of {reference}.")
    return (f"Held-out accuracy separates only {'; '.join(separated)} from {reference}, by "
            f"more than {standard_errors:g} standard errors of the difference.")


@quoted("fixes-accuracy")
def _fixes_accuracy():
    return accuracy_statement(fix_runs())


@quoted("he-xavier-inactive")
def _he_xavier_inactive():
    results = fix_runs()
    he, xavier = (results[label]["inactive"] for label in ("ReLU, He", "ReLU, Xavier"))
    return (f"{mean_and_sd(he[np.isfinite(he)], 0, 100, ' %')} inactive units and with Xavier "
            f"{mean_and_sd(xavier[np.isfinite(xavier)], 0, 100, ' %')} (mean ± sd over the "
            f"seeds that trained)")
