"""Figures and numbers on the underflow of back-propagated products (chapter 2)."""

import functools

import numpy as np

from snippets.core import underflow
from snippets.figures import style
from snippets.figures.registry import figure, quoted

FACTOR = 0.25


@functools.lru_cache(maxsize=1)
def products_by_type():
    results = {}
    for dtype in underflow.FLOAT_TYPES:
        subnormal_at, zero_at = underflow.underflow_depths(FACTOR, dtype)
        results[np.dtype(dtype).name] = {
            "products": underflow.running_product(FACTOR, zero_at, dtype).astype(float),
            "subnormal_at": subnormal_at, "zero_at": zero_at,
            "smallest_normal": float(np.finfo(dtype).smallest_normal)}
    return results


# --8<-- [start:underflow-by-depth]
@figure("underflow-by-depth", data=products_by_type,
        alt="Logarithm of the product of r factors of one quarter against r, for float16, "
            "float32 and float64. Each line falls straight, crosses its type's smallest normal "
            "number (dotted), continues a little as a subnormal and stops where the product "
            "becomes exactly zero (cross); the depths are listed in the table below.",
        caption="The product $0.25^r$ computed step by step in three floating-point types. "
                "Dotted: each type's smallest normal number; below it the value is subnormal "
                "and loses precision. Crosses: the first depth at which the product is exactly "
                "0. (Depth axis logarithmic.)",
        shows=("snippets/core/underflow.py:running_product",))
def underflow_by_depth(results):
    fig, ax = style.new_figure()
    # The three types compute the same exact powers of 2 while they can, so the lines
    # coincide; drawing the wider types thicker and underneath keeps all three visible.
    widths = {"float64": 7.0, "float32": 4.0, "float16": 1.8}
    for color, (name, run) in reversed(list(zip(style.colors(), results.items()))):
        products = run["products"]
        depths = np.arange(len(products))
        alive = products > 0
        ax.plot(depths[alive][1:], np.log10(products[alive][1:]), color=color,
                lw=widths[name], solid_capstyle="butt", label=name)
        ax.axhline(np.log10(run["smallest_normal"]), color=color, ls=":", lw=1.2)
        last = np.log10(products[alive][-1])
        ax.plot([run["zero_at"]], [last], "x", color=color, ms=10, mew=2.5)
        ax.annotate(f"0 at r = {run['zero_at']}", (run["zero_at"], last), xytext=(-8, -4),
                    textcoords="offset points", ha="right", va="top", color=color)
    ax.set(xscale="log", xlabel="layers back, r", ylabel=r"$\log_{10}(0.25^r)$ as computed",
           ylim=(-345, 15))
    handles, labels = ax.get_legend_handles_labels()
    ax.legend(handles[::-1], labels[::-1], loc="lower left")
    return fig
# --8<-- [end:underflow-by-depth]


@quoted("underflow-table")
def _underflow_table():
    rows = [f"| {name} | {run['smallest_normal']:.3g} | {run['subnormal_at']} | {run['zero_at']} |"
            for name, run in products_by_type().items()]
    return "\n".join(["| type | smallest normal | subnormal from r = | exactly 0 from r = |",
                      "|---|---:|---:|---:|", *rows])
