"""The training lab (issue 23; docs/assets/lab/) in headless Chromium: it mounts only where a
page holds a [data-lab] element, trains in a worker when started by keyboard, pauses, steps by
exactly one update, resets when a setting changes and writes its settings into the address,
reads them back from a shared link, mounts after instant navigation, stops its worker when the
reader navigates away, fetches nothing off the site, and passes axe in both palettes on a
desktop and on a touch phone. Its speed — one epoch's time in the worker and input-to-paint on
the main thread while training — is measured and printed, never asserted (a loaded machine is
slow; performance goals are reported, not asserted)."""

import json
import math

import pytest

from tests.test_browser import Visit, _axe_findings, base_url  # noqa: F401
from tests.test_lab_presets import OUTCOMES, PRESET_SEED, holds, run_presets

pytestmark = pytest.mark.browser
LAB = "lab/"
READY = "() => document.querySelector('[data-lab]')?.dataset.ready === 'true'"
# Polled, it scrolls the lab into view too (the lab loads only then): after an instant
# navigation the content may be swapped between a scroll and the wait.
# Labs marked data-test-left belong to a page being left by instant navigation.
SCROLL_UNTIL_READY = ("() => { const lab ="
                      " document.querySelector('[data-lab]:not([data-test-left])');"
                      " if (!lab) return false; lab.scrollIntoView();"
                      " return lab.dataset.ready === 'true'; }")


def wait_until_ready(page):
    """Wait until the page's lab is scrolled into view (it loads only then), mounted and
    showing a report."""
    page.wait_for_function(SCROLL_UNTIL_READY)


def open_lab(chromium, url, scheme="light", width=1280, touch=False):
    """A Visit of ``url`` with its lab scrolled into view, mounted and showing a report."""
    opened = Visit(chromium, url, scheme, width, touch=touch)
    wait_until_ready(opened.page)
    return opened


def updates(page):
    return int(page.get_attribute("[data-lab]", "data-updates"))


def report(page):
    return json.loads(page.get_attribute("[data-lab]", "data-report"))


def wait_for_updates_above(page, count):
    page.wait_for_function(
        "(count) => +document.querySelector('[data-lab]').dataset.updates > count", arg=count)
    return updates(page)


def tab_to(page, selector, limit=80):
    """Press Tab until ``selector`` has the focus (as a keyboard reader would reach it)."""
    for _ in range(limit):
        if page.evaluate("(s) => document.activeElement?.matches(s) ?? false", selector):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"{selector} was not reached with Tab")


@pytest.fixture
def site(base_url):  # noqa: F811  (the built site's address, from tests/test_browser.py)
    return base_url


@pytest.fixture
def lab_visits(chromium):
    opened = []

    def open_one(*args, **kwargs):
        opened.append(open_lab(chromium, *args, **kwargs))
        return opened[-1]

    yield open_one
    for item in opened:
        item.close()


def test_lab_page_loads_with_no_error_and_no_request_off_the_site(lab_visits, site):
    opened = lab_visits(site + LAB)
    page = opened.page
    page.click("[data-action=run]")
    wait_for_updates_above(page, 0)
    page.click("[data-action=run]")
    # The recorder sees the lab's own requests (its module, the worker, the digits) …
    fetched = " ".join(opened.requests)
    for name in ("assets/lab-loader.js", "assets/lab/lab.js", "assets/lab/worker.js",
                 "assets/lab/model.js", "figures/lab-digits.json"):
        assert name in fetched, name
    # … and every one of them stays on the site.
    assert [url for url in opened.requests if not url.startswith(site)] == []
    assert opened.errors == []


def test_keyboard_starts_pauses_and_steps_by_exactly_one_update(lab_visits, site):
    page = lab_visits(site + LAB).page
    assert updates(page) == 0
    page.locator("body").focus()
    tab_to(page, "[data-action=run]")
    page.keyboard.press("Enter")
    first = wait_for_updates_above(page, 0)
    wait_for_updates_above(page, first)  # it keeps climbing
    assert page.get_attribute("[data-action=run]", "aria-pressed") is None
    assert page.inner_text("[data-action=run]") == "Pause"
    page.keyboard.press("Space")  # the same button, still focused, pauses
    page.wait_for_function(
        "() => document.querySelector('[data-action=run]').textContent === 'Start'")
    # The worker answers a pause with one last report; after it nothing changes (several
    # report intervals of a running lab).
    page.wait_for_timeout(300)
    paused = updates(page)
    page.wait_for_timeout(700)
    assert updates(page) == paused
    tab_to(page, "[data-action=step]")
    for expected in (paused + 1, paused + 2):
        page.keyboard.press("Enter")
        page.wait_for_function(
            "(n) => +document.querySelector('[data-lab]').dataset.updates === n", arg=expected)
        page.wait_for_timeout(300)
        assert updates(page) == expected == report(page)["updates"]


def test_changing_depth_by_keyboard_resets_the_run_and_writes_the_address(lab_visits, site):
    page = lab_visits(site + LAB + "?keep=this#the-views").page
    page.click("[data-action=run]")
    wait_for_updates_above(page, 5)
    depth = int(page.input_value("[name=depth]"))
    page.locator("body").focus()
    tab_to(page, "[name=depth]")
    page.keyboard.press("ArrowUp")
    page.wait_for_function(
        "(n) => JSON.parse(document.querySelector('[data-lab]').dataset.report).weak.length === n",
        arg=depth + 1)
    assert report(page)["updates"] == 0
    assert len(report(page)["speeds"]) == depth + 2  # hidden layers and the output layer
    assert page.inner_text("[data-action=run]") == "Start"
    assert "changed" in page.inner_text(".vg-lab__message")
    address = page.evaluate("location.href")
    assert f"lab-depth={depth + 1}" in address
    assert "keep=this" in address and address.endswith("#the-views")


def test_a_shared_address_sets_the_lab(lab_visits, site):
    page = lab_visits(site + LAB + "?lab-activation=relu&lab-depth=7").page
    assert page.input_value("[name=activation]") == "relu"
    assert page.input_value("[name=depth]") == "7"
    shown = report(page)
    assert len(shown["weak"]) == 7 and len(shown["speeds"]) == 8
    # No preset claims these settings, and ReLU's weak units are called inactive.
    assert page.locator("[data-preset][aria-pressed=true]").count() == 0
    assert "inactive" in page.inner_text("[data-weak-caption]")
    assert not page.is_visible("[name=weightVariance]")  # only for a σ_w² of one's choice


def test_the_weight_variance_field_shows_only_for_a_variance_of_ones_choice(lab_visits, site):
    page = lab_visits(site + LAB + "?lab-init=variance&lab-weightVariance=2.5").page
    assert page.is_visible("[name=weightVariance]")
    assert page.input_value("[name=weightVariance]") == "2.5"
    page.focus("[name=init]")
    page.keyboard.press("ArrowUp")  # "variance" is the last choice: up is He's
    page.wait_for_function("() => document.querySelector('[data-lab]').dataset.updates === '0'"
                           " && location.search.includes('lab-init=he')")
    assert not page.is_visible("[name=weightVariance]")


def test_the_lab_mounts_after_instant_navigation_and_stops_when_left(chromium, site):
    opened = Visit(chromium, site)
    try:
        page = opened.page
        page.evaluate("window.__sameDocument = true")
        workers = []
        page.on("worker", lambda worker: workers.append(worker))
        page.click(f".md-nav a[href$='{LAB}']")
        page.wait_for_url(f"**/{LAB}")
        wait_until_ready(page)
        assert page.evaluate("window.__sameDocument") is True  # no reload: instant navigation
        page.click("[data-action=run]")
        wait_for_updates_above(page, 0)
        assert len(workers) == 1
        closed = []
        workers[0].on("close", lambda worker: closed.append(worker))
        page.click(".md-nav a[href$='claims/']")
        page.wait_for_url("**/claims/")
        page.wait_for_function("() => !document.querySelector('[data-lab]')")
        page.wait_for_timeout(1000)
        assert page.evaluate("window.__sameDocument") is True
        assert closed == workers, "the lab's worker still runs after the reader left"
        assert opened.errors == []
    finally:
        opened.close()


def test_a_page_without_a_lab_imports_nothing_of_it(chromium, site):
    opened = Visit(chromium, site)
    try:
        page = opened.page
        page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
        page.wait_for_load_state("networkidle")
        assert any(url.endswith("assets/lab-loader.js") for url in opened.requests)  # control
        lab = [url for url in opened.requests if "/assets/lab/" in url or "lab-digits" in url]
        assert lab == []
    finally:
        opened.close()


LAYOUT = """() => {
  const box = (e) => e.getBoundingClientRect();
  const lab = box(document.querySelector('[data-lab]'));
  const plots = [...document.querySelectorAll('[data-plot]')].map((svg) => {
    const texts = [...svg.querySelectorAll('text')].map(box);
    const outside = texts.filter((t) => t.left < box(svg).left - 1 || t.right > box(svg).right + 1
      || t.top < box(svg).top - 1 || t.bottom > box(svg).bottom + 1).length;
    let overlaps = 0;
    for (let i = 0; i < texts.length; i++) for (let j = i + 1; j < texts.length; j++) {
      const a = texts[i], b = texts[j];
      if (a.left < b.right - 1 && b.left < a.right - 1 &&
          a.top < b.bottom - 1 && b.top < a.bottom - 1) overlaps++;
    }
    const r = box(svg);
    return { name: svg.dataset.plot, left: r.left, right: r.right, top: r.top, bottom: r.bottom,
             width: r.width, texts: texts.length,
             outside, overlaps };
  });
  const grid = document.querySelector('.vg-lab__plots');
  const columns = getComputedStyle(grid).gridTemplateColumns.split(' ').length;
  const cell = (box(grid).width - parseFloat(getComputedStyle(grid).columnGap) * (columns - 1))
    / columns;
  return { lab: { left: lab.left, right: lab.right }, plots, cell,
           overflow: document.documentElement.scrollWidth - window.innerWidth };
}"""


@pytest.mark.parametrize("width", [1280, 390])
def test_the_plots_fill_their_cells_and_their_labels_neither_overlap_nor_leave_them(
        lab_visits, site, width):
    """Measured in Chromium after some training: no sideways scrolling; each plot as wide as
    its cell and inside the lab; every axis label inside its plot, none over another; loss and
    accuracy side by side on a desktop, stacked on a phone."""
    page = lab_visits(site + LAB, width=width, touch=width < 500).page
    page.click("[data-preset=ch4-dying]")  # its loss blows up: the loss plot turns logarithmic
    page.wait_for_selector("[data-action=run]:not([disabled])")
    page.click("[data-action=run]")
    page.wait_for_function(
        "() => document.querySelector('[data-action=run]').textContent === 'Start'")
    page.wait_for_timeout(300)  # the last frame drawn
    layout = page.evaluate(LAYOUT)
    assert layout["overflow"] <= 0
    assert "log" in page.text_content("[data-plot=loss]")
    for plot in layout["plots"]:
        assert plot["texts"] > 4, plot
        assert abs(plot["width"] - layout["cell"]) <= 1, (plot, layout["cell"])
        assert layout["lab"]["left"] <= plot["left"] and plot["right"] <= layout["lab"]["right"]
        assert plot["outside"] == 0 and plot["overlaps"] == 0, plot
    loss, accuracy = layout["plots"][:2]
    if width >= 1000:
        assert loss["top"] == accuracy["top"] and loss["right"] <= accuracy["left"]
    else:
        assert accuracy["top"] >= loss["bottom"]


@pytest.fixture(scope="module")
def first_reports():
    """Each preset's reports under Node.js in its own seed: untrained, after one update, and
    at the end of its stopAfter epochs (tests/test_lab_presets.py's runner)."""
    runs = run_presets(OUTCOMES, [PRESET_SEED])
    return {preset: {"settings": run["settings"], "reports": run["runs"][0]["reports"]}
            for preset, run in runs.items()}


@pytest.fixture(scope="module")
def preset_pages(built_site):
    """preset → the address (relative to the site) of a built page whose lab offers it, a
    chapter's own page first."""
    import re

    pages = {}
    for path in sorted(built_site.rglob("*.html"), key=lambda p: "chapters" not in p.parts):
        for found in re.findall(r'data-presets="([^"]*)"', path.read_text(encoding="utf-8")):
            address = path.parent.relative_to(built_site).as_posix() + "/"
            for preset in found.split():
                pages.setdefault(preset, "" if address == "./" else address)
    return pages


def same_report(shown, expected):
    """Bit for bit: model.js uses only functions that Chromium and Node compute alike."""
    for key in ("updates", "loss", "heldOutAccuracy", "speeds", "weak", "diverged"):
        assert shown[key] == expected[key], key


@pytest.mark.parametrize("preset", list(OUTCOMES))
def test_a_preset_trains_in_the_page_as_under_node_and_shows_what_its_chapter_says(
        lab_visits, site, first_reports, preset_pages, preset):
    """On a page that offers it (its chapter's, if any), clicking a preset sets the controls
    without training; the page's reports before training, after one Step and at the end of
    the run — started, the lab pauses by itself after the preset's epochs — are those of
    model.js run by Node.js with the preset's settings (no page, worker or buttons), bit for
    bit; and the final report shows what the chapter says (tests/test_lab_presets.py's
    bounds, in the preset's own seed). model.js computes tanh from Math.expm1: Chromium's
    Math.tanh and Node's differ in the last bit for some arguments, and training amplifies
    that (a loss of 0.373 against 0.475 after three epochs of ch3-xavier)."""
    if preset not in preset_pages:
        pytest.skip(f"no page offers the preset {preset} yet")
    page = lab_visits(site + preset_pages[preset]).page
    settings = first_reports[preset]["settings"]
    before, after_one, final = first_reports[preset]["reports"]
    # Wait for the report of the network the click builds: the run button is enabled already,
    # and the page's first preset may share its untrained network (ch4-gentle, ch4-dying).
    previous = int(page.get_attribute("[data-lab]", "data-generation"))
    page.click(f"[data-preset={preset}]")
    page.wait_for_function(
        "previous => Number(document.querySelector('[data-lab]').dataset.generation) > previous",
        arg=previous)
    page.wait_for_selector("[data-action=run]:not([disabled])")
    same_report(report(page), before)
    assert page.get_attribute(f"[data-preset={preset}]", "aria-pressed") == "true"
    for key in ("activation", "depth", "init", "learningRate", "batchSize", "stopAfter"):
        assert page.input_value(f"[name={key}]") == str(settings[key]), key
    page.click("[data-action=step]")
    page.wait_for_function("() => document.querySelector('[data-lab]').dataset.updates === '1'")
    same_report(report(page), after_one)
    page.click("[data-action=run]")
    page.wait_for_function(
        "() => document.querySelector('[data-action=run]').textContent === 'Start'")
    shown = report(page)
    same_report(shown, final)
    if not shown["diverged"]:
        assert shown["epochs"] == pytest.approx(settings["stopAfter"])
        assert "Paused after" in page.inner_text(".vg-lab__message")
    for what, statistic, side, bound, _, _ in OUTCOMES[preset]:
        assert holds(statistic(shown), side, bound), (what, statistic(shown))


# Event Timing: every interaction's input-to-paint time (≥ 16 ms are reported), and the first
# input's whatever its length.
EVENT_TIMING = """
window.__vgEvents = [];
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) window.__vgEvents.push([entry.name, entry.duration]);
}).observe({ type: "event", durationThreshold: 16, buffered: true });
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) window.__vgEvents.push([entry.name, entry.duration]);
}).observe({ type: "first-input", buffered: true });
"""


def test_epoch_time_and_input_to_paint_while_training_are_measured(chromium, site):
    """Measured and printed, not asserted: one epoch at depth 10, width 32 (tanh) in the
    worker, and the main thread's input-to-paint while it trains."""
    opened = Visit(chromium, site + LAB + "?lab-activation=tanh&lab-depth=10&lab-width=32",
                   init_script=EVENT_TIMING)
    try:
        page = opened.page
        wait_until_ready(page)
        page.click("[data-action=run]")
        page.wait_for_function("() => document.querySelector('[data-lab]').dataset.epochMs")
        wait_for_updates_above(page, updates(page))
        epoch_ms = float(page.get_attribute("[data-lab]", "data-epoch-ms"))
        # While it trains: a control changes by keyboard (a reset), it starts again, pauses.
        page.focus("[name=output]")
        page.keyboard.press("ArrowDown")
        page.wait_for_function("() => document.querySelector('[data-lab]').dataset.updates === '0'")
        page.click("[data-action=run]")
        wait_for_updates_above(page, 0)
        page.click("[data-action=run]")
        page.wait_for_timeout(500)
        events = page.evaluate("window.__vgEvents")
        durations = {}
        for name, duration in events:
            durations[name] = max(duration, durations.get(name, 0))
        print(f"\nlab: one epoch at depth 10, width 32 (tanh) took {epoch_ms:.1f} ms in the "
              f"worker; input-to-paint while training, the longest of each event type "
              f"(entries of 16 ms or more, and the first input): {durations} ms")
        assert math.isfinite(epoch_ms) and epoch_ms > 0
        assert durations and all(math.isfinite(d) and d > 0 for d in durations.values())
        assert opened.errors == []
    finally:
        opened.close()


@pytest.mark.parametrize(("width", "touch"), [(1280, False), (390, True)],
                         ids=["desktop", "touch-phone"])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_lab_has_no_serious_accessibility_violation(lab_visits, site, scheme, width,
                                                        touch):
    """axe-core on the lab page after a few updates, its numbers table open."""
    page = lab_visits(site + LAB, scheme, width, touch).page
    page.click("[data-action=step]")
    wait_for_updates_above(page, 0)
    found, axe_report = _axe_findings(page)
    assert not found, axe_report
