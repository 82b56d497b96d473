"""Screenshot pages of the built site in light and dark palettes, for a person to look at.

    .venv/bin/python scripts/screenshots.py [page …]   (default: every chapter)

Reads site/ (run `make build` first) and writes screenshots/<page>-<width>-<palette>.png at
1280 and 390 px wide.
"""

import sys
from pathlib import Path

from scripts.browser import browser, serve
from sitebuild.chapters import site_pages

ROOT = Path(__file__).resolve().parent.parent
WIDTHS = (1280, 390)  # a desktop window and a phone
DEFAULT_PAGES = site_pages()  # the home page, every chapter page, the ledger


def main(pages):
    out = ROOT / "screenshots"
    out.mkdir(exist_ok=True)
    with serve(ROOT / "site") as base, browser() as chromium:
        for width in WIDTHS:
            for scheme in ("light", "dark"):
                context = chromium.new_context(color_scheme=scheme,
                                               viewport={"width": width, "height": 900})
                page = context.new_page()
                for path in pages:
                    page.goto(base + path)
                    page.wait_for_load_state("networkidle")
                    name = path.strip("/").replace("/", "-") or "home"
                    target = out / f"{name}-{width}-{scheme}.png"
                    page.screenshot(path=str(target), full_page=True)
                    print(target)
                context.close()


if __name__ == "__main__":
    main(sys.argv[1:] or DEFAULT_PAGES)
