"""Linked regions of a figure (style.link_region), e.g. the trainability heat map's cells that
open the training lab: where render_figure says each region lies is checked against the pixels
of the same figure drawn by Agg — an independent oracle, since the raster knows nothing of the
transforms the boxes are computed with. At each box's centre the raster shows the colour of the
cell the box names, in both layouts (constrained layout and colour bars move the axes)."""

import io
import types

import matplotlib

matplotlib.use("Agg")
import matplotlib.colors  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from sitebuild import markers  # noqa: E402
from snippets.figures import style  # noqa: E402
from snippets.figures.render import render_figure  # noqa: E402

DPI = 100
X_EDGES = np.geomspace(0.5, 4.0, 6)        # five columns on a log axis, as the heat map's
Y_EDGES = np.array([1.0, 3.0, 4.0, 9.0, 20.0])
COLOURS = [matplotlib.colors.hsv_to_rgb((hue, 0.9, 0.9))
           for hue in np.linspace(0.0, 0.95, 20)]   # one distinct colour per cell


def _synthetic(_data):
    fig, ax = style.new_figure(size=(6.0, 3.6))
    index = np.arange(20).reshape(4, 5)            # rows: y, columns: x
    mesh = ax.pcolormesh(X_EDGES, Y_EDGES, index, cmap=matplotlib.colors.ListedColormap(COLOURS),
                         vmin=-0.5, vmax=19.5)
    ax.set(xscale="log", yscale="log")
    ax.grid(False)
    fig.colorbar(mesh, ax=ax, location="top" if style.narrow() else "right")
    for row in range(4):
        for column in range(5):
            style.link_region(ax, X_EDGES[column:column + 2], Y_EDGES[row:row + 2],
                              f"page/?cell={index[row, column]}", f"cell {index[row, column]}",
                              row=row, column=column)
    return fig


SPEC = types.SimpleNamespace(name="synthetic-links", build=_synthetic)


def _raster(layout):
    """The figure drawn by Agg (RGB, rows from the top) in ``layout``."""
    with style.theme("light"), style.layout(layout):
        fig = _synthetic(None)
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", dpi=DPI, transparent=False, facecolor="white")
        plt.close(fig)
    buffer.seek(0)
    return plt.imread(buffer)[..., :3]


@pytest.mark.parametrize("layout", ["wide", "narrow"])
def test_each_box_lies_on_the_cell_it_names(layout):
    _, links = render_figure(SPEC, None, "light", layout)
    pixels = _raster(layout)
    height, width = pixels.shape[:2]
    assert len(links) == 20
    for link in links:
        left, top, box_width, box_height = link["box"]
        # The centre and points a third of the way to each corner: all inside the cell.
        for fx, fy in [(0.5, 0.5), (0.2, 0.2), (0.8, 0.8), (0.2, 0.8), (0.8, 0.2)]:
            x = int((left + fx * box_width) / 100 * width)
            y = int((top + fy * box_height) / 100 * height)
            seen = int(np.argmin([np.sum((pixels[y, x] - c) ** 2) for c in COLOURS]))
            assert f"cell={seen}" in link["target"], (layout, link["label"], fx, fy, seen)


def test_boxes_tile_the_axes_without_gaps():
    """Neighbouring cells share an edge: each box's right edge is its neighbour's left."""
    _, links = render_figure(SPEC, None, "light", "wide")
    by_cell = {(link["row"], link["column"]): link["box"] for link in links}
    for row in range(4):
        for column in range(4):
            left, _, box_width, _ = by_cell[row, column]
            assert abs(left + box_width - by_cell[row, column + 1][0]) < 0.01


def test_the_page_lays_links_over_the_figure_and_lists_them():
    meta = {"alt": "a", "caption": "c", "code": [], "sizes": {"narrow": (1, 1), "wide": (2, 1)},
            "links": {layout: render_figure(SPEC, None, "light", layout)[1]
                      for layout in ("wide", "narrow")}}
    block = markers.figure_block("synthetic-links", meta, "6.1", lambda path: "../../" + path)
    for layout in ("wide", "narrow"):
        assert f"vg-figure__links--{layout}" in block
    assert block.count('href="../../page/?cell=7"') == 3   # two layers and the table
    assert block.count('tabindex="-1"') == 40                # overlays: pointer only
    assert 'aria-label="cell 7">open</a>' in block           # the table: for keyboards


def test_a_hostile_label_or_target_is_escaped():
    link = {"box": [1, 2, 3, 4], "target": 'x" onclick="alert(1)', "label": "<script>",
            "row": "<b>", "column": "&"}
    meta = {"alt": "a", "caption": "c", "code": [], "sizes": {"narrow": (1, 1), "wide": (1, 1)},
            "links": {"wide": [link], "narrow": [link]}}
    block = markers.figure_block("x", meta, "1", lambda path: path)
    assert "<script>" not in block and "<b>" not in block and '" onclick' not in block
