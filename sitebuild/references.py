"""The bibliography (docs/references.yml): loading and checking it, citations on the pages,
each page's reference list, the generated References page, and how to cite a chapter.

A page cites with ``[[cite: key]]`` (narrative: "Glorot & Bengio (2010)") or
``[[citep: key-a; key-b]]`` (parenthetical: "(Glorot & Bengio 2010; He et al. 2015)"), and
lists what it cites with ``[[references]]`` alone on a line. A citation links to that list;
docs/assets/citations.js opens the whole reference beside it (on hover, keyboard focus or a
tap) by copying that list's entry, so the reference is written into the page once. Every text
taken from the file is cleaned by the one sanitiser before it reaches a page.
"""

import html
import re
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from sitebuild import sanitise

ROOT = Path(__file__).resolve().parent.parent
BIBLIOGRAPHY = ROOT / "docs" / "references.yml"
PAGE = "references.md"
KEY = r"[a-z][a-z0-9-]*"
REQUIRED = ("key", "title", "venue")
LINKS = ("doi", "arxiv", "url")
OPTIONAL_TEXT = ("doi", "arxiv", "url", "date", "label", "link_note", "article")
MAX_TEXT = 2_000   # characters per field: rendering time grows faster than the length
DOI = re.compile(r"10\.\d{4,9}/\S+")
ARXIV = re.compile(r"\d{4}\.\d{4,5}")
CITE = re.compile(rf"\[\[(cite|citep): ({KEY}(?:; {KEY})*)\]\]")
REFERENCES_LINE = re.compile(r"^\[\[references\]\]$", re.MULTILINE)
# Anything citation-like left once the exact forms are taken out is malformed.
CITE_LIKE = re.compile(r"\[\[\s*(?:cite|citep|references?)\b[^\]\n]*\]\]", re.IGNORECASE)


class ReferenceError(ValueError):
    """The bibliography or a citation is wrong; the message names the entry or page and line."""


def load_references(path=BIBLIOGRAPHY):
    """The bibliography as {key: entry}, in file order, after checking every entry."""
    name = Path(path).name
    try:
        entries = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or []
    except yaml.YAMLError as error:
        raise ReferenceError(f"{name} is not valid YAML: {error}") from None
    if not isinstance(entries, list):
        raise ReferenceError(f"{name} must be a list of entries")
    bibliography = {}
    for entry in entries:
        if not isinstance(entry, dict):
            raise ReferenceError(f"{name}: every entry must be a mapping, got {entry!r}")
        key = entry.get("key")
        missing = [field for field in REQUIRED
                   if not isinstance(entry.get(field), str) or not entry[field].strip()]
        year = entry.get("year")
        if isinstance(year, bool) or not isinstance(year, (int, str)) or not str(year).strip():
            missing.append("year")
        authors = entry.get("authors")
        if not isinstance(authors, list) or not all(isinstance(a, str) and a.strip()
                                                    for a in authors):
            missing.append("authors (a list of names, empty for an unsigned work)")
        if missing:
            raise ReferenceError(f"{name}: entry {key!r} lacks {', '.join(missing)}")
        # Optional fields are text too: an unquoted arXiv id such as 1502.01850 would be read
        # as the number 1502.0185 and link to another paper.
        wrong_type = [field for field in OPTIONAL_TEXT
                      if field in entry and not isinstance(entry[field], str)]
        if wrong_type:
            raise ReferenceError(f"{name}: entry {key!r} has {', '.join(wrong_type)} that must "
                                 f"be quoted text")
        too_long = [field for field in (*REQUIRED, *OPTIONAL_TEXT)
                    if len(str(entry.get(field) or "")) > MAX_TEXT] + \
            (["authors"] if sum(len(author) for author in authors) > MAX_TEXT else [])
        if too_long:
            raise ReferenceError(f"{name}: entry {key!r} has {', '.join(too_long)} longer than "
                                 f"{MAX_TEXT} characters")
        if not re.fullmatch(KEY, key):
            raise ReferenceError(f"{name}: key {key!r} must match {KEY}")
        if key in bibliography:
            raise ReferenceError(f"{name}: key {key!r} appears twice")
        if not authors and not entry.get("label"):
            raise ReferenceError(f"{name}: unsigned entry {key!r} needs a label")
        if not any(entry.get(field) for field in LINKS) and not entry.get("link_note"):
            raise ReferenceError(f"{name}: entry {key!r} needs a doi, arxiv or url, or a "
                                 f"link_note saying why it has none")
        if entry.get("doi") and not DOI.fullmatch(entry["doi"]):
            raise ReferenceError(f"{name}: entry {key!r} has doi {entry['doi']!r}, not 10.x/y")
        if entry.get("arxiv") and not ARXIV.fullmatch(str(entry["arxiv"])):
            raise ReferenceError(f"{name}: entry {key!r} has arxiv {entry['arxiv']!r}, "
                                 f"not an identifier like 1502.01852")
        if entry.get("url") and not re.fullmatch(r"https?://\S+", entry["url"]):
            raise ReferenceError(f"{name}: entry {key!r} has url {entry['url']!r}, "
                                 f"not an http(s) address")
        bibliography[key] = entry
    return bibliography


def _surname(name):
    return name.split()[-1]


def authors_short(entry):
    """"Nielsen", "Glorot & Bengio", "He et al." (the label without its year)."""
    names = [_surname(author) for author in entry["authors"]]
    if len(names) == 1:
        return names[0]
    if len(names) == 2:
        return f"{names[0]} & {names[1]}"
    return f"{names[0]} et al."


def label(entry, narrative=False):
    """The author–year label: "He et al. 2015", narrative "He et al. (2015)"."""
    if entry.get("label"):
        return entry["label"]
    year = str(entry["year"])
    return f"{authors_short(entry)} ({year})" if narrative else f"{authors_short(entry)} {year}"


def link(entry):
    """The address a reference points to, or None: its DOI, else its arXiv page, else its URL."""
    if entry.get("doi"):
        return f"https://doi.org/{entry['doi']}"
    if entry.get("arxiv"):
        return f"https://arxiv.org/abs/{entry['arxiv']}"
    return entry.get("url")


def _link_text(entry):
    if entry.get("doi"):
        return f"doi:{entry['doi']}"
    if entry.get("arxiv"):
        return f"arXiv:{entry['arxiv']}"
    return urlsplit(entry["url"]).hostname if entry.get("url") else None


def _quoted_title(title):
    """The title in quotes, followed by a full stop unless it ends in its own punctuation;
    quotation marks inside it become single ones (“A, ‘B?’”), so none is doubled."""
    inner = re.sub(r'"([^"]*)"', r"‘\1’", title).replace("“", "‘").replace("”", "’")
    return f"“{inner}”" + ("" if inner.rstrip("’")[-1:] in ("?", "!", ".") else ".")


def reference_text(entry):
    """The whole reference as plain text (the same words as ``reference_html``)."""
    who = ", ".join(entry["authors"]) or "Unsigned"
    when = entry.get("date") or entry["year"]
    parts = [f"{who} ({when}). {_quoted_title(entry['title'])} {entry['venue']}."]
    if link(entry):
        parts.append(_link_text(entry) + ".")
    return " ".join(parts)


def reference_html(entry, note=True):
    """The whole reference as clean HTML (the one sanitiser's inline allow-list), its
    identifier a link; without one, its ``link_note`` unless ``note`` is false."""
    text = sanitise.plain_text
    who = text(", ".join(entry["authors"]) or "Unsigned")
    when = text(str(entry.get("date") or entry["year"]))
    built = (f"{who} ({when}). {text(_quoted_title(entry['title']))} "
             f"<em>{text(entry['venue'])}</em>.")
    if link(entry):
        built += f' <a href="{text(link(entry))}">{text(_link_text(entry))}</a>.'
    elif note and entry.get("link_note"):
        built += f" {text(entry['link_note'])}"
    return sanitise.clean_inline(built)


def line_of(text, index):
    return text.count("\n", 0, index) + 1


def citations(markdown, where, bibliography):
    """The keys ``markdown`` cites, in order of first citation. Raises ReferenceError naming
    ``where`` and the line for an unknown key, a malformed citation, or citations without a
    [[references]] list (or a list with nothing cited)."""
    stripped = REFERENCES_LINE.sub("", CITE.sub("", markdown))
    leftover = CITE_LIKE.search(stripped)
    if leftover:
        raise ReferenceError(f"{where}, line {line_of(stripped, leftover.start())}: malformed "
                             f"citation {leftover.group(0)!r} (write [[cite: key]], "
                             f"[[citep: key-a; key-b]] or [[references]] alone on a line)")
    cited = {}
    for match in CITE.finditer(markdown):
        for key in match.group(2).split("; "):
            if key not in bibliography:
                raise ReferenceError(f"{where}, line {line_of(markdown, match.start())}: "
                                     f"unknown citation key '{key}' (not in references.yml)")
            cited.setdefault(key, None)
    listed = len(REFERENCES_LINE.findall(markdown))
    if cited and listed != 1:
        raise ReferenceError(f"{where}: cites {len(cited)} works but has {listed} "
                             f"[[references]] lists (it needs exactly one)")
    if listed and not cited:
        raise ReferenceError(f"{where}: has a [[references]] list but cites nothing")
    return list(cited)


def unused(bibliography, cited_by):
    """Keys no page cites (``cited_by`` maps a key to the pages citing it)."""
    return [key for key in bibliography if not cited_by.get(key)]


def _cite_html(entry, text):
    # No title attribute: the popover (assets/citations.js) shows the list's entry instead.
    return sanitise.clean_inline(
        f'<a class="vg-cite" href="#ref-{entry["key"]}">{sanitise.plain_text(text)}</a>')


def expand(markdown, where, bibliography, references_page_url, held):
    """Replace the citations and the [[references]] list of one page with HTML, held out of
    the page's Markdown in ``held`` (a ``sanitise.Fragments``). ``references_page_url`` is
    the References page's URL relative to this page."""
    cited = citations(markdown, where, bibliography)

    def expand_citation(match):
        entries = [bibliography[key] for key in match.group(2).split("; ")]
        if match.group(1) == "cite":
            return held.hold("; ".join(_cite_html(entry, label(entry, narrative=True))
                                       for entry in entries))
        return held.hold("(" + "; ".join(_cite_html(entry, label(entry))
                                         for entry in entries) + ")")

    def expand_list(_):
        items = "".join(
            f'<li id="ref-{html.escape(key, quote=True)}">'
            f'{reference_html(bibliography[key])}</li>'
            for key in sorted(cited, key=lambda key: label(bibliography[key]).lower()))
        # The list's tags stay in the Markdown, so it is a block of raw HTML, not a paragraph.
        return (f'<ul class="vg-references">{held.hold(items)}</ul>\n\n'
                f'All works cited on this site, with the chapters citing each, are on the '
                f'<a href="{html.escape(references_page_url, quote=True)}">References</a> page.')

    return REFERENCES_LINE.sub(expand_list, CITE.sub(expand_citation, markdown))


NUMBER_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
# Why a source article has no address, said once on the References page (its entries' own
# link_note, shown in the chapters, points here).
NO_ADDRESS = ("the copies we worked from did not record one, and searching for each title "
              "and author found no address we could confirm as the original's (posts on "
              "Medium and on personal blogs move or disappear).")


def _count(number):
    return NUMBER_WORDS[number] if number < len(NUMBER_WORDS) else str(number)


def _articles_without_address(articles):
    """The sentence saying once which source articles have no address, and why; or ""."""
    missing = [entry for entry in articles if not link(entry)]
    if not missing:
        return ""
    names = [sanitise.plain_text(label(entry, narrative=True)) for entry in missing]
    names = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    verb = "has" if len(missing) == 1 else "have"
    return (f"{_count(len(missing)).capitalize()} of the {_count(len(articles))} — {names} — "
            f"{verb} no web address here: {NO_ADDRESS}")


def references_page(bibliography, cited_by, titles, page_url, held):
    """Markdown (raw HTML lists) of the References page. ``cited_by`` maps a key to the pages
    (source paths) citing it, ``titles`` a page to its title, ``page_url(path)`` a page to its
    URL relative to the References page."""
    def item(entry):
        places = ", ".join(
            f'<a href="{html.escape(page_url(page), quote=True)}#ref-'
            f'{html.escape(entry["key"], quote=True)}">{html.escape(titles.get(page, page))}</a>'
            for page in cited_by.get(entry["key"], []))
        # The id stays outside the held fragment, so MkDocs sees the anchor (a KEY: safe).
        # A source article's missing address is explained once, above its list.
        shown = reference_html(entry, note=not entry.get("article"))
        return (f'<li id="{entry["key"]}">' + held.hold(
            f'{shown}<br><span class="vg-cited-in">Cited in: {places}.</span>') + "</li>")

    articles = [entry for entry in bibliography.values() if entry.get("article")]
    works = sorted((entry for entry in bibliography.values() if not entry.get("article")),
                   key=lambda entry: label(entry).lower())
    return "\n".join([
        "# References", "",
        "Every work the chapters cite, once. A citation in a chapter links to the chapter's own "
        "list, and pointing at it, focusing it or tapping it shows the whole reference; here "
        "each work lists the chapters that cite it.", "",
        "## The articles chapters 1–4 mirror", "",
        "Each of the first four chapters follows one blog article, checks its claims and "
        "corrects it where it is wrong. The articles are cited, never copied. "
        + held.hold(_articles_without_address(articles)), "",
        '<ul class="vg-references">', "".join(map(item, articles)), "</ul>", "",
        "## Papers, books and notes", "",
        '<ul class="vg-references">', "".join(map(item, works)), "</ul>", ""])


def how_to_cite(title, chapter, page_url, site_url, commit, site_name):
    """Markdown of a chapter's "How to cite this chapter" section. ``site_url`` is the hosted
    site's address, or None for a local build (SITE_URL not set), whose default address
    (127.0.0.1) nobody else can open: the section then says it is a local build instead.
    ``commit`` is the build's commit (sitebuild/provenance.py) or None."""
    built = (f"built from commit `{commit['short']}` ({commit['date']})" if commit
             else "built outside a git checkout")
    year = commit["date"][:4] if commit else "n.d."
    key = re.sub(r"[^a-z0-9]+", "-", page_url.rstrip("/").rsplit("/", 1)[-1].lower())
    if site_url:
        address = site_url.rstrip("/") + "/" + page_url
        where = f"<{html.escape(address)}>"
        published = [f"  howpublished = {{\\url{{{address}}}}},"]
    else:
        where = "a local build (set SITE_URL to the hosted address to cite it there)"
        published = []
    bibtex = "\n".join([
        f"@misc{{vge-{key},",
        f"  title        = {{{title}}},",
        f"  author       = {{{{{site_name}}} contributors}},",
        *published,
        f"  note         = {{Chapter {chapter}, {built}}},",
        f"  year         = {{{year}}},",
        "}"])
    return "\n".join([
        "## How to cite this chapter", "",
        f"{html.escape(site_name)} contributors, “{html.escape(title)}”, chapter {chapter} of "
        f"*{html.escape(site_name)}*, {where}, {built}. The commit "
        "fixes every figure and number on the page: rebuilding it reproduces them.", "",
        "```bibtex", bibtex, "```", ""])
