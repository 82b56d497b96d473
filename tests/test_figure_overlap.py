"""The overlap check (snippets/figures/overlap.py) against synthetic figures whose answer is
known by construction, and against a second method: pixels.

The pixel oracle does not use the check's geometry at all. It draws the figure twice with the
Agg renderer — once with only the data visible, once with only one annotation — and calls the
two overlapping when a pixel painted by the data lies inside the box of the pixels the
annotation painted. Line widths, markers, clipping and transforms are then whatever
matplotlib drew, not what the check computes."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from snippets.figures import overlap, style  # noqa: E402
from snippets.figures.registry import FigureSpec  # noqa: E402
from snippets.figures.render import render_svg  # noqa: E402


def _figure():
    figure, ax = plt.subplots(figsize=(4, 3), dpi=100)
    ax.set_xlim(0, 10)
    ax.set_ylim(0, 10)
    return figure, ax


def _diagonal(ax, label="diagonal"):
    return ax.plot([0, 10], [0, 10], label=label)[0]


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


# ----------------------------------------------------------------- pixel oracle

# A data pixel counts when the data painted it at least this opaque (of 255): the fringe that
# antialiasing adds around a line is not a line a reader sees under a label.
VISIBLE_ALPHA = 64


def _draw(figure, hidden):
    """RGBA pixels (rows from the top) of ``figure`` drawn with the ``hidden`` artists hidden."""
    saved = [(artist, artist.get_visible()) for artist in hidden]
    try:
        for artist in hidden:
            artist.set_visible(False)
        figure.canvas.draw()
        return np.asarray(figure.canvas.buffer_rgba()).astype(int)
    finally:
        for artist, visible in saved:
            artist.set_visible(visible)


def _pixel_overlap(figure, annotation, data_artists, others=()):
    """Does a pixel painted by ``data_artists`` lie inside the box of the pixels that
    ``annotation`` paints? ``others`` are the figure's other annotations.

    Only differences between drawings of the same layout are used: the annotation's pixels are
    those that change when it alone is hidden (the rest, a legend placed "best" among them,
    stays where it was), the data's are those that change when the data is hidden from a
    drawing without annotations."""
    figure.canvas.draw()
    figure.set_layout_engine("none")  # freeze the layout: hiding artists must not move axes
    for patch in [figure.patch, *(ax.patch for ax in figure.axes)]:
        patch.set_alpha(0)  # transparent backgrounds, as the site's style draws them
    full = _draw(figure, [])
    mine = np.any(full != _draw(figure, [annotation]), axis=-1)
    rows, columns = np.nonzero(mine)
    if rows.size == 0:
        return False
    annotations = [annotation, *others]
    without_text = _draw(figure, annotations)
    bare = _draw(figure, annotations + list(data_artists))
    data = (without_text[..., 3] - bare[..., 3]) >= VISIBLE_ALPHA
    return bool(data[rows.min():rows.max() + 1, columns.min():columns.max() + 1].any())


# ----------------------------------------------------------------- synthetic figures

def test_a_legend_over_a_line_is_found_and_named():
    figure, ax = _figure()
    _diagonal(ax, "rising")
    ax.legend(loc="center")
    found = overlap.overlaps(figure)
    assert any(first.startswith("legend (rising)") and "'rising'" in second
               for first, second in found), found
    assert _pixel_overlap(figure, ax.get_legend(), ax.lines)


def test_a_legend_away_from_the_line_passes():
    figure, ax = _figure()
    _diagonal(ax, "rising")
    ax.legend(loc="upper left")
    assert overlap.overlaps(figure) == []
    assert not _pixel_overlap(figure, ax.get_legend(), ax.lines)


@pytest.mark.parametrize("where, expected", [((5, 5), True), ((1, 8), False)])
def test_a_text_on_or_off_a_line(where, expected):
    figure, ax = _figure()
    _diagonal(ax)
    text = ax.text(*where, "label", ha="center", va="center")
    assert bool(overlap.overlaps(figure)) is expected
    assert _pixel_overlap(figure, text, ax.lines) is expected


def test_markers_alone_are_data():
    figure, ax = _figure()
    ax.plot([5], [5], "o", ms=12, label="point")
    text = ax.text(5, 5.3, "x", ha="center", va="center")
    assert overlap.overlaps(figure)
    assert _pixel_overlap(figure, text, ax.lines)


def test_a_text_on_a_filled_band_is_found_but_not_on_a_shaded_span():
    figure, ax = _figure()
    band = ax.fill_between([0, 10], [4, 4], [6, 6], alpha=0.3)
    ax.axvspan(7, 10, alpha=0.2)
    on_band = ax.text(3, 5, "band", ha="center", va="center")
    ax.text(8.5, 8.5, "span", ha="center", va="center")
    found = overlap.overlaps(figure)
    assert [first for first, _ in found] == ["text 'band'"], found
    assert _pixel_overlap(figure, on_band, [band])


def test_text_over_text_and_over_a_tick_label():
    figure, ax = _figure()
    ax.text(5, 9, "first", ha="center")
    ax.text(5.2, 9.1, "second", ha="center")
    ax.text(0.1, 0.1, "corner")  # on the spines and next to the tick label "0"
    found = overlap.overlaps(figure)
    assert ("text 'first'", "text 'second'") in found, found
    assert any(first == "text 'corner'" and "Spine" in second for first, second in found)


def test_a_text_running_off_the_canvas():
    figure, ax = _figure()
    ax.text(9.5, 5, "a long label that cannot fit", clip_on=False)
    assert ("text 'a long label that cannot fit'", "the edge of the figure") in \
        overlap.overlaps(figure)


def test_labels_on_a_heat_map_are_read_against_it():
    figure, ax = _figure()
    ax.pcolormesh(np.linspace(0, 10, 5), np.linspace(0, 10, 5), np.arange(16).reshape(4, 4))
    ax.text(5, 5, "region", ha="center")
    assert overlap.overlaps(figure) == []


def test_error_bars_and_bars_are_data():
    figure, ax = _figure()
    ax.errorbar([5], [5], yerr=[4], fmt="none")
    ax.text(5, 2, "bar", ha="center")
    assert overlap.overlaps(figure)
    figure, ax = _figure()
    ax.bar([5], [8], width=2)
    ax.text(5, 4, "bar", ha="center")
    assert overlap.overlaps(figure)


def test_a_line_broken_by_nan_has_no_segment_across_the_gap():
    figure, ax = _figure()
    ax.plot([0, 4, np.nan, 6, 10], [5, 5, np.nan, 5, 5])
    ax.text(5, 5, "gap", ha="center", va="center")
    assert overlap.overlaps(figure) == []


def test_the_render_fails_naming_figure_layout_and_artists():
    def build(_):
        figure, ax = style.new_figure()
        ax.plot([0, 1], [0, 1], label="rising")
        ax.legend(loc="center")
        return figure

    spec = FigureSpec(name="synthetic", module="tests", experiment=lambda: None, build=build,
                      alt="a", caption="c", code=())
    with pytest.raises(overlap.OverlapError,
                       match=r"figure 'synthetic', narrow layout, dark palette: legend \(rising\)"
                             r" overlaps Line2D 'rising'"):
        render_svg(spec, None, "dark", "narrow")


# ----------------------------------------------------------------- the site's figures

def _data_artists(figure):
    """What the pixel oracle counts as data: what matplotlib draws for lines, markers, error
    bars, areas, bars and spines — not images, colour meshes or shaded spans."""
    from matplotlib.collections import QuadMesh
    data = []
    for ax in figure.axes:
        data += list(ax.lines) + [c for c in ax.collections if not isinstance(c, QuadMesh)]
        data += [p for p in ax.patches if not overlap._blended_span(p, ax)]
        data += [s for s in ax.spines.values() if s.get_visible()]
    return data


@pytest.mark.site  # every experiment's result (cached) and a few hundred Agg draws
@pytest.mark.parametrize("layout", style.LAYOUTS)
def test_no_site_figure_has_text_on_its_data_by_pixels(layout):
    """The second method over the whole site: no annotation's painted pixels enclose a pixel
    of data (the build's own check is the first)."""
    found = []
    for name, spec in sorted(overlap.site_figures().items()):
        with style.theme("light"), style.layout(layout):
            figure = spec.build(spec.experiment())
            figure.canvas.draw()
            annotations = [artist for _, artist, _ in overlap._annotations(figure)]
            for description, artist, _box in overlap._annotations(figure):
                others = [a for a in annotations if a is not artist]
                if _pixel_overlap(figure, artist, _data_artists(figure), others):
                    found.append(f"{name}: {description}")
            plt.close(figure)
    assert found == []


def test_an_arrow_may_reach_the_data_its_text_points_at():
    figure, ax = _figure()
    _diagonal(ax)
    ax.annotate("the middle", (5, 5), xytext=(2, 8), arrowprops={"arrowstyle": "->"})
    assert overlap.overlaps(figure) == []
    ax.annotate("on it", (5, 5), xytext=(5, 5), ha="center", va="center",
                arrowprops={"arrowstyle": "->"})
    assert [first for first, _ in overlap.overlaps(figure)] == ["annotation 'on it'"]
