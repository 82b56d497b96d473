"""Passes over a page's HTML that change how much it weighs, not what it shows (and one that
leaves maintainers' notes out of the listings).

``exclude_code_from_search``: every chapter shows the tested source behind its figures and
every notebook page its cells; indexed, those blocks filled most search results and half the
index each page downloads (a notebook's code was indexed twice: the cell and its hidden copy
for the clipboard button). Material's search plugin skips an element marked
``data-search-exclude``.

``compact``: Pygments wraps every name and every run of spaces of a listing in its own span;
Material draws names in the code's own colour (--md-code-hl-name-color is
--md-code-fg-color) and whitespace has none. Unwrapped, the listings look the same
(tests/test_browser.py compares the colours) and weigh a fifth less.

``hide_mutation_notes``: the comments that justify equivalent mutants stay in the source only.
"""

import html
import re

# Material's listings, a notebook cell's code, and that cell's hidden clipboard copy.
CODE_BLOCK = re.compile(
    r'<div((?: tabindex="0")?) class="(highlight(?=[ "])|highlight-ipynb |clipboard-copy-txt")')
LISTING = re.compile(r'(<div[^>]* class="highlight[ "].*?</pre>)', re.DOTALL)
UNCOLOURED = re.compile(r'<span class="[nw]">([^<]*)</span>')


def exclude_code_from_search(html):
    """The HTML with every code block marked for Material's search plugin to skip."""
    return CODE_BLOCK.sub(r'<div\1 data-search-exclude class="\2', html)


# A comment block that justifies an equivalent mutant (`make mutate`) is for maintainers: it
# stays in the source and leaves the page's listings. It starts "# equivalent mutant…" or
# "# tolerance mutant…" (either after "# (" too) and runs over the comment-only lines that
# follow it. One rule, for plain source lines and for highlighted ones (read as the text they show).
MUTATION_NOTE = re.compile(r"#\s*\(?(?:equivalent|tolerance) mutants?\b")
TAG = re.compile(r"<[^>]+>")


def _without_mutation_notes(lines, text_of=lambda line: line):
    """``lines`` less every note block, deciding on ``text_of(line)``."""
    kept, hiding = [], False
    for line in lines:
        text = html.unescape(text_of(line)).lstrip()
        hiding = bool(MUTATION_NOTE.match(text)) or (hiding and text.startswith("#"))
        if not hiding:
            kept.append(line)
    return kept


def source_without_mutation_notes(source):
    """Plain source text with the note blocks removed: what the listings show of it."""
    return "\n".join(_without_mutation_notes(source.split("\n")))


def hide_mutation_notes(html_text):
    """The HTML with every equivalent-mutant note block removed from highlighted listings."""
    parts = LISTING.split(html_text)
    for index in range(1, len(parts), 2):
        parts[index] = "\n".join(_without_mutation_notes(
            parts[index].split("\n"), lambda line: TAG.sub("", line)))
    return "".join(parts)


def compact(html):
    """The HTML with every uncoloured token span inside a highlighted listing unwrapped."""
    parts = LISTING.split(html)
    for index in range(1, len(parts), 2):
        parts[index] = UNCOLOURED.sub(r"\1", parts[index])
    return "".join(parts)
