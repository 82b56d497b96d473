"""Publishing the site: the deploy workflow, reproducible builds, the hosted URL, the 404
page, the build commit, references and citations, and every internal link and anchor."""

import datetime
import gzip
import html
import os
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest
import yaml

from sitebuild import provenance, references, sanitise
from tests.conftest import HOSTED_REPOSITORY as REPOSITORY
from tests.conftest import ROOT, config_with, mkdocs_build


def _git(*arguments):
    return subprocess.run(["git", *arguments], cwd=ROOT, capture_output=True, text=True,
                          check=True).stdout.strip()


# ---------------------------------------------------------------------------- the workflow

WORKFLOW = ROOT / ".github" / "workflows" / "pages.yml"


@pytest.fixture(scope="module")
def workflow():
    # PyYAML reads the key `on` as True (YAML 1.1); take it back as the string it is.
    loaded = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    loaded["on"] = loaded.pop(True, loaded.get("on"))
    return loaded


def _runs(job):
    return [step.get("run", "") for step in job["steps"]]


def _uses(job):
    return [step.get("uses", "").split("@")[0] for step in job["steps"]]


def test_workflow_tests_then_builds_with_the_readmes_commands(workflow):
    assert "main" in workflow["on"]["push"]["branches"]
    build = workflow["jobs"]["build"]
    runs = "\n".join(_runs(build))
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "make check" in readme and "make build" in readme
    assert (ROOT / ".ci" / "run").read_text(encoding="utf-8").strip().endswith("make check")
    # The tests run through CI's own entry point (= make check), then the strict build.
    assert runs.index("bash .ci/run") < runs.index("make build")
    assert "actions/checkout" in _uses(build)


def test_workflow_builds_for_the_pages_address_and_uploads_site(workflow):
    build = workflow["jobs"]["build"]
    configure = next(step for step in build["steps"]
                     if step.get("uses", "").startswith("actions/configure-pages"))
    build_step = next(step for step in build["steps"] if "make build" in step.get("run", ""))
    environment = build_step.get("env", {})
    assert f"steps.{configure['id']}.outputs.base_url" in environment["SITE_URL"]
    assert "github.repository" in environment["REPO_URL"]
    assert environment["REPO_NAME"] == "${{ github.repository }}"
    upload = next(step for step in build["steps"]
                  if step.get("uses", "").startswith("actions/upload-pages-artifact"))
    assert upload["with"]["path"].rstrip("/") == "site"


def test_deploy_job_publishes_with_pages_permissions_only_from_main(workflow):
    deploy = workflow["jobs"]["deploy"]
    assert deploy["needs"] == "build" or deploy["needs"] == ["build"]
    assert "actions/deploy-pages" in _uses(deploy)
    permissions = {**workflow.get("permissions", {}), **deploy.get("permissions", {})}
    assert permissions.get("pages") == "write" and permissions.get("id-token") == "write"
    assert deploy["environment"]["name"] == "github-pages"
    assert "refs/heads/main" in deploy["if"]


# ---------------------------------------------------------------------------- reproducible

def test_two_builds_of_one_commit_are_byte_identical(built_site, rebuilt_site):
    again, _ = rebuilt_site
    first = {path.relative_to(built_site): path for path in built_site.rglob("*") if path.is_file()}
    second = {path.relative_to(again): path for path in again.rglob("*") if path.is_file()}
    assert first.keys() == second.keys()
    differing = [str(name) for name, path in first.items()
                 if path.read_bytes() != second[name].read_bytes()]
    assert not differing, f"differ between two builds: {differing[:10]}"
    assert {Path("sitemap.xml"), Path("sitemap.xml.gz"),
            Path("search/search_index.json")} <= first.keys()


def test_the_build_is_dated_by_its_commit(built_site):
    if "SOURCE_DATE_EPOCH" in os.environ:
        pytest.skip("SOURCE_DATE_EPOCH set by the caller wins over the commit date")
    epoch = int(_git("log", "-1", "--format=%ct"))
    commit_day = datetime.datetime.fromtimestamp(epoch, datetime.UTC).date().isoformat()
    sitemap = (built_site / "sitemap.xml").read_text(encoding="utf-8")
    assert set(re.findall(r"<lastmod>([^<]+)</lastmod>", sitemap)) == {commit_day}
    # The gzip header carries that day (MkDocs stamps it at midnight UTC), so the compressed
    # sitemap is reproducible too.
    header = (built_site / "sitemap.xml.gz").read_bytes()[:10]
    midnight = datetime.datetime.fromisoformat(commit_day).replace(tzinfo=datetime.UTC)
    assert int.from_bytes(header[4:8], "little") == int(midnight.timestamp())
    assert gzip.decompress((built_site / "sitemap.xml.gz").read_bytes()).decode() == sitemap


def test_a_date_given_by_the_caller_wins():
    commit = {"epoch": 1_700_000_000}
    assert provenance.fix_build_date(commit, {"SOURCE_DATE_EPOCH": "12"}) == "12"
    environment = {}
    assert provenance.fix_build_date(commit, environment) == "1700000000"
    assert environment == {"SOURCE_DATE_EPOCH": "1700000000"}
    assert provenance.fix_build_date(None, {}) is None


# ---------------------------------------------------------------------------- hosted URL

def test_hosted_build_uses_the_pages_address_everywhere(hosted_site):
    _, hosted_site, hosted_url = hosted_site
    page = (hosted_site / "chapters" / "dying-relus" / "index.html").read_text()
    assert f'<link rel="canonical" href="{hosted_url}chapters/dying-relus/">' in page
    locations = re.findall(r"<loc>([^<]+)</loc>", (hosted_site / "sitemap.xml").read_text())
    assert locations and all(location.startswith(hosted_url) for location in locations)
    assert f'href="{REPOSITORY}"' in page  # the repository link in the header, named
    assert re.search(r'class="md-source__repository">\s*example/vanishing-gradients', page)
    full = _git("rev-parse", "HEAD")
    assert f'href="{REPOSITORY}/commit/{full}"' in page


def test_local_build_has_no_repository_link_unless_configured(built_site):
    if os.environ.get("REPO_URL"):
        pytest.skip("REPO_URL is set for this run")
    assert 'class="md-source"' not in (built_site / "index.html").read_text()


def test_404_page_links_work_from_any_depth(hosted_site):
    _, hosted_site, hosted_url = hosted_site
    page = (hosted_site / "404.html").read_text()
    assert "Page not found" in page
    links = re.findall(r'<li><a href="([^"]+)">', page.split('class="vg-not-found"')[1])
    path = urlsplit(hosted_url).path
    assert len(links) >= 7
    for link in links:
        # Served for any missing address, so every link is absolute, under the Pages path.
        assert link.startswith(hosted_url) or link.startswith(path), link
        target = (link[len(hosted_url):] if link.startswith(hosted_url) else link[len(path):])
        assert (hosted_site / target / "index.html").is_file(), link


# ---------------------------------------------------------------------------- build commit

def test_footer_shows_the_commit_the_page_was_built_from(built_site):
    short = _git("rev-parse", "--short=7", "HEAD")
    for page in ("index.html", "chapters/edge-of-chaos/index.html", "claims/index.html"):
        footer = (built_site / page).read_text().split('class="vg-build"')[1][:400]
        assert f"<code>{short}</code>" in footer, page


def test_outside_a_checkout_the_commit_is_unknown(monkeypatch, tmp_path):
    monkeypatch.setattr(provenance, "ROOT", tmp_path)  # not a git checkout
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    assert provenance.build_commit() is None


def test_chapters_say_how_to_cite_them(built_site):
    short = _git("rev-parse", "--short=7", "HEAD")
    for chapter in ("why-relu-works", "edge-of-chaos"):
        page = (built_site / "chapters" / chapter / "index.html").read_text()
        section = page.split('id="how-to-cite-this-chapter"')[1]
        section = html.unescape(re.sub(r"<[^>]+>", "", section))
        assert f"chapters/{chapter}/" in section and short in section
        assert "@misc{vge-" + chapter in section


# ---------------------------------------------------------------------------- references

def _pages_markdown():
    return {path.relative_to(ROOT / "docs").as_posix(): path.read_text(encoding="utf-8")
            for path in (ROOT / "docs").rglob("*.md")}


def test_every_citation_has_an_entry_and_every_entry_is_cited():
    bibliography = references.load_references()
    cited_by = {}
    for where, text in _pages_markdown().items():
        for key in references.citations(text, where, bibliography):
            cited_by.setdefault(key, []).append(where)
    assert references.unused(bibliography, cited_by) == []
    chapters = [where for where, text in _pages_markdown().items()
                if where.startswith("chapters/") and "\nchapter:" in text.split("\n---", 1)[0]]
    assert chapters and all(where in sum(cited_by.values(), []) for where in chapters)


def test_each_source_article_has_an_entry_and_is_cited_by_its_chapter():
    bibliography = references.load_references()
    ledger = yaml.safe_load((ROOT / "docs" / "claims.yml").read_text(encoding="utf-8"))
    articles = {claim["source"] for claim in ledger if re.fullmatch(r"\d{3}", claim["source"])}
    entries = {entry["article"]: entry for entry in bibliography.values() if entry.get("article")}
    assert articles == entries.keys()
    pages = _pages_markdown()
    for article, entry in entries.items():
        # The chapter mirroring an article is the page holding most of its claims.
        homes = [claim["page"] for claim in ledger if claim["source"] == article]
        chapter = max(set(homes), key=homes.count)
        assert entry["key"] in references.citations(pages[chapter], chapter, bibliography)


@pytest.mark.parametrize("markdown, message", [
    ("See [[cite: nobody-1900]].\n\n[[references]]\n", r"x\.md, line 1: unknown citation key"),
    ("Text\n[[cite:glorot-bengio-2010]]\n", r"x\.md, line 2: malformed citation"),
    ("[[Cite: he-2015]]\n", r"line 1: malformed citation"),
    ("[[cite: he-2015]] twice, no list\n", r"cites 1 works but has 0 \[\[references\]\]"),
    ("[[cite: he-2015]]\n[[references]]\n[[references]]\n", r"has 2 \[\[references\]\]"),
    ("[[references]]\n", r"cites nothing"),
])
def test_bad_citations_are_errors_naming_page_and_line(markdown, message):
    with pytest.raises(references.ReferenceError, match=message):
        references.citations(markdown, "x.md", references.load_references())


def test_a_citation_unknown_to_the_bibliography_fails_the_strict_build(tmp_path, built_site):
    config = config_with(tmp_path, "# Home\n\nAs [[cite: nobody-1900]] showed.\n\n[[references]]\n")
    shutil.copy(ROOT / "docs" / "references.yml", tmp_path / "docs" / "references.yml")
    result = mkdocs_build(tmp_path / "site", config=config)
    assert result.returncode != 0
    assert "index.md, line 3: unknown citation key 'nobody-1900'" in result.stdout + result.stderr


def test_an_entry_nobody_cites_fails_the_strict_build(tmp_path, built_site):
    config = config_with(tmp_path, "# Home\n\nAs [[cite: he-2015]] showed.\n\n[[references]]\n")
    shutil.copy(ROOT / "docs" / "references.yml", tmp_path / "docs" / "references.yml")
    result = mkdocs_build(tmp_path / "site", config=config)
    assert result.returncode != 0
    assert re.search(r"no page cites errasti-2022, .*wilson-1927", result.stdout + result.stderr)


@pytest.mark.parametrize("change, message", [
    ({"doi": None, "arxiv": None, "url": None}, "needs a doi, arxiv or url, or a link_note"),
    ({"doi": "doi.org/10.1/x"}, "not 10.x/y"),
    ({"arxiv": "1502.1"}, "not an identifier"),
    ({"url": "ftp://x"}, "not an http"),
    ({"authors": []}, "unsigned entry 'he-2015' needs a label"),
    ({"title": ""}, "lacks title"),
    ({"key": "He 2015"}, "must match"),
])
def test_a_malformed_entry_is_refused_naming_it(tmp_path, change, message):
    entry = {"key": "he-2015", "authors": ["K. He"], "year": 2015, "title": "T", "venue": "V",
             "arxiv": "1502.01852", **change}
    path = tmp_path / "references.yml"
    path.write_text(yaml.safe_dump([{k: v for k, v in entry.items() if v is not None}]))
    with pytest.raises(references.ReferenceError, match=message):
        references.load_references(path)


def test_a_key_listed_twice_is_refused(tmp_path):
    entry = {"key": "he-2015", "authors": ["K. He"], "year": 2015, "title": "T", "venue": "V",
             "arxiv": "1502.01852"}
    path = tmp_path / "references.yml"
    path.write_text(yaml.safe_dump([entry, entry]))
    with pytest.raises(references.ReferenceError, match="appears twice"):
        references.load_references(path)


def test_labels_follow_author_year_style():
    bibliography = references.load_references()
    # Written out by hand from the author lists in the papers themselves.
    assert references.label(bibliography["nielsen-2015"], narrative=True) == "Nielsen (2015)"
    assert references.label(bibliography["glorot-bengio-2010"]) == "Glorot & Bengio 2010"
    assert references.label(bibliography["he-2015"]) == "He et al. 2015"
    assert references.label(bibliography["lecun-1998"]) == "LeCun et al. 1998"
    assert references.link(bibliography["he-2015"]) == "https://arxiv.org/abs/1502.01852"
    assert references.link(bibliography["wilson-1927"]) == \
        "https://doi.org/10.1080/01621459.1927.10502953"


@pytest.mark.parametrize("title, shown", [
    ("Plain title", "“Plain title”."),
    ("Why are deep networks hard to train?", "“Why are deep networks hard to train?”"),
    ("Book, chapter 5, “Why are deep neural networks hard to train?”",
     "“Book, chapter 5, ‘Why are deep neural networks hard to train?’”"),
    ('A "quoted" word', "“A ‘quoted’ word”."),
])
def test_a_title_is_quoted_once_with_one_full_stop(title, shown):
    entry = {"key": "x-2000", "authors": ["A. B."], "year": 2000, "title": title, "venue": "V"}
    assert f"{shown} V." in references.reference_text(entry)
    assert "””" not in references.reference_html(entry)


def test_no_reference_shows_two_closing_quotation_marks_in_a_row():
    """Nielsen's entry once read “…, chapter 5, ‘Why … train?’”: a chapter's title quoted
    inside the book's title. The chapter is now the title and the book the venue."""
    for key, entry in references.load_references().items():
        for shown in (references.reference_text(entry), references.reference_html(entry)):
            assert not re.search(r"[’”\"']\s*[’”\"]", shown), (key, shown)


def test_the_references_page_says_once_why_source_articles_have_no_address():
    bibliography = references.load_references()
    held = sanitise.Fragments()
    page = held.release(references.references_page(bibliography, {}, {}, lambda path: path,
                                                    held))
    articles = [entry for entry in bibliography.values() if entry.get("article")]
    missing = [entry for entry in articles if not references.link(entry)]
    assert missing and page.count(references.NO_ADDRESS) == 1
    for entry in missing:
        assert html.escape(references.label(entry, narrative=True)) in page
        assert entry["link_note"] not in page   # said once above, not under each entry
    # Counted from the data, not typed: one <li> per article, and no link in the missing ones.
    listed = re.findall(r'<li id="([a-z0-9-]+)">(.*?)</li>', page, re.DOTALL)
    without = [key for key, item in listed if bibliography[key].get("article")
               and 'href="http' not in item]
    assert sorted(without) == sorted(entry["key"] for entry in missing)
    words = references.NUMBER_WORDS
    assert f"{words[len(without)].capitalize()} of the {words[len(articles)]} — " in page


def test_a_year_that_is_a_bool_is_refused(tmp_path):
    path = tmp_path / "references.yml"
    path.write_text("- {key: x-2000, authors: [A. B.], year: true, title: T, venue: V, "
                    "url: 'https://a.example/'}\n", encoding="utf-8")
    with pytest.raises(references.ReferenceError, match="lacks year"):
        references.load_references(path)


def test_text_from_the_bibliography_is_escaped():
    hostile = {"key": "x-2000", "authors": ['<img src=x onerror="alert(1)">'], "year": 2000,
               "title": "<script>alert(1)</script>", "venue": "V & W",
               "url": 'https://e.org/"onmouseover="alert(1)'}
    held = sanitise.Fragments()
    page = held.release(references.expand("[[cite: x-2000]]\n\n[[references]]\n", "p.md",
                                          {"x-2000": hostile}, "../references/", held))
    assert "<script>" not in page and "<img" not in page and '"onmouseover' not in page
    assert "&lt;script&gt;" in page and "V &amp; W" in page


def test_chapter_citations_link_to_their_own_reference_list(built_site):
    bibliography = references.load_references()
    for where, text in _pages_markdown().items():
        cited = references.citations(text, where, bibliography)
        if not cited:
            continue
        built = (built_site / where.replace(".md", "") / "index.html")
        if where.endswith("index.md"):
            built = built_site / where.replace("index.md", "index.html")
        page = built.read_text(encoding="utf-8")
        listed = re.findall(r'<li id="ref-([a-z0-9-]+)">', page)
        assert sorted(listed) == sorted(cited), where
        for key in cited:
            assert f'href="#ref-{key}"' in page, (where, key)


def test_the_repository_stands_on_its_own():
    texts = [ROOT / "README.md", *(ROOT / "docs").rglob("*.md"), *(ROOT / "notebooks").glob("*.py"),
             ROOT / "docs" / "claims.yml"]
    for path in texts:
        assert "shared/sources" not in path.read_text(encoding="utf-8"), path


# ---------------------------------------------------------------------------- requirements

def test_requirements_txt_is_fully_pinned_and_covers_requirements_in():
    pinned = {}
    for line in (ROOT / "requirements.txt").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            match = re.fullmatch(r"([A-Za-z0-9._-]+)==([A-Za-z0-9.+!-]+)", line.strip())
            assert match, f"requirements.txt: {line!r} is not name==version"
            pinned[match.group(1).lower().replace("_", "-")] = match.group(2)
    from packaging.requirements import Requirement
    for line in (ROOT / "requirements.in").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            requirement = Requirement(line)
            name = requirement.name.lower().replace("_", "-")
            assert name in pinned, f"{name} of requirements.in is not pinned"
            assert requirement.specifier.contains(pinned[name], prereleases=True), line


# ---------------------------------------------------------------------------- links

class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids, self.links = set(), []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        for name in ("id", "name"):
            if attributes.get(name):
                self.ids.add(attributes[name])
        for name in ("href", "src"):
            if attributes.get(name) and not (tag == "link" and attributes.get("rel") in
                                              ("canonical", "alternate")):
                self.links.append((tag, attributes[name]))


def _parse(path):
    parser = _Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def broken_links(site, site_url):
    """Every internal link or anchor of the built ``site`` that leads nowhere, as
    (page, link, reason). External links are not followed (the site is checked offline)."""
    site_url = site_url.rstrip("/") + "/"
    parsed = {page: _parse(page) for page in site.rglob("*.html")}
    broken = []
    for page, parser in parsed.items():
        page_url = site_url + page.relative_to(site).as_posix()
        for _, link in parser.links:
            if link.startswith(("mailto:", "data:", "javascript:", "blob:")):
                continue
            absolute = urljoin(page_url, link)
            if not absolute.startswith(site_url):
                continue
            parts = urlsplit(absolute)
            target = site / unquote(parts.path[len(urlsplit(site_url).path):])
            if target.is_dir() or parts.path.endswith("/"):
                target = target / "index.html"
            if not target.is_file():
                broken.append((page.relative_to(site).as_posix(), link, "no such file"))
                continue
            if parts.fragment and target.suffix == ".html":
                ids = parsed[target].ids if target in parsed else _parse(target).ids
                if unquote(parts.fragment) not in ids:
                    broken.append((page.relative_to(site).as_posix(), link, "no such anchor"))
    return broken


def test_every_internal_link_and_anchor_resolves(hosted_site):
    # Built for a sub-path (like GitHub Pages), which also catches links that assume "/".
    _, site, url = hosted_site
    assert broken_links(site, url) == []


def test_the_link_checker_finds_a_broken_link_and_anchor(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "index.html").write_text('<a href="a/">ok</a><a href="a/#here">ok</a>'
                                         '<a href="b/">gone</a><a href="a/#there">gone</a>'
                                         '<a href="https://elsewhere.org/x">external</a>')
    (tmp_path / "a" / "index.html").write_text('<h2 id="here">Here</h2>')
    assert broken_links(tmp_path, "https://h.org/p/") == [
        ("index.html", "b/", "no such file"), ("index.html", "a/#there", "no such anchor")]


def test_how_to_cite_names_an_address_only_for_a_hosted_build():
    commit = {"short": "abc1234", "date": "2026-12-07"}
    hosted = references.how_to_cite("The edge of chaos", 5, "chapters/edge-of-chaos/",
                                    "https://example.org/vge/", commit, "VGE")
    assert "<https://example.org/vge/chapters/edge-of-chaos/>" in hosted
    assert r"howpublished = {\url{https://example.org/vge/chapters/edge-of-chaos/}}" in hosted
    local = references.how_to_cite("The edge of chaos", 5, "chapters/edge-of-chaos/", None,
                                   commit, "VGE")
    assert "local build" in local and "SITE_URL" in local
    assert "http" not in local and "howpublished" not in local
    assert "@misc{vge-edge-of-chaos," in local and "abc1234" in local
