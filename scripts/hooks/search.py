"""MkDocs hook: keep code out of the search index. Every page shows the tested source behind
its figures; indexed, those blocks filled most search results and half the index that each
page downloads. Material's search plugin skips an element marked data-search-exclude."""

import re

CODE_BLOCK = re.compile(r'<div class="highlight(?=[ "])')


def on_page_content(html, page, config, files):
    return CODE_BLOCK.sub(r'<div data-search-exclude class="highlight', html)
