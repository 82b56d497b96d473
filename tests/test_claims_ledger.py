"""The claims ledger: every claim names a real test and is shown on its page."""

import ast
import re

import pytest

from scripts import figures_hook as hook
from tests.conftest import ROOT

CLAIMS = hook.load_ledger()


def _test_functions(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {node.name for node in tree.body if isinstance(node, ast.FunctionDef)}


def test_ledger_is_not_empty_and_covers_chapter_one():
    assert sum(claim["page"] == "chapters/why-relu-works.md" for claim in CLAIMS) >= 10


@pytest.mark.parametrize("claim", CLAIMS, ids=[claim["id"] for claim in CLAIMS])
def test_each_claim_names_an_existing_test(claim):
    path, _, name = claim["test"].partition("::")
    assert (ROOT / path).is_file(), f"{claim['id']}: no file {path}"
    assert name.startswith("test_") and name in _test_functions(ROOT / path), \
        f"{claim['id']}: {path} defines no test {name}"


@pytest.mark.parametrize("claim", CLAIMS, ids=[claim["id"] for claim in CLAIMS])
def test_each_claim_is_shown_on_its_page(claim):
    page = ROOT / "docs" / claim["page"]
    assert page.is_file(), f"{claim['id']}: no page {claim['page']}"
    markers = re.findall(r"^\[\[claim:\s*([a-z0-9-]+)\s*\]\]", page.read_text(), re.MULTILINE)
    assert claim["id"] in markers


def test_ledger_rejects_an_unknown_verdict(tmp_path, monkeypatch):
    bad = tmp_path / "claims.yml"
    bad.write_text("- {id: x, page: p.md, source: '000', section: s, claim: c, verdict: maybe,"
                   " finding: f, test: t}\n")
    monkeypatch.setattr(hook, "LEDGER", bad)
    with pytest.raises(hook.PluginError, match="verdict 'maybe'"):
        hook.load_ledger()


def test_generated_claims_page_lists_every_claim(built_site):
    html = (built_site / "claims" / "index.html").read_text()
    for claim in CLAIMS:
        assert f'id="{claim["id"]}"' in html
