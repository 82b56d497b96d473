"""One figure style for the whole site, in two palettes matched to Material's light
("default") and dark ("slate") schemes. Backgrounds are transparent so a figure sits on the
page colour; only text, axes and line colours change between the palettes. Notebooks, whose
plots are one image shown on either palette, use a third, neutral one (``use_notebook_style``)."""

import contextlib

import matplotlib
import matplotlib.pyplot as plt

# Okabe–Ito colours (distinguishable with colour-vision deficiencies); the dark palette uses
# lighter members and tints so every line keeps its contrast on a dark background.
PALETTES = {
    "light": {
        "text": "#1f2329",
        "muted": "#5c6370",
        "grid": "#d9dce1",
        "lines": ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9"],
    },
    "dark": {
        "text": "#e3e6eb",
        "muted": "#a3a9b4",
        "grid": "#3b4050",
        "lines": ["#56B4E9", "#F0A35E", "#3DD6A3", "#E39BC6", "#F5D25A", "#9FD3F5"],
    },
}
THEMES = tuple(PALETTES)

# A notebook's plot is one PNG on whichever palette the reader chose: mid-grey text and axes
# and mid-tone Okabe–Ito lines keep their contrast on white and on slate alike.
NOTEBOOK_PALETTE = {
    "text": "#7d8590",
    "muted": "#7d8590",
    "grid": "#7d859040",
    "lines": ["#3a8fd6", "#e0762b", "#1fa67a", "#c673a8", "#d9a21b", "#56b4e9"],
}

# The only figure sizes in use (inches): one panel, and two panels side by side.
SINGLE = (6.4, 3.6)
DOUBLE = (9.0, 3.4)


def _rc(palette):
    return {
        "figure.constrained_layout.use": True,
        "figure.facecolor": "none",
        "axes.facecolor": "none",
        "savefig.transparent": True,
        "font.family": "DejaVu Sans",
        "font.size": 10.5,
        "axes.titlesize": 11,
        "axes.labelsize": 10.5,
        "legend.fontsize": 9.5,
        "legend.frameon": False,
        "text.color": palette["text"],
        "axes.labelcolor": palette["text"],
        "axes.edgecolor": palette["muted"],
        "axes.titlecolor": palette["text"],
        "xtick.color": palette["muted"],
        "ytick.color": palette["muted"],
        "xtick.labelcolor": palette["text"],
        "ytick.labelcolor": palette["text"],
        "axes.grid": True,
        "grid.color": palette["grid"],
        "grid.linewidth": 0.7,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.prop_cycle": matplotlib.cycler(color=palette["lines"]),
        "lines.linewidth": 2.0,
        # Deterministic SVG bytes: fixed id salt, glyphs as paths, no date stamp (at save).
        "svg.hashsalt": "vanishing-gradients",
        "svg.fonttype": "path",
    }


@contextlib.contextmanager
def theme(name):
    """Draw inside this context to get the ``name`` palette ("light" or "dark")."""
    if name not in PALETTES:
        raise ValueError(f"theme must be one of {THEMES}, got {name!r}")
    with plt.rc_context(_rc(PALETTES[name])):
        yield PALETTES[name]


def use_notebook_style():
    """Make every later plot of this process (a notebook) use the site's style in the
    neutral NOTEBOOK_PALETTE."""
    plt.rcParams.update(_rc(NOTEBOOK_PALETTE))


def colors():
    """The line colours of the active palette, in order."""
    return plt.rcParams["axes.prop_cycle"].by_key()["color"]


def muted():
    """The secondary (annotation) colour of the active palette."""
    return plt.rcParams["axes.edgecolor"]


def new_figure(size=SINGLE, panels=1):
    """A figure with ``panels`` axes side by side."""
    figure, axes = plt.subplots(1, panels, figsize=size)
    return figure, axes
