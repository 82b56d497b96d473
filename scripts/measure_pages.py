"""Measure the built site as a reader's browser sees it (prints; asserts nothing).

    .venv/bin/python scripts/measure_pages.py [page …]     (or `make measure`; default: every page)

Reads site/ (run `make build` first). For every page, at 390 and 1280 px wide, in the light and
the dark palette, it opens the page in a fresh headless Chromium (empty cache) and prints:

- the smallest figure text in CSS px: each visible figure's smallest font size (read from its
  SVG, in points of the figure's own coordinate system) times its rendered width over its width
  in points — the figure's font size, its width in inches and its rendered width;
- first-load bytes: every file the page fetched until the network was idle, decoded (the file)
  and gzip-compressed (what a server compressing at level 6 sends; fonts are already compressed);
- which palette's figures were fetched (light, dark) after scrolling through the page;
- the cumulative layout shift (every shift, math included) and whether a math engine (any
  MathJax script) was loaded — none should be: the build typesets the math;
- the palette at the first contentful paint (a dark-mode visitor should see "slate").
"""

import gzip
import re
import sys
from pathlib import Path
from urllib.parse import unquote, urlparse

from scripts.browser import browser, serve
from sitebuild.chapters import site_pages

ROOT = Path(__file__).resolve().parent.parent
SITE = ROOT / "site"
WIDTHS = (390, 1280)
SCHEMES = ("light", "dark")
DEFAULT_PAGES = site_pages()  # the home page, every chapter page, the ledger

# Installed before any page script: layout shifts, and every value the body's palette
# attribute takes, with the time it took it, to compare with the first contentful paint.
OBSERVERS = """
window.__shift = 0;
window.__schemes = [];
new PerformanceObserver(list => {
  for (const entry of list.getEntries()) if (!entry.hadRecentInput) window.__shift += entry.value;
}).observe({type: 'layout-shift', buffered: true});
const recordScheme = () => document.body && window.__schemes.push(
  [performance.now(), document.body.getAttribute('data-md-color-scheme')]);
new MutationObserver(records => {
  for (const record of records) {
    const added = record.type === 'childList' && [...record.addedNodes].includes(document.body);
    if (added) recordScheme();
    if (record.type === 'attributes' && record.target === document.body) recordScheme();
  }
}).observe(document, {subtree: true, childList: true, attributes: true,
                      attributeFilter: ['data-md-color-scheme']});
"""

PAGE_REPORT = """() => {
  const paint = performance.getEntriesByName('first-contentful-paint')[0];
  const fcp = paint ? paint.startTime : null;
  const before = window.__schemes.filter(([time]) => fcp === null || time <= fcp);
  return {
    shift: window.__shift,
    schemeAtPaint: before.length ? before[before.length - 1][1] : null,
    figures: [...document.querySelectorAll('.vg-figure img')]
      .filter(img => img.getBoundingClientRect().width > 0
                     && getComputedStyle(img).display !== 'none')
      .map(img => ({src: img.currentSrc, width: img.getBoundingClientRect().width})),
  };
}"""

# Font sizes in an SVG written by matplotlib: as text (svg.fonttype "none") a CSS font size,
# as outlines ("path") a glyph group scaled by size/100 (matplotlib's text-to-path scale).
TEXT_SIZE = re.compile(r"font(?:-size)?:\s*(?:[a-z]+ )*([\d.]+)px")
PATH_SIZE = re.compile(r"scale\(([\d.]+) -\1\)")
VIEWBOX = re.compile(r'viewBox="0 0 ([\d.]+) ([\d.]+)"')


def svg_font_sizes(text):
    """Every font size of the SVG's text, in its own user units (points), and its width."""
    sizes = [float(size) for size in TEXT_SIZE.findall(text)]
    sizes += [100 * float(scale) for scale in PATH_SIZE.findall(text)]
    return sizes, float(VIEWBOX.search(text).group(1))


def local_file(url):
    path = unquote(urlparse(url).path).lstrip("/")
    target = SITE / path
    if target.is_dir() or path == "" or path.endswith("/"):
        target = target / "index.html"
    return target if target.is_file() else None


def measure(chromium, base, path, width, scheme):
    context = chromium.new_context(color_scheme=scheme, viewport={"width": width, "height": 900})
    context.add_init_script(OBSERVERS)
    page = context.new_page()
    fetched = []
    page.on("requestfinished", lambda request: fetched.append(request.url))
    page.goto(base + path)
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(300)  # layout shifts are reported asynchronously
    first_load = list(fetched)  # what the page fetched before the reader scrolled
    report = page.evaluate(PAGE_REPORT)
    # Lazy figures load as the reader scrolls: scroll through the page, then measure them all.
    height = page.evaluate("document.body.scrollHeight")
    for top in range(0, height, 600):
        page.evaluate(f"window.scrollTo(0, {top})")
        page.wait_for_timeout(40)
    page.wait_for_load_state("networkidle")
    report["figures"] = page.evaluate(PAGE_REPORT)["figures"]
    context.close()

    decoded = compressed = 0
    for url in dict.fromkeys(first_load):
        target = local_file(url)
        if target is None:
            continue
        body = target.read_bytes()
        decoded += len(body)
        compressed += len(gzip.compress(body, compresslevel=6, mtime=0))
    smallest = None
    for figure in report["figures"]:
        target = local_file(figure["src"])
        if target is None:
            sys.exit(f"{path}: a figure was never loaded ({figure['src'] or 'no source'})")
        sizes, svg_width = svg_font_sizes(target.read_text(encoding="utf-8"))
        if sizes:
            size = min(sizes) * figure["width"] / svg_width
            smallest = size if smallest is None else min(smallest, size)
    # Every figure file fetched by the end of the scroll: the hidden palette's must be none.
    figure_files = [url for url in fetched if "/figures/" in url and url.endswith(".svg")]
    return {
        "smallest": smallest,
        "decoded": decoded, "gzip": compressed,
        "light": sum("-light" in url for url in figure_files),
        "dark": sum("-dark" in url for url in figure_files),
        "engine": any(url.endswith(".js") and "mathjax" in url.lower() for url in first_load),
        "shift": report["shift"],
        "paint": report["schemeAtPaint"],
    }


def main(pages):
    if not (SITE / "index.html").is_file():
        sys.exit("site/ is not built: run `make build` first")
    print(f"{'page':40} {'px':>5} {'palette':7} {'min text':>8} {'KB gzip':>8} "
          f"{'KB dec.':>8} {'fig L/D':>8} {'math JS':>7} {'shift':>6} {'at paint':>8}")
    with serve(SITE) as base, browser() as chromium:
        for path in pages:
            for width in WIDTHS:
                for scheme in SCHEMES:
                    row = measure(chromium, base, path, width, scheme)
                    smallest = f"{row['smallest']:.1f}" if row["smallest"] else "-"
                    print(f"{path or '(home)':40} {width:>5} {scheme:7} {smallest:>8} "
                          f"{row['gzip'] / 1000:>8.0f} {row['decoded'] / 1000:>8.0f} "
                          f"{row['light']:>3}/{row['dark']:<4} "
                          f"{'yes' if row['engine'] else 'no':>7} {row['shift']:>6.3f} "
                          f"{row['paint'] or '-':>8}", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:] or DEFAULT_PAGES)
