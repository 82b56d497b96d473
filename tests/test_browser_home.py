"""The home page's figure and the notebooks' plots, measured in headless Chromium.

- The home figure's direct labels (one per initialisation, at each line's end) overlap neither
  each other nor the plotting area, in every rendering (wide and narrow, light and dark): their
  boxes are measured in the SVG as Chromium lays it out.
- The home figure's alt text quotes the share of the error that reaches the first layer, for
  every activation and initialisation, as the experiment computes it.
- A notebook page shows each plot once, inline, in the reader's palette: its text has a
  contrast of at least 4.5:1 on the page in both palettes, is at least MIN_PHONE_PX tall on a
  phone, and changes palette when the reader toggles it (no reload). The downloaded notebook
  holds the same plots as plain SVG in the light palette.
"""

import itertools
import json
import re

import pytest

from sitebuild.notebooks import notebook_sources
from snippets.experiments.home.gradient_by_initialisation import (
    ACTIVATIONS,
    INITIALISATIONS,
    gradient_by_initialisation,
)
from tests.test_browser import base_url, visit  # noqa: F401  (fixtures)

pytestmark = pytest.mark.browser

FIGURE = "gradient-by-initialisation"
RENDERINGS = [f"{FIGURE}-light.svg", f"{FIGURE}-dark.svg", f"{FIGURE}-narrow-light.svg",
              f"{FIGURE}-narrow-dark.svg"]
NOTEBOOKS = [f"notebooks/{source.stem}/" for source in notebook_sources()]
MIN_CONTRAST = 4.5
MIN_PHONE_PX = 10.0  # the smallest plot text (tick labels) on a 390 px wide phone
LIGHT_TEXT = "#1f2329"  # snippets/figures/style.py PALETTES["light"]["text"], typed as an oracle

LABEL_BOXES = """labels => [...document.querySelectorAll('g[id^="axes_"]')].map(axes => {
  const frame = axes.querySelector('g[id^="patch_"] path').getBoundingClientRect();
  const texts = [...axes.querySelectorAll('text')]
    .filter(text => labels.includes(text.textContent.trim()))
    .map(text => {
      const box = text.getBoundingClientRect();
      return {name: text.textContent.trim(), left: box.left, right: box.right,
              top: box.top, bottom: box.bottom};
    });
  return {frameRight: frame.right, labels: texts};
})"""


@pytest.mark.parametrize("rendering", RENDERINGS)
def test_home_figure_labels_overlap_neither_each_other_nor_the_plot(visit, base_url,  # noqa: F811
                                                                    rendering):
    page = visit(base_url + "figures/" + rendering).page
    panels = page.evaluate(LABEL_BOXES, list(INITIALISATIONS))
    assert len(panels) == len(ACTIVATIONS), panels
    for panel in panels:
        assert sorted(label["name"] for label in panel["labels"]) == sorted(INITIALISATIONS)
        for label in panel["labels"]:
            assert label["left"] >= panel["frameRight"], (rendering, label, panel["frameRight"])
        for first, second in itertools.combinations(panel["labels"], 2):
            apart = (first["bottom"] <= second["top"] or second["bottom"] <= first["top"]
                     or first["right"] <= second["left"] or second["right"] <= first["left"])
            assert apart, (rendering, first, second)


def _scientific(value):
    """"1.8 × 10⁻³¹": written here again, independently of snippets/figures/formatting.py."""
    mantissa, exponent = f"{value:.1e}".split("e")
    if int(exponent) == 0:
        return mantissa
    digits = str(int(exponent)).translate(str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹"))
    return f"{mantissa} × 10{digits}"


def test_home_figure_alt_text_quotes_every_first_layer_share(visit, base_url):  # noqa: F811
    page = visit(base_url).page
    alt = page.locator(".vg-figure img").first.get_attribute("alt")
    for activation, runs in gradient_by_initialisation().items():
        for name, ratios in runs.items():
            assert f"{_scientific(ratios[0])} with {name}" in alt, (activation, name, alt)


# ---------------------------------------------------------------------------- notebook plots

PLOT_TEXT = """() => {
  const rgb = text => text.match(/[\\d.]+/g).slice(0, 4).map(Number);
  const background = node => {
    for (; node; node = node.parentElement) {
      const colour = rgb(getComputedStyle(node).backgroundColor);
      if (colour.length < 4 || colour[3] > 0) return colour.slice(0, 3);
    }
    return [255, 255, 255];
  };
  return [...document.querySelectorAll('svg.vg-notebook-plot')].map(svg => ({
    width: svg.getBoundingClientRect().width,
    // Every run of text, a tick's exponent (a <tspan> of its own size) included.
    texts: [...svg.querySelectorAll('text, tspan')].filter(text => text.textContent.trim())
      .map(text => ({
        fill: rgb(getComputedStyle(text).fill).slice(0, 3),
        // The drawn size: the font size in the SVG's units times its scale on the screen.
        px: parseFloat(getComputedStyle(text).fontSize)
            * Math.hypot(text.getScreenCTM().a, text.getScreenCTM().b),  // rotated: a = 0
      })),
    background: background(svg.parentElement),
  }));
}"""


def _luminance(rgb):
    def channel(value):
        value /= 255
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(value) for value in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(first, second):
    light, dark = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_contrast_is_the_wcag_ratio():
    assert contrast((0, 0, 0), (255, 255, 255)) == pytest.approx(21.0)
    assert contrast((119, 119, 119), (255, 255, 255)) == pytest.approx(4.48, abs=0.01)


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("path", NOTEBOOKS)
def test_notebook_plots_are_readable_in_either_palette(visit, base_url, path, width,  # noqa: F811
                                                       scheme):
    page = visit(base_url + path, scheme, width).page
    plots = page.evaluate(PLOT_TEXT)
    assert plots, f"{path}: no inline plot"
    assert not page.locator('.jp-OutputArea img[src^="data:image/svg"]').count()
    for plot in plots:
        assert plot["texts"], plot
        for text in plot["texts"]:
            assert contrast(text["fill"], plot["background"]) >= MIN_CONTRAST, (text, plot)
            if width == 390:
                assert text["px"] >= MIN_PHONE_PX, (path, text)


def test_notebook_plots_follow_the_palette_toggle(visit, base_url):  # noqa: F811
    page = visit(base_url + NOTEBOOKS[0], "light").page
    before = page.evaluate(PLOT_TEXT)[0]
    page.locator('label[title="Switch to dark mode"]').click()
    page.wait_for_function("document.body.dataset.mdColorScheme === 'slate'")
    after = page.evaluate(PLOT_TEXT)[0]
    assert before["texts"][0]["fill"] == [int(LIGHT_TEXT[i:i + 2], 16) for i in (1, 3, 5)]
    assert after["texts"][0]["fill"] != before["texts"][0]["fill"]
    assert contrast(after["texts"][0]["fill"], after["background"]) >= MIN_CONTRAST


@pytest.mark.parametrize("path", NOTEBOOKS)
def test_downloaded_notebook_holds_the_plots_as_plain_light_svg(visit, base_url, path):  # noqa: F811
    page = visit(base_url + path).page
    stem = path.rstrip("/").rsplit("/", 1)[1]
    notebook = json.loads(page.request.get(f"{base_url}{path}{stem}.ipynb").body())
    svgs = ["".join(output["data"]["image/svg+xml"]) for cell in notebook["cells"]
            for output in cell.get("outputs", []) if "image/svg+xml" in output.get("data", {})]
    assert len(svgs) == len(page.evaluate(PLOT_TEXT))
    assert not any("image/png" in output.get("data", {}) for cell in notebook["cells"]
                   for output in cell.get("outputs", []))
    for svg in svgs:
        assert re.search(f"fill: {LIGHT_TEXT}", svg) and "var(" not in svg
