"""Figure and table on the underflow of back-propagated products: figure 2.2 of chapter 2
(vanishing-gradient-problem.md)."""

import numpy as np

from snippets.experiments.vanishing_gradient_problem.underflow import FACTOR, products_by_type
from snippets.figures import style
from snippets.figures.formatting import markdown_table
from snippets.figures.registry import figure, quoted


# --8<-- [start:underflow-by-depth]
@figure("underflow-by-depth", experiment=products_by_type,
        alt=f"Logarithm of the product of r factors of {FACTOR:g} against r, for float16, "
            "float32 and float64, with the depth axis logarithmic. Each line falls, in proportion "
            "to r (so it bends downwards on this axis), crosses its type's smallest normal "
            "number (dotted), continues a little as a subnormal and stops where the product "
            "becomes exactly zero (cross); the depths are listed in the table below.",
        caption=f"The product ${FACTOR:g}^r$ computed step by step in three floating-point "
                "types. Dotted: each type's smallest normal number; below it the value is "
                "subnormal and loses precision. Crosses: the first depth at which the product "
                "is exactly 0. (Depth axis logarithmic.)",
        shows=("snippets/core/underflow.py:running_product",))
def underflow_by_depth(results):
    """FACTOR^r as computed in each float type, down to its first exact 0 (figure 2.2)."""
    fig, ax = style.new_figure()
    # The three types compute the same exact powers of 2 while they can, so the lines
    # coincide; the wider types are drawn thicker and underneath (zorder), so the narrower
    # ones stay visible on top of them.
    widths = {"float64": 7.0, "float32": 4.0, "float16": 1.8}
    layers = {"float64": 2.0, "float32": 2.1, "float16": 2.2}
    # float16's cross sits just under the top, between the thick lines and float32's dotted
    # line: its name goes above it, where the raised top of the axis leaves room.
    first = min(run["zero_at"] for run in results.values())
    for color, (name, run) in zip(style.colors(), results.items()):
        products = run["products"]
        depths = np.arange(len(products))
        alive = products > 0
        ax.plot(depths[alive][1:], np.log10(products[alive][1:]), color=color,
                lw=widths[name], solid_capstyle="butt", label=name, zorder=layers[name])
        ax.axhline(np.log10(run["smallest_normal"]), color=color, ls=":", lw=1.2)
        last = np.log10(products[alive][-1])
        ax.plot([run["zero_at"]], [last], "x", color=color, ms=10, mew=2.5)
        # Each type is named at its cross, below and left of it: the line falls from the
        # upper left, so the space under it is free (no legend to sit on the lines).
        above = run["zero_at"] == first
        ax.annotate(f"{name}: 0 at r = {run['zero_at']}", (run["zero_at"], last),
                    xytext=(0, 8) if above else (-8, -8), textcoords="offset points",
                    ha="center" if above else "right", va="bottom" if above else "top",
                    color=color)
    ax.set(xscale="log", xlabel="layers back, r",
           ylabel=f"$\\log_{{10}}({FACTOR:g}^r)$ as computed", ylim=(-400, 90))
    return fig
# --8<-- [end:underflow-by-depth]


@quoted("underflow-table")
def _underflow_table():
    return markdown_table(
        ["type", "smallest normal", "subnormal from r =", "exactly 0 from r ="],
        [[name, f"{run['smallest_normal']:.3g}", str(run["subnormal_at"]), str(run["zero_at"])]
         for name, run in products_by_type().items()])
