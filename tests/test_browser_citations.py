"""Citation popovers (docs/assets/citations.js) in real headless Chromium: a citation opens
the whole reference and its link when a mouse points at it, when the keyboard's Tab reaches
it and when a finger taps it; Escape, a tap elsewhere and the pointer leaving close it; it
stays inside the viewport on a phone; it works after instant navigation; and reference text
from a hostile bibliography shows in it as text, never as markup.

The expected title and link come from docs/references.yml through sitebuild/references.py,
and every position is a bounding box measured in Chromium."""

import pytest
import yaml

from scripts.browser import serve
from sitebuild import references
from tests.conftest import mkdocs_build
from tests.test_browser import base_url, visit  # noqa: F401  (the fixtures below use them)
from tests.test_hostile_data import _copy_docs, _poison, scan

pytestmark = pytest.mark.browser

CHAPTER = "chapters/vanishing-gradient-problem/"
KEY = "nielsen-2015"
PHONE = {"width": 390, "height": 844}

# The popover of the first citation of ``key``: whether it is shown, and what it shows.
POPOVER = """key => {
  const link = document.querySelector(`a.vg-cite[href$="#ref-${key}"]`);
  const popover = link && document.getElementById(link.getAttribute('aria-controls'));
  if (!popover) return null;
  const box = popover.getBoundingClientRect();
  return {
    expanded: link.getAttribute('aria-expanded'),
    shown: popover.checkVisibility() && box.width > 0 && box.height > 0,
    text: popover.textContent,
    links: [...popover.querySelectorAll('a')].map(a => a.href),
    focusInside: popover.contains(document.activeElement),
    focusOnLink: document.activeElement === link,
    box: {left: box.left, right: box.right, top: box.top, bottom: box.bottom},
    view: {width: document.documentElement.clientWidth, height: window.innerHeight},
  };
}"""


CITED_KEYS = """() => [...new Set([...document.querySelectorAll('a.vg-cite')]
    .map(a => new URL(a.href).hash.slice('#ref-'.length)))]"""


@pytest.fixture
def site(request):
    """The built site's address (tests/test_browser.py's ``base_url``, which serves it)."""
    return request.getfixturevalue("base_url")


@pytest.fixture
def desktop(request):
    """open(url) → a page at 1280 px with a mouse (tests/test_browser.py's ``visit``)."""
    return request.getfixturevalue("visit")


def _state(page, key=KEY):
    return page.evaluate(POPOVER, key)


def _wait_open(page, key=KEY, expected=True):
    page.wait_for_function(f"key => {{ const s = ({POPOVER})(key); "
                           f"return s && s.shown === {str(expected).lower()}; }}", arg=key)
    return _state(page, key)


def _citation(page, key=KEY):
    return page.locator(f'a.vg-cite[href$="#ref-{key}"]').first


def _shows_the_reference(state, key=KEY):
    entry = references.load_references()[key]
    assert state["shown"] and state["expanded"] == "true", state
    assert entry["title"] in state["text"], state["text"]
    assert references.link(entry) in state["links"], state["links"]


def test_pointing_at_a_citation_opens_its_reference_and_moving_away_closes_it(desktop, site):
    page = desktop(site + CHAPTER).page
    before = _state(page)
    assert before is not None and not before["shown"] and before["expanded"] == "false"
    _citation(page).hover()
    _shows_the_reference(_wait_open(page))
    page.mouse.move(2, page.viewport_size["height"] - 2)
    assert _wait_open(page, expected=False)["expanded"] == "false"


def test_tab_opens_the_popover_enters_it_and_escape_closes_it(desktop, site):
    page = desktop(site + CHAPTER).page
    citation = _citation(page)
    citation.focus()
    page.keyboard.press("Shift+Tab")          # to the control before the citation
    assert not _wait_open(page, expected=False)["focusOnLink"]
    # That control may be a citation whose popover Tab would enter: Escape closes it.
    page.keyboard.press("Escape")
    page.keyboard.press("Tab")                # back onto the citation, by keyboard
    state = _wait_open(page)
    assert state["focusOnLink"]
    _shows_the_reference(state)
    page.keyboard.press("Tab")                # into the popover: its first link
    state = _state(page)
    assert state["shown"] and state["focusInside"], state
    page.keyboard.press("Escape")
    state = _wait_open(page, expected=False)
    assert state["expanded"] == "false" and state["focusOnLink"], state


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_an_open_popover_has_no_serious_accessibility_violation(desktop, site, scheme):
    from axe_playwright_python.sync_playwright import Axe

    page = desktop(site + CHAPTER, scheme).page
    _citation(page).focus()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Escape")
    page.keyboard.press("Tab")
    _shows_the_reference(_wait_open(page))
    results = Axe().run(page)
    assert _state(page)["shown"]               # still open while axe looked
    found = {(v["id"], v["impact"]) for v in results.response["violations"]
             if v["impact"] in ("serious", "critical")}
    assert found == set(), results.generate_report()


@pytest.fixture
def phone(chromium):
    context = chromium.new_context(viewport=PHONE, has_touch=True, is_mobile=True)
    context.set_default_timeout(120_000)
    yield context.new_page()
    context.close()


def test_a_tap_opens_the_popover_and_a_tap_elsewhere_closes_it(phone, site):
    page = phone
    page.goto(site + CHAPTER)
    page.wait_for_load_state("networkidle")
    address = page.url
    _citation(page).tap()
    _shows_the_reference(_wait_open(page))
    assert page.url == address               # the tap opened the popover, it did not jump
    page.locator("article h1").first.tap()
    assert _wait_open(page, expected=False)["expanded"] == "false"
    _citation(page).tap()
    _wait_open(page)
    _citation(page).tap()                    # a second tap on the citation closes it too
    _wait_open(page, expected=False)


def test_every_popover_stays_inside_a_phones_viewport(phone, site):
    page = phone
    page.goto(site + CHAPTER)
    page.wait_for_load_state("networkidle")
    keys = page.evaluate(CITED_KEYS)
    assert len(keys) > 3, keys
    for key in keys:
        for block in ("start", "end"):       # near the top, then near the bottom of the view
            _citation(page, key).evaluate(f"a => a.scrollIntoView({{block: '{block}'}})")
            _citation(page, key).tap()
            state = _wait_open(page, key)
            box, view = state["box"], state["view"]
            assert view["width"] == PHONE["width"]
            assert 0 <= box["left"] and box["right"] <= view["width"], (key, block, state)
            assert 0 <= box["top"] and box["bottom"] <= view["height"], (key, block, state)
            page.keyboard.press("Escape")
            _wait_open(page, key, expected=False)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_citations_open_after_instant_navigation(desktop, site):
    opened = desktop(site + "chapters/why-relu-works/")
    page = opened.page
    page.evaluate("window.__stayed = true")
    page.locator(f'nav a[href$="{CHAPTER}"]').first.click()
    page.wait_for_url(f"**/{CHAPTER}")
    page.wait_for_function("key => document.querySelector(`a.vg-cite[href$='#ref-${key}']`)",
                           arg=KEY)
    _citation(page).hover()
    _shows_the_reference(_wait_open(page))
    assert page.evaluate("window.__stayed === true")   # no reload: instant navigation
    assert opened.errors == []


# ---------------------------------------------------------------------------- hostile text

# What the popover may hold: the inline allow-list of sitebuild/sanitise.py, and its own span.
POPOVER_TAGS = {"span", "a", "em", "strong", "code", "sub", "sup", "br"}


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    """The site built with every payload of tests/test_hostile_data.py written into its
    bibliography and ledger: (site folder, {key: the marker word its entry carries})."""
    root = tmp_path_factory.mktemp("hostile-citations")
    docs, config = _copy_docs(root)
    markers = _poison(docs)
    result = mkdocs_build(root / "site", config)
    assert result.returncode == 0, f"hostile build failed:\n{result.stdout}{result.stderr}"
    poisoned = yaml.safe_load((docs / "references.yml").read_text(encoding="utf-8"))
    carried = {entry["key"]: [marker for marker in markers if marker in str(entry)]
               for entry in poisoned}
    return root / "site", carried


def test_hostile_reference_text_shows_in_the_popover_as_text(chromium, hostile_site):
    site, carried = hostile_site
    with serve(site) as url:
        context = chromium.new_context(viewport={"width": 1280, "height": 900})
        context.set_default_timeout(120_000)
        # Anything a payload could run calls one of these; none may be called.
        context.add_init_script("""for (const name of ['alert', 'confirm', 'prompt'])
            window[name] = () => { window.__ran = (window.__ran || 0) + 1; };""")
        page = context.new_page()
        dialogs = []
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        try:
            page.goto(url + CHAPTER)
            page.wait_for_load_state("networkidle")
            keys = page.evaluate(CITED_KEYS)
            assert keys
            poisoned = 0
            for key in keys:
                _citation(page, key).hover()
                state = _wait_open(page, key)
                markup = page.evaluate(
                    "key => document.getElementById(document.querySelector("
                    "`a.vg-cite[href$='#ref-${key}']`).getAttribute('aria-controls')).outerHTML",
                    key)
                found = scan(markup)
                assert found.findings == [], (key, found.findings)
                assert set(found.tags) <= POPOVER_TAGS, (key, found.tags)
                # Shown, not dropped: the marker word of the payload in this entry (if any).
                assert all(marker in state["text"] for marker in carried[key]), key
                poisoned += bool(carried[key])
                page.mouse.move(2, 898)
                _wait_open(page, key, expected=False)
            assert page.evaluate("window.__ran") is None and dialogs == []
            assert poisoned >= len(keys) // 2, (poisoned, keys)
        finally:
            context.close()
