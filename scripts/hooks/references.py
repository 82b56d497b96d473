"""MkDocs hook: check the bibliography (docs/references.yml) against every page's citations,
add the generated References page, and expand [[cite: …]], [[citep: …]], [[references]] and
each chapter's "How to cite" section (scripts/references.py)."""

import re
import sys
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File
from mkdocs.utils import get_relative_url

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # import the pipeline's modules
from scripts import references  # noqa: E402


def _title(text, fallback):
    match = re.search(r"^#\s+(.+)$", text, re.MULTILINE)
    return match.group(1).strip() if match else fallback


def on_files(files, config):
    try:
        # The bibliography sits beside the pages; a docs folder without one cites nothing.
        path = Path(config.docs_dir) / "references.yml"
        bibliography = references.load_references(path) if path.exists() else {}
        cited_by, titles, urls = {}, {}, {}
        for file in files.documentation_pages():
            if not file.abs_src_path:
                continue
            text = Path(file.abs_src_path).read_text(encoding="utf-8")
            titles[file.src_uri], urls[file.src_uri] = _title(text, file.src_uri), file.url
            for key in references.citations(text, file.src_uri, bibliography):
                cited_by.setdefault(key, []).append(file.src_uri)
        nobody = references.unused(bibliography, cited_by)
        if nobody:
            raise references.ReferenceError(
                f"references.yml: no page cites {', '.join(nobody)} (cite it or remove it)")
    except references.ReferenceError as error:
        raise PluginError(str(error)) from None
    page = File.generated(config, references.PAGE, content=references.references_page(
        bibliography, cited_by, titles, lambda src: get_relative_url(urls[src], "references/")))
    files.append(page)
    references.current_build.update(entries=bibliography, cited_by=cited_by)
    return files


def on_page_markdown(markdown, page, config, files):
    bibliography = references.current_build["entries"]
    where = page.file.src_uri
    try:
        markdown = references.expand(markdown, where, bibliography,
                                     get_relative_url("references/", page.url))
    except references.ReferenceError as error:
        raise PluginError(str(error)) from None
    chapter = page.meta.get("chapter")
    if chapter:
        address = config.site_url.rstrip("/") + "/" + page.url
        markdown = markdown.rstrip("\n") + "\n\n" + references.how_to_cite(
            _title(markdown, where), chapter, address, config.extra.get("build_commit"),
            config.site_name)
    return markdown
