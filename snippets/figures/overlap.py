"""Find text drawn over data or over other text, in a finished figure.

A label on a curve hides the curve; a legend on a band hides the band; two labels on each other
hide both. :func:`overlaps` lays the figure out (as saving it would) and compares, in display
coordinates (pixels):

- every *annotation* — a text placed on the axes (``ax.text``, ``ax.annotate``), a legend, a
  figure-level text or legend — with the *data* of every axes: line segments (widened by half
  their line width) and markers, error bars, filled areas (``fill_between``), bars and
  histogram patches, scatter points, and the visible axis lines (spines). Data is clipped to its
  axes, as it is drawn; shaded spans (``axvspan``/``axhspan``: regions, not data) and images or
  colour meshes (a heat map's cells are the background its labels are read against; neither is
  one of the kinds above) are not data;
- every annotation with every other text: other annotations, titles, axis labels and the tick
  labels that are drawn;
- every annotation with the figure's edges: a text that runs off the canvas is cut.

:func:`check` raises :class:`OverlapError` naming the two artists; the render
(``snippets/figures/render.py``) calls it for each figure in each layout and palette.
"""

import numpy as np
from matplotlib.collections import LineCollection, PathCollection, PolyCollection
from matplotlib.legend import Legend
from matplotlib.path import Path
from matplotlib.text import Annotation, Text
from matplotlib.transforms import Bbox

# A text's layout box includes the room above its capitals and below its baseline; contact
# inside this margin (pixels at the figure's dpi) is not an overlap a reader sees.
MARGIN_PX = 1.0


class OverlapError(ValueError):
    """Text over data or over other text; the message names both artists."""


def _describe_text(text):
    words = " ".join(text.get_text().split())
    kind = "annotation" if isinstance(text, Annotation) else "text"
    return f"{kind} {words!r}"


def _describe_data(artist, ax_index):
    label = artist.get_label()
    named = f" {label!r}" if label and not label.startswith("_") else ""
    return f"{type(artist).__name__}{named} in axes {ax_index}"


def _shrunk(box, margin=MARGIN_PX):
    x0, y0, x1, y1 = box.extents
    return Bbox.from_extents(x0 + margin, y0 + margin, max(x0 + margin, x1 - margin),
                             max(y0 + margin, y1 - margin))


def _grown(box, by):
    x0, y0, x1, y1 = box.extents
    return Bbox.from_extents(x0 - by, y0 - by, x1 + by, y1 + by)


def _intersection(first, second):
    """The overlap of two boxes, or None when they are apart."""
    x0, y0 = max(first.x0, second.x0), max(first.y0, second.y0)
    x1, y1 = min(first.x1, second.x1), min(first.y1, second.y1)
    return Bbox.from_extents(x0, y0, x1, y1) if x0 < x1 and y0 < y1 else None


def _pieces(points):
    """Runs of finite points (a NaN breaks a drawn line)."""
    finite = np.all(np.isfinite(points), axis=1)
    run = []
    for point, ok in zip(points, finite):
        if ok:
            run.append(point)
        elif run:
            yield np.array(run)
            run = []
    if run:
        yield np.array(run)


def _polyline_hits(points, box):
    """Does the polyline through ``points`` (display coordinates) touch ``box``?"""
    for run in _pieces(points):
        if len(run) == 1:
            if box.contains(*run[0]):
                return True
        elif Path(run).intersects_bbox(box, filled=False):
            return True
    return False


def _points_hit(points, half_size, box):
    """Does a square marker of half-width ``half_size`` at any of ``points`` touch ``box``?"""
    points = points[np.all(np.isfinite(points), axis=1)]
    grown = _grown(box, half_size)
    inside = ((points[:, 0] >= grown.x0) & (points[:, 0] <= grown.x1)
              & (points[:, 1] >= grown.y0) & (points[:, 1] <= grown.y1))
    return bool(inside.any())


def _path_hits(path, transform, box, filled):
    display = transform.transform_path(path)
    if filled:
        return display.intersects_bbox(box, filled=True)
    return _polyline_hits(display.vertices, box)


def _pixels(points_size, figure):
    return points_size * figure.dpi / 72.0


def _blended_span(patch, ax):
    """``axvspan``/``axhspan`` draw in axes-blended coordinates: regions, not data."""
    transform = patch.get_transform()
    return any(transform.contains_branch(blend)
               for blend in (ax.get_xaxis_transform(which="grid"),
                             ax.get_yaxis_transform(which="grid")))


def _data_hits(ax, box, figure):
    """The first data artist of ``ax`` drawn inside ``box`` (display coordinates), or None."""
    clipped = _intersection(box, ax.bbox)
    if clipped is None:
        return None
    for line in ax.lines:
        if not line.get_visible():
            continue
        points = line.get_transform().transform(np.asarray(line.get_xydata(), float))
        if line.get_linestyle() not in ("None", "", " ", "none"):
            if _polyline_hits(points, _grown(clipped, _pixels(line.get_linewidth(), figure) / 2)):
                return line
        if line.get_marker() not in (None, "None", "", " ", "none"):
            if _points_hit(points, _pixels(line.get_markersize(), figure) / 2, clipped):
                return line
    for collection in ax.collections:
        if not collection.get_visible():
            continue
        if isinstance(collection, LineCollection):
            widths = collection.get_linewidths()
            grown = _grown(clipped, _pixels(max(widths, default=1.0), figure) / 2)
            transform = collection.get_transform()
            if any(_polyline_hits(transform.transform(np.asarray(segment, float)), grown)
                   for segment in collection.get_segments() if len(segment)):
                return collection
        elif isinstance(collection, PathCollection):
            offsets = collection.get_offset_transform().transform(collection.get_offsets())
            sizes = collection.get_sizes()
            half = _pixels(np.sqrt(max(sizes, default=36.0)), figure) / 2
            if len(offsets) and _points_hit(np.asarray(offsets), half, clipped):
                return collection
        elif isinstance(collection, PolyCollection):
            transform = collection.get_transform()
            if any(_path_hits(path, transform, clipped, filled=True)
                   for path in collection.get_paths()):
                return collection
    for patch in ax.patches:
        if not patch.get_visible() or _blended_span(patch, ax):
            continue
        filled = patch.get_fill()
        grown = clipped if filled else _grown(clipped, _pixels(patch.get_linewidth(), figure) / 2)
        if _path_hits(patch.get_path(), patch.get_transform(), grown, filled):
            return patch
    for spine in ax.spines.values():
        if spine.get_visible() and _path_hits(spine.get_path(), spine.get_transform(),
                                              _grown(box, 0.5), filled=False):
            return spine
    return None


def _drawn_tick_labels(ax, renderer):
    labels = []
    for axis in (ax.xaxis, ax.yaxis):
        if not axis.get_visible():
            continue
        for tick in axis._update_ticks():  # the ticks inside the view, as drawing uses them
            for label in (tick.label1, tick.label2):
                if label.get_visible() and label.get_text().strip():
                    labels.append(label)
    return labels


def _frame_texts(figure):
    """Texts laid out by matplotlib itself: titles, axis labels, tick labels."""
    texts = []
    renderer = figure.canvas.get_renderer()
    if figure._suptitle is not None:
        texts.append(figure._suptitle)
    for ax in figure.axes:
        if not ax.get_visible():
            continue
        texts += [ax.title, ax._left_title, ax._right_title, ax.xaxis.label, ax.yaxis.label]
        texts += _drawn_tick_labels(ax, renderer)
    return [text for text in texts if text.get_visible() and text.get_text().strip()]


def _annotations(figure):
    """(description, box) of every text placed by the builder and every legend."""
    renderer = figure.canvas.get_renderer()
    found = []
    for owner in [figure, *figure.axes]:
        for text in owner.texts:
            if text.get_visible() and text.get_text().strip():
                # An annotation's own extent includes its arrow, which is meant to reach the
                # data it points at: the text alone is what must stay clear.
                box = Text.get_window_extent(text, renderer)
                found.append((_describe_text(text), text, box))
        legends = list(getattr(owner, "legends", []))
        legend = getattr(owner, "legend_", None)
        if legend is not None:
            legends.append(legend)
        for legend in legends:
            if isinstance(legend, Legend) and legend.get_visible():
                box = legend._legend_box.get_window_extent(renderer)
                words = ", ".join(t.get_text() for t in legend.get_texts())
                found.append((f"legend ({words})", legend, box))
    return found


def overlaps(figure):
    """Lay out ``figure`` and list every text over data or over another text, and every text
    that runs off the canvas, as (first artist, second artist) descriptions."""
    figure.canvas.draw()
    renderer = figure.canvas.get_renderer()
    canvas = Bbox.from_bounds(0, 0, *figure.canvas.get_width_height())
    found = []
    annotations = _annotations(figure)
    frame = [(_describe_text(text), text, text.get_window_extent(renderer))
             for text in _frame_texts(figure)]
    for index, (name, artist, box) in enumerate(annotations):
        inner = _shrunk(box)
        if not (canvas.x0 - MARGIN_PX <= box.x0 and box.x1 <= canvas.x1 + MARGIN_PX
                and canvas.y0 - MARGIN_PX <= box.y0 and box.y1 <= canvas.y1 + MARGIN_PX):
            found.append((name, "the edge of the figure"))
        for ax_index, ax in enumerate(figure.axes):
            hit = _data_hits(ax, inner, figure)
            if hit is not None:
                found.append((name, _describe_data(hit, ax_index)))
        for other_name, other, other_box in annotations[index + 1:] + frame:
            if other is not artist and _intersection(inner, _shrunk(other_box)) is not None:
                found.append((name, other_name))
    return found


def check(figure, where):
    """Raise :class:`OverlapError` if ``figure`` has a text over data or over another text;
    ``where`` (e.g. "figure 'x', narrow layout") starts the message."""
    found = overlaps(figure)
    if found:
        pairs = "; ".join(f"{first} overlaps {second}" for first, second in found)
        raise OverlapError(f"{where}: {pairs}")


def site_figures():
    """Import every figure module (snippets/figures/<chapter>/<module>.py) and return the
    registry of their figures: the command below and the tests' second method check them all."""
    import importlib
    from pathlib import Path

    from snippets.figures.registry import FIGURES

    package = Path(__file__).resolve().parent
    for path in sorted(package.glob("*/*.py")):
        if not path.stem.startswith("_"):
            importlib.import_module(f"snippets.figures.{path.parent.name}.{path.stem}")
    return FIGURES


def main(names):
    """Check the site's figures (all, or those named) in both layouts; print each finding."""
    import matplotlib.pyplot as plt

    from snippets.figures import style

    figures = site_figures()
    unknown = sorted(set(names) - set(figures))
    if unknown:
        raise ValueError(f"names must be registered figures; unknown: {', '.join(unknown)}")
    count = 0
    for name, spec in sorted(figures.items()):
        if names and name not in names:
            continue
        data = spec.experiment()
        for layout in style.LAYOUTS:
            with style.theme("light"), style.layout(layout):
                figure = spec.build(data)
                try:
                    found = overlaps(figure)
                finally:
                    plt.close(figure)
            for first, second in found:
                count += 1
                print(f"{name} ({layout}): {first} overlaps {second}")
    print(f"{count} overlaps")
    return 1 if count else 0


if __name__ == "__main__":
    import sys

    import matplotlib

    matplotlib.use("Agg")
    sys.exit(main(sys.argv[1:]))
