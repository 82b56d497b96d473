"""One figure style for the whole site, in two palettes matched to Material's light
("default") and dark ("slate") schemes. Backgrounds are transparent so a figure sits on the
page colour; only text, axes and line colours change between the palettes. A notebook draws in
the light palette, as SVG (``use_notebook_style``); its page shows each plot in the reader's
palette (sitebuild/notebook_pages.py maps every palette colour to its counterpart)."""

import contextlib
import textwrap

import matplotlib
import matplotlib.lines
import matplotlib.pyplot as plt
import matplotlib.transforms

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

# A notebook's plots are SVG drawn in the light palette: the downloaded notebook is one plain
# notebook, and its page recolours each plot to the reader's palette, colour by colour
# (sitebuild/notebook_pages.py), so every colour a notebook draws with must be one of these.
NOTEBOOK_PALETTE = PALETTES["light"]
# One size for every notebook plot (inches), narrower than SINGLE: a plot is drawn once, for
# every screen, so it is laid out for a phone's column (358 CSS px at 390 px) and shown at its
# own size (355 px) on any screen: SMALL_TEXT is 14.7 px, a tick's exponent 10.3 px.
NOTEBOOK_SIZE = (3.7, 2.8)
NOTEBOOK_PANEL_HEIGHT = 2.5  # a panel of a figure whose panels are stacked in one column

# The figure sizes in use (inches): one panel, and two panels side by side. Every figure is
# drawn twice: "wide" for screens from 720 px (text column about 686 CSS px at 1280 px) and
# "narrow" for phones (about 358 px at 390 px), where the panels are stacked in one column.
# All text is SMALL_TEXT points or more; a superscript or subscript (tick exponents on log
# axes) is 0.7 of that. So a wide figure at most MAX_WIDTH inches wide keeps every glyph at
# 12 px or more at 1280 px (0.7 × 11 pt × 686/432) and a narrow one at 11 px or more at
# 390 px (0.7 × 11 pt × 358/245); scripts/measure_pages.py measures it in Chromium.
SINGLE = (6.0, 3.4)
DOUBLE = (6.0, 3.1)
MAX_WIDTH = 6.0
NARROW_WIDTH = 3.4
NARROW_PANEL_HEIGHT = 2.6
SMALL_TEXT = 11.0
LAYOUTS = ("wide", "narrow")
_layout = {"current": "wide"}


def _rc(palette):
    return {
        "figure.constrained_layout.use": True,
        "figure.facecolor": "none",
        "axes.facecolor": "none",
        "savefig.transparent": True,
        # Text stays text in the SVG (searchable, smaller files); DejaVu Sans lays it out and
        # the browser draws it with the first family of the stack it has.
        "font.family": "sans-serif",
        "font.sans-serif": ["DejaVu Sans", "Verdana", "Arial", "Helvetica"],
        "font.size": SMALL_TEXT,
        "axes.titlesize": SMALL_TEXT + 0.5,
        "axes.labelsize": SMALL_TEXT,
        "legend.fontsize": SMALL_TEXT,
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
        # Deterministic SVG bytes: fixed id salt, no date stamp (at save).
        "svg.hashsalt": "vanishing-gradients",
        "svg.fonttype": "none",
    }


@contextlib.contextmanager
def layout(name):
    """Draw inside this context to get the ``name`` layout ("wide" or "narrow")."""
    if name not in LAYOUTS:
        raise ValueError(f"layout must be one of {LAYOUTS}, got {name!r}")
    previous, _layout["current"] = _layout["current"], name
    try:
        yield
    finally:
        _layout["current"] = previous


def narrow():
    """True while drawing the narrow (phone) layout: builders may then lay out text for it."""
    return _layout["current"] == "narrow"


@contextlib.contextmanager
def theme(name):
    """Draw inside this context to get the ``name`` palette ("light" or "dark")."""
    if name not in PALETTES:
        raise ValueError(f"theme must be one of {THEMES}, got {name!r}")
    with plt.rc_context(_rc(PALETTES[name])):
        yield PALETTES[name]


def use_notebook_style():
    """Make every later plot of this process (a notebook) use the site's style in
    NOTEBOOK_PALETTE and its narrow layout (draw legends with ``legend``) and, in a Jupyter
    kernel, be shown as SVG: text stays text, sharp on any screen, and the bytes carry no date
    (two executions are identical)."""
    plt.rcParams.update(_rc(NOTEBOOK_PALETTE))
    # Laid out for a phone: ``legend`` puts the legend below the plot, never over its data.
    _layout["current"] = "narrow"
    from IPython import get_ipython

    if get_ipython() is not None:
        from matplotlib_inline.backend_inline import set_matplotlib_formats

        set_matplotlib_formats("svg", metadata={"Date": None})


def colors():
    """The line colours of the active palette, in order."""
    return plt.rcParams["axes.prop_cycle"].by_key()["color"]


def muted():
    """The secondary (annotation) colour of the active palette."""
    return plt.rcParams["axes.edgecolor"]


# A narrow legend's label wraps at this many characters: 3.4 in of 11 pt text, less the key.
NARROW_LEGEND_CHARS = 34


def _wrap_label(label, width=NARROW_LEGEND_CHARS):
    """Wrap a legend label at spaces, never inside $…$ (mathtext must stay whole)."""
    parts = label.split("$")
    protected = "$".join(part.replace(" ", "\0") if index % 2 else part
                         for index, part in enumerate(parts))
    return textwrap.fill(protected, width).replace("\0", " ")


def legend(ax, **options):
    """``ax.legend(**options)`` in the wide layout. In the narrow one the whole figure is
    3.4 in wide, and a legend inside the axes covered the data or ran off the canvas: there
    it goes below the figure, one wrapped entry per line, and the figure grows to hold it."""
    if not narrow():
        return ax.legend(**options)
    figure = ax.get_figure()
    handles, labels = ax.get_legend_handles_labels()
    labels = [_wrap_label(label) for label in labels]
    lines = sum(label.count("\n") + 1 for label in labels)
    width, height = figure.get_size_inches()
    figure.set_size_inches(width, height + (lines * 1.3 * SMALL_TEXT + 8) / 72)
    return figure.legend(handles, labels, loc="outside lower center", ncols=1)


def new_figure(size=SINGLE, panels=1, sharey=False):
    """A figure with ``panels`` axes side by side, or stacked in one column in the narrow
    layout. ``size`` is the wide layout's (width, height) in inches, at most MAX_WIDTH wide."""
    width, height = size
    if not 0 < width <= MAX_WIDTH or height <= 0:
        raise ValueError(f"size must be (width, height) inches with 0 < width <= {MAX_WIDTH}, "
                         f"got {size!r}")
    if narrow():
        panel_height = min(height, NARROW_PANEL_HEIGHT) if panels == 1 else NARROW_PANEL_HEIGHT
        return plt.subplots(panels, 1, figsize=(NARROW_WIDTH, panel_height * panels),
                            sharey=sharey)
    return plt.subplots(1, panels, figsize=size, sharey=sharey)


def _spread(wanted, gaps, low, high):
    """Positions as close as possible (least squares) to ``wanted`` (ascending) that keep
    consecutive ones at least ``gaps[i]`` apart, all within [low, high] when they fit: less
    the running sum of the gaps, the positions must be non-decreasing, which
    pool-adjacent-violators solves; clipping that solution to the bounds keeps it optimal."""
    offsets = [0.0]
    for gap in gaps:
        offsets.append(offsets[-1] + gap)
    blocks = []  # [mean of shifted positions, count]
    for value, offset in zip(wanted, offsets):
        blocks.append([value - offset, 1])
        while len(blocks) > 1 and blocks[-2][0] > blocks[-1][0]:
            (mean, count), (last, size) = blocks[-2], blocks.pop()
            blocks[-1] = [(mean * count + last * size) / (count + size), count + size]
    shifted = [mean for mean, count in blocks for _ in range(count)]
    top = max(low, high - offsets[-1])
    return [min(max(value, low), top) + offset for value, offset in zip(shifted, offsets)]


class _LineEnds:
    """Where a group of line-end labels go, worked out at draw time (when the layout has fixed
    the axes' size): each just right of its line's last point, moved apart vertically by the
    least that keeps them from touching, and kept between the axes' bottom and top."""

    def __init__(self, ax, ends, heights, gap):
        # ends: (transform, (x, y)) pairs, each point in its own artist's coordinates
        self.ax, self.ends, self.heights, self.gap = ax, ends, heights, gap

    def positions(self, renderer):
        points = [transform.transform(point) for transform, point in self.ends]
        pixels = renderer.points_to_pixels(1.0)
        order = sorted(range(len(points)), key=lambda index: points[index][1])
        gaps = [(self.heights[first] + self.heights[second]) / 2 * pixels
                for first, second in zip(order, order[1:])]
        box = self.ax.bbox
        spread = _spread([points[index][1] for index in order], gaps,
                         box.y0 + self.heights[order[0]] / 2 * pixels,
                         box.y1 - self.heights[order[-1]] / 2 * pixels)
        placed = {index: (points[index][0] + self.gap * pixels, y)
                  for index, y in zip(order, spread)}
        return [placed[index] for index in range(len(points))]

    def transform(self, index):
        def at_draw_time(renderer):
            return matplotlib.transforms.Affine2D().translate(*self.positions(renderer)[index])
        return at_draw_time


def label_line_ends(ax, lines_or_labels, *, gap=4.0, spacing=1.25, wrap=None):
    """Label lines directly, in their colour, just right of their last point, instead of with a
    legend (as Distill and Tufte do). Each item is a Line2D (labelled with its own label), a
    (label, Line2D) pair, or a (label, (x, y), colour) triple for any other series or point.
    Labels closer than ``spacing`` lines of text are moved apart vertically, each by the least
    needed, and kept within the axes' height; ``gap`` is the distance from the point in points;
    a label longer than ``wrap`` characters is wrapped. Labels beyond the axes are part of the
    layout: constrained layout widens the figure's right margin to hold them. Returns the
    labels (annotations)."""
    ends, labels, colors = [], [], []
    for item in lines_or_labels:
        if isinstance(item, matplotlib.lines.Line2D):
            item = (item.get_label(), item)
        label, where = item[:2]
        if isinstance(where, matplotlib.lines.Line2D):
            finite = [(x, y) for x, y in where.get_xydata() if _finite(x) and _finite(y)]
            if not finite:
                raise ValueError(f"line {label!r} has no finite point to label")
            ends.append((where.get_transform(), finite[-1]))
            colors.append(where.get_color())
        else:
            ends.append((ax.transData, tuple(where)))
            colors.append(item[2])
        labels.append(_wrap_label(label, wrap) if wrap else label)
    heights = [spacing * SMALL_TEXT * (label.count("\n") + 1) for label in labels]
    placer = _LineEnds(ax, ends, heights, gap)
    return [ax.annotate(label, point, xycoords=transform, xytext=(0, 0),
                        textcoords=placer.transform(index), ha="left", va="center",
                        color=color, annotation_clip=False)
            for index, (label, (transform, point), color)
            in enumerate(zip(labels, ends, colors))]


def _finite(value):
    return value == value and abs(value) != float("inf")


def link_region(ax, x_range, y_range, target, label, row=None, column=None):
    """Make the data rectangle ``x_range`` × ``y_range`` of ``ax`` a link to the site page
    ``target`` (a path from the site's root, query included), e.g. a heat map's cell opening
    the training lab with that cell's network. The render records where the rectangle lands in
    each layout (snippets/figures/render.py); the page lays a link over it and lists every
    link, by ``row`` and ``column``, under the figure for keyboards and screen readers."""
    links = ax.figure.__dict__.setdefault("vg_links", [])
    links.append({"axes": ax, "x": tuple(x_range), "y": tuple(y_range), "target": target,
                  "label": label, "row": row, "column": column})
