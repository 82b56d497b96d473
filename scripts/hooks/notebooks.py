"""MkDocs hook: execute the companion notebooks (scripts/notebooks.py) and add them to the site
as generated files that mkdocs-jupyter renders; clean up what its template puts in each page
(scripts/notebook_pages.py). Nothing is written into docs/."""

import sys
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # import the pipeline's modules
from scripts import notebook_pages, notebooks  # noqa: E402


def on_config(config):
    # mkdocs-jupyter caches the pages it renders (keyed by the executed notebook's bytes): keep
    # that cache beside ours, so an empty VG_CACHE (benchmark, tests) is entirely empty.
    config.plugins["mkdocs-jupyter"].config["cache_dir"] = str(notebooks.page_cache_folder())
    return config


_execution = None  # the Future of this build's notebook execution


def on_pre_build(config):
    global _execution
    _execution = notebooks.start_execution()  # runs while the figures hook renders


@event_priority(50)  # before mkdocs-jupyter's on_files, which turns the .ipynb into pages
def on_files(files, config):
    try:
        executed = _execution.result()
    except notebooks.NotebookError as error:
        raise PluginError(str(error)) from None
    for source, (folder, executed_path) in executed.items():
        # A File read from the cache folder, not File.generated: mkdocs-jupyter's wrapper
        # only finds a path that derives from src_dir.
        files.append(File(executed_path, src_dir=str(folder), dest_dir=config.site_dir,
                          use_directory_urls=config.use_directory_urls))
        files.append(File.generated(config, notebook_pages.source_download(source.stem),
                                    abs_src_path=str(source)))
    files.append(File.generated(config, notebook_pages.STYLESHEET,
                                content=notebook_pages.stylesheet()))
    return files


def on_page_content(html, page, config, files):
    if not notebook_pages.is_notebook_page(page.file.src_uri):
        return html
    try:
        return notebook_pages.clean(html, page.file.src_uri, page.url)
    except notebook_pages.TemplateChanged as error:
        raise PluginError(str(error)) from None
