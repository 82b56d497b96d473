"""The chapters' training labs: chapters 2–6 embed one, every preset they offer has an outcome
decided over seeds (tests/test_lab_presets.py; tests/test_browser_lab.py runs each in Chromium),
and the trainability heat map's cells open the lab with their network — by pointer on the
figure, at both widths, and by keyboard from the table under it.

Which pages embed a lab, and with which presets, is read from the built pages themselves."""

import json
import re

import pytest

from sitebuild import chapters
from tests.test_browser import Visit, base_url  # noqa: F401
from tests.test_browser_lab import wait_until_ready
from tests.test_lab_presets import OUTCOMES

pytestmark = pytest.mark.browser

LAB = "lab/"
PAGE_LABS = re.compile(r'<div class="vg-lab" data-lab(?:="data-lab")? data-presets="([^"]+)"')


def embedded_presets(built_site):
    """(page url, preset) for every preset of every chapter page's lab."""
    found = []
    for page in chapters.chapter_pages():
        html = (built_site / page.url / "index.html").read_text(encoding="utf-8")
        for match in PAGE_LABS.finditer(html):
            found += [(page.url, preset) for preset in match.group(1).split()]
    return found


def ready_lab(visit):
    """The page's lab, scrolled into view (it loads only then) and ready. Polled: after an
    instant navigation the new page's content arrives after its address."""
    try:
        wait_until_ready(visit.page)
    except Exception as error:  # say what the page shows, for a failure on a busy machine
        state = visit.page.evaluate(
            "() => { const lab = document.querySelector('[data-lab]');"
            " return [location.href, lab ? JSON.stringify(lab.dataset) : 'no lab',"
            " lab ? lab.textContent.slice(0, 200) : ''] }")
        raise AssertionError(f"the lab did not become ready: {state}, errors {visit.errors}, "
                             f"last requests {visit.requests[-8:]}") from error
    return visit.page.locator("[data-lab]:not([data-test-left])").first


def leaving(visit):
    """Mark the labs of the page being left: the address changes before instant navigation
    swaps the content, and until then the old page's lab is still there to be found."""
    visit.page.evaluate(
        "() => document.querySelectorAll('[data-lab]').forEach(lab => lab.dataset.testLeft = '')")


def report_of(lab):
    return json.loads(lab.get_attribute("data-report"))


def test_chapters_2_to_6_embed_a_lab(built_site):
    pages = {page for page, _ in embedded_presets(built_site)}
    numbers = {page.number for page in chapters.chapters() if page.url in pages}
    assert {2, 3, 4, 5, 6} <= numbers, pages


def test_every_embedded_preset_has_a_decided_outcome(built_site):
    missing = {preset for _, preset in embedded_presets(built_site)} - set(OUTCOMES)
    assert not missing


def heat_map_cell(page, layout):
    """The link of one cell of the trainability figure in the layer shown for ``layout``."""
    return page.locator(f"#figure-trainability .vg-figure__links--{layout} a").nth(27)


@pytest.mark.parametrize("width,layout", [(1280, "wide"), (390, "narrow")])
def test_a_heat_map_cell_opens_the_lab_with_its_network(chromium, base_url, width, layout):  # noqa: F811
    visit = Visit(chromium, base_url + "chapters/edge-of-chaos/", width=width)
    try:
        figure = visit.page.locator("#figure-trainability")
        cell = heat_map_cell(visit.page, layout)
        # The cell in the middle of the window: not under the sticky header.
        cell.evaluate("link => link.scrollIntoView({block: 'center'})")
        title = cell.get_attribute("title")
        box = cell.bounding_box()
        image = figure.locator("img:visible").first.bounding_box()
        # The link lies on the image, and the pointer there hits the link, not something above.
        assert image["x"] <= box["x"] and box["x"] + box["width"] <= image["x"] + image["width"]
        x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
        hit = visit.page.evaluate("([x, y]) => document.elementFromPoint(x, y).title", [x, y])
        assert hit == title
        leaving(visit)
        visit.page.mouse.click(x, y)
        visit.page.wait_for_url("**/lab/?**")
        lab = ready_lab(visit)
        weight, depth = re.search(r"σ_w² = ([\d.]+) and (\d+) hidden layers", title).groups()
        form = {name: lab.locator(f"[name={name}]").input_value()
                for name in ("activation", "depth", "init", "weightVariance")}
        assert form == {"activation": "tanh", "depth": depth, "init": "variance",
                        "weightVariance": form["weightVariance"]}
        assert float(form["weightVariance"]) == pytest.approx(float(weight), rel=2e-3)
        assert report_of(lab)["updates"] == 0 and visit.errors == []
    finally:
        visit.close()


def test_the_heat_map_table_opens_the_lab_by_keyboard(chromium, base_url):  # noqa: F811
    visit = Visit(chromium, base_url + "chapters/edge-of-chaos/")
    try:
        listing = visit.page.locator("#figure-trainability + details.vg-figure__link-list, "
                                     "details.vg-figure__link-list").first
        listing.locator("summary").focus()
        visit.page.keyboard.press("Enter")
        link = listing.locator("a").first
        label = link.get_attribute("aria-label")
        link.focus()
        leaving(visit)
        visit.page.keyboard.press("Enter")
        visit.page.wait_for_url("**/lab/?**")
        lab = ready_lab(visit)
        depth = re.search(r"and (\d+) hidden layers", label).group(1)
        assert lab.locator("[name=depth]").input_value() == depth
    finally:
        visit.close()


def test_a_lab_reached_by_instant_navigation_from_another_lab_is_styled(chromium, base_url):  # noqa: F811
    """Material's instant navigation removes from <head> what the next page's lacks: the lab's
    stylesheet must survive going from one chapter's lab to the next (it once sat in <head>,
    and the second lab came up unstyled — or, if the sheet was removed before it loaded, never
    came up at all)."""
    visit = Visit(chromium, base_url + "chapters/vanishing-gradient-problem/")
    try:
        for _ in range(2):
            lab = ready_lab(visit)
            assert lab.locator(".vg-lab__controls").evaluate(
                "form => getComputedStyle(form).display") == "grid"
            if "initialisation-and-variance" in visit.page.url:
                break
            leaving(visit)
            visit.page.locator("a[href$='initialisation-and-variance/']").first.click()
            visit.page.wait_for_url("**/initialisation-and-variance/")
        assert "initialisation-and-variance" in visit.page.url and visit.errors == []
    finally:
        visit.close()
