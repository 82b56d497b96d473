"""The claims ledger: every claim names a real test and is shown on its page."""

import ast
import html

import pytest

from sitebuild import claims as ledger
from sitebuild import markers, references, sanitise
from tests.conftest import ROOT

CLAIMS = ledger.load_ledger()


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
    assert claim["id"] in markers.CLAIM_LINE.findall(page.read_text())


def test_ledger_rejects_an_unknown_verdict(tmp_path, monkeypatch):
    bad = tmp_path / "claims.yml"
    bad.write_text("- {id: x, title: t, page: p.md, source: '000', section: s, claim: c,"
                   " verdict: maybe, finding: f, test: t, counterfactual: fails if x}\n")
    with pytest.raises(ledger.LedgerError, match="verdict 'maybe'"):
        ledger.load_ledger(bad)


def test_ledger_requires_a_counterfactual_for_every_claim(tmp_path):
    bad = tmp_path / "claims.yml"
    bad.write_text("- {id: x, title: t, page: p.md, source: '000', section: s, claim: c,"
                   " verdict: holds, finding: f, test: t}\n")
    with pytest.raises(ledger.LedgerError, match="lacks counterfactual"):
        ledger.load_ledger(bad)
    assert all(claim["counterfactual"].strip().startswith("fails ") for claim in CLAIMS)


PAYLOADS = ("<script>alert(1)</script>", '<img src=x onerror="alert(1)">')


@pytest.mark.parametrize("payload", PAYLOADS)
def test_no_ledger_field_reaches_a_page_as_markup(payload):
    claim = {"id": "x", "title": "t", "page": "chapters/p.md", "source": "000",
             "section": "s", "claim": "c", "verdict": "holds", "finding": "f", "test": "t",
             "counterfactual": "fails if f"}
    for field in ("id", "title", "source", "section", "claim", "finding", "test",
                  "counterfactual"):
        poisoned = dict(claim, **{field: f"{claim[field]} {payload}"})
        if field == "source":  # a paper's name: article numbers are checked by the loader
            poisoned["source"] = f"Someone 2020 {payload}"
        test_url = lambda test: ledger.test_source_url("https://example.org/r", test)  # noqa: E731
        # What reaches the page: the Markdown with the held fragments swapped back in (the
        # built pages are scanned with many more payloads in tests/test_hostile_data.py).
        held = sanitise.Fragments()
        for text in (ledger.claim_block(poisoned, "../claims.md", held, test_url),
                     ledger.claims_page([poisoned], {"chapters/p.md": f"Title {payload}"},
                                        held, test_url)):
            text = held.release(text)
            assert "<script" not in text and "<img" not in text, (field, text)


def test_generated_claims_page_lists_every_claim(built_site):
    html = (built_site / "claims" / "index.html").read_text()
    for claim in CLAIMS:
        assert f'id="{claim["id"]}"' in html


def test_counts_per_article_add_up_by_hand():
    # Oracle: a ledger small enough to count by eye.
    def claim(source, verdict):
        return {"source": source, "verdict": verdict}

    claims = [claim("001", "holds"), claim("000", "wrong"), claim("001", "nuance"),
              claim("Lu et al. 2019", "holds"), claim("001", "holds"), claim("003", "unshown")]
    assert ledger.verdict_counts(claims) == [
        ("Errasti 2022", 1, 0, 0, 1, 0), ("Kapur 2016", 3, 2, 1, 0, 0),
        ("Fix the vanishing gradient problem (undated)", 1, 0, 0, 0, 1),
        ("papers and the chapters' own extensions", 1, 1, 0, 0, 0), ("total", 6, 3, 1, 1, 1)]


def test_readme_states_the_ledgers_current_counts():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert ledger.readme_with_counts(readme, CLAIMS) == readme, \
        "README's claims table is out of date: run python -m sitebuild.claims"
    # The claims page states the same numbers per article as the README.
    held = sanitise.Fragments()
    page = held.release(ledger.claims_page(CLAIMS, {}, held))
    for number, label in ledger.ARTICLE_LABELS.items():
        row = next(row for row in ledger.verdict_counts(CLAIMS) if row[0] == label)
        _, found, *verdicts = row
        line = next(line for line in page.splitlines()
                    if line.startswith(f"| [{html.escape(ledger.ARTICLES[number])}"))
        assert line.endswith(" | ".join(map(str, [*verdicts, found])) + " |"), (line, row)


# Historical and attribution claims: no computation decides them, so their test checks what
# does. The verdict must rest on primary sources listed in the row's `sources`: each is in the
# bibliography, named in the finding by its author-year label, and cited on the claim's page
# near the claim's box, so a reader sees the evidence where the verdict stands. Where the
# verdict turns on a checkable fact of a source (its year, its first author), that fact is
# typed below from the publication itself and compared with the bibliography entry.
HISTORICAL_TEST = ("tests/test_claims_ledger.py::"
                   "test_historical_claim_rests_on_a_cited_primary_source")
HISTORICAL = [claim for claim in CLAIMS if claim["test"] == HISTORICAL_TEST]
CITATION_WINDOW_LINES = 15
PUBLISHED = {  # key: (year, first author's surname), from each work's title page
    "fukushima-1969": (1969, "Fukushima"), "jarrett-2009": (2009, "Jarrett"),
    "nair-hinton-2010": (2010, "Nair"), "glorot-bordes-bengio-2011": (2011, "Glorot"),
    "zeiler-fergus-2014": (2014, "Zeiler"), "maas-2013": (2013, "Maas"),
    "xu-2015": (2015, "Xu"), "he-2015": (2015, "He"), "ioffe-szegedy-2015": (2015, "Ioffe"),
    "lecun-1998": (1998, "LeCun"), "rumelhart-1986": (1986, "Rumelhart"),
    "erhan-2009": (2009, "Erhan"), "glorot-bengio-2010": (2010, "Glorot"),
    "krizhevsky-2012": (2012, "Krizhevsky"),
}


def _cited_near(page_text, claim_id, key):
    lines = page_text.splitlines()
    marker = lines.index(f"[[claim: {claim_id}]]")
    nearby = "\n".join(lines[max(0, marker - CITATION_WINDOW_LINES):marker])
    return any(key in keys.split("; ") for _, keys in references.CITE.findall(nearby))


def test_ledger_has_historical_claims():
    assert len(HISTORICAL) >= 5


@pytest.mark.parametrize("claim", HISTORICAL, ids=[claim["id"] for claim in HISTORICAL])
def test_historical_claim_rests_on_a_cited_primary_source(claim):
    bibliography = references.load_references()
    page_text = (ROOT / "docs" / claim["page"]).read_text(encoding="utf-8")
    keys = claim.get("sources")
    assert isinstance(keys, list) and keys, f"{claim['id']}: names no primary source"
    for key in keys:
        assert key in bibliography, f"{claim['id']}: {key} is not in references.yml"
        entry = bibliography[key]
        assert references.label(entry) in " ".join(claim["finding"].split()), \
            f"{claim['id']}: the finding does not name {references.label(entry)}"
        assert _cited_near(page_text, claim["id"], key), \
            f"{claim['id']}: {key} is not cited in the {CITATION_WINDOW_LINES} lines above its box"
        year, first_author = PUBLISHED[key]
        assert int(entry["year"]) == year and entry["authors"][0].endswith(first_author), key


def test_relu_history_verdict_follows_from_its_sources_years():
    # The article dates ReLU's first use to 2009-2011; the verdict "nuance" says rectifiers
    # entered deep learning then but are older. Both halves are facts about the sources.
    claim = next(claim for claim in CLAIMS if claim["id"] == "relu-first-used-2009-2011")
    years = {key: PUBLISHED[key][0] for key in claim["sources"]}
    deep_learning = [years[key] for key in ("jarrett-2009", "nair-hinton-2010",
                                            "glorot-bordes-bengio-2011")]
    assert all(2009 <= year <= 2011 for year in deep_learning)
    assert min(years.values()) < 2009 and claim["verdict"] == "nuance"
