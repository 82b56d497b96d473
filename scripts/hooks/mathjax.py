"""MkDocs hook: serve MathJax 3 from the site itself, copied from the installed
django-static-mathjax package (no CDN)."""

import importlib.util
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File

# Every part of MathJax a page can load: the TeX→CommonHTML bundle, TeX extensions that the
# autoloader fetches on demand (cancel, …), the CHTML web fonts, and what the context menu can
# ask for — its SVG renderer (output/svg.js and its font), and for the accessibility items
# (explorer, collapsible math, speech, braille, language) the a11y modules, the MathML input
# that semantic enrichment parses with, and the speech rule engine's locale files.
# tests/test_browser.py switches every such menu item on and fails on any MathJax 404.
PARTS = ("tex-chtml.js", "input/tex/extensions", "output/chtml/fonts/woff-v2", "ui", "a11y",
         "adaptors", "output/svg.js", "output/svg/fonts", "input/mml.js",
         "input/mml/entities.js", "sre/mathmaps")
SERVED_SUFFIXES = (".js", ".woff", ".json")


def mathjax_root():
    spec = importlib.util.find_spec("mathjax")
    if spec is None or not spec.submodule_search_locations:
        raise PluginError("MathJax is missing: install django-static-mathjax "
                          "(pip install -r requirements.txt)")
    return Path(list(spec.submodule_search_locations)[0]) / "static" / "mathjax" / "es5"


def on_files(files, config):
    root = mathjax_root()
    for part in PARTS:
        source = root / part
        if not source.exists():
            continue
        paths = [source] if source.is_file() else sorted(
            path for path in source.rglob("*") if path.suffix in SERVED_SUFFIXES)
        for path in paths:
            uri = f"assets/mathjax/{path.relative_to(root).as_posix()}"
            files.append(File.generated(config, uri, abs_src_path=str(path)))
    return files
