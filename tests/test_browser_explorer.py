"""Chapter 5's explorer as a newcomer meets it, in headless Chromium at a 1280 × 800 window and
a 390 × 844 phone: the controls and all three plots on one screen, χ₁ and its phase beside the
controls, the critical σ_w² marked on the weight slider, and one-click presets.

The oracles are independent of the page's script: the bounding boxes Chromium lays out, the
mean field of snippets/core/mean_field.py called from Python, and the slider's own geometry,
found by clicking along it (Chromium puts the thumb's centre where the track is clicked)."""

import math
import re

import numpy as np
import pytest

from snippets.core import mean_field
from tests.test_browser import EXPLORER, base_url  # noqa: F401

pytestmark = pytest.mark.browser

SIZES = [(1280, 800), (390, 844)]  # a desktop window and a phone
READY = "() => document.querySelector('.vg-explorer')?.dataset.ready === 'true'"


@pytest.fixture
def explorer(chromium, base_url):  # noqa: F811
    """explorer(width, height, scheme) → the explorer page, ready, in a fresh context."""
    contexts = []

    def open_page(width, height, scheme="light"):
        context = chromium.new_context(viewport={"width": width, "height": height},
                                       color_scheme=scheme)
        context.set_default_timeout(120_000)  # only decides when to give up
        contexts.append(context)
        page = context.new_page()
        page.errors = []
        page.on("pageerror", lambda error: page.errors.append(str(error)))
        page.on("console", lambda m: m.type == "error" and page.errors.append(m.text))
        page.goto(base_url + EXPLORER)
        page.wait_for_function(READY)
        return page

    yield open_page
    for context in contexts:
        context.close()


def _grid(page):
    """The grid the page drew from, as its script fetched it."""
    return page.evaluate("""async () => (await fetch(
        document.querySelector('.vg-explorer a[data-grid]').href)).json()""")


BOXES = """() => {
  const root = document.querySelector('.vg-explorer');
  const box = (e) => { const r = e.getBoundingClientRect();
    return { left: r.left, top: r.top, right: r.right, bottom: r.bottom }; };
  return {
    header: box(document.querySelector('.md-header')),
    viewport: { width: document.documentElement.clientWidth, height: innerHeight },
    controls: box(root.querySelector('form')),
    chi: box(root.querySelector('[data-chi]')),
    phase: box(root.querySelector('[data-phase]')),
    mark: box(root.querySelector('[data-critical-label]')),
    gradient: box(root.querySelector('[data-plot=gradient]')),
    activations: box(root.querySelector('[data-plot=activations]')),
    weak: box(root.querySelector('[data-plot=weak]')),
  };
}"""


def _off_screen(boxes):
    """The named boxes not wholly in the viewport below Material's fixed header."""
    top, view = boxes["header"]["bottom"], boxes["viewport"]
    return {name: box for name, box in boxes.items() if name not in ("header", "viewport")
            and not (box["top"] >= top - 0.5 and box["bottom"] <= view["height"] + 0.5
                     and box["left"] >= -0.5 and box["right"] <= view["width"] + 0.5)}


def _scroll_to_explorer(page):
    page.locator("[data-stage]").evaluate("stage => stage.scrollIntoView()")
    page.wait_for_timeout(100)


def _set(page, activation, bias, weight, depth):
    """Set the controls as a reader would leave them, by their values: the activation's name,
    σ_b² and σ_w² as indices of the grid, the depth."""
    page.evaluate("""([activation, bias, weight, depth]) => {
      const form = document.querySelector('.vg-explorer form');
      form.elements.activation.value = activation;
      form.elements.bias.value = String(bias);
      form.elements.weight.value = String(weight);
      form.elements.depth.value = String(depth);
      form.dispatchEvent(new Event('input', { bubbles: true }));
    }""", [activation, bias, weight, depth])


def _controls(page):
    return page.evaluate("""() => {
      const form = document.querySelector('.vg-explorer form');
      return { activation: form.elements.activation.value, bias: +form.elements.bias.value,
               weight: +form.elements.weight.value, depth: +form.elements.depth.value };
    }""")


def _readout(page):
    root = page.locator(".vg-explorer")
    return {"chi": root.locator("[data-chi]").inner_text(),
            "phase": root.locator("[data-phase]").inner_text(),
            "mark": root.locator("[data-critical-label]").inner_text(),
            "note": root.locator("[data-preset-note]").inner_text()}


def _expected_phase(chi, depth):
    """Critical when the depth scale 1/|ln χ₁| reaches the networks' depth, else the side of
    1 that χ₁ is on."""
    return ("critical" if abs(math.log(chi)) <= 1 / depth
            else "ordered" if chi < 1 else "chaotic")


def _check_readout(page, grid, activation, bias, weight):
    """The χ₁ shown against mean_field.chi_1, and the phase against the side of 1 it is on."""
    shown = _readout(page)
    expected = mean_field.chi_1(activation, grid["weightVariances"][weight],
                                grid["biasVariances"][bias])
    assert float(shown["chi"]) == pytest.approx(expected, rel=5e-3), (activation, shown)
    phase = _expected_phase(expected, grid["depth"])
    assert phase in shown["phase"], (activation, bias, weight, expected, shown)
    other = {"ordered", "critical", "chaotic"} - {phase}
    assert not any(word in shown["phase"] for word in other), shown
    # The words agree with the number printed beside them.
    printed = float(shown["chi"])
    assert (printed < 1) if phase == "ordered" else (printed > 1) if phase == "chaotic" \
        else abs(printed - 1) < 0.05, shown
    return phase


@pytest.mark.parametrize("width, height", SIZES)
def test_controls_readout_and_all_three_plots_share_one_screen(explorer, width, height):
    """Scrolled to the explorer, the controls, χ₁, its phase, the critical mark and the three
    plots all lie within the viewport below the header, plots at a readable size; and they
    stay there while a slider moves (by keyboard) and after a preset."""
    page = explorer(width, height)
    _scroll_to_explorer(page)
    boxes = page.evaluate(BOXES)
    assert _off_screen(boxes) == {}, boxes
    for name in ("gradient", "activations", "weak"):
        plot = boxes[name]
        assert plot["right"] - plot["left"] >= 300 and plot["bottom"] - plot["top"] >= 110, \
            (name, plot)
    page.locator(".vg-explorer [name=weight]").focus()
    for key in ["ArrowRight"] * 3 + ["End", "Home"]:
        page.keyboard.press(key)
        moved = page.evaluate(BOXES)
        assert _off_screen(moved) == {}, (key, moved)
    page.evaluate("window.scrollTo(0, 0)")
    page.locator(".vg-explorer [data-preset]").nth(4).click()
    assert _off_screen(page.evaluate(BOXES)) == {}
    assert page.errors == []


POINTS = [  # (activation, σ_b² index, σ_w²): each phase, with and without biases
    ("tanh", 0, 0.5), ("tanh", 0, 1.0), ("tanh", 0, 4.0), ("tanh", 1, 1.0), ("tanh", 1, 1.761),
    ("relu", 0, 1.0), ("relu", 0, 2.0), ("relu", 2, 4.0), ("sigmoid", 0, 8.0),
    ("sigmoid", 0, 103.0), ("sigmoid", 2, 128.0), ("penalized_tanh", 2, 2.0),
    ("leaky_relu", 1, 16.0)]


@pytest.mark.parametrize("width, height", SIZES)
def test_chi_1_and_its_phase_follow_the_mean_field(explorer, width, height):
    """At points in each phase, the χ₁ shown is mean_field.chi_1's to its three printed digits,
    and the phase named agrees with χ₁ < 1, ≈ 1 or > 1; both visible on screen."""
    page = explorer(width, height)
    grid = _grid(page)
    _scroll_to_explorer(page)
    phases = set()
    for activation, bias, weight_variance in POINTS:
        weight = grid["weightVariances"].index(weight_variance)
        _set(page, activation, bias, weight, grid["depth"])
        phases.add(_check_readout(page, grid, activation, bias, weight))
        boxes = page.evaluate(BOXES)
        assert not {"chi", "phase"} & set(_off_screen(boxes)), boxes
    assert phases == {"ordered", "critical", "chaotic"}


def _click_value(page, slider, x, park):
    """The slider's value after a click at x (its thumb first parked at index ``park``, away
    from x, so the click lands on the track and not on the thumb)."""
    slider.evaluate("(input, park) => { input.value = String(park); }", park)
    page.mouse.click(x, slider.bounding_box()["y"] + slider.bounding_box()["height"] / 2)
    return int(slider.input_value())


def _boundary(page, slider, low, high, below, park):
    """The x where a click turns the value from ``below`` to ``below + 1``, to 1/16 px."""
    while high - low > 1 / 16:
        middle = (low + high) / 2
        if _click_value(page, slider, middle, park) <= below:
            low = middle
        else:
            high = middle
    return (low + high) / 2


CRITICAL = [("tanh", 0), ("tanh", 1), ("tanh", 2), ("relu", 1), ("sigmoid", 0),
            ("penalized_tanh", 1), ("penalized_tanh", 2)]


@pytest.mark.parametrize("width, height", SIZES)
def test_the_critical_mark_stands_at_the_critical_weight_variance(explorer, width, height):
    """The mark on the weight slider names mean_field.critical_weight_variance for the chosen
    activation and σ_b², and stands within 1.5 px of where Chromium would put the thumb's
    centre for that σ_w²: the slider's value is an index of the grid's σ_w², the critical one
    log-linear between its neighbours, and the thumb's centres are measured by clicking."""
    page = explorer(width, height)
    grid = _grid(page)
    _scroll_to_explorer(page)
    slider = page.locator(".vg-explorer [name=weight]")
    box = slider.bounding_box()
    last = len(grid["weightVariances"]) - 1
    # Clicks between the thumb's centres at index 0 and 1 (and last − 1 and last) turn the
    # value at their midpoint: index 0.5 and last − 0.5.
    first = _boundary(page, slider, box["x"], box["x"] + box["width"] / 2, 0, last)
    final = _boundary(page, slider, box["x"] + box["width"] / 2, box["x"] + box["width"],
                      last - 1, 0)
    per_index = (final - first) / (last - 1)

    values = np.log(grid["weightVariances"])
    for activation, bias in CRITICAL:
        _set(page, activation, bias, 0, grid["depth"])
        expected = mean_field.critical_weight_variance(activation, grid["biasVariances"][bias])
        label = page.locator(".vg-explorer [data-critical-label]")
        assert label.is_visible()
        shown = float(re.fullmatch(r"χ₁ = 1 at ([\d.]+)", label.inner_text()).group(1))
        assert shown == pytest.approx(expected, rel=5e-3), (activation, bias, shown)
        index = np.interp(math.log(expected), values, np.arange(values.size))
        mark = page.locator(".vg-explorer [data-critical]").bounding_box()
        centre = mark["x"] + mark["width"] / 2
        assert centre == pytest.approx(first + (index - 0.5) * per_index, abs=1.5), \
            (activation, bias, index, centre)
        boxes = page.evaluate(BOXES)
        assert "mark" not in _off_screen(boxes), boxes


@pytest.mark.parametrize("width, height", SIZES)
def test_each_preset_sets_the_controls_it_claims_by_keyboard(explorer, width, height):
    """Each "things to try" button, pressed from the keyboard after the controls were moved
    elsewhere, sets the activation, σ_b², σ_w² and depth its data and its label name ("critical"
    meaning the grid's σ_w² nearest mean_field's critical one), updates χ₁ and the phase, and
    says what to look for with its numbers filled in."""
    page = explorer(width, height)
    grid = _grid(page)
    labels = {a["name"]: a["label"] for a in grid["activations"]}
    buttons = page.locator(".vg-explorer [data-preset]")
    assert buttons.count() >= 6
    for i in range(buttons.count()):
        button = buttons.nth(i)
        claim = button.evaluate("b => ({ ...b.dataset, text: b.textContent })")
        # somewhere else first: another activation, the largest σ_b², the smallest σ_w², depth 3
        other = next(name for name in labels if name != claim["activation"])
        _set(page, other, len(grid["biasVariances"]) - 1, 0, 3)
        before = _readout(page)
        button.focus()
        page.keyboard.press("Enter" if i % 2 else "Space")
        controls = _controls(page)
        assert controls["activation"] == claim["activation"], claim
        assert labels[claim["activation"]].lower() in claim["text"].lower(), claim
        assert grid["biasVariances"][controls["bias"]] == float(claim["bias"]), claim
        assert controls["depth"] == int(claim["depth"]), claim
        chosen = grid["weightVariances"][controls["weight"]]
        if claim["weight"] == "critical":
            critical = mean_field.critical_weight_variance(claim["activation"],
                                                           float(claim["bias"]))
            nearest = min(grid["weightVariances"], key=lambda w: abs(math.log(w / critical)))
            assert chosen == nearest, (claim, chosen, critical)
            assert "critical" in claim["text"], claim
        else:
            assert chosen == float(claim["weight"]), claim
            assert re.search(rf"= {re.escape(f'{chosen:g}')}(?![\d.])", claim["text"]), claim
        after = _readout(page)
        assert after["chi"] != before["chi"] or after["phase"] != before["phase"], claim
        _check_readout(page, grid, claim["activation"], controls["bias"], controls["weight"])
        assert after["note"] and "{" not in after["note"], after
        if "{chi}" in claim["note"]:
            assert f"χ₁ = {after['chi']}" in after["note"], after
        assert button.evaluate("b => b.classList.contains('vg-preset--current')")
        boxes = page.evaluate(BOXES)
        assert _off_screen(boxes) == {}, (claim, boxes)
    assert page.errors == []
