"""The site's one MkDocs plugin (``executed`` in mkdocs.yml). It holds the state of a build
and runs its steps in the order written below; the work itself is in the modules beside it.

Per build:

1. ``on_startup`` (once per process): the commit the site is built from, and the build date
   fixed by it (``provenance``), so two builds of one commit are byte-identical.
2. ``on_pre_build``: the notebooks start executing and rendering in a background thread
   (``notebooks``, ``notebook_pages``), while the figures render.
3. ``on_files``, in this order: figures rendered into the cache (``figure_cache``); the claims
   ledger checked and its page added (``claims``); the bibliography checked against every
   page's citations and its page added (``references``); the notebook pages and downloads
   added (waiting for step 2); MathJax's stylesheet added (``typeset_math``).
4. ``on_page_markdown``, per page: first the figure, value and claim markers (``markers``),
   while the Markdown is still the file's (errors name its lines); then the home page's list
   of chapters, from their front matter (``chapters``); then citations and "How to cite"
   (``references``). Text from the data files
   (claims, references) is rendered and cleaned by the one sanitiser (``sanitise``) and held
   out of the page's Markdown as inert tokens.
5. ``on_page_content``, per page: the held fragments are swapped in; a notebook page
   receives its notebook's HTML first (its math must be typeset), then the math is typeset,
   code blocks are kept out of the search index, uncoloured highlighting spans are unwrapped
   (``html_passes``), and last the code behind each figure moves to its own file
   (``listings``), so it is moved already compacted.
6. ``on_post_build``: those code files are written beside their pages, typeset math that
   no build has used for a month leaves the cache, and last every page gets the site's
   Content-Security-Policy (``content_policy``), which hashes the pages' inline scripts.
"""

import os
import posixpath
import re
import sys
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File
from mkdocs.structure.toc import get_toc
from mkdocs.utils import get_relative_url

from sitebuild import (
    cache,
    chapters,
    claims,
    content_policy,
    figure_cache,
    html_passes,
    listings,
    markers,
    notebook_pages,
    notebooks,
    provenance,
    references,
    sanitise,
    typeset_math,
)
from sitebuild.chapters import page_title

MATH_STYLESHEET = "assets/mathjax-svg.css"
# Every error a step reports to the reader as a build failure naming what is wrong.
STEP_ERRORS = (figure_cache.RenderError, claims.LedgerError, references.ReferenceError,
               markers.MarkerError, notebooks.NotebookError, notebook_pages.TemplateChanged,
               typeset_math.MathError, chapters.ChapterError, cache.SourceError)


class SitePlugin(BasePlugin):
    """Figures, claims, references, notebooks, build-time math and the code listings."""

    def on_startup(self, *, command, dirty):
        # Once per process: `mkdocs serve` keeps the date of the commit it started from, and a
        # SOURCE_DATE_EPOCH given by the caller always wins.
        self.commit = provenance.build_commit()
        provenance.fix_build_date(self.commit)
        # `mkdocs serve` keeps serving the last good build when one fails, so the reader of
        # the dev server would wait for a reload that never comes: there, a failed step
        # publishes its error as the page instead (every page, or the one page it concerns).
        self.serving = command == "serve"

    def on_config(self, config):
        config.extra["build_commit"] = self.commit
        if MATH_STYLESHEET not in config.extra_css:
            config.extra_css.append(MATH_STYLESHEET)
        return config

    def on_pre_build(self, config):
        self.build_error = None  # serving: the message every page shows instead of itself
        self.figures = {}      # module → (cache folder, manifest)
        self.claims = {}       # claim id → claim
        self.bibliography = {}  # reference key → entry
        self.executed = {}     # notebook stem → (cache folder, executed .ipynb)
        self.listings = {}     # page folder in the site → {file name: content}
        self.held = sanitise.Fragments()  # data-file text, rendered and cleaned, kept from Markdown
        self.source_texts = {}  # source page → its text, read once in on_files
        self.notebooks = notebooks.in_background(notebook_pages.prepare)

    # ------------------------------------------------------------------------------ files

    def on_files(self, files, config):
        # Every source page's text, title and address, read once for the two pages that
        # list them.
        sources = {file.src_uri: (text := _read(file), page_title(text, file.src_uri), file.url)
                   for file in files.documentation_pages() if file.abs_src_path}
        # Kept for the marker step, whose errors count lines in the file (front matter too).
        self.source_texts = {src: text for src, (text, _, _) in sources.items()}
        try:
            self._add_figures(files, config)
            self._add_claims_page(files, config, sources)
            self._add_references_page(files, config, sources)
            self._add_notebooks(files, config)
            files.append(File.generated(config, MATH_STYLESHEET,
                                        content=typeset_math.stylesheet()))
        except STEP_ERRORS as error:
            notebooks.stop()
            if not self.serving:
                raise PluginError(str(error)) from None
            self.build_error = str(error)
            print(f"ERROR   -  {error}\n(every page shows this error until it is fixed)",
                  file=sys.stderr)
            self._add_error_stubs(files, config)
        except BaseException:  # Ctrl-C, SIGTERM or a bug: the notebooks stop with the build
            notebooks.stop()
            raise
        return files

    def _add_error_stubs(self, files, config):
        """Serving a failed build: the generated pages exist, so the navigation resolves."""
        generated = ["claims.md", references.PAGE,
                     *(notebook_pages.page_uri(source.stem)
                       for source in notebooks.notebook_sources())]
        for uri in generated:
            if files.get_file_from_path(uri) is None:
                files.append(File.generated(config, uri, content="# Build error\n"))
        if files.get_file_from_path(MATH_STYLESHEET) is None:
            files.append(File.generated(config, MATH_STYLESHEET, content=""))

    def _add_figures(self, files, config):
        self.figures = figure_cache.ensure_rendered()
        for folder, manifest in self.figures.values():
            for filename in manifest["files"]:
                files.append(File.generated(config, f"figures/{filename}",
                                            abs_src_path=str(folder / filename)))

    def _add_claims_page(self, files, config, sources):
        # The ledger sits beside the pages (a test builds a copy with hostile text in it).
        path = Path(config.docs_dir) / "claims.yml"
        loaded = claims.load_ledger(path) if path.exists() else []
        self.claims = {claim["id"]: claim for claim in loaded}
        titles = {src: title for src, (_, title, _) in sources.items()}
        files.append(File.generated(config, "claims.md", content=claims.claims_page(
            loaded, titles, self.held,
            lambda test: claims.test_source_url(config.get("repo_url"), test), self._values())))

    def _values(self):
        """Every quoted value of the rendered figure modules: name → text."""
        return {name: text for _, manifest in self.figures.values()
                for name, text in manifest["values"].items()}

    def _add_references_page(self, files, config, sources):
        # The bibliography sits beside the pages; a docs folder without one cites nothing.
        path = Path(config.docs_dir) / "references.yml"
        self.bibliography = references.load_references(path) if path.exists() else {}
        cited_by = {}
        for src, (text, _, _) in sources.items():
            for key in references.citations(text, src, self.bibliography):
                cited_by.setdefault(key, []).append(src)
        titles = {src: title for src, (_, title, _) in sources.items()}
        urls = {src: url for src, (_, _, url) in sources.items()}
        nobody = references.unused(self.bibliography, cited_by)
        if nobody:
            raise references.ReferenceError(
                f"references.yml: no page cites {', '.join(nobody)} (cite it or remove it)")
        files.append(File.generated(config, references.PAGE, content=references.references_page(
            self.bibliography, cited_by, titles,
            lambda src: get_relative_url(urls[src], "references/"), self.held)))

    def _add_notebooks(self, files, config):
        figure_cache.wait_interruptibly([self.notebooks])  # Ctrl-C is heard meanwhile
        for source, (folder, executed_path) in self.notebooks.result().items():
            stem = source.stem
            self.executed[stem] = (folder, folder / executed_path)
            files.append(File.generated(config, notebook_pages.page_uri(stem),
                                        content=notebook_pages.stub_page(source)))
            files.append(File.generated(config, notebook_pages.notebook_download(stem),
                                        abs_src_path=str(folder / executed_path)))
            files.append(File.generated(config, notebook_pages.source_download(stem),
                                        abs_src_path=str(source)))
        files.append(File.generated(config, notebook_pages.STYLESHEET,
                                    content=notebook_pages.stylesheet()))

    # ------------------------------------------------------------------------------ pages

    def on_page_markdown(self, markdown, page, config, files):
        if self.build_error:
            return error_page(self.build_error)
        try:
            markdown = self._expand_markers(markdown, page, config)
            markdown = chapters.expand_list(markdown, Path(config.docs_dir) / "chapters")
            return self._expand_citations(markdown, page, config)
        except STEP_ERRORS as error:
            if self.serving:
                print(f"ERROR   -  {error}", file=sys.stderr)
                return error_page(str(error))
            raise PluginError(str(error)) from None

    def _expand_citations(self, markdown, page, config):
        where = page.file.src_uri
        markdown = references.expand(markdown, where, self.bibliography,
                                     get_relative_url("references/", page.url), self.held)
        chapter = page.meta.get("chapter")
        if chapter:
            # Without SITE_URL the site's address is mkdocs.yml's local default: not citable.
            hosted = config.site_url if os.environ.get("SITE_URL") else None
            markdown = markdown.rstrip("\n") + "\n\n" + references.how_to_cite(
                page_title(markdown, where), chapter, page.url, hosted,
                config.extra.get("build_commit"), config.site_name)
        return markdown

    def _expand_markers(self, markdown, page, config):
        where = page.file.src_uri
        figures, values = {}, {}
        for _, manifest in self.figures.values():
            for name, meta in manifest["figures"].items():
                figures[name] = (meta, lambda path: get_relative_url(path, page.url))
            values.update(manifest["values"])
        claims_link = posixpath.relpath("claims.md", posixpath.dirname(where) or ".")

        def claim_text(claim_id):
            claim = self.claims.get(claim_id)
            if claim is None:
                raise KeyError(f"unknown claim '{claim_id}' (not in claims.yml)")
            if claim["page"] != where:
                raise KeyError(f"claim '{claim_id}' belongs to {claim['page']}")
            return claims.claim_block(claim, claims_link, self.held,
                                      lambda test: claims.test_source_url(
                                          config.get("repo_url"), test), values)

        return markers.expand(markdown, where, page.meta.get("chapter"), figures, values,
                              claim_text, _first_line(self.source_texts.get(where), markdown))

    def on_page_content(self, html, page, config, files):
        if self.build_error:
            return html
        html = self.held.release(html)
        for item in _toc_items(page.toc):
            item.title = self.held.release_text(item.title)
        try:
            html = self._fill_notebook_page(html, page)
            html = typeset_math.typeset(html, page.file.src_uri)
        except STEP_ERRORS as error:
            raise PluginError(str(error)) from None
        html = html_passes.exclude_code_from_search(html)
        html = html_passes.compact(html)
        html = html_passes.hide_mutation_notes(html)
        html, found = listings.split(html)
        if found:
            self.listings[Path(page.file.dest_path).parent] = found
        return html

    def _fill_notebook_page(self, html, page):
        if not notebook_pages.is_notebook_page(page.file.src_uri):
            return html
        stem = notebook_pages.NOTEBOOK_URI.match(page.file.src_uri).group(1)
        content, toc_tokens = notebook_pages.rendered(stem, *self.executed[stem])
        page.toc = get_toc(toc_tokens)
        return notebook_pages.clean(content, page.file.src_uri, page.url)

    def on_post_build(self, config):
        for folder, found in self.listings.items():
            target = Path(config.site_dir) / folder
            target.mkdir(parents=True, exist_ok=True)
            for name, content in found.items():
                (target / name).write_text(content, encoding="utf-8")
        typeset_math.prune()  # typeset math that no build has used for a month
        try:
            content_policy.apply(config.site_dir)  # last: it hashes the pages' inline scripts
        except content_policy.PolicyError as error:
            raise PluginError(str(error)) from None


def error_page(message):
    """The Markdown of a page that shows a failed build's error (``mkdocs serve`` only)."""
    fence = "`" * max(3, 1 + max((len(run) for run in re.findall(r"`+", message)), default=0))
    return (f"# The build failed\n\n`mkdocs serve` shows this page in place of the site until "
            f"the error is fixed; saving a fix rebuilds it and this page reloads.\n\n"
            f"{fence}text\n{message}\n{fence}\n")


def _first_line(source, markdown):
    """The line of the page's source file (its text ``source``; None for a generated page)
    that ``markdown``, the page without its front matter, starts on, so that an error names
    the line a writer sees in the file."""
    if source is None or not source.endswith(markdown):
        return 1
    return source[:len(source) - len(markdown)].count("\n") + 1


def _toc_items(items):
    for item in items:
        yield item
        yield from _toc_items(item.children)


def _read(file):
    return Path(file.abs_src_path).read_text(encoding="utf-8")
