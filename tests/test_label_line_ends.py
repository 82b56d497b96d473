"""Direct labels at line ends (style.label_line_ends): the spacing is the least-squares optimum
(checked against a general constrained optimiser), and in a drawn figure each label's measured
box sits just right of its own line's last point, at its height when there is room, apart
from the other labels and inside the canvas, wherever the layout moved the axes."""

import itertools

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from scipy.optimize import minimize  # noqa: E402

from snippets.figures import overlap, style  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _optimum(wanted, gaps, low, high):
    """The same problem handed to SLSQP: minimise the squared moves subject to the gaps and
    the bounds."""
    count = len(wanted)
    constraints = [{"type": "ineq", "fun": lambda p, i=i: p[i + 1] - p[i] - gaps[i]}
                   for i in range(count - 1)]
    constraints += [{"type": "ineq", "fun": lambda p: p[0] - low},
                    {"type": "ineq", "fun": lambda p: high - p[-1]}]
    start = np.linspace(low, high, count)
    result = minimize(lambda p: np.sum((p - wanted) ** 2), start, constraints=constraints,
                      method="SLSQP", options={"ftol": 1e-10, "maxiter": 1000})
    assert result.success, result.message
    return result.x


@pytest.mark.parametrize("seed", range(20))
def test_spread_is_the_least_squares_placement(seed):
    rng = np.random.default_rng(seed)
    count = int(rng.integers(2, 8))
    wanted = np.sort(rng.uniform(0, 100, count))
    gaps = rng.uniform(5, 20, count - 1)
    low, high = -10.0, 110.0 + gaps.sum()  # always room for every label
    if seed % 2:  # a tight box: the bounds bind
        low, high = wanted[0] + 3, wanted[0] + 3 + gaps.sum() + 4
    placed = np.array(style._spread(list(wanted), list(gaps), low, high))
    assert np.all(np.diff(placed) >= gaps - 1e-9)
    assert placed[0] >= low - 1e-9 and placed[-1] <= high + 1e-9
    expected = _optimum(wanted, gaps, low, high)
    cost = np.sum((placed - wanted) ** 2)
    assert cost <= np.sum((expected - wanted) ** 2) + 1e-6
    np.testing.assert_allclose(placed, expected, atol=1e-3)


def test_spread_leaves_labels_that_have_room_where_they_are():
    assert style._spread([0.0, 50.0, 100.0], [10.0, 10.0], -1e9, 1e9) == [0.0, 50.0, 100.0]


def _figure_with_lines(ends, size=(4.0, 3.0)):
    """Lines from (0, 0) to (10, end) for each end, labelled at their ends."""
    with style.theme("light"):  # the site's axes: no right or top spine
        figure, ax = plt.subplots(figsize=size, dpi=100, layout="constrained")
        lines = [ax.plot([0, 10], [0, end], label=f"line {index}")[0]
                 for index, end in enumerate(ends)]
        ax.set_ylim(-1, 11)
        labels = style.label_line_ends(ax, lines)
    return figure, ax, lines, labels


def _boxes(figure, labels):
    figure.canvas.draw()
    renderer = figure.canvas.get_renderer()
    return [label.get_window_extent(renderer) for label in labels]


def _end_in_pixels(ax, line):
    return ax.transData.transform(line.get_xydata()[-1])


def test_labels_far_apart_sit_at_their_line_ends():
    figure, ax, lines, labels = _figure_with_lines([1.0, 5.0, 9.0])
    pixels_per_point = figure.dpi / 72
    for line, box in zip(lines, _boxes(figure, labels)):
        end_x, end_y = _end_in_pixels(ax, line)
        assert box.x0 == pytest.approx(end_x + 4.0 * pixels_per_point, abs=1.0)
        assert (box.y0 + box.y1) / 2 == pytest.approx(end_y, abs=1.5)
    assert overlap.overlaps(figure) == []


def test_crowded_labels_are_moved_apart_in_order_and_kept_inside_the_axes():
    ends = [10.0, 10.2, 9.9, 0.1, 0.0, 5.0]
    figure, ax, lines, labels = _figure_with_lines(ends, size=(3.4, 2.6))
    boxes = _boxes(figure, labels)
    for first, second in itertools.combinations(boxes, 2):
        assert not first.overlaps(second), (first, second)
    # The labels keep the vertical order of their lines' ends.
    by_end = np.argsort([_end_in_pixels(ax, line)[1] for line in lines], kind="stable")
    centres = [(boxes[index].y0 + boxes[index].y1) / 2 for index in by_end]
    assert centres == sorted(centres)
    for box in boxes:
        assert ax.bbox.y0 - 1 <= box.y0 and box.y1 <= ax.bbox.y1 + 1
    assert overlap.overlaps(figure) == []


def test_labels_follow_the_axes_when_the_layout_changes_after_labelling():
    """Positions are worked out when the figure is drawn, not when the labels are made: a
    figure resized afterwards (as a narrow layout or a legend below it does) still has each
    label at its line's end."""
    figure, ax, lines, labels = _figure_with_lines([2.0, 8.0])
    figure.set_size_inches(6.0, 5.0)
    for line, box in zip(lines, _boxes(figure, labels)):
        end_x, end_y = _end_in_pixels(ax, line)
        assert box.x0 == pytest.approx(end_x + 4.0 * figure.dpi / 72, abs=1.0)
        assert (box.y0 + box.y1) / 2 == pytest.approx(end_y, abs=1.5)


def test_the_layout_makes_room_for_labels_beyond_the_axes():
    figure, ax, lines, labels = _figure_with_lines([3.0, 7.0])
    canvas_width = figure.canvas.get_width_height()[0]
    for box in _boxes(figure, labels):
        assert box.x0 > ax.bbox.x1 - 20 and box.x1 <= canvas_width
    assert all(second != "the edge of the figure" for _, second in overlap.overlaps(figure))


def test_labels_take_the_line_colour_and_points_their_own_coordinates():
    with style.theme("dark"):
        figure, ax = plt.subplots(figsize=(4, 3), dpi=100, layout="constrained")
        guide = ax.axhline(0.5, color="#123456")  # its x is in axes coordinates
        ax.set(xlim=(0, 100), ylim=(0, 1))
        first, second = style.label_line_ends(ax, [("guide", guide), ("point", (50, 0.1), "red")])
    assert first.get_color() == "#123456" and second.get_color() == "red"
    guide_box, point_box = _boxes(figure, [first, second])
    # The axhline ends at the axes' right edge, x = 1 in axes coordinates, not x = 1 in data.
    assert guide_box.x0 == pytest.approx(ax.bbox.x1 + 4.0 * figure.dpi / 72, abs=1.0)
    assert point_box.x0 == pytest.approx(ax.transData.transform((50, 0.1))[0]
                                         + 4.0 * figure.dpi / 72, abs=1.0)


def test_a_line_without_a_finite_point_is_refused():
    figure, ax = plt.subplots()
    line, = ax.plot([0, 1], [np.nan, np.nan])
    with pytest.raises(ValueError, match="no finite point"):
        style.label_line_ends(ax, [line])
