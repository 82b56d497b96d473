"""The one registry of the site's figures and quoted numbers.

A figure module declares each figure with :func:`figure` and each number the prose quotes with
:func:`quoted`. The build hook (``scripts/figures_hook.py``) renders them through
:mod:`snippets.figures.render`; pages refer to them by name (``[[figure: name]]``,
``[[value: name]]``).
"""

import dataclasses
from typing import Callable

NAME_PATTERN = r"[a-z][a-z0-9-]*"


@dataclasses.dataclass(frozen=True)
class FigureSpec:
    name: str
    module: str
    data: Callable[[], object]        # runs the computation once for both palettes
    build: Callable[[object], object]  # data → matplotlib Figure, drawn in the active palette
    alt: str
    caption: str
    code: tuple[str, ...]             # "path:section" includes shown under the figure


@dataclasses.dataclass(frozen=True)
class QuotedValue:
    name: str
    module: str
    compute: Callable[[], str]


FIGURES: dict[str, FigureSpec] = {}
VALUES: dict[str, QuotedValue] = {}


def _module_path(module):
    return module.replace(".", "/") + ".py"


def figure(name, *, data, alt, caption, shows=()):
    """Register the decorated builder as figure ``name``.

    ``data`` is a zero-argument callable returning what the builder draws; ``shows`` lists the
    computation sections ("snippets/module.py:section") printed under the figure, before the
    builder's own section, which must carry the figure's name.
    """
    def register(build):
        if name in FIGURES:
            raise ValueError(f"figure name {name!r} is registered twice")
        if not alt.strip() or not caption.strip():
            raise ValueError(f"figure {name!r} needs a non-empty alt text and caption")
        own_section = f"{_module_path(build.__module__)}:{name}"
        FIGURES[name] = FigureSpec(name, build.__module__, data, build, alt.strip(),
                                   caption.strip(), tuple(shows) + (own_section,))
        return build
    return register


def quoted(name):
    """Register the decorated zero-argument function as the quoted number ``name``.

    It returns the text inserted into the prose, formatted as the page should show it.
    """
    def register(compute):
        if name in VALUES:
            raise ValueError(f"quoted value {name!r} is registered twice")
        VALUES[name] = QuotedValue(name, compute.__module__, compute)
        return compute
    return register


_SUPERSCRIPTS = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def scientific(value, digits=3):
    """Format ``value`` for prose as "9.54 × 10⁻⁷" (``digits`` significant digits)."""
    mantissa, exponent = f"{value:.{digits - 1}e}".split("e")
    exponent = int(exponent)
    if exponent == 0:
        return mantissa
    return f"{mantissa} × 10{str(exponent).translate(_SUPERSCRIPTS)}"
