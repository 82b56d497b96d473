"""The one registry of the site's figures and quoted numbers.

A figure module (``snippets/figures/<chapter>/<experiment>.py``) declares each figure with
:func:`figure`, naming the experiment function whose result it draws, and each number the
prose quotes with :func:`quoted`. The figure pipeline (``sitebuild/figure_cache.py``) renders
them through :mod:`snippets.figures.render`; pages refer to them by name
(``[[figure: name]]``, ``[[value: name]]``).
"""

import dataclasses
import re
from collections.abc import Callable

# A figure or quoted value's name: kebab-case. The build, tests and benchmark use this pattern.
NAME_PATTERN = r"[a-z][a-z0-9-]*"
EXPERIMENT_PACKAGE = "snippets.experiments."


@dataclasses.dataclass(frozen=True)
class FigureSpec:
    name: str
    module: str
    experiment: Callable[[], object]  # runs the computation once for both palettes
    build: Callable[[object], object]  # experiment result → matplotlib Figure
    alt: str | Callable[[object], str]      # text, or a function of the experiment's result
    caption: str | Callable[[object], str]
    code: tuple[str, ...]             # includes shown under the figure: "path" or "path:section"


@dataclasses.dataclass(frozen=True)
class QuotedValue:
    name: str
    module: str
    compute: Callable[[], str]


@dataclasses.dataclass(frozen=True)
class DataFile:
    name: str
    module: str
    compute: Callable[[], object]


FIGURES: dict[str, FigureSpec] = {}
VALUES: dict[str, QuotedValue] = {}
DATA: dict[str, DataFile] = {}


def module_path(module):
    """Repository path of a dotted module name."""
    return module.replace(".", "/") + ".py"


def _builder_name(name):
    return name.replace("-", "_")


def figure(name, *, experiment, alt, caption, shows=()):
    """Register the decorated builder as figure ``name``; the builder's function name must be
    the figure's name in snake_case.

    ``alt`` and ``caption`` are text, or functions of the experiment's result that return it:
    a number they quote is then computed when the figure renders, not when the module is
    imported. ``experiment`` is a zero-argument function of a module in
    ``snippets/experiments`` whose result the builder draws; the whole experiment module is
    shown under the figure (its seeds, sizes and loop), after the core sections listed in
    ``shows``
    ("snippets/core/module.py:section") and before the builder's own section, which carries
    the figure's name.
    """
    def register(build):
        if not re.fullmatch(NAME_PATTERN, name):
            raise ValueError(f"figure name {name!r} must match {NAME_PATTERN}")
        if name in FIGURES:
            raise ValueError(f"figure name {name!r} is registered twice")
        if build.__name__ != _builder_name(name):
            raise ValueError(f"figure {name!r}: its builder must be called "
                             f"{_builder_name(name)}, not {build.__name__}")
        source = getattr(experiment, "__wrapped__", experiment)
        if not source.__module__.startswith(EXPERIMENT_PACKAGE):
            raise ValueError(f"figure {name!r}: experiment must come from {EXPERIMENT_PACKAGE}*, "
                             f"not {source.__module__}")
        if any(isinstance(text, str) and not text.strip() for text in (alt, caption)):
            raise ValueError(f"figure {name!r} needs a non-empty alt text and caption")
        code = (*shows, module_path(source.__module__), f"{module_path(build.__module__)}:{name}")
        FIGURES[name] = FigureSpec(name, build.__module__, experiment, build, alt, caption,
                                   tuple(dict.fromkeys(code)))
        return build
    return register


def quoted(name):
    """Register the decorated zero-argument function as the quoted number ``name``.

    It returns the text inserted into the prose, formatted as the page should show it.
    """
    def register(compute):
        if not re.fullmatch(NAME_PATTERN, name):
            raise ValueError(f"quoted value name {name!r} must match {NAME_PATTERN}")
        if name in VALUES:
            raise ValueError(f"quoted value {name!r} is registered twice")
        VALUES[name] = QuotedValue(name, compute.__module__, compute)
        return compute
    return register



def data(name):
    """Register the decorated zero-argument function as the data file ``name``.json, served
    next to the figures (``figures/<name>.json``) for a page's own script to draw.

    It returns JSON-serialisable lists, dicts, strings and finite numbers, already rounded
    to what the page shows: NaN or infinity fail the render, naming the file.
    """
    def register(compute):
        if not re.fullmatch(NAME_PATTERN, name):
            raise ValueError(f"data file name {name!r} must match {NAME_PATTERN}")
        if name in DATA or name in FIGURES:
            raise ValueError(f"data file {name!r} is registered twice")
        DATA[name] = DataFile(name, compute.__module__, compute)
        return compute
    return register
