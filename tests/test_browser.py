"""The built site in real headless Chromium: math typeset, figures in both palettes, no console
errors, no request leaving 127.0.0.1, accessibility.

One Chromium serves the whole run (tests/conftest.py), and each page is loaded once per
palette and width (``loaded``): that load records what every check of it needs — console
errors, requests, layout shift, the math, the figures, axe's findings — in a fixed order (axe
last: it opens every collapsed block), and the tests assert on the record. axe runs where a
reader is (``AXE_RUNS``): a desktop window with a mouse and a phone with touch, loaded for axe
alone. Tests that interact
with a page (toggles, keyboard, navigation) open their own."""

import json
import re
from pathlib import Path
from urllib.parse import urlparse

import pytest

from scripts.browser import serve
from sitebuild import chapters
from sitebuild.notebooks import notebook_sources

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parent.parent

# Derived from the chapters' front matter: a new chapter is checked without editing this file.
CHAPTERS = [page.url for page in chapters.chapters()]
PARTS = [page.url for page in chapters.chapter_pages() if page.number is None]  # explorers
EXPLORER = "chapters/edge-of-chaos-explorer/"  # the tests of its controls name it
PAGES = chapters.site_pages()
NOTEBOOKS = [f"notebooks/{source.stem}/" for source in notebook_sources()]
SCHEMES = ["light", "dark"]


@pytest.fixture(scope="module")
def base_url(built_site, site_port):
    with serve(built_site, site_port) as url:
        yield url


class Visit:
    """A page opened in a fresh context, recording console errors and every request."""

    def __init__(self, chromium, url, scheme="light", width=1280, init_script=None,
                 touch=False):
        # touch: a phone's touch screen (no hover; Material then gives a scrolling code block
        # no tabindex) and its mobile viewport.
        self.context = chromium.new_context(color_scheme=scheme,
                                            viewport={"width": width, "height": 900},
                                            has_touch=touch, is_mobile=touch)
        # Generous: these only decide when to give up, and a loaded machine is slow.
        self.context.set_default_timeout(120_000)
        if init_script:
            self.context.add_init_script(init_script)
        self.page = self.context.new_page()
        self.errors, self.requests = [], []
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.page.goto(url)
        self.page.wait_for_load_state("networkidle")

    def close(self):
        self.context.close()


@pytest.fixture
def visit(chromium):
    opened = []

    def open_visit(url, scheme="light", width=1280, init_script=None):
        opened.append(Visit(chromium, url, scheme, width, init_script))
        return opened[-1]

    yield open_visit
    for item in opened:
        item.close()


class Load:
    """One page at one palette and width, loaded once. Its record holds what every check of
    it needs, gathered in this order: the palette, the layout shift of the first load, the
    figures (scrolled into view as a reader would, so each lazy one loads) and what the page
    fetched so far, the math, a notebook's cells, console errors and every request, then
    axe's serious and critical findings with every collapsed block open (only on the
    combinations of AXE_RUNS; a touch load records axe's findings alone). A step that fails
    is re-raised by each test that needs it, not by the others."""

    def __init__(self, chromium, url, scheme, width, notebook, touch=False):
        self.record, self.failures = {}, {}
        opened = Visit(chromium, url, scheme, width, touch=touch)
        page = opened.page
        try:
            self._step("scheme", lambda: page.evaluate("document.body.dataset.mdColorScheme"))
            if not touch:
                self._record_reading(opened, notebook)
            if (width, touch) in AXE_RUNS:
                self._step("axe", lambda: _axe_findings(page))
        finally:
            opened.close()

    def _record_reading(self, opened, notebook):
        page = opened.page
        self._step("layout_shift", lambda: page.evaluate(LAYOUT_SHIFT))
        self._step("figures", lambda: (_scroll_through(page),
                                       page.evaluate(FIGURE_REPORT))[1])
        # What a reader's browser fetched; before the math report, whose copy of the page
        # makes Chromium fetch every image in it, the hidden palette's included.
        self.record["reader_requests"] = list(opened.requests)
        self._step("math", lambda: page.evaluate(MATH_REPORT))
        if notebook:
            self._step("notebook", lambda: page.evaluate(NOTEBOOK_REPORT))
        self.record["errors"] = list(opened.errors)
        self.record["requests"] = list(opened.requests)

    def _step(self, name, compute):
        try:
            self.record[name] = compute()
        except Exception as error:  # kept for the tests that need this step
            self.failures[name] = error

    def __getitem__(self, name):
        if name in self.failures:
            raise self.failures[name]
        return self.record[name]


@pytest.fixture(scope="module")
def loaded(chromium, base_url):
    """loaded(path, scheme, width, touch) → the Load of that page, made on first use."""
    records = {}

    def load(path, scheme="light", width=1280, touch=False):
        key = (path, scheme, width, touch)
        if key not in records:
            records[key] = Load(chromium, base_url + path, scheme, width,
                                notebook=path.startswith("notebooks/"), touch=touch)
        return records[key]
    return load


MATH_REPORT = """() => {
  const spans = [...document.querySelectorAll('.arithmatex')];
  const drawings = [...document.querySelectorAll('.arithmatex mjx-container > svg')];
  const glyphs = drawings.flatMap(svg => [...svg.querySelectorAll('use')]);
  const article = document.body.cloneNode(true);  // article, navigation and table of contents
  // Code is not prose; .clipboard-copy-txt is the hidden copy of a notebook cell's code.
  article.querySelectorAll('mjx-container, pre, code, script, style, .clipboard-copy-txt')
    .forEach(n => n.remove());
  const ink = svg => getComputedStyle(svg.querySelector('g')).fill;
  const text = svg => getComputedStyle(svg.closest('.arithmatex').parentElement).color;
  return {
    spans: spans.length,
    typeset: spans.filter(s => s.querySelector('mjx-container > svg')).length,
    errors: document.querySelectorAll('mjx-merror, [data-mjx-error]').length,
    glyphs: glyphs.length,
    // A glyph is drawn from the page's shared outlines: each must find its outline.
    unresolved: glyphs.filter(use => !document.getElementById(
      (use.getAttribute('xlink:href') || '').slice(1))).length,
    // Math in an open part of the page has a size, and is drawn in its paragraph's colour.
    empty: drawings.filter(svg => svg.checkVisibility() &&
      !(svg.getBoundingClientRect().width > 0 && svg.getBoundingClientRect().height > 0)).length,
    // Each is drawn at the size MathJax gave it (its width attribute, in ex of its text).
    wrongSize: drawings.filter(svg => svg.checkVisibility()).map(svg => {
      const probe = document.createElement('span');
      probe.style.cssText = 'display: inline-block; width: 100ex';
      svg.parentElement.appendChild(probe);
      const ex = probe.getBoundingClientRect().width / 100;
      probe.remove();
      const expected = parseFloat(svg.getAttribute('width')) * ex;
      return [expected, svg.getBoundingClientRect().width];
    }).filter(([expected, drawn]) => Math.abs(expected - drawn) > 1).slice(0, 3),
    offColour: drawings.filter(svg => svg.checkVisibility() && ink(svg) !== text(svg))
      .map(svg => ink(svg) + ' vs ' + text(svg)).slice(0, 3),
    engines: [...document.scripts].filter(s => /mathjax/i.test(s.src)).length
      + (window.MathJax ? 1 : 0),
    rawTex: /\\\\[(\\[]|\\\\(frac|sigma|partial)/.test(article.innerText),
  };
}"""


def _check_math(page):
    return _check_math_report(page.evaluate(MATH_REPORT))


def _check_math_report(report):
    assert report["spans"] > 0
    assert report["typeset"] == report["spans"], report
    assert report["errors"] == 0, report
    assert report["glyphs"] > 0 and report["unresolved"] == 0, f"glyphs not drawn: {report}"
    assert report["empty"] == 0 and report["offColour"] == [], report
    assert report["wrongSize"] == [], f"math drawn at the wrong size: {report['wrongSize']}"
    assert report["engines"] == 0, "the page runs a math engine: its math is typeset at build"
    assert not report["rawTex"], "raw TeX left in the page text"
    return report


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("path", [*CHAPTERS, *PARTS, "claims/", *NOTEBOOKS])
def test_chapter_math_is_typeset_without_errors(loaded, path, width):
    _check_math_report(loaded(path, "light", width)["math"])


FIGURE_REPORT = """() => [...document.querySelectorAll('.vg-figure img')].map(img => ({
  src: img.getAttribute('src'),
  current: img.currentSrc,
  width: img.naturalWidth,
  shown: img.getBoundingClientRect().width,
  visible: getComputedStyle(img).display !== 'none' && img.getBoundingClientRect().width > 0,
}))"""


SHOW_EVERY_FIGURE = """async () => {
  for (const img of document.querySelectorAll('.vg-figure img')) {
    if (getComputedStyle(img).display === 'none') continue;
    img.scrollIntoView({block: 'center'});
    if (img.complete && img.naturalWidth > 0) continue;
    await Promise.race([
      new Promise(done => {
        img.addEventListener('load', done, {once: true});
        img.addEventListener('error', done, {once: true});
      }),
      new Promise(done => setTimeout(done, 60000)),
    ]);
  }
}"""


def _scroll_through(page):
    """Bring every shown figure into view as a reader would, so that each lazy one loads."""
    page.evaluate(SHOW_EVERY_FIGURE)
    page.wait_for_load_state("networkidle")


def _check_figures(page, scheme):
    """Every figure of ``scheme``'s palette is shown and loaded, the other palette's hidden."""
    _scroll_through(page)
    return _check_figure_report(page.evaluate(FIGURE_REPORT), scheme)


def _check_figure_report(images, scheme):
    assert images, "no figures on the page"
    visible = [image for image in images if image["visible"]]
    assert len(visible) == len(images) // 2
    assert all(image["src"].endswith(f"#only-{scheme}") for image in visible), visible
    assert all(image["width"] > 0 for image in visible), [i for i in visible if not i["width"]]
    return visible


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("path", CHAPTERS)
def test_every_figure_loads_in_each_palette(loaded, path, scheme):
    load = loaded(path, scheme)
    assert load["scheme"] == ("slate" if scheme == "dark" else "default")
    _check_figure_report(load["figures"], scheme)


@pytest.mark.parametrize("path", CHAPTERS)
def test_palette_toggle_swaps_the_figures(visit, base_url, path):
    page = visit(base_url + path, "light").page
    _check_figures(page, "light")
    page.locator('label[title="Switch to dark mode"]').click()
    page.wait_for_function("() => document.body.dataset.mdColorScheme === 'slate'")
    _check_figures(page, "dark")
    page.locator('label[title="Switch to light mode"]').click()
    page.wait_for_function("() => document.body.dataset.mdColorScheme === 'default'")
    _check_figures(page, "light")


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("path", PAGES)
def test_no_console_error_and_no_request_leaves_the_site(loaded, path, scheme):
    load = loaded(path, scheme)
    assert load["errors"] == []
    assert load["requests"], "no request recorded"
    for url in load["requests"]:
        assert urlparse(url).hostname == "127.0.0.1", f"request leaves the site: {url}"


def test_instant_navigation_brings_the_next_pages_math(visit, base_url):
    opened = visit(base_url, "light")
    page = opened.page
    page.evaluate("window.__stayed = true")
    page.locator('article a[href$="chapters/why-relu-works/"]').first.click()
    page.wait_for_url("**/chapters/why-relu-works/")
    page.wait_for_function("() => document.querySelectorAll('.vg-figure').length > 0")
    # Instant navigation swapped the content without reloading the document; the new
    # content brought its own glyph outlines, which _check_math finds for every glyph.
    assert page.evaluate("window.__stayed === true")
    _check_math(page)
    assert opened.errors == []


WIDTHS = [1280, 390]  # a desktop window and a phone
# Where axe runs, (width, touch): a desktop window with a mouse, and a phone with a touch
# screen, as a reader holds one — on a touch screen Material gives a code block that scrolls no
# tabindex, which only an emulated touch device shows (scrollable-region-focusable). The suite
# has one tier for the browser, so these two, not every width with and without touch.
AXE_RUNS = [(1280, False), (390, True)]


@pytest.mark.parametrize(("width", "touch"), AXE_RUNS, ids=["desktop", "touch-phone"])
@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("path", PAGES + NOTEBOOKS)
def test_no_serious_accessibility_violation(loaded, path, scheme, width, touch):
    """axe-core on every page, in both palettes, on a desktop and on a touch phone, with every
    collapsed block (the code behind the figures, the claims, folded listings) open: nothing
    serious or critical."""
    found, report = loaded(path, scheme, width, touch)["axe"]
    assert not found, report


def _axe_findings(page):
    """axe-core's serious and critical violations with every collapsed block open:
    ({(rule, impact)}, axe's report)."""
    from axe_playwright_python.sync_playwright import Axe

    page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")
    _wait_for_listings(page)
    page.evaluate("window.dispatchEvent(new Event('resize'))")  # scrollables re-measure
    page.wait_for_timeout(300)
    results = Axe().run(page)
    found = {(v["id"], v["impact"]) for v in results.response["violations"]
             if v["impact"] in ("serious", "critical")}
    return found, results.generate_report() if found else ""


def _wait_for_listings(page):
    """Once every opened "Code behind" block has fetched its code (none may fail)."""
    page.wait_for_function("""() => [...document.querySelectorAll('.vg-listing')]
      .every(h => !h.closest('details').open || ['loaded', 'failed'].includes(h.dataset.state))""")
    assert page.locator(".vg-listing[data-state=failed]").count() == 0, "a listing failed"


# ---------------------------------------------------------------------------- the code listings

def test_opening_a_code_block_shows_the_tested_source_and_copies_it(chromium, base_url):
    """The code behind figure 1.3 is fetched when its block opens: the lines of the tested
    function appear, and the copy button copies exactly the shown code."""
    from sitebuild.html_passes import source_without_mutation_notes

    source = (ROOT / "snippets/core/gradient_chain.py").read_text(encoding="utf-8")
    section = source.split("--8<-- [start:chain_gradient_ratios]")[1].split("# --8<-- [end:")[0]
    section = source_without_mutation_notes(section)  # maintainers' notes stay in the source
    function = [line.strip() for line in section.splitlines()[1:] if line.strip()]
    context = chromium.new_context()
    context.set_default_timeout(120_000)
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    try:
        page = context.new_page()
        page.goto(base_url + CHAPTERS[0])
        block = page.locator("details", has_text="Code behind figure 1.3")
        assert block.locator("pre").count() == 0  # not in the page until it is opened
        block.locator("summary").click()
        _wait_for_listings(page)
        shown = block.locator("pre code").first.inner_text()
        assert len(function) > 10 and all(line in shown for line in function)
        block.locator("button.md-code__button").first.click()
        page.wait_for_function("() => document.querySelector('.md-dialog--active')")
        assert page.evaluate("navigator.clipboard.readText()").strip() == shown.strip()
    finally:
        context.close()


@pytest.mark.parametrize("scheme", SCHEMES)
def test_unwrapped_names_keep_the_colour_of_highlighted_names(visit, base_url, scheme):
    """sitebuild/html_passes.py unwraps names from their span: they must be drawn in the
    colour Material gives a highlighted name (span.n)."""
    page = visit(base_url + CHAPTERS[1], scheme).page
    page.locator("details.example summary").first.click()
    _wait_for_listings(page)
    colours = page.evaluate("""() => {
      const code = document.querySelector('.vg-listing pre code');
      const name = document.createElement('span');
      name.className = 'n';
      name.textContent = 'curvatures';
      code.appendChild(name);
      return [getComputedStyle(code).color, getComputedStyle(name).color];
    }""")
    assert colours[0] == colours[1], colours


# ---------------------------------------------------------------------------- phone and speed

# Along its reading direction only: across it, a text's box is the font's line height, which
# overshoots the glyphs matplotlib measured (a tick label's box pokes out by a few pixels).
# Along it, matplotlib's and Chromium's metrics of one font differ by a pixel or two; the
# clipped legends and labels this test was written for ran 6 to 85 px off the canvas.
TEXT_OUTSIDE = """() => {
  const canvas = document.documentElement.getBoundingClientRect();
  return [...document.querySelectorAll('text')].map(text => {
    const box = text.getBoundingClientRect();
    const vertical = text.closest('[transform*="rotate(-90"], [transform*="rotate(90"]');
    const overflow = vertical
      ? Math.min(box.top - canvas.top, canvas.bottom - box.bottom)
      : Math.min(box.left - canvas.left, canvas.right - box.right);
    return {text: text.textContent.replace(/\\s+/g, ''), overflow};
  }).filter(box => box.text && box.overflow < -3);
}"""


def test_no_figure_text_runs_off_its_canvas(chromium, built_site):
    """Every text of every rendered figure (both layouts, light palette), as Chromium lays it
    out, lies inside the SVG's own canvas: a clipped legend or label fails here."""
    page = chromium.new_page()
    page.set_default_timeout(120_000)
    outside = {}
    try:
        for svg in sorted((built_site / "figures").glob("*-light.svg")):
            page.goto(svg.as_uri())
            clipped = page.evaluate(TEXT_OUTSIDE)
            if clipped:
                outside[svg.name] = [box["text"] for box in clipped][:3]
    finally:
        page.close()
    assert not outside, outside

LAYOUT_SHIFT = """() => new Promise(done => {
  let shift = 0;
  new PerformanceObserver(list => {
    for (const entry of list.getEntries()) if (!entry.hadRecentInput) shift += entry.value;
  }).observe({type: 'layout-shift', buffered: true});
  setTimeout(() => done(shift), 500);
})"""


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("path", PAGES)
def test_pages_do_not_shift_as_they_load(loaded, path, width):
    """Cumulative layout shift of the first load at most 0.02 (issue 12's goal): math is
    drawn at build time and figures reserve their size."""
    shift = loaded(path, "light", width)["layout_shift"]
    assert shift <= 0.02, f"layout shift {shift:.3f}"

def _smallest_figure_text(site, figures):
    """The smallest text of the shown figures in CSS px: each SVG's smallest font size (in its
    own points) times its rendered width over its width in points."""
    from scripts.measure_pages import svg_font_sizes

    smallest = {}
    for figure in figures:
        path = site / urlparse(figure["current"]).path.lstrip("/")
        sizes, svg_width = svg_font_sizes(path.read_text(encoding="utf-8"))
        assert sizes, f"{path.name} has no text: figure text must be SVG text"
        smallest[path.name] = min(sizes) * figure["shown"] / svg_width
    return smallest


@pytest.mark.parametrize("width, floor", [(390, 11.0), (1280, 12.0)])
@pytest.mark.parametrize("path", CHAPTERS)
def test_figure_text_is_readable_on_a_phone_and_a_desktop(loaded, built_site, path, width,
                                                          floor):
    shown = _check_figure_report(loaded(path, "light", width)["figures"], "light")
    smallest = _smallest_figure_text(built_site, shown)
    too_small = {name: round(size, 1) for name, size in smallest.items() if size < floor}
    assert not too_small, f"figure text below {floor} px at {width} px: {too_small}"
    # On a phone the narrow rendering (stacked panels) is the one shown.
    assert all(("-narrow-" in name) == (width == 390) for name in smallest), sorted(smallest)


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("path", CHAPTERS)
def test_only_the_active_palettes_figures_are_fetched(loaded, path, scheme):
    load = loaded(path, scheme)
    shown = _check_figure_report(load["figures"], scheme)
    fetched = [url for url in load["reader_requests"]
               if "/figures/" in url and url.endswith(".svg")]
    other = "dark" if scheme == "light" else "light"
    assert not [url for url in fetched if url.endswith(f"-{other}.svg")], fetched
    assert len(set(fetched)) == len(shown), (len(set(fetched)), len(shown))


def test_figures_reserve_their_space_before_they_load(built_site):
    html = (built_site / "chapters" / "why-relu-works" / "index.html").read_text()
    tags = re.findall(r"<img [^>]*#only-[^>]*>|<source [^>]*>", html)
    assert tags
    for tag in tags:
        assert re.search(r'width="[\d.]+"', tag) and re.search(r'height="[\d.]+"', tag), tag
    assert all('loading="lazy"' in tag for tag in tags if tag.startswith("<img"))


@pytest.mark.parametrize("path", PAGES + NOTEBOOKS)
def test_no_page_loads_a_math_engine(loaded, path):
    """The math is typeset at build time: a page fetches no script for it, and runs none."""
    load = loaded(path, "light", 1280)
    assert not [url for url in load["requests"] if "mathjax" in url.lower()
                and not url.endswith("mathjax-svg.css")]
    assert load["math"]["engines"] == 0


# Every value the body's palette attribute takes before the first contentful paint.
PALETTE_RECORDER = """
window.__schemes = [];
new MutationObserver(() => {
  const body = document.body;
  if (body) window.__schemes.push([performance.now(), body.dataset.mdColorScheme]);
}).observe(document, {subtree: true, childList: true, attributes: true,
                      attributeFilter: ['data-md-color-scheme']});
"""
PALETTE_AT_PAINT = """() => {
  const paint = performance.getEntriesByName('first-contentful-paint')[0].startTime;
  const before = window.__schemes.filter(([time]) => time <= paint);
  return before.length ? before[before.length - 1][1] : null;
}"""


@pytest.mark.parametrize("scheme, expected", [("dark", "slate"), ("light", "default")])
def test_a_first_visit_is_painted_in_the_systems_palette(visit, base_url, scheme, expected):
    page = visit(base_url + CHAPTERS[0], scheme, init_script=PALETTE_RECORDER).page
    assert page.evaluate(PALETTE_AT_PAINT) == expected


EXPLORER_STATE = """() => {
  const root = document.querySelector('.vg-explorer');
  return {
    ready: root.dataset.ready === 'true',
    sentence: root.querySelector('[data-summary]').textContent,
    gradient: [...root.querySelectorAll('[data-plot=gradient] path')].map(p => p.getAttribute('d')),
    band: root.querySelector('[data-plot=activations] polygon')?.getAttribute('points'),
    weak: [...root.querySelectorAll('[data-plot=weak] path')].map(p => p.getAttribute('d')),
    rows: root.querySelectorAll('[data-table] tbody tr').length,
  };
}"""


def _explorer_state(page):
    page.wait_for_function("() => document.querySelector('.vg-explorer')?.dataset.ready === 'true'")
    return page.evaluate(EXPLORER_STATE)


@pytest.mark.parametrize("scheme", SCHEMES)
def test_explorer_controls_work_by_keyboard(visit, base_url, scheme):
    """Every control moves by keyboard alone, and each move redraws the plots and rewrites
    the sentence that screen readers announce."""
    opened = visit(base_url + EXPLORER, scheme)
    page = opened.page
    state = _explorer_state(page)
    assert state["sentence"].startswith("tanh, weight variance 1.0, bias variance 0, 50 layers")
    assert len(state["gradient"]) == 3 and state["band"] and state["rows"] == 51
    assert page.locator("[data-summary]").get_attribute("aria-live") == "polite"
    for name, key in [("activation", "ArrowDown"), ("weight", "ArrowRight"),
                      ("bias", "ArrowDown"), ("depth", "ArrowLeft")]:
        control = page.locator(f".vg-explorer [name={name}]")
        control.focus()
        label = control.evaluate("c => c.closest('label').textContent.trim()")
        assert label, f"{name} has no label"
        page.keyboard.press(key)
        moved = page.evaluate(EXPLORER_STATE)
        assert moved["sentence"] != state["sentence"], name
        assert moved["gradient"] != state["gradient"], name
        state = moved
    assert state["rows"] == 50  # depth 49: layers 0 … 49
    assert "49 layers" in state["sentence"] and "from layer 49 to layer 0" in state["sentence"]
    assert opened.errors == []
    assert all(urlparse(url).hostname == "127.0.0.1" for url in opened.requests)


def test_instant_navigation_works_on_a_sub_path_address(visit, hosted_site):
    # As on GitHub Pages: the site lives under /vanishing-gradients/ of its origin.
    root, _, url = hosted_site
    with serve(root, urlparse(url).port):
        opened = visit(url, "dark")
        page = opened.page
        page.evaluate("window.__stayed = true")
        page.locator('article a[href$="chapters/dying-relus/"]').first.click()
        page.wait_for_url("**/vanishing-gradients/chapters/dying-relus/")
        page.wait_for_function("() => document.querySelectorAll('.vg-figure').length > 0")
        assert page.evaluate("window.__stayed === true")  # no reload: instant navigation
        _check_math(page)
        # A citation leads to the chapter's own reference list, on the same page.
        page.locator('a.vg-cite[href$="#ref-lu-2019"]').first.click()
        assert page.locator("#ref-lu-2019").is_visible()
        assert page.evaluate("window.__stayed === true")
        assert opened.errors == []
        assert all(request.startswith(url) or request.startswith("data:")
                   for request in opened.requests), opened.requests


def test_explorer_starts_after_instant_navigation(visit, base_url):
    opened = visit(base_url + "chapters/edge-of-chaos/", "light")
    page = opened.page
    page.evaluate("window.__stayed = true")
    page.locator('article a[href$="edge-of-chaos-explorer/"]').first.click()
    page.wait_for_url("**/edge-of-chaos-explorer/")
    state = _explorer_state(page)
    assert page.evaluate("window.__stayed === true")  # no reload: instant navigation
    assert "predicts that the mean squared gradient shrinks from layer 50" in state["sentence"]
    assert opened.errors == []


# ---------------------------------------------------------------------------- notebooks

NOTEBOOK_REPORT = """() => {
  const shown = node => node.getBoundingClientRect().width > 0
                        && getComputedStyle(node).visibility !== 'hidden';
  const wrapper = document.querySelector('.jupyter-wrapper');
  return {
    cells: document.querySelectorAll('.jp-CodeCell').length,
    outputs: [...document.querySelectorAll('.jp-OutputArea-output')].filter(shown).length,
    // Plots are inline SVG (sitebuild/notebook_pages.py); any other image must have loaded.
    images: [...document.querySelectorAll('.jp-RenderedImage img, svg.vg-notebook-plot')]
      .map(node => (node.tagName.toLowerCase() === 'svg' || node.naturalWidth > 0)
                   && shown(node)),
    // Defined only by the shared JupyterLab stylesheet: proves it loaded and applies.
    jupyterlabStyles: wrapper ? getComputedStyle(wrapper).getPropertyValue('--jp-cell-padding')
                                  .trim() : null,
  };
}"""


def _check_notebook(page):
    _check_notebook_report(page.evaluate(NOTEBOOK_REPORT))
    _check_math(page)


def _check_notebook_report(report):
    assert report["cells"] > 0, report
    assert report["outputs"] >= report["cells"] // 2, report
    assert report["images"] and all(report["images"]), report
    assert report["jupyterlabStyles"] == "5px", report


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("path", NOTEBOOKS)
def test_notebook_page_is_offline_typeset_and_shows_its_outputs(loaded, path, scheme):
    load = loaded(path, scheme)
    assert load["scheme"] == ("slate" if scheme == "dark" else "default")
    _check_notebook_report(load["notebook"])
    _check_math_report(load["math"])
    assert load["errors"] == []
    for url in load["requests"]:
        assert urlparse(url).hostname == "127.0.0.1", f"request leaves the site: {url}"


@pytest.mark.parametrize("path", NOTEBOOKS)
def test_notebook_downloads_work(visit, base_url, path):
    page = visit(base_url + path).page
    links = page.eval_on_selector_all(".vg-notebook-links a[download]",
                                      "links => links.map(link => link.href)")
    assert sorted(link.rsplit(".", 1)[1] for link in links) == ["ipynb", "py"], links
    for link in links:
        response = page.request.get(link)
        assert response.status == 200, link
        if link.endswith(".ipynb"):
            notebook = json.loads(response.body())
            assert any(cell.get("outputs") for cell in notebook["cells"]), link
        else:
            assert response.text().startswith("# ---"), link  # jupytext's header


def test_instant_navigation_to_a_notebook_styles_and_typesets_it(visit, base_url):
    chapter = CHAPTERS[0]
    notebook = chapter.replace("chapters/", "notebooks/")  # its companion notebook
    opened = visit(base_url + chapter, "dark")
    page = opened.page
    page.evaluate("window.__stayed = true")
    page.locator(f'article a[href$="{notebook}"]').first.click()
    page.wait_for_url(f"**/{notebook}")
    page.wait_for_function("() => document.querySelectorAll('.jp-CodeCell').length > 0")
    page.wait_for_function("() => getComputedStyle(document.querySelector('.jupyter-wrapper'))"
                           ".getPropertyValue('--jp-cell-padding').trim() !== ''")
    assert page.evaluate("window.__stayed === true")
    _check_notebook(page)
    assert opened.errors == []
    assert all(urlparse(url).hostname == "127.0.0.1" for url in opened.requests)


def test_the_content_security_policy_stops_an_injected_inline_handler(visit, base_url):
    """The policy (sitebuild/content_policy.py) forbids inline event handlers: one added to
    the page does not run, while a listener added by script on the same element does (the
    control: both are called for the same error event, the attribute's first)."""
    page = visit(f"{base_url}claims/").page
    page.evaluate("""() => {
        document.body.insertAdjacentHTML('beforeend',
            '<img id="vg-probe" alt="" src="missing.png" onerror="window.__ran = 1">');
        document.getElementById('vg-probe')
            .addEventListener('error', () => { window.__control = 1; });
    }""")
    page.wait_for_function("() => window.__control === 1")
    assert page.evaluate("window.__ran") is None


def test_every_page_carries_one_policy_allowing_exactly_its_inline_scripts(built_site):
    import base64
    import hashlib
    import re

    policies, hashes = set(), set()
    for path in built_site.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        if '<meta charset="utf-8">' not in text:
            continue  # a figure's code listing: a fragment listings.js inserts, not a page
        found = re.findall(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">',
                           text)
        assert len(found) == 1, path
        policies.add(found[0])
        for attributes, body in re.findall(r"<script([^>]*)>(.*?)</script>", text, re.S):
            if "src=" not in attributes and "application/json" not in attributes:
                digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
                hashes.add(f"'sha256-{digest}'")
    assert len(policies) == 1
    (policy,) = policies
    assert "'unsafe-inline'" not in policy and "object-src 'none'" in policy
    script_sources = policy.split("script-src ", 1)[1].split(";", 1)[0].split()
    assert set(script_sources) == {"'self'", *hashes}
