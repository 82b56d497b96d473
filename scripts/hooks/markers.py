"""MkDocs hook: expand the page markers [[figure: …]], [[value: …]] and [[claim: …]]
(scripts/markers.py) from what the figures and claims hooks gathered."""

import posixpath
import sys
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.utils import get_relative_url

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # import the pipeline's modules
from scripts import claims as ledger  # noqa: E402
from scripts import figure_cache, markers  # noqa: E402


def on_page_markdown(markdown, page, config, files):
    where = page.file.src_uri
    figures, values = {}, {}
    for _, manifest in figure_cache.current_build.values():
        for name, meta in manifest["figures"].items():
            figures[name] = (meta, lambda filename: get_relative_url(f"figures/{filename}",
                                                                     page.url))
        values.update(manifest["values"])
    claims_link = posixpath.relpath("claims.md", posixpath.dirname(where) or ".")

    def claim_text(claim_id):
        claim = ledger.current_build.get(claim_id)
        if claim is None:
            raise KeyError(f"unknown claim '{claim_id}' (not in claims.yml)")
        if claim["page"] != where:
            raise KeyError(f"claim '{claim_id}' belongs to {claim['page']}")
        return ledger.claim_block(
            claim, claims_link, lambda test: ledger.test_source_url(config.get("repo_url"), test))

    try:
        return markers.expand(markdown, where, page.meta.get("chapter"), figures, values,
                              claim_text)
    except markers.MarkerError as error:
        raise PluginError(str(error)) from None
