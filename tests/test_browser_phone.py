"""Math and tables on a phone, measured in headless Chromium (issue 21).

At 390 px (a phone) every display equation and every table of every page must lie inside the
text column: nothing hidden beyond its right edge. The one exception is a declared data table
(``<div class="vg-data-table" markdown>`` in the chapter), which may scroll sideways if its
first column stays in view while it scrolls and a cue says that it scrolls. A display marked
with ``\\brk`` is typeset twice (sitebuild/typeset_math.py): a phone shows the narrow layout, a
wide screen the wide one, never both. The oracle is what Chromium draws: bounding boxes of the
SVG drawings and the tables, measured against the column's box."""

import pytest

from sitebuild import chapters
from tests.test_browser import base_url, visit  # noqa: F401

pytestmark = pytest.mark.browser

PAGES = [*chapters.site_pages(), "references/"]
PHONE, DESKTOP = 390, 1280
FIRST_WIDE_SCREEN = 720  # Material's layout, and the site's phone rules, switch here

MEASURE = """() => {
  const column = document.querySelector('.md-content .md-typeset').getBoundingClientRect();
  const inside = rect => rect.left >= column.left - 0.5 && rect.right <= column.right + 0.5;
  const box = el => { const r = el.getBoundingClientRect();
                      return {left: r.left, right: r.right, width: r.width}; };
  const text = el => (el.textContent || '').trim().slice(0, 80);
  const displays = [...document.querySelectorAll('.md-typeset div.arithmatex')].map(div => {
    const shown = [...div.querySelectorAll(':scope > mjx-container')]
      .filter(c => c.checkVisibility());
    return {
      text: text(div.querySelector('.vg-math-text') || div),
      layouts: div.querySelectorAll(':scope > mjx-container').length,
      shown: shown.map(c => c.classList.contains('vg-math-narrow') ? 'narrow'
                          : c.classList.contains('vg-math-wide') ? 'wide' : 'only'),
      drawings: shown.map(c => box(c.querySelector('svg'))),
      fits: shown.every(c => inside(c.querySelector('svg').getBoundingClientRect())),
      scrolls: div.scrollWidth > div.clientWidth + 1,
      focusable: div.getAttribute('tabindex') === '0',
    };
  });
  const tables = [...document.querySelectorAll('.md-typeset table')]
    .filter(t => t.checkVisibility()).map(t => {
      const wrap = t.closest('.md-typeset__scrollwrap');
      return {
        header: text(t.rows[0]),
        data: !!t.closest('.vg-data-table'),
        table: box(t),
        fits: inside(t.getBoundingClientRect()),
        smallestText: Math.min(...[...t.querySelectorAll('th, td')]
          .map(cell => parseFloat(getComputedStyle(cell).fontSize))),
        headerMinWidth: getComputedStyle(t.querySelector('th')).minWidth,
        overflows: wrap ? wrap.scrollWidth > wrap.clientWidth + 1 : false,
      };
    });
  return {column: {left: column.left, right: column.right}, displays, tables};
}"""

# Scroll a data table sideways: where do its first column, and a cell of its second, go?
SCROLL_DATA_TABLE = """(index) => {
  const table = [...document.querySelectorAll('.vg-data-table table')][index];
  const wrap = table.closest('.md-typeset__scrollwrap');
  const row = table.tBodies[0].rows[0];
  row.scrollIntoView({block: 'center', inline: 'nearest'});
  wrap.scrollLeft = 0;
  const before = [row.cells[0].getBoundingClientRect().left,
                  row.cells[1].getBoundingClientRect().left];
  wrap.scrollLeft = wrap.scrollWidth;
  const distance = wrap.scrollLeft;
  const after = [row.cells[0].getBoundingClientRect().left,
                 row.cells[1].getBoundingClientRect().left];
  const firstRect = row.cells[0].getBoundingClientRect();
  // What is drawn where the first column now is: the first column itself, not a cell
  // scrolled underneath it.
  const top = document.elementFromPoint(firstRect.left + 2, firstRect.top + firstRect.height / 2);
  wrap.scrollLeft = 0;
  return {distance, before, after, wrapLeft: wrap.getBoundingClientRect().left,
          onTop: !!top && row.cells[0].contains(top),
          focusable: wrap.getAttribute('tabindex') === '0',
          cue: getComputedStyle(table.closest('.vg-data-table'), '::before').content};
}"""


@pytest.fixture(scope="module")
def measured(chromium, base_url):  # noqa: F811
    """measured(path, width) → the page's displays and tables at that width, every collapsed
    block open (a table or equation inside one counts too); made on first use."""
    records = {}

    def measure(path, width):
        if (path, width) not in records:
            context = chromium.new_context(viewport={"width": width, "height": 844})
            context.set_default_timeout(120_000)
            try:
                page = context.new_page()
                page.goto(base_url + path)
                page.wait_for_load_state("networkidle")
                page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
                page.evaluate("new Promise(requestAnimationFrame)")
                page.evaluate("window.dispatchEvent(new Event('resize'))")
                page.wait_for_timeout(300)  # assets/scrollables.js re-measures after 150 ms
                records[path, width] = page.evaluate(MEASURE)
            finally:
                context.close()
        return records[path, width]

    return measure


@pytest.mark.parametrize("path", PAGES)
def test_no_display_equation_is_wider_than_a_phones_column(measured, path):
    report = measured(path, PHONE)
    for display in report["displays"]:
        assert len(display["shown"]) == 1, f"{path}: {display['text']!r} shows {display['shown']}"
        if display["layouts"] == 2:
            assert display["shown"] == ["narrow"], (path, display["text"])
    too_wide = [(display["text"], display["drawings"]) for display in report["displays"]
                if not display["fits"] or display["scrolls"]]
    assert not too_wide, f"{path}: wider than the column {report['column']}: {too_wide}"


@pytest.mark.parametrize("width", [FIRST_WIDE_SCREEN, DESKTOP])
@pytest.mark.parametrize("path", PAGES)
def test_a_wide_screen_shows_each_display_once_in_its_wide_layout(measured, path, width):
    report = measured(path, width)
    for display in report["displays"]:
        expected = ["wide"] if display["layouts"] == 2 else ["only"]
        assert display["shown"] == expected, (path, width, display["text"], display["shown"])
        # The column is narrower than a wide layout of the widest displays (494 px at 1280 px
        # wide): as before, those scroll, reachable by keyboard (assets/scrollables.js).
        assert display["fits"] or display["scrolls"] and display["focusable"], (path, width,
                                                                                 display)


@pytest.mark.parametrize("path", PAGES)
def test_every_prose_table_fits_a_phones_column(measured, path):
    report = measured(path, PHONE)
    too_wide = [(table["header"], table["table"]) for table in report["tables"]
                if not table["data"] and not table["fits"]]
    assert not too_wide, f"{path}: wider than the column {report['column']}: {too_wide}"
    small = [(table["header"], table["smallestText"]) for table in report["tables"]
             if table["smallestText"] < 12]
    assert not small, f"{path}: table text below 12 px: {small}"


def test_the_site_has_displays_with_two_layouts_and_a_data_table(measured):
    """The checks above are not vacuous: the pages hold marked displays, and a data table
    that is wider than a phone's column."""
    reports = [measured(path, PHONE) for path in PAGES]
    assert sum(d["layouts"] == 2 for r in reports for d in r["displays"]) >= 10
    assert any(t["data"] and t["overflows"] for r in reports for t in r["tables"])


DATA_TABLE_PAGES = [path for path in PAGES if path.endswith("edge-of-chaos-explorer/")]


@pytest.mark.parametrize("path", DATA_TABLE_PAGES)
def test_a_data_table_keeps_its_first_column_in_view_and_shows_that_it_scrolls(
        visit, base_url, path):  # noqa: F811
    page = visit(base_url + path, width=PHONE).page
    page.wait_for_timeout(300)
    count = page.locator(".vg-data-table table").count()
    assert count
    for index in range(count):
        found = page.evaluate(SCROLL_DATA_TABLE, index)
        if found["distance"] <= 1:
            continue  # fits: nothing to keep in view
        # The second column moved left by the distance scrolled; the first stayed in view,
        # at the scrolling region's left edge, drawn over the columns that pass beneath it.
        assert found["after"][1] == pytest.approx(found["before"][1] - found["distance"], abs=1)
        assert found["after"][0] == pytest.approx(found["wrapLeft"], abs=1), found
        assert found["onTop"], found
        # It says that it scrolls, and a keyboard can reach it.
        assert "Scroll sideways" in found["cue"] and found["focusable"], found


@pytest.mark.parametrize("path", PAGES)
def test_a_wide_screen_keeps_materials_table_layout(measured, path):
    """The phone rules stay on phones: on a desktop a header cell keeps Material's 5rem
    minimum, and every prose table fits."""
    for table in measured(path, DESKTOP)["tables"]:
        assert table["headerMinWidth"] == "100px", (path, table["header"])
        assert table["data"] or table["fits"] and not table["overflows"], (path, table["header"])
