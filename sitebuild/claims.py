"""The claims ledger (docs/claims.yml): loading and checking it, a claim's box on its chapter,
and the generated "Checked claims" page. Every text taken from the ledger reaches a page through
the one sanitiser (sitebuild/sanitise.py): rendered and cleaned there, then held out of the
page's Markdown (``held``, a ``sanitise.Fragments``), or as plain text in a heading."""

import html
import posixpath
import re
from pathlib import Path

import yaml

from sitebuild import markers, sanitise
from snippets.figures.registry import NAME_PATTERN

ROOT = Path(__file__).resolve().parent.parent
LEDGER = ROOT / "docs" / "claims.yml"
PAGE_PATTERN = r"(?:[a-z0-9-]+/)*[a-z0-9-]+\.md"
SOURCE_PATTERN = r"\d{3}|[A-Za-z][A-Za-z0-9 .,&'’-]{0,79}"
TEST_PATTERN = r"tests/test_[a-z0-9_]+\.py::[A-Za-z0-9_]+(?:\[[^\]\n]*\])?"
ONE_LINE = ("title", "section", "source", "test")
MAX_TEXT = 2_000   # characters per field: rendering time grows faster than the length
FIELDS = ("id", "title", "page", "source", "section", "claim", "verdict", "finding", "test",
          "counterfactual")
# verdict → (admonition kind, its label on the page, its label in the claims page's counts)
VERDICTS = {
    "holds": ("success", "Checked: holds", "holds"),
    "nuance": ("note", "Holds, with a nuance", "holds with a nuance"),
    "wrong": ("failure", "Correction", "corrected"),
    # Neither confirmed nor refuted by what we could measure (e.g. the control that would
    # decide it does not exist on our harness): said as such, never counted as holding.
    "unshown": ("question", "Not shown either way", "not shown"),
}


def _source_articles():
    """The four source articles, from docs/references.yml (their entries carry the number
    claims.yml cites them by): number → (entry key, "author, “title” (year)", short label)."""
    from sitebuild import references

    found = {}
    for entry in references.load_references().values():
        if entry.get("article"):
            who = ", ".join(entry["authors"])
            name = f"{who + ', ' if who else ''}“{entry['title']}” ({entry['year']})"
            found[entry["article"]] = (entry["key"], name, references.label(entry))
    return found


SOURCE_ARTICLES = _source_articles()
ARTICLES = {number: name for number, (_, name, _) in SOURCE_ARTICLES.items()}
ARTICLE_LABELS = {number: label for number, (_, _, label) in SOURCE_ARTICLES.items()}


class LedgerError(ValueError):
    """The ledger is malformed; the message names the claim and the field."""


def load_ledger(path=LEDGER):
    """The claims ledger: a list of dicts with the keys FIELDS, every value a non-empty string."""
    try:
        claims = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or []
    except yaml.YAMLError as error:
        raise LedgerError(f"{Path(path).name} is not valid YAML: {error}") from None
    if not isinstance(claims, list):
        raise LedgerError(f"{Path(path).name} must be a list of claims")
    seen = set()
    for claim in claims:
        if not isinstance(claim, dict):
            raise LedgerError(f"{Path(path).name}: every entry must be a mapping, got {claim!r}")
        missing = [key for key in FIELDS
                   if not isinstance(claim.get(key), str) or not claim[key].strip()]
        if missing:
            raise LedgerError(f"claims.yml: claim {claim.get('id')!r} lacks {', '.join(missing)}")
        if claim["verdict"] not in VERDICTS:
            raise LedgerError(f"claims.yml: claim {claim['id']!r} has verdict "
                              f"{claim['verdict']!r}; allowed: {', '.join(VERDICTS)}")
        if not re.fullmatch(NAME_PATTERN, claim["id"]):
            raise LedgerError(f"claims.yml: claim id {claim['id']!r} must match {NAME_PATTERN}")
        too_long = [key for key in FIELDS if len(claim[key]) > MAX_TEXT]
        if too_long:
            raise LedgerError(f"claims.yml: claim {claim['id']!r} has {', '.join(too_long)} "
                              f"longer than {MAX_TEXT} characters")
        if "\n" in claim["counterfactual"].strip():
            raise LedgerError(f"claims.yml: claim {claim['id']!r} has a counterfactual that is "
                              f"not one line of text")
        multiline = [key for key in ONE_LINE if "\n" in claim[key].strip()]
        if multiline:
            raise LedgerError(f"claims.yml: claim {claim['id']!r} has {', '.join(multiline)} "
                              f"on more than one line")
        # The source is an attribute value and a menu option; the test names a file read for
        # its line number: both plain, nothing else.
        if not re.fullmatch(SOURCE_PATTERN, claim["source"]):
            raise LedgerError(f"claims.yml: claim {claim['id']!r} has source "
                              f"{claim['source']!r}: an article number (000) or a paper's "
                              f"name such as Glorot & Bengio 2010")
        if not re.fullmatch(TEST_PATTERN, claim["test"]):
            raise LedgerError(f"claims.yml: claim {claim['id']!r} has test {claim['test']!r}, "
                              f"which must be tests/test_<name>.py::<test name>")
        # The page becomes a link target on the claims page: a plain path, nothing else.
        if not re.fullmatch(PAGE_PATTERN, claim["page"]):
            raise LedgerError(f"claims.yml: claim {claim['id']!r} has page {claim['page']!r}, "
                              f"which must be a page's path such as chapters/name.md")
        if re.fullmatch(r"\d{3}", claim["source"]) and claim["source"] not in ARTICLES:
            raise LedgerError(f"claims.yml: claim {claim['id']!r} cites article "
                              f"{claim['source']!r}; known articles: {', '.join(ARTICLES)}")
        if claim["id"] in seen:
            raise LedgerError(f"claims.yml: claim id {claim['id']!r} appears twice")
        seen.add(claim["id"])
    return claims


def _text(value, held, values=None, where="claims.yml"):
    """Ledger text for a page: its quoted values filled in (``values``: name → text), its
    Markdown and math rendered and cleaned by the sanitiser, held out of the page's own
    Markdown."""
    if values is not None:  # None: no figures rendered (a unit test), markers stay as text
        value = markers.expand_values(value, values, where)
    return held.hold(sanitise.inline_html(value))


def _code(value):
    return f"<code>{html.escape(value.strip(), quote=False)}</code>"


def _indent(text, prefix="    "):
    return "\n".join(prefix + line if line.strip() else "" for line in text.splitlines())


def _is_article(source):
    return re.fullmatch(r"\d{3}", source) is not None


def _source(source, held, references_page=None):
    """A source article by its author and title (linked to its reference when
    ``references_page`` is given); a paper by its name."""
    if not _is_article(source):
        return _text(source, held)
    name = held.hold(sanitise.plain_text(ARTICLES[source]))
    if references_page is None:
        return name
    # A Markdown link, so MkDocs turns the page path into its URL; the key is a NAME_PATTERN.
    return f"[{name}]({references_page}#{SOURCE_ARTICLES[source][0]})"


def _test(claim, test_url, held):
    """The deciding test's name, linked to its source when the repository is known."""
    url = test_url(claim["test"]) if test_url else None
    code = _code(claim["test"])
    return held.hold(f'<a href="{html.escape(url, quote=True)}">{code}</a>' if url else code)


def test_source_url(repo_url, test):
    """The URL of a test's definition in the repository at ``repo_url`` (GitHub or GitLab
    style: <repo>/blob/HEAD/<path>#L<line>), or None without a repository URL."""
    if not repo_url:
        return None
    path, _, name = test.partition("::")
    line = ""
    source = ROOT / path
    if source.is_file():
        match = re.search(rf"^def {re.escape(name.split('[')[0])}\(",
                          source.read_text(encoding="utf-8"), re.MULTILINE)
        if match:
            line = f"#L{source.read_text(encoding='utf-8').count(chr(10), 0, match.start()) + 1}"
    return f"{repo_url.rstrip('/')}/blob/HEAD/{path}{line}"


def _counterfactual(claim, held, values=None):
    """What would have made the deciding test fail (every claim states it)."""
    where = f"claims.yml, claim {claim['id']!r}"
    return f", which {_text(claim['counterfactual'].strip(), held, values, where)}"


def chapter_anchor(claim_id):
    """The id of a claim's place on its chapter."""
    return f"claim-{claim_id}"


def claim_block(claim, claims_page_link, held, test_url=None, values=None):
    """A claim on its chapter: a collapsed badge, whatever the verdict, that opens to the full
    box (the claim, what we find, the deciding test), so a test's name is printed only inside
    an opened box. The badge names the claim by its title, so it does not repeat the
    paragraph above it. On a wide screen the closed badge is a note in the margin beside that
    paragraph (docs/assets/site.css, "Claims as side notes"; docs/assets/claim-notes.js)."""
    kind, label, _ = VERDICTS[claim["verdict"]]
    # A source article is "the article" of its chapter; a paper is named.
    who = "The article" if _is_article(claim["source"]) else _text(claim["source"], held)
    where = f"claims.yml, claim {claim['id']!r}"
    body = (f"**{who}** ({_text(claim['section'], held)}): "
            f"{_text(claim['claim'], held, values, where)}\n\n"
            f"**What we find:** {_text(claim['finding'], held, values, where)}\n\n"
            f"Decided by {_test(claim, test_url, held)}{_counterfactual(claim, held, values)} · "
            f"[in the ledger of checked claims]"
            f"({claims_page_link}#{html.escape(claim['id'], quote=True)})")
    # The verdict and the title in spans of their own: a margin note sets the verdict on a
    # line of its own (the dash hidden there), a phone's badge reads "verdict — title".
    title = held.hold(f'<span class="vg-claim-verdict">{html.escape(label)}'
                      f'<span class="vg-claim-dash"> — </span></span>'
                      f'<span class="vg-claim-title">'
                      f'{sanitise.plain_text(claim["title"].strip())}'
                      f'</span>')
    anchor = html.escape(chapter_anchor(claim["id"]), quote=True)
    return (f'<div class="vg-claim-anchor" id="{anchor}"></div>\n\n'
            f'??? {kind} vg-claim vg-claim-{claim["verdict"]} "{title}"\n\n{_indent(body)}\n')


def verdict_counts(claims):
    """[(row label, found, holds, nuance, wrong, unshown)]: one row per source article (in number
    order), one for the papers and the chapters' own extensions together, and the total."""
    groups = {}
    for claim in claims:
        label = (ARTICLE_LABELS[claim["source"]] if _is_article(claim["source"])
                 else "papers and the chapters' own extensions")
        groups.setdefault(label, []).append(claim["verdict"])
    articles = [ARTICLE_LABELS[number] for number in sorted(ARTICLE_LABELS)]
    ordered = [label for label in articles if label in groups]
    ordered += [label for label in groups if label not in articles]
    rows = [(label, len(groups[label]), *(groups[label].count(v) for v in VERDICTS))
            for label in ordered]
    rows.append(("total", len(claims), *(sum(claim["verdict"] == v for claim in claims)
                                          for v in VERDICTS)))
    return rows


def counts_table(claims):
    """The per-article counts as a Markdown table."""
    header = ("| source | claims in the ledger | holds | holds, with a nuance | corrected "
              "| not shown |\n|---|--:|--:|--:|--:|--:|")
    # The README is rendered by its forge, which sanitises it; escaping keeps the table intact.
    rows = [f"| {html.escape(label, quote=False).replace('|', '&#124;')} | "
            f"{' | '.join(map(str, numbers))} |" for label, *numbers in verdict_counts(claims)]
    return "\n".join([header, *rows])


README = ROOT / "README.md"
README_START = ("<!-- claims-counts: generated by `python -m sitebuild.claims` from "
                "docs/claims.yml -->")
README_END = "<!-- end of claims-counts -->"


def readme_with_counts(text, claims):
    """``text`` (the README) with the block between README_START and README_END replaced by
    the current counts table."""
    start, end = text.index(README_START) + len(README_START), text.index(README_END)
    return f"{text[:start]}\n{counts_table(claims)}\n{text[end:]}"


def _summary(claims, held):
    """The counts per source and verdict, as a Markdown table (the chapters follow below)."""
    header = ["source", *(counted for _, _, counted in VERDICTS.values()), "all"]
    lines = ["| " + " | ".join(header) + " |", "|---|" + "---:|" * (len(header) - 1)]
    for source in dict.fromkeys(claim["source"] for claim in claims):
        own = [claim for claim in claims if claim["source"] == source]
        counts = [str(sum(claim["verdict"] == verdict for claim in own)) for verdict in VERDICTS]
        lines.append(f"| {_source(source, held, 'references.md')} | {' | '.join(counts)} | "
                     f"{len(own)} |")
    totals = [str(sum(claim["verdict"] == verdict for claim in claims)) for verdict in VERDICTS]
    lines.append(f"| **all** | {' | '.join(f'**{n}**' for n in totals)} | "
                 f"**{len(claims)}** |")
    return lines


def _filter(claims):
    """The filter form; hidden until assets/claims-filter.js makes it work."""
    verdicts = "".join(f'<option value="{key}">{html.escape(counted)}</option>'
                       for key, (_, _, counted) in VERDICTS.items())
    sources = "".join(f'<option value="{html.escape(source, quote=True)}">'
                      f'{html.escape(ARTICLES.get(source, source))}</option>'
                      for source in dict.fromkeys(claim["source"] for claim in claims))
    return (f'<form class="vg-claims-filter" hidden>'
            f'<label>Verdict <select name="verdict"><option value="">all verdicts</option>'
            f'{verdicts}</select></label>'
            f'<label>Source <select name="source"><option value="">all sources</option>'
            f'{sources}</select></label>'
            f'<output aria-live="polite"></output></form>')


def claims_page(claims, titles, held, test_url=None, values=None):
    """Markdown of the generated claims page; ``titles`` maps a page's path to its title;
    ledger text is held in ``held`` (a ``sanitise.Fragments``)."""
    def chapter_link(page):
        return posixpath.relpath(page, ".")

    lines = ["# Checked claims", "",
             "Every checkable claim the chapters take from their sources, with what we find "
             "and the test that decides it; `make test` runs them all. Chapters 1–4 each "
             "check one article; chapter 5 checks published papers.", "",
             *_summary(claims, held), "", _filter(claims), ""]
    for page in dict.fromkeys(claim["page"] for claim in claims):
        lines += [f"## [{sanitise.markdown_inert(titles.get(page, page))}]({chapter_link(page)})",
                  ""]
        for claim in (c for c in claims if c["page"] == page):
            _, label, _ = VERDICTS[claim["verdict"]]
            claim_id = html.escape(claim["id"], quote=True)
            where = f"claims.yml, claim {claim['id']!r}"
            place = f"{chapter_link(page)}#{html.escape(chapter_anchor(claim['id']), quote=True)}"
            # Headings feed the table of contents, which MathJax does not typeset: the
            # title is plain text, the claim itself (with math) follows.
            lines += [f'<div class="vg-claim-entry" data-verdict="{claim["verdict"]}" '
                      f'data-source="{html.escape(claim["source"], quote=True)}" markdown>', "",
                      f"### {sanitise.markdown_inert(claim['title'])} {{ #{claim_id} }}", "",
                      f"> {_text(claim['claim'], held, values, where)}", "",
                      f"**{label}.** {_text(claim['finding'], held, values, where)}", "",
                      f"Source: {_source(claim['source'], held, 'references.md')}, section "
                      f"“{_text(claim['section'], held)}”. Test: {_test(claim, test_url, held)}. "
                      f"[Where the chapter discusses it]({place})",
                      "", "</div>", ""]
    return "\n".join(lines)


if __name__ == "__main__":
    README.write_text(readme_with_counts(README.read_text(encoding="utf-8"), load_ledger()),
                      encoding="utf-8")
    print(counts_table(load_ledger()))
