"""MkDocs hook: keep code out of the search index. Every page shows the tested source behind
its figures, and every notebook page its cells; indexed, those blocks filled most search
results and half the index that each page downloads (a notebook's code was indexed twice: the
cell and its hidden copy for the clipboard button). Material's search plugin skips an element
marked data-search-exclude."""

import re

# Material's listings, a notebook cell's code, and that cell's hidden clipboard copy.
CODE_BLOCK = re.compile(
    r'<div((?: tabindex="0")?) class="(highlight(?=[ "])|highlight-ipynb |clipboard-copy-txt")')


def on_page_content(html, page, config, files):
    return CODE_BLOCK.sub(r'<div\1 data-search-exclude class="\2', html)
