"""MkDocs hook: drop the syntax-highlighting spans that colour nothing. Pygments wraps every
name and every run of spaces of a listing in its own span; Material draws names in the code's
own colour (--md-code-hl-name-color is --md-code-fg-color) and whitespace has none. The
chapters' tested listings were half of a chapter's HTML; unwrapped, they look the same
(tests/test_browser.py compares the colours) and weigh a fifth less."""

import re

LISTING = re.compile(r'(<div[^>]* class="highlight[ "].*?</pre>)', re.DOTALL)
UNCOLOURED = re.compile(r'<span class="[nw]">([^<]*)</span>')


def compact(html):
    """The HTML with every uncoloured token span inside a highlighted listing unwrapped."""
    parts = LISTING.split(html)
    for index in range(1, len(parts), 2):
        parts[index] = UNCOLOURED.sub(r"\1", parts[index])
    return "".join(parts)


def on_page_content(html, page, config, files):
    return compact(html)
