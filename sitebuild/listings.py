"""The code behind each figure, served beside its page and fetched when a reader opens it.

Every figure's "Code behind figure N" block holds the tested source that computes and draws it
(pymdownx.snippets includes, highlighted by Pygments): 40 % of a chapter's HTML, in blocks
that start closed. ``split(html)`` moves each block's content into its own small HTML file,
``code-behind-figure-<N>.html`` beside the page, and leaves a link to that file in the block;
docs/assets/listings.js swaps the link for the file's content when the block is opened (a
reader without JavaScript follows the link). The copy button that Material adds to code when
a page loads is written into the file, so the code can be copied as on any other block.
"""

import html as html_module
import re

BLOCK = re.compile(r'(<details class="example">\s*<summary>Code behind figure ([\d.]+)</summary>)'
                   r"(.*?)(</details>)", re.DOTALL)
PRE = re.compile(r"<pre><span></span><code>")


def file_name(number):
    return f"code-behind-figure-{number.replace('.', '-')}.html"


def _with_copy_buttons(body, stem):
    counter = iter(range(1000))

    def button(match):
        identifier = f"{stem}-{next(counter)}"
        return (f'<pre id="{identifier}"><span></span><nav class="md-code__nav">'
                f'<button class="md-code__button" title="Copy to clipboard" '
                f'data-clipboard-target="#{identifier} &gt; code" data-md-type="copy">'
                f"</button></nav><code>")

    return PRE.sub(button, body)


def split(html):
    """(the page's HTML with every code block replaced by a link, {file name: its content})."""
    listings = {}

    def replace(match):
        opening, number, body, closing = match.groups()
        name = file_name(number)
        if name in listings:
            raise ValueError(f"two blocks of code behind figure {number} on one page")
        listings[name] = _with_copy_buttons(body.strip(), name.removesuffix(".html")) + "\n"
        label = html_module.escape(f"The code behind figure {number}")
        return (f'{opening}\n<div class="vg-listing" data-listing>'
                f'<p><a href="{name}">{label}</a> (tested source; shown here when '
                f"JavaScript runs).</p></div>\n{closing}")

    return BLOCK.sub(replace, html), listings
