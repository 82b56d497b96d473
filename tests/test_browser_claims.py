"""Claims as side notes, measured in headless Chromium on every chapter: on a wide screen each
closed claim is a note in the margin beside the paragraph it checks (docs/assets/site.css,
"Claims as side notes"; docs/assets/claim-notes.js), on a phone a badge whose title wraps.

The measures are the browser's own boxes: a note's area in the text column and what the
claims add to the chapter's height (the chapter measured again with every claim removed),
every badge's title against its box, every note against every other note and every block of
the text, and what a reader can read (innerText) before and after opening the boxes; the
names of the deciding tests come from the ledger, docs/claims.yml."""

import pytest

from sitebuild import chapters
from sitebuild import claims as ledger
from tests.test_browser import base_url, visit  # noqa: F401

pytestmark = pytest.mark.browser

# Derived from the chapters' front matter: a new chapter is checked without editing this file.
CHAPTER_PAGES = {page.url: page for page in chapters.chapters()}
CHAPTERS = list(CHAPTER_PAGES)
LEDGER = ledger.load_ledger()
WIDE, TABLET, PHONE = 1280, 800, 390
MOST_OF_THE_HEIGHT = 0.05  # the claims' share of a chapter's height at most (issue 21)


def deciding_tests(url):
    """The deciding tests of the claims shown on the chapter at ``url``."""
    source = f"chapters/{CHAPTER_PAGES[url].stem}.md"
    return [claim["test"] for claim in LEDGER if claim["page"] == source]


# Every box on the page, as the browser lays it out (page coordinates). "Text" is every
# child of the article but the claims and their (empty) anchors; the text column's right edge
# is the right edge of its paragraphs.
REPORT = """() => {
  const article = document.querySelector('article');
  const box = (element) => {
    const r = element.getBoundingClientRect();
    return {top: r.top + scrollY, bottom: r.bottom + scrollY, left: r.left, right: r.right,
            width: r.width, height: r.height};
  };
  const children = [...article.children];
  const isClaim = (e) => e.matches('details.vg-claim');
  const checked = (note) => {
    let e = note.previousElementSibling;
    while (e && (e.matches('.vg-claim-anchor') || (isClaim(e) && !e.open))) {
      e = e.previousElementSibling;
    }
    return e;
  };
  const notes = children.filter(isClaim).map((note) => {
    const summary = note.querySelector('summary');
    const cut = [summary, ...summary.querySelectorAll('*')].filter((e) => {
      const style = getComputedStyle(e);
      return e.getClientRects().length > 0 && (style.textOverflow === 'ellipsis'
        || (style.display !== 'inline' && e.scrollWidth > e.clientWidth + 1));
    }).map((e) => e.textContent.trim());
    const text = checked(note);
    return {box: box(note), open: note.open, title: summary.textContent.trim(), cut,
            order: children.indexOf(note),
            expanded: summary.getAttribute('aria-expanded'),
            checks: text ? {tag: text.tagName, box: box(text)} : null};
  });
  // A display equation is as wide as what it shows (its box spans the margin too).
  const shown = (e) => {
    const svg = [...e.querySelectorAll(':scope > mjx-container > svg')]
      .find((s) => s.getClientRects().length);
    return e.matches('div.arithmatex') && svg ? box(svg) : box(e);
  };
  const text = children.filter((e) => !isClaim(e) && !e.matches('.vg-claim-anchor'))
    .map((e) => ({tag: e.tagName, cls: e.className, box: shown(e)}))
    .filter((e) => e.box.height > 0);
  const paragraphs = children.filter((e) => e.tagName === 'P').map(box);
  // The space between stacked notes: half the text's size.
  const gap = parseFloat(getComputedStyle(article).fontSize) * 0.5;
  return {notes, text, article: box(article), gap,
          proseRight: Math.max(...paragraphs.map((b) => b.right)),
          placed: article.classList.contains('vg-notes-placed'),
          headings: children.filter((e) => /^H[12]$/.test(e.tagName))
            .map((e) => ({...box(e), order: children.indexOf(e)})),
          readable: article.innerText};
}"""
WITHOUT_CLAIMS = """() => {
  const style = document.createElement('style');
  style.textContent = 'article details.vg-claim { display: none !important; }';
  document.head.append(style);
  const height = document.querySelector('article').getBoundingClientRect().height;
  style.remove();
  return height;
}"""


def _overlap(a, b, slack=0.5):
    return (a["left"] < b["right"] - slack and b["left"] < a["right"] - slack
            and a["top"] < b["bottom"] - slack and b["top"] < a["bottom"] - slack)


@pytest.fixture(scope="module")
def report(chromium, base_url):  # noqa: F811
    """report(url, width) → the REPORT of that chapter (light palette), loaded once, with
    the console errors of the load and the article's height without its claims."""
    found = {}

    def load(url, width):
        if (url, width) not in found:
            context = chromium.new_context(viewport={"width": width, "height": 900})
            context.set_default_timeout(120_000)
            page = context.new_page()
            errors = []
            page.on("console", lambda m: m.type == "error" and errors.append(m.text))
            page.on("pageerror", lambda error: errors.append(str(error)))
            page.goto(base_url + url)
            page.wait_for_load_state("networkidle")
            page.wait_for_timeout(100)  # a frame for the notes' placement after a resize
            record = page.evaluate(REPORT)
            record["without_claims"] = page.evaluate(WITHOUT_CLAIMS)
            record["errors"] = errors
            found[url, width] = record
            context.close()
        return found[url, width]

    return load


def _layout_problems(record):
    """Where closed notes overlap each other or the text, or leave the margin."""
    problems = []
    notes = [note for note in record["notes"] if not note["open"]]
    for index, note in enumerate(notes):
        for other in notes[:index]:
            if _overlap(note["box"], other["box"]):
                problems.append(f"{note['title']!r} overlaps note {other['title']!r}")
        for block in record["text"]:
            if _overlap(note["box"], block["box"]):
                problems.append(f"{note['title']!r} overlaps a {block['tag']} {block['cls']}")
        if note["box"]["left"] < record["proseRight"] or \
                note["box"]["right"] > record["article"]["right"] + 0.5:
            problems.append(f"{note['title']!r} is not in the margin: {note['box']}")
    return problems


@pytest.mark.parametrize("url", CHAPTERS)
def test_claims_take_at_most_a_twentieth_of_a_chapter_at_1280px(report, url):
    """Two measures: the claims' boxes where they cross the text column, and what the claims
    add to the chapter's height (its height less its height with every claim removed)."""
    record = report(url, WIDE)
    assert record["notes"], "a chapter without claims: nothing measured"
    height = record["article"]["height"]
    in_column = sum(note["box"]["height"] for note in record["notes"]
                    if note["box"]["left"] < record["proseRight"])
    assert in_column <= MOST_OF_THE_HEIGHT * height, \
        f"claims take {in_column / height:.1%} of the text column"
    added = height - record["without_claims"]
    assert added <= MOST_OF_THE_HEIGHT * height, f"claims add {added / height:.1%} to the height"
    assert record["errors"] == []


@pytest.mark.parametrize("width", [WIDE, PHONE])
@pytest.mark.parametrize("url", CHAPTERS)
def test_no_claim_title_is_cut(report, url, width):
    record = report(url, width)
    cut = [(note["title"], note["cut"]) for note in record["notes"] if note["cut"]]
    assert cut == [], f"{len(cut)} of {len(record['notes'])} titles cut: {cut[:3]}"


@pytest.mark.parametrize("width", [WIDE, TABLET])
@pytest.mark.parametrize("url", CHAPTERS)
def test_margin_notes_overlap_neither_each_other_nor_the_text(report, url, width):
    record = report(url, width)
    assert record["placed"], "claim-notes.js did not place the notes"
    problems = _layout_problems(record)
    assert problems == [], f"{len(problems)} problems: {problems[:4]}"


@pytest.mark.parametrize("url", CHAPTERS)
def test_each_note_stands_beside_the_paragraph_it_checks(report, url):
    """A note's top is level with the top of the paragraph it checks. When something is in the
    way it sits just below it (the note before it, a full-width block) or, to stay in its
    section, just above it (the note after it, a full-width block); above its paragraph only
    in that last case."""
    record = report(url, WIDE)
    gap, notes, misplaced = record["gap"], record["notes"], []
    wide = [block["box"] for block in record["text"]
            if block["box"]["right"] > record["proseRight"] + 1]
    for index, note in enumerate(notes):
        box, checks = note["box"], note["checks"]
        if not checks or checks["tag"] not in ("P", "UL", "OL"):
            continue
        before = notes[index - 1]["box"] if index else None
        after = notes[index + 1]["box"] if index + 1 < len(notes) else None
        raised = (after is not None and abs(box["bottom"] + gap - after["top"]) <= 1) or \
            any(abs(box["bottom"] + gap - block["top"]) <= 1 for block in wide)
        lowered = (before is not None and abs(box["top"] - before["bottom"] - gap) <= 1) or \
            any(abs(box["top"] - block["bottom"] - gap) <= 1 for block in wide)
        beside = abs(box["top"] - checks["box"]["top"]) <= 1
        if not (beside or raised or (lowered and box["top"] > checks["box"]["top"])):
            misplaced.append((note["title"], round(box["top"] - checks["box"]["top"])))
    assert misplaced == [], f"{len(misplaced)} notes away from their paragraph: {misplaced[:4]}"


@pytest.mark.parametrize("width", [WIDE, TABLET])
@pytest.mark.parametrize("url", CHAPTERS)
def test_each_note_stays_in_its_section(report, url, width):
    """Between the heading before the claim and the next heading, in the page's order, unless
    the section's margin is too short for its notes: their heights and the gaps between them
    add up to more than the section's height less the full-width blocks in it and less the
    notes run on into it from the section above (themselves too many for theirs)."""
    record = report(url, width)
    gap, strays, crowded = record["gap"], [], 0
    wide = [block["box"] for block in record["text"]
            if block["box"]["right"] > record["proseRight"] + 1]
    sections = {}
    for note in record["notes"]:
        above = [h for h in record["headings"] if h["order"] < note["order"]]
        below = [h for h in record["headings"] if h["order"] > note["order"]]
        start = above[-1]["bottom"] if above else record["article"]["top"]
        end = below[0]["top"] if below else record["article"]["bottom"]
        sections.setdefault((start, end), []).append(note)
    earlier = []
    for (start, end), notes in sections.items():
        run_on = [note["box"]["bottom"] + gap for note in earlier
                  if start < note["box"]["bottom"] + gap < end]
        start, earlier = max([start, *run_on]), earlier + notes
        room = end - start - sum(min(end, block["bottom"] + gap) - max(start, block["top"] - gap)
                                 for block in wide if start < block["top"] < end)
        if sum(note["box"]["height"] + gap for note in notes) > room:
            crowded += 1
            continue
        strays += [note["title"] for note in notes
                   if note["box"]["top"] < start or note["box"]["bottom"] > end]
    assert strays == [], f"{len(strays)} notes outside their section: {strays[:4]}"
    # The exemption must stay one: most sections hold their notes.
    assert crowded < len(sections) / 2, f"{crowded} of {len(sections)} sections too full"


@pytest.mark.parametrize("width", [WIDE, PHONE])
@pytest.mark.parametrize("url", CHAPTERS)
def test_test_names_show_only_in_an_opened_box(visit, base_url, url, width):  # noqa: F811
    tests = deciding_tests(url)
    assert tests
    page = visit(base_url + url, width=width).page
    readable = page.evaluate("document.querySelector('article').innerText")
    shown = [test for test in tests if test in readable]
    assert shown == [], f"test names printed with every claim closed: {shown[:3]}"
    page.evaluate("document.querySelectorAll('article details.vg-claim')"
                  ".forEach((note) => { note.open = true; })")
    readable = page.evaluate("document.querySelector('article').innerText")
    assert [test for test in tests if test not in readable] == []


def test_a_claim_opens_by_keyboard_into_the_text_column(visit, base_url):  # noqa: F811
    opened = visit(base_url + CHAPTERS[0], width=WIDE)
    page = opened.page
    summary = page.locator("article details.vg-claim > summary").first
    assert summary.get_attribute("aria-expanded") == "false"
    summary.focus()
    margin = summary.evaluate("s => s.parentElement.getBoundingClientRect().toJSON()")
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.querySelector('article details.vg-claim').open")
    # The attribute follows the box's toggle event, which comes just after the change.
    page.wait_for_function("() => document.querySelector('article details.vg-claim > summary')"
                           ".getAttribute('aria-expanded') === 'true'", timeout=10_000)
    assert summary.evaluate("s => document.activeElement === s")
    article = page.evaluate("document.querySelector('article').getBoundingClientRect().toJSON()")
    box = summary.evaluate("s => s.parentElement.getBoundingClientRect().toJSON()")
    # Opened, the box stands in the text column at its full width, the test named inside.
    assert box["left"] < margin["left"] and box["width"] >= 0.9 * article["width"]
    inside = summary.evaluate("s => s.parentElement.innerText")
    assert any(test in inside for test in deciding_tests(CHAPTERS[0]))
    page.keyboard.press("Space")
    page.wait_for_function("() => !document.querySelector('article details.vg-claim').open")
    page.wait_for_function("() => document.querySelector('article details.vg-claim > summary')"
                           ".getAttribute('aria-expanded') === 'false'", timeout=10_000)
    page.wait_for_timeout(100)
    closed = summary.evaluate("s => s.parentElement.getBoundingClientRect().toJSON()")
    assert abs(closed["left"] - margin["left"]) <= 0.5 and abs(closed["top"] - margin["top"]) <= 1
    assert opened.errors == []


def test_notes_are_placed_after_instant_navigation(visit, base_url):  # noqa: F811
    start, target = CHAPTERS[0], CHAPTERS[1]
    opened = visit(base_url + start, width=WIDE)
    page = opened.page
    page.evaluate("window.__stayed = true")
    page.locator(f'nav a[href$="{target.split("/")[-2]}/"]').first.click()
    page.wait_for_url(f"**/{target}")
    page.wait_for_function("() => document.querySelector('article.vg-notes-placed')",
                           timeout=10_000)
    page.wait_for_timeout(100)
    assert page.evaluate("window.__stayed === true"), "the page was loaded, not navigated"
    record = page.evaluate(REPORT)
    assert len(record["notes"]) == len(deciding_tests(target))
    assert all(note["expanded"] == "false" for note in record["notes"])
    assert _layout_problems(record) == []
    assert opened.errors == []


@pytest.mark.parametrize("url", CHAPTERS)
def test_claims_read_without_javascript(chromium, base_url, url):  # noqa: F811
    """No script: the notes still stand in the margin, stacked, clear of the text, their
    titles whole; a box opens by itself (details/summary) and names its test."""
    context = chromium.new_context(viewport={"width": WIDE, "height": 900},
                                   java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(base_url + url)
        record = page.evaluate(REPORT)
        assert not record["placed"] and record["notes"]
        assert _layout_problems(record) == []
        assert [note["cut"] for note in record["notes"] if note["cut"]] == []
        page.locator("article details.vg-claim > summary").first.click()
        inside = page.evaluate("document.querySelector('article details.vg-claim').innerText")
        assert any(test in inside for test in deciding_tests(url))
    finally:
        context.close()
