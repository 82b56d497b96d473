"""MkDocs hook: serve the code behind each figure beside its page, fetched when opened
(scripts/listings.py); the page itself carries a link in its place."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # import the pipeline's modules
from scripts import listings  # noqa: E402

_pending = {}  # page folder in the site → {file name: content}, written after the build


def on_pre_build(config):
    _pending.clear()


def on_page_content(html, page, config, files):
    html, found = listings.split(html)
    if found:
        _pending[Path(page.file.dest_path).parent] = found
    return html


def on_post_build(config):
    for folder, found in _pending.items():
        target = Path(config.site_dir) / folder
        target.mkdir(parents=True, exist_ok=True)
        for name, content in found.items():
            (target / name).write_text(content, encoding="utf-8")
