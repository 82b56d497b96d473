"""Hostile text in every data file, checked where it matters: on the built HTML.

A copy of the docs is built twice, once as it is and once with a corpus of payloads written into
every text field of ``claims.yml`` and ``references.yml`` (links, images, reference
definitions, autolinks, entity-encoded and mixed-case schemes, attribute breaks, raw HTML,
forged hold tokens). The scan of every page and of the search index is written from HTML's
rules, not from the sanitiser's allow-list: no attribute named ``on…``; every URL attribute
relative or http, https or mailto (a notebook's plot may be a base64 PNG in an ``<img src>``);
no script, frame, object, embed, base, form or style element beyond those of the clean build.
Each payload carries a marker word that must still be on the page, so the sanitiser cannot
pass by dropping the text. A notebook whose Markdown cell holds the same corpus is converted
and cleaned as the notebook pages are.
"""

import collections
import hashlib
import html
import json
import re
import shutil
from html.parser import HTMLParser

import nbformat
import pytest
import yaml

from sitebuild import claims, notebook_pages, references, sanitise
from tests.conftest import ROOT, config_for, mkdocs_build

PAYLOADS = [
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](&#106;avascript:alert(1))",
    "[click](&#x6A;&#x61;vascript&#58;alert(1))",
    "[click](java\tscript:alert(1))",
    "[click]( javascript:alert(1))",
    "[click](data:text/html,<script>alert(1)</script>)",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[click](vbscript:msgbox(1))",
    "![pic](javascript:alert(1))",
    "![pic](data:image/svg+xml,<svg onload=alert(1)>)",
    "[click][evil]\n\n[evil]: javascript:alert(1)",
    "<javascript:alert(1)>",
    "<https://a.example/ onmouseover=alert(1)//>",
    "Z. [x](<https://a.example/ onmouseover=alert(document.domain)//>)",
    '" onmouseover="alert(1)',
    "' onfocus='alert(1)' autofocus='",
    "<img src=x onerror=alert(1)>",
    "<script>alert(1)</script>",
    '<a href="javascript:alert(1)">x</a>',
    "<svg onload=alert(1)>",
    "<iframe src=javascript:alert(1)></iframe>",
    "<details open ontoggle=alert(1)>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<base href=javascript:alert(1)//>",
    "<form action=javascript:alert(1)><button>go</button></form>",
    "<object data=javascript:alert(1)></object>",
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    "<style>body{background:url(javascript:alert(1))}</style>",
    "`<img src=x onerror=alert(1)>`",
    "$x$ <img src=x onerror=alert(1)> $y$",
    "*a* [b](javascript:alert(1)) **c**",
    "vgheld000000000000000000000000x",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
]
# The token an unsalted hold would have given the escaped script above (the audit's forgery:
# written into a title, it put a live script into the table of contents).
PAYLOADS.append("vgheld" + hashlib.sha256(sanitise.inline_html(
    f"PAYLOAD{len(PAYLOADS) - 1:02d}MARK {PAYLOADS[-1]}").encode()).hexdigest()[:24] + "x")
CLAIM_FIELDS = ("title", "claim", "finding", "section")  # source, test, page: plain, checked
REFERENCE_FIELDS = ("title", "venue", "label", "link_note")
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "srcset", "xlink:href", "poster",
                  "data", "background", "cite", "ping", "lowsrc", "dynsrc"}
DANGEROUS_TAGS = {"script", "iframe", "frame", "object", "embed", "base", "form", "style",
                  "meta", "link", "applet"}
SAFE_SCHEMES = {"http", "https", "mailto"}
C0_AND_SPACE = "".join(map(chr, range(0x21)))
PNG = re.compile(r"data:image/(png|jpeg);base64,[A-Za-z0-9+/=\s]+")


def _marker(index):
    return f"PAYLOAD{index:02d}MARK"


class _Scan(HTMLParser):
    """Every event-handler attribute and every URL attribute whose scheme is not safe."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.findings, self.tags = [], collections.Counter()
        self.scripts = collections.Counter()
        self._in_script = None

    def handle_starttag(self, tag, attrs):
        self.tags[tag] += 1
        for name, value in attrs:
            if name.startswith("on"):
                self.findings.append(f"<{tag} {name}=…>")
            if name in URL_ATTRIBUTES and value is not None:
                urls = [part.strip().split(" ")[0] for part in value.split(",")] \
                    if name == "srcset" else [value]
                for url in urls:
                    if not _safe_url(tag, name, url):
                        self.findings.append(f"<{tag} {name}={url[:60]!r}>")
        if tag == "script":
            source = dict(attrs).get("src")
            self._in_script = source or ""
            if source:
                self.scripts[source] += 1

    def handle_data(self, data):
        if self._in_script == "":
            self.scripts[f"inline:{data}"] += 1

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = None


def _safe_url(tag, attribute, url):
    # As the URL standard parses it: C0 controls and spaces stripped from both ends, every
    # tab and newline removed from anywhere; a space inside leaves no valid scheme (relative).
    squeezed = re.sub(r"[\t\n\r]", "", url).strip(C0_AND_SPACE).lower()
    scheme = re.match(r"^([a-z][a-z0-9+.-]*):", squeezed)
    if scheme is None:
        return True  # relative: a path, a query or a fragment on this site
    if scheme.group(1) in SAFE_SCHEMES:
        return True
    return tag == "img" and attribute == "src" and PNG.fullmatch(url.strip()) is not None


def scan(page_html):
    scanner = _Scan()
    scanner.feed(page_html)
    scanner.close()
    return scanner


def _copy_docs(tmp_path):
    docs = tmp_path / "docs"
    shutil.copytree(ROOT / "docs", docs)
    return docs, config_for(docs, tmp_path)


def _poison(docs):
    """Write every payload into the copy's ledger and bibliography; returns the markers."""
    ledger_path, bibliography_path = docs / "claims.yml", docs / "references.yml"
    ledger = yaml.safe_load(ledger_path.read_text(encoding="utf-8"))
    bibliography = yaml.safe_load(bibliography_path.read_text(encoding="utf-8"))
    markers = []
    for index, payload in enumerate(PAYLOADS):
        text = f"{_marker(index)} {payload}"
        claim = ledger[index % len(ledger)]
        field = CLAIM_FIELDS[index % len(CLAIM_FIELDS)]
        if "\n" in payload and field in claims.ONE_LINE:
            field = "finding"  # a title or section must be one line (the loader checks)
        claim[field] = text
        entry = bibliography[index % len(bibliography)]
        entry[REFERENCE_FIELDS[index % len(REFERENCE_FIELDS)]] = text
        entry["authors"] = [*entry["authors"][:1], text]
        markers.append(_marker(index))
    ledger_path.write_text(yaml.safe_dump(ledger, allow_unicode=True), encoding="utf-8")
    bibliography_path.write_text(yaml.safe_dump(bibliography, allow_unicode=True),
                                 encoding="utf-8")
    return markers


def _scan_site(site):
    """{page: scanner} for every HTML page, and the search index's documents as pages."""
    found = {str(page.relative_to(site)): scan(page.read_text(encoding="utf-8"))
             for page in sorted(site.rglob("*.html"))}
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    for document in index["docs"]:
        found[f"search:{document['location']}"] = scan(document["text"] + document["title"])
    return found


@pytest.fixture(scope="module")
def clean_and_hostile_builds(tmp_path_factory):
    builds = {}
    for name in ("clean", "hostile"):
        root = tmp_path_factory.mktemp(name)
        docs, config = _copy_docs(root)
        markers = _poison(docs) if name == "hostile" else []
        result = mkdocs_build(root / "site", config)
        assert result.returncode == 0, f"{name} build failed:\n{result.stdout}{result.stderr}"
        builds[name] = (root / "site", markers)
    return builds


def test_no_script_url_or_handler_reaches_any_page(clean_and_hostile_builds):
    site, markers = clean_and_hostile_builds["hostile"]
    findings = {page: scanner.findings for page, scanner in _scan_site(site).items()
                if scanner.findings}
    assert findings == {}


def test_hostile_text_adds_no_script_or_active_element(clean_and_hostile_builds):
    clean = _scan_site(clean_and_hostile_builds["clean"][0])
    hostile = _scan_site(clean_and_hostile_builds["hostile"][0])
    assert clean.keys() == hostile.keys()
    for page in clean:
        assert hostile[page].scripts == clean[page].scripts, page
        for tag in DANGEROUS_TAGS:
            assert hostile[page].tags[tag] == clean[page].tags[tag], (page, tag)


def test_the_hostile_text_is_shown_not_dropped(clean_and_hostile_builds):
    site, markers = clean_and_hostile_builds["hostile"]
    text = "".join(html.unescape(page.read_text(encoding="utf-8"))
                   for page in site.rglob("*.html"))
    assert [marker for marker in markers if marker not in text] == []
    # And shown as text: the claims page prints the script payload's words.
    assert "alert(1)" in html.unescape(
        (site / "claims" / "index.html").read_text(encoding="utf-8"))


# What a citation's popover copies (docs/assets/citations.js clones the list entry's nodes):
# the inline allow-list of sitebuild/sanitise.py. tests/test_browser_citations.py opens every
# popover of a chapter of the hostile build in Chromium and checks what it holds.
POPOVER_TAGS = set(sanitise.INLINE_TAGS)
CITATION = re.compile(r'<a class="vg-cite" href="#ref-([a-z0-9-]+)"')


def test_every_citations_popover_source_is_a_clean_entry_of_its_page(clean_and_hostile_builds):
    site, markers = clean_and_hostile_builds["hostile"]
    pages = checked = 0
    for path in site.rglob("*.html"):
        page = path.read_text(encoding="utf-8")
        cited = set(CITATION.findall(page))
        pages += bool(cited)
        for key in cited:
            entry = re.search(rf'<li id="ref-{key}">(.*?)</li>', page, re.DOTALL)
            assert entry, (path, key)  # the popover has something to copy, on the same page
            found = scan(entry.group(1))
            assert found.findings == [] and set(found.tags) <= POPOVER_TAGS, (path, key)
            checked += any(marker in html.unescape(entry.group(1)) for marker in markers)
    assert pages >= 5 and checked >= pages  # the chapters cite entries that carry payloads


def test_a_formula_that_links_is_refused():
    from sitebuild import typeset_math

    for target in ("javascript:alert(5)", "https://a.example/"):
        tex = f"\\mmlToken{{mi}}[href='{target}']{{x}}"
        page = f'<p><span class="arithmatex">\\({tex}\\)</span></p>'
        with pytest.raises(typeset_math.MathError, match="formulas may not carry links"):
            typeset_math.typeset(page, "claims.md")


def test_a_held_fragment_in_a_heading_reaches_the_table_of_contents_escaped():
    held = sanitise.Fragments()
    token = held.hold(sanitise.inline_html("&lt;script&gt;alert(1)&lt;/script&gt;"))
    title = held.release_text(f"Title {token}")
    assert "<script" not in title and "&lt;script&gt;" in title


def test_a_forged_hold_token_is_not_swapped_in():
    held = sanitise.Fragments()
    token = held.hold("<em>trusted</em>")
    forged = "vgheld" + "0" * 24 + "x"
    assert held.release(f"{token} {forged}") == f"<em>trusted</em> {forged}"


@pytest.mark.parametrize("page", ["x) [y](javascript:alert(1)", "../outside.md",
                                  "chapters/a.md#x", "https://a.example/x.md"])
def test_a_claim_whose_page_is_not_a_page_path_is_refused(tmp_path, page):
    path = tmp_path / "claims.yml"
    path.write_text(yaml.safe_dump([{"id": "x", "title": "t", "page": page, "source": "000",
                                     "section": "s", "claim": "c", "verdict": "holds",
                                     "finding": "f", "test": "tests/test_x.py::test_y",
                                     "counterfactual": "fails if f"}]),
                    encoding="utf-8")
    with pytest.raises(claims.LedgerError, match="must be a page's path"):
        claims.load_ledger(path)


CLAIM = {"id": "x", "title": "t", "page": "chapters/p.md", "source": "000", "section": "s",
         "claim": "c", "verdict": "holds", "finding": "f", "test": "tests/test_x.py::test_y",
         "counterfactual": "fails if f"}


@pytest.mark.parametrize("field, value, message", [
    ("source", "Someone <b>2020</b>", "an article number"),
    ("source", "[[value: x]] 2020", "an article number"),
    ("source", 'A" onmouseover="x', "an article number"),
    ("test", "tests/../../../../etc/passwd::root", "must be tests/test_"),
    ("test", "tests/test_x.py::y) [z](javascript:alert(1)", "must be tests/test_"),
    ("title", "first line\n\n    indented", "on more than one line"),
    ("finding", "[" * 2_001, "longer than 2000 characters"),
    ("counterfactual", "fails if\n\n    x", "counterfactual that is not one line"),
    ("counterfactual", "[" * 2_001, "longer than 2000 characters"),
    ("counterfactual", " ", "lacks counterfactual"),
])
def test_ledger_fields_that_are_not_plain_are_refused(tmp_path, field, value, message):
    path = tmp_path / "claims.yml"
    path.write_text(yaml.safe_dump([dict(CLAIM, **{field: value})]), encoding="utf-8")
    with pytest.raises(claims.LedgerError, match=re.escape(message)):
        claims.load_ledger(path)


@pytest.mark.parametrize("field, value, message", [
    ("arxiv", 1502.0185, "must be quoted text"),
    ("date", ["a", "b"], "must be quoted text"),
    ("title", "[" * 2_001, "longer than 2000 characters"),
])
def test_bibliography_fields_of_another_type_or_too_long_are_refused(tmp_path, field, value,
                                                                    message):
    entry = {"key": "x-2000", "authors": ["A. B."], "year": 2000, "title": "T", "venue": "V",
             "url": "https://a.example/"}
    path = tmp_path / "references.yml"
    path.write_text(yaml.safe_dump([dict(entry, **{field: value})]), encoding="utf-8")
    with pytest.raises(references.ReferenceError, match=re.escape(message)):
        references.load_references(path)


def test_a_value_marker_in_code_in_ledger_text_stays_as_written():
    from sitebuild import markers

    text = "Write `[[value: v]]` to quote it: [[value: v]]."
    assert markers.expand_values(text, {"v": "0.25"}, "claims.yml") == \
        "Write `[[value: v]]` to quote it: 0.25."


def test_a_reference_url_with_another_scheme_is_refused(tmp_path):
    path = tmp_path / "references.yml"
    path.write_text(yaml.safe_dump([{"key": "x-2000", "authors": ["A. B."], "year": 2000,
                                     "title": "T", "venue": "V",
                                     "url": "javascript:alert(1)"}]), encoding="utf-8")
    with pytest.raises(references.ReferenceError, match="url"):
        references.load_references(path)


def test_a_notebooks_markdown_cell_cannot_run_script(tmp_path):
    # An unclosed <style> turns every later cell into style text (as in a browser), so the
    # payloads that open one come last; every marker before them must survive.
    order = sorted(range(len(PAYLOADS)), key=lambda index: "<style>" in PAYLOADS[index])
    shown = [index for index in order if "<style>" not in PAYLOADS[index]]
    cells = [nbformat.v4.new_markdown_cell("# Hostile notebook"),
             *(nbformat.v4.new_markdown_cell(f"{_marker(index)} {PAYLOADS[index]}")
               for index in order)]
    path = tmp_path / "hostile.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=cells), path)
    converted, _ = notebook_pages._convert(path)
    page = notebook_pages.clean(converted, "notebooks/edge-of-chaos.md",
                                "notebooks/edge-of-chaos/")
    assert scan(page).findings == []
    # The template's own scripts (the copy button) come before the notebook; none in it.
    scanner = scan(page.split(notebook_pages.WRAPPER, 1)[1])
    assert [tag for tag in DANGEROUS_TAGS if scanner.tags[tag]] == []
    assert [index for index in shown if _marker(index) not in page] == []
    # The scan itself must see what it forbids: the unsanitised conversion is full of it.
    assert scan(converted).findings


def test_the_scan_finds_what_it_forbids():
    """The scanner is the oracle of the tests above: it must flag each kind it forbids."""
    caught = ['<a href="javascript:alert(1)">', '<a href=" JaVa&#x09;script:x">',
              '<a href="\x01java\nscript:x">',
              '<img src="data:image/svg+xml,<svg>">', '<a href="vbscript:x">',
              '<div onclick="x">', '<a href="data:text/html,x">',
              '<img srcset="a.png 1x, javascript:x 2x">', '<form action="javascript:x">']
    for snippet in caught:
        assert scan(snippet).findings, snippet
    passed = ['<a href="https://a.example/">', '<a href="../x/#y">', '<a href="mailto:a@b">',
              '<img src="data:image/png;base64,iVBORw0KGgo=">', '<a href="#ref-x">',
              '<a href="java  script:x">']  # a space inside: no scheme, a relative path
    for snippet in passed:
        assert not scan(snippet).findings, snippet


def test_an_inline_script_no_template_writes_fails_the_build(tmp_path):
    """The policy allows the templates' scripts only: a script that reached a page any other
    way is an error naming the page, never hashed into the policy."""
    from sitebuild import content_policy

    storage = ('__md_scope=new URL("../..",location),__md_hash=e=>[...e].reduce(((e,_)=>(e<<5)'
               '-e+_.charCodeAt(0)),0),__md_get=(e,_=localStorage,t=__md_scope)=>JSON.parse(_.'
               'getItem(t.pathname+"."+e)),__md_set=(e,_,t=localStorage,a=__md_scope)=>{try{t.'
               'setItem(a.pathname+"."+e,JSON.stringify(_))}catch(e){}}')
    page = tmp_path / "a" / "index.html"
    page.parent.mkdir()
    page.write_text(f'<html><head><meta charset="utf-8"><script>{storage}</script></head></html>')
    policy = content_policy.apply(tmp_path)
    assert "'sha256-" in policy and "Content-Security-Policy" in page.read_text()
    (tmp_path / "b.html").write_text('<meta charset="utf-8"><p>x</p><script>alert(1)</script>')
    with pytest.raises(content_policy.PolicyError, match=r"b\.html: an inline script"):
        content_policy.apply(tmp_path)
