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


def compact(html):
    """The HTML with every uncoloured token span inside a highlighted listing unwrapped."""
    parts = LISTING.split(html)
    for index in range(1, len(parts), 2):
        parts[index] = UNCOLOURED.sub(r"\1", parts[index])
    return "".join(parts)
