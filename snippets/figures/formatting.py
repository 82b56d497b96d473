"""How numbers and tables are written into pages: one helper for each, used by every figure
module's quoted values."""

import html

_SUPERSCRIPTS = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def scientific(value, digits=3):
    """Format ``value`` for prose as "9.54 × 10⁻⁷" (``digits`` significant digits)."""
    mantissa, exponent = f"{value:.{digits - 1}e}".split("e")
    exponent = int(exponent)
    if exponent == 0:
        return mantissa
    return f"{mantissa} × 10{str(exponent).translate(_SUPERSCRIPTS)}"


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
