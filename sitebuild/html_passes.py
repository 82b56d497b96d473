"""Two passes over a page's HTML that change how much it weighs, not what it shows.

``exclude_code_from_search``: every chapter shows the tested source behind its figures and
every notebook page its cells; indexed, those blocks filled most search results and half the
index each page downloads (a notebook's code was indexed twice: the cell and its hidden copy
for the clipboard button). Material's search plugin skips an element marked
``data-search-exclude``.

``compact``: Pygments wraps every name and every run of spaces of a listing in its own span;
Material draws names in the code's own colour (--md-code-hl-name-color is
--md-code-fg-color) and whitespace has none. Unwrapped, the listings look the same
(tests/test_browser.py compares the colours) and weigh a fifth less.
"""

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
# stays in the source and leaves the page's listings. It starts "# equivalent mutant…" (or
# "# (equivalent mutant…") and runs over the comment-only lines that follow it.
MUTATION_NOTE = re.compile(r'^\s*<span class="c1">#\s*\(?equivalent mutants?\b')
COMMENT_LINE = re.compile(r'^\s*<span class="c1">#')


def source_without_mutation_notes(source):
    """Plain source text with the same note blocks removed: what the listings show of it."""
    kept, hiding = [], False
    for line in source.split("\n"):
        stripped = line.lstrip()
        hiding = bool(re.match(r"#\s*\(?equivalent mutants?\b", stripped)) or (
            hiding and stripped.startswith("#"))
        if not hiding:
            kept.append(line)
    return "\n".join(kept)


def hide_mutation_notes(html):
    """The HTML with every equivalent-mutant comment block removed from highlighted listings
    (run after :func:`compact`, which leaves a comment line as indentation plus one span)."""
    parts = LISTING.split(html)
    for index in range(1, len(parts), 2):
        kept, hiding = [], False
        for line in parts[index].split("\n"):
            hiding = bool(MUTATION_NOTE.match(line)) or (hiding and bool(COMMENT_LINE.match(line)))
            if not hiding:
                kept.append(line)
        parts[index] = "\n".join(kept)
    return "".join(parts)


def compact(html):
    """The HTML with every uncoloured token span inside a highlighted listing unwrapped."""
    parts = LISTING.split(html)
    for index in range(1, len(parts), 2):
        parts[index] = UNCOLOURED.sub(r"\1", parts[index])
    return "".join(parts)
