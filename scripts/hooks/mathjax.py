"""MkDocs hook: typeset every page's math at build time with MathJax (scripts/typeset_math.py)
and serve MathJax's stylesheet for it; the reader's browser runs no math engine."""

import sys
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # import the pipeline's modules
from scripts import typeset_math  # noqa: E402

STYLESHEET = "assets/mathjax-svg.css"


def on_config(config):
    if STYLESHEET not in config.extra_css:
        config.extra_css.append(STYLESHEET)
    return config


def on_files(files, config):
    try:
        css = typeset_math.stylesheet()
    except typeset_math.MathError as error:
        raise PluginError(str(error)) from error
    files.append(File.generated(config, STYLESHEET, content=css))
    return files


def on_page_content(html, page, config, files):
    try:
        return typeset_math.typeset(html, page.file.src_uri)
    except typeset_math.MathError as error:
        raise PluginError(str(error)) from error
