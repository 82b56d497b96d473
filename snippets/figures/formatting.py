"""How numbers and tables are written into pages: one helper for each, used by every figure
module's quoted values."""

import html

import numpy as np

_SUPERSCRIPTS = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def superscript(integer):
    """An integer as Unicode superscript digits: superscript(-50) is "⁻⁵⁰"."""
    if isinstance(integer, bool) or not isinstance(integer, int):
        raise ValueError(f"integer must be an int, got {integer!r}")
    return str(integer).translate(_SUPERSCRIPTS)


def scientific(value, digits=3):
    """Format ``value`` for prose as "9.54 × 10⁻⁷" (``digits`` significant digits)."""
    mantissa, exponent = f"{value:.{digits - 1}e}".split("e")
    exponent = int(exponent)
    if exponent == 0:
        return mantissa
    return f"{mantissa} × 10{str(exponent).translate(_SUPERSCRIPTS)}"


def mean_and_sd(values, digits=2, scale=1.0, unit=""):
    """"mean unit ± sd" over ``values`` (sample standard deviation), NaN entries left out,
    each multiplied by ``scale`` (100 for percentages); "—" if nothing is left, and the
    mean alone for a single value."""
    values = scale * np.asarray(values, dtype=float)
    kept = values[~np.isnan(values)]
    if kept.size == 0:
        return "—"
    text = f"{kept.mean():.{digits}f}{unit}"
    return text + (f" ± {kept.std(ddof=1):.{digits}f}" if kept.size > 1 else "")


def markdown_table(header, rows, align=None):
    """A Markdown table. ``header`` is a list of column titles, ``rows`` a list of lists of
    cells (already formatted text); ``align`` a string of "l"/"r" per column (default: first
    column left, the others right). Cells are HTML-escaped and pipes protected."""
    align = align or "l" + "r" * (len(header) - 1)
    if len(align) != len(header) or any(len(row) != len(header) for row in rows):
        raise ValueError("header, align and every row must have the same number of columns")

    def cell(text):
        return html.escape(str(text), quote=False).replace("|", "\\|")

    rule = ["---:" if side == "r" else "---" for side in align]
    lines = [header, rule, *rows]
    return "\n".join("| " + " | ".join(cell(c) if line is not rule else c for c in line) + " |"
                     for line in lines)
