"""Every figure of the site, as Chromium draws them: no label, legend or annotation over a
curve, a band, a marker or another text, in either layout or palette (issue 21).

The oracle is independent of snippets/figures/overlap.py: it reads the built SVG, not the
matplotlib figure, and asks the browser — its own text layout, and hit tests of each drawn
stroke and fill (``isPointInStroke``/``isPointInFill``) at every pixel of a label's box — what
lies under each label."""

import re
from pathlib import Path

import pytest

from tests.test_browser import base_url  # noqa: F401  (builds and serves the site)

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parent.parent

# Every figure a page shows, read from the pages' [[figure: name]] markers (a new figure is
# checked without editing this file).
FIGURES = sorted({name for page in (ROOT / "docs").rglob("*.md")
                  for name in re.findall(r"\[\[figure: ([a-z0-9-]+)\]\]",
                                         page.read_text(encoding="utf-8"))})

# In the SVG matplotlib writes, an axes' or the figure's own texts and legends are its direct
# children (tick labels and axis labels sit inside its axis groups); its data are the direct
# children named after the artist: lines (with their markers), filled areas, scatter points
# and error bars. A heat map's cells (QuadMesh, image) are the background labels are read on.
OVERLAPS = """(margin) => {
  const svg = document.documentElement;
  // A text's box is the ink of its glyphs, not its em box: each character's advance
  // (getExtentOfChar) from its baseline up by the glyph's ascent and down by its descent
  // (canvas measureText), mapped to the screen, rotation included.
  const pen = new OffscreenCanvas(1, 1).getContext('2d');
  const union = boxes => boxes.length ? {
    left: Math.min(...boxes.map(b => b.left)), right: Math.max(...boxes.map(b => b.right)),
    top: Math.min(...boxes.map(b => b.top)), bottom: Math.max(...boxes.map(b => b.bottom)),
    width: 1} : {left: 0, right: 0, top: 0, bottom: 0, width: 0};
  const screenBox = (element, x0, y0, x1, y1) => {
    const m = element.getScreenCTM();
    const corners = [[x0, y0], [x1, y0], [x0, y1], [x1, y1]].map(([x, y]) =>
      new DOMPoint(x, y).matrixTransform(m));
    return union(corners.map(c => ({left: c.x, right: c.x, top: c.y, bottom: c.y})));
  };
  const ink = text => {  // a <text>, or a mathtext <tspan> (one per glyph)
    const boxes = [], characters = text.textContent;
    const style = getComputedStyle(text);
    pen.font = `${style.fontStyle} ${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
    for (let i = 0; i < text.getNumberOfChars() && i < characters.length; i++) {
      if (!characters[i].trim()) continue;
      const extent = text.getExtentOfChar(i), start = text.getStartPositionOfChar(i);
      const glyph = pen.measureText(characters[i]);
      const scale = extent.height / (glyph.fontBoundingBoxAscent + glyph.fontBoundingBoxDescent);
      boxes.push(screenBox(text, extent.x, start.y - glyph.actualBoundingBoxAscent * scale,
                           extent.x + extent.width,
                           start.y + glyph.actualBoundingBoxDescent * scale));
    }
    return union(boxes);
  };
  const leaves = element => [...element.querySelectorAll('text')].flatMap(text =>
    text.querySelector('tspan') ? [...text.querySelectorAll('tspan')] : [text]);
  const boxOf = e => {
    if (e.tagName === 'svg') return e.getBoundingClientRect();
    const parts = leaves(e).map(ink).filter(b => b.width > 0);
    for (const shape of e.querySelectorAll('path, use'))
      if (!shape.closest('defs')) parts.push(shape.getBoundingClientRect());
    return union(parts);
  };
  const shrunk = b => ({left: b.left + margin, top: b.top + margin,
                        right: b.right - margin, bottom: b.bottom - margin});
  const meet = (a, b) => Math.max(a.left, b.left) < Math.min(a.right, b.right)
                      && Math.max(a.top, b.top) < Math.min(a.bottom, b.bottom);
  const words = e => e.textContent.replace(/\\s+/g, ' ').trim() || e.id;
  const owners = [...svg.querySelectorAll('g[id^="axes_"]'), svg.querySelector('g[id^="figure_"]')];
  const labels = [];
  for (const owner of owners)
    for (const child of owner.children)
      if (/^(text|legend)_/.test(child.id) && boxOf(child).width > 0) labels.push(child);
  const texts = [...svg.querySelectorAll('g[id^="text_"]')].filter(t => boxOf(t).width > 0);
  const data = [];
  for (const axes of svg.querySelectorAll('g[id^="axes_"]'))
    for (const child of axes.children)
      if (/^(line2d|PolyCollection|FillBetweenPolyCollection|PathCollection|LineCollection)_/
          .test(child.id)) data.push(child);

  // The screen box a clip path allows, or the whole canvas when there is none.
  const clipBox = element => {
    const reference = (element.getAttribute('clip-path') || '').match(/#([^)]+)\\)/);
    if (!reference) return boxOf(svg);
    const rect = document.getElementById(reference[1]).querySelector('rect');
    const x = +rect.getAttribute('x'), y = +rect.getAttribute('y');
    return screenBox(element, x, y, x + +rect.getAttribute('width'),
                     y + +rect.getAttribute('height'));
  };
  const drawnIn = (group, box) => {
    for (const shape of group.querySelectorAll('path, use')) {
      const clip = clipBox(shape.closest('[clip-path]') || shape);
      const area = {left: Math.max(box.left, clip.left), right: Math.min(box.right, clip.right),
                    top: Math.max(box.top, clip.top), bottom: Math.min(box.bottom, clip.bottom)};
      if (area.left >= area.right || area.top >= area.bottom) continue;
      if (shape.tagName === 'use') {  // a marker: its drawn box
        if (meet(shape.getBoundingClientRect(), area)) return true;
        continue;
      }
      if (shape.closest('defs')) continue;
      const style = getComputedStyle(shape);
      const stroked = style.stroke !== 'none' && parseFloat(style.strokeWidth) > 0;
      const filled = style.fill !== 'none' && parseFloat(style.fillOpacity) > 0;
      // A straight line's box has no height or width: widen it before the quick test.
      const near = shape.getBoundingClientRect();
      if (!meet({left: near.left - 5, right: near.right + 5, top: near.top - 5,
                 bottom: near.bottom + 5}, area)) continue;
      const inverse = shape.getScreenCTM().inverse();
      for (let x = area.left; x <= area.right; x += 1)
        for (let y = area.top; y <= area.bottom; y += 1) {
          const point = new DOMPoint(x, y).matrixTransform(inverse);
          if ((stroked && shape.isPointInStroke(point)) || (filled && shape.isPointInFill(point)))
            return true;
        }
    }
    return false;
  };

  const found = [];
  const canvas = boxOf(svg);
  for (const label of labels) {
    const box = shrunk(boxOf(label));
    if (box.left < canvas.left - margin || box.right > canvas.right + margin
        || box.top < canvas.top - margin || box.bottom > canvas.bottom + margin)
      found.push(`${words(label)} runs off the canvas`);
    for (const group of data)
      if (drawnIn(group, box)) found.push(`${words(label)} over ${group.id}`);
    for (const other of [...labels, ...texts]) {
      if (other === label || label.contains(other) || other.contains(label)) continue;
      if (labels.indexOf(other) >= 0 && labels.indexOf(other) < labels.indexOf(label)) continue;
      if (meet(box, shrunk(boxOf(other)))) found.push(`${words(label)} over ${words(other)}`);
    }
  }
  return [...new Set(found)];
}"""

# Contact within a CSS pixel: a text's box includes the room above capitals and below the line.
MARGIN_PX = 1.0


@pytest.fixture(scope="module")
def svg_page(chromium, base_url):  # noqa: F811
    page = chromium.new_page(viewport={"width": 1280, "height": 900})
    page.set_default_timeout(120_000)

    def open_figure(name):
        page.goto(f"{base_url}figures/{name}")
        return page

    yield open_figure
    page.close()


@pytest.mark.parametrize("theme", ["light", "dark"])
@pytest.mark.parametrize("layout", ["wide", "narrow"])
@pytest.mark.parametrize("figure", FIGURES)
def test_no_label_covers_data_or_another_text(svg_page, figure, layout, theme):
    name = f"{figure}-{theme}.svg" if layout == "wide" else f"{figure}-narrow-{theme}.svg"
    page = svg_page(name)
    assert page.evaluate("document.documentElement.tagName") == "svg", name
    found = page.evaluate(OVERLAPS, MARGIN_PX)
    assert not found, f"{name}: {found}"


def test_the_oracle_sees_a_label_on_a_line(chromium):
    """The hit test itself: a label written across a drawn line is found, one beside it not."""
    page = chromium.new_page()
    try:
        def overlaps(label_y):
            page.set_content(
                '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="100">'
                '<defs><clipPath id="clip"><rect x="0" y="0" width="200" height="100"/>'
                '</clipPath></defs><g id="figure_1"><g id="axes_1">'
                '<g id="line2d_1"><path d="M 0 50 L 200 50" clip-path="url(#clip)" '
                'style="fill:none;stroke:#000;stroke-width:2"/></g>'
                f'<g id="text_1"><text x="20" y="{label_y}" style="font-size:11px">label'
                '</text></g></g></g></svg>')
            return page.evaluate(OVERLAPS.replace("document.documentElement",
                                                  "document.querySelector('svg')"), MARGIN_PX)
        assert overlaps(54) == ["label over line2d_1"]
        assert overlaps(30) == []
    finally:
        page.close()
