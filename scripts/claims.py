"""The claims ledger (docs/claims.yml): loading and checking it, a claim's box on its chapter,
and the generated "Checked claims" page. Every text taken from the ledger is HTML-escaped
before it reaches a page."""

import html
import posixpath
import re
from pathlib import Path

import yaml

from snippets.figures.registry import NAME_PATTERN

ROOT = Path(__file__).resolve().parent.parent
LEDGER = ROOT / "docs" / "claims.yml"
FIELDS = ("id", "page", "source", "section", "claim", "verdict", "finding", "test")
VERDICTS = {
    "holds": ("success", "Checked: holds"),
    "nuance": ("note", "Holds, with a nuance"),
    "wrong": ("failure", "Correction"),
}
current_build = {}  # id → claim, filled by the claims hook for the markers hook


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
        if claim["id"] in seen:
            raise LedgerError(f"claims.yml: claim id {claim['id']!r} appears twice")
        seen.add(claim["id"])
    return claims


def _text(value):
    """Ledger text for a page: Markdown and math pass, raw HTML does not."""
    return html.escape(value.strip(), quote=False)


def _code(value):
    return f"<code>{html.escape(value.strip(), quote=False)}</code>"


def _indent(text, prefix="    "):
    return "\n".join(prefix + line if line.strip() else "" for line in text.splitlines())


def _source(source):
    """A source article is cited by its number ("article `000`"); a paper by its name."""
    return f"article {_code(source)}" if re.fullmatch(r"\d{3}", source) else _text(source)


def claim_block(claim, claims_page_link):
    """The admonition that shows ``claim`` on its chapter."""
    kind, title = VERDICTS[claim["verdict"]]
    # A source article is "the article" of its chapter; a paper is named.
    who = ("The article" if re.fullmatch(r"\d{3}", claim["source"])
           else _text(claim["source"]))
    body = (f"**{who}** ({_text(claim['section'])}): {_text(claim['claim'])}\n\n"
            f"**What we find:** {_text(claim['finding'])}\n\n"
            f"Decided by {_code(claim['test'])} · "
            f"[all checked claims]({claims_page_link}#{html.escape(claim['id'], quote=True)})")
    return f'!!! {kind} "{title}"\n\n{_indent(body)}\n'


def claims_page(claims, titles):
    """Markdown of the generated claims page; ``titles`` maps a page's path to its title."""
    lines = ["# Checked claims", "",
             "Every checkable claim the chapters make or correct, with the test that decides "
             "it. A claim is listed only if its test exists; `make test` runs them all.", ""]
    for verdict, (_, title) in VERDICTS.items():
        count = sum(claim["verdict"] == verdict for claim in claims)
        lines.append(f"- **{title}:** {count}")
    lines.append("")
    for page in dict.fromkeys(claim["page"] for claim in claims):
        lines += [f"## [{_text(titles.get(page, page))}]({posixpath.relpath(page, '.')})", ""]
        for claim in (c for c in claims if c["page"] == page):
            _, title = VERDICTS[claim["verdict"]]
            # Headings feed the table of contents, which MathJax does not typeset: the
            # heading is the claim's id in words, the claim itself (with math) follows.
            heading = _text(claim["id"].replace("-", " ").capitalize())
            lines += [f"### {heading} {{ #{html.escape(claim['id'], quote=True)} }}", "",
                      f"> {_text(claim['claim'])}", "",
                      f"**{title}.** {_text(claim['finding'])}", "",
                      f"Source: {_source(claim['source'])}, section "
                      f"“{_text(claim['section'])}”. Test: {_code(claim['test'])}.", ""]
    return "\n".join(lines)
