"""MkDocs hook: execute the companion notebooks (scripts/notebooks.py), add their pages and
downloads, and fill each page with mkdocs-jupyter's rendering of the executed notebook,
cleaned up (scripts/notebook_pages.py). Nothing is written into docs/."""

import sys
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File
from mkdocs.structure.toc import get_toc

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # import the pipeline's modules
from scripts import notebook_pages, notebooks  # noqa: E402

_preparation = None  # the Future of this build's notebook execution and page rendering
_executed = {}       # stem → (cache folder, executed .ipynb), for on_page_content


def on_pre_build(config):
    global _preparation
    _preparation = notebooks.in_background(notebook_pages.prepare)  # while figures render


def on_files(files, config):
    try:
        executed = _preparation.result()
        _executed.clear()
        for source, (folder, executed_path) in executed.items():
            stem = source.stem
            _executed[stem] = (folder, folder / executed_path)
            files.append(File.generated(config, notebook_pages.page_uri(stem),
                                        content=notebook_pages.stub_page(source)))
            files.append(File.generated(config, notebook_pages.notebook_download(stem),
                                        abs_src_path=str(folder / executed_path)))
            files.append(File.generated(config, notebook_pages.source_download(stem),
                                        abs_src_path=str(source)))
        files.append(File.generated(config, notebook_pages.STYLESHEET,
                                    content=notebook_pages.stylesheet()))
    except (notebooks.NotebookError, notebook_pages.TemplateChanged) as error:
        raise PluginError(str(error)) from None
    return files


def on_page_content(html, page, config, files):
    if not notebook_pages.is_notebook_page(page.file.src_uri):
        return html
    stem = notebook_pages.NOTEBOOK_URI.match(page.file.src_uri).group(1)
    try:
        content, toc_tokens = notebook_pages.rendered(stem, *_executed[stem])
        page.toc = get_toc(toc_tokens)
        return notebook_pages.clean(content, page.file.src_uri, page.url)
    except notebook_pages.TemplateChanged as error:
        raise PluginError(str(error)) from None
