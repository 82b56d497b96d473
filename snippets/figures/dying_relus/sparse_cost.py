"""Numbers quoted in chapter 4 (dying-relus.md) on whether ReLU's zeros reduce computation:
multiply-adds of a dense and a compressed product of a ReLU layer's output."""

import numpy as np

from snippets.experiments.dying_relus.sparse_cost import NEXT_UNITS, sparse_cost
from snippets.figures.registry import quoted


@quoted("sparse-cost-summary")
def _sparse_cost_summary():
    runs = sparse_cost()
    share = runs["compressed"] / runs["dense"]
    return (f"passing the layer's output to a next layer of {NEXT_UNITS} units takes "
            f"{runs['dense'][0]:,} multiply-adds as a dense product and "
            f"{100 * share.mean():.1f} % (± {100 * share.std(ddof=1):.1f} % over "
            f"{share.size} seeds) of that as a compressed product that skips the zeros, "
            f"whose share is {100 * np.mean(runs['zeros']):.1f} %")
