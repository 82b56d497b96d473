"""The code listings as a reader's Chromium draws them (sitebuild/listings.py): long listings of
the text folded into a closed block that says what it is, short ones in the text no taller
than half a desktop window, and every listing's lines wrapped with a hanging indent, so none
runs past its column or scrolls sideways, on a desktop or on a touch phone."""

import re

import pytest

from sitebuild import listings
from sitebuild.html_passes import source_without_mutation_notes
from tests.test_browser import CHAPTERS, EXPLORER, ROOT, _wait_for_listings, base_url  # noqa: F401

pytestmark = pytest.mark.browser

# (width, touch): a desktop window with a mouse, a phone held in the hand.
SCREENS = [(1280, False), (390, True)]
PAGES_WITH_CODE = [*CHAPTERS, EXPLORER]


@pytest.fixture
def open_page(chromium, base_url):  # noqa: F811
    contexts = []

    def open_one(path, width=1280, touch=False, scheme="light"):
        context = chromium.new_context(viewport={"width": width, "height": 900},
                                       color_scheme=scheme, has_touch=touch, is_mobile=touch)
        context.set_default_timeout(120_000)
        contexts.append(context)
        page = context.new_page()
        page.goto(base_url + path)
        page.wait_for_load_state("networkidle")
        return page

    yield open_one
    for context in contexts:
        context.close()


LISTINGS = """() => {
  function inkRight(code, right) {
    const walker = document.createTreeWalker(code, NodeFilter.SHOW_TEXT);
    const range = document.createRange();
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (const run of node.data.matchAll(/\\S+/g)) {
        range.setStart(node, run.index);
        range.setEnd(node, run.index + run[0].length);
        for (const rect of range.getClientRects()) right = Math.max(right, rect.right);
      }
    }
    return right;
  }
  return [...document.querySelectorAll('.md-content div.highlight pre > code')]
  .filter(code => code.getClientRects().length)
  .map(code => {
    const box = code.getBoundingClientRect();
    const style = getComputedStyle(code);
    const contentRight = box.right - parseFloat(style.paddingRight);
    return {
      text: code.textContent.slice(0, 60),
      lines: code.textContent.replace(/\\n$/, '').split('\\n').length,
      inText: !code.closest('details'),
      scrolls: code.scrollWidth > code.clientWidth,
      height: box.height,
      // The rightmost glyph, measured on the text itself: every run of non-blank characters
      // (a blank at the end of a wrapped row hangs past the edge unseen, as CSS allows).
      inkRight: inkRight(code, box.left),
      contentRight,
    };
  }); }"""


def _open_every_block(page):
    page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")
    _wait_for_listings(page)
    page.wait_for_timeout(200)


@pytest.mark.parametrize(("width", "touch"), SCREENS, ids=["desktop", "touch-phone"])
@pytest.mark.parametrize("path", PAGES_WITH_CODE)
def test_no_listing_runs_past_its_column_or_scrolls_sideways(open_page, path, width, touch):
    """Every listing of the page — in the text, folded, and behind each figure, all opened —
    neither scrolls sideways nor draws a glyph right of its code box (measured on the text's
    own boxes), on a desktop and on a touch phone."""
    page = open_page(path, width, touch)
    _open_every_block(page)
    found = page.evaluate(LISTINGS)
    assert found  # every one of these pages shows code
    for listing in found:
        assert not listing["scrolls"], listing
        assert listing["inkRight"] <= listing["contentRight"] + 1, listing


@pytest.mark.parametrize("path", PAGES_WITH_CODE)
def test_listings_in_the_text_are_short_and_long_ones_are_folded(open_page, path):
    """At 1280 × 900: a listing left in the text has at most FOLD_LINES lines and is under two
    thirds of the window's height, and so are FOLD_LINES rows of code (a row's measured
    height times FOLD_LINES, with the box's padding); a longer listing sits in a closed block
    whose summary gives its line count, the count of lines it shows when opened (by
    keyboard)."""
    page = open_page(path)
    window = page.evaluate("window.innerHeight")
    in_text = [listing for listing in page.evaluate(LISTINGS) if listing["inText"]]
    for listing in in_text:
        assert listing["lines"] <= listings.FOLD_LINES, listing
        assert listing["height"] < window * 2 / 3, listing
    row = page.evaluate("""() => {
      const line = [...document.querySelectorAll('.md-content .vg-line')].find(l =>
        !l.closest('details') && l.textContent.trim() && l.textContent.length < 20);
      if (!line) return null;  // the explorer's one listing is folded
      const style = getComputedStyle(line.closest('code'));
      return [line.getBoundingClientRect().height,
              parseFloat(style.paddingTop) + parseFloat(style.paddingBottom)]; }""")
    assert row or not in_text
    if row:
        assert listings.FOLD_LINES * row[0] + row[1] < window * 2 / 3, row
    folded = page.locator("details.vg-folded")
    for index in range(folded.count()):
        block = folded.nth(index)
        assert block.evaluate("d => d.open") is False
        summary = block.locator("summary").inner_text()
        block.locator("summary").focus()
        page.keyboard.press("Enter")  # opened by keyboard
        assert block.evaluate("d => d.open") is True
        count = block.locator(".vg-line").count()
        assert count > listings.FOLD_LINES
        assert re.search(rf"\({count} lines\)$", summary), summary


def test_chapter_5_folds_its_long_listings_and_names_what_they_hold(open_page):
    """The includes of chapter 5 and the explorer as the summaries name them, checked against
    the sources: each named function is defined in the named file, between the named lines."""
    summaries = []
    for path in ("chapters/edge-of-chaos/", EXPLORER):
        page = open_page(path)
        summaries += page.locator("details.vg-folded > summary").all_inner_texts()
    assert len(summaries) >= 2
    assert any(text.startswith("Code: the module ") for text in summaries)
    for text in summaries:
        module = re.fullmatch(r"Code: the module (\S+) \((\d+) lines\)", text)
        if module:
            source = (ROOT / module[1]).read_text(encoding="utf-8")
            shown = [line for line in source_without_mutation_notes(source).rstrip("\n")
                     .split("\n") if not listings.SECTION_MARKER.match(line)]
            assert len(shown) == int(module[2])
            continue
        part = re.fullmatch(r"Code: (.+) from (\S+), lines (\d+)–(\d+) \((\d+) lines\)", text)
        assert part, text
        lines = (ROOT / part[2]).read_text(encoding="utf-8").split("\n")
        window = lines[int(part[3]) - 1:int(part[4])]
        for name in part[1].split(", "):
            assert any(re.match(rf"\s*def {name}\(", line) for line in window), (name, text)


def test_a_wrapped_line_continues_four_columns_right_of_its_indentation(open_page):
    """On a phone, a line too long for the column continues on the next row at its own
    indentation plus four characters (measured: the row's left edge against the code box and
    the width of a character), or half-way across the code if that is less."""
    page = open_page("chapters/edge-of-chaos/", 390, True)
    found = page.evaluate("""() => {
      const out = [];
      for (const line of document.querySelectorAll('.md-content .vg-line')) {
        if (!line.getClientRects().length) continue;
        const range = document.createRange();
        range.selectNodeContents(line);
        const rows = [...range.getClientRects()].filter(r => r.width > 0);
        const first = Math.min(...rows.map(r => r.top));
        const later = rows.filter(r => r.top > first + 2);
        if (!later.length) continue;
        const code = line.closest('code');
        const probe = document.createElement('span');
        probe.textContent = '0'.repeat(10);
        code.appendChild(probe);
        const character = probe.getBoundingClientRect().width / 10;
        probe.remove();
        const box = line.getBoundingClientRect();
        const text = line.textContent;
        out.push({indent: text.length - text.trimStart().length, character,
                  lineWidth: code.clientWidth - parseFloat(getComputedStyle(code).paddingLeft)
                             - parseFloat(getComputedStyle(code).paddingRight),
                  start: box.left, continuation: Math.min(...later.map(r => r.left))});
      }
      return out; }""")
    assert len(found) >= 3  # the chapter's listings do wrap on a phone
    for row in found:
        # The code box is the container: 50 % of its content width (CSS 50cqi).
        hang = min((row["indent"] + 4) * row["character"], row["lineWidth"] / 2)
        assert row["continuation"] == pytest.approx(row["start"] + hang, abs=1.5), row


def test_copying_a_listing_of_the_text_gives_the_tested_source(chromium, base_url):  # noqa: F811
    """The copy button of chapter 5's first listing copies the section of the source it
    includes, line for line (the line blocks add markup, not text)."""
    source = (ROOT / "snippets/core/mean_field.py").read_text(encoding="utf-8")
    section = source.split("# --8<-- [start:length_map]\n")[1].split("# --8<-- [end:")[0]
    expected = source_without_mutation_notes(section).rstrip("\n")
    context = chromium.new_context()
    context.set_default_timeout(120_000)
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    try:
        page = context.new_page()
        page.goto(base_url + "chapters/edge-of-chaos/")
        listing = page.locator(".md-content div.highlight", has_text="def length_map").first
        listing.hover()
        listing.locator("button.md-code__button").click()
        page.wait_for_function("() => document.querySelector('.md-dialog--active')")
        assert page.evaluate("navigator.clipboard.readText()").rstrip("\n") == expected
    finally:
        context.close()
