"""MkDocs hook: serve MathJax 3 from the site itself, copied from the installed
django-static-mathjax package (no CDN)."""

import importlib.util
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File

# The parts of MathJax a page can load: the TeX→CommonHTML bundle, TeX extensions that the
# autoloader fetches on demand (cancel, …), the CHTML web fonts and the context-menu code.
# (The menu's SVG renderer and explorer are not copied yet: see issue 10.)
PARTS = ("tex-chtml.js", "input/tex/extensions", "output/chtml/fonts/woff-v2", "ui", "a11y",
         "adaptors")


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
            path for path in source.rglob("*") if path.suffix in (".js", ".woff"))
        for path in paths:
            uri = f"assets/mathjax/{path.relative_to(root).as_posix()}"
            files.append(File.generated(config, uri, abs_src_path=str(path)))
    return files
