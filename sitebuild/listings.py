"""The code listings of a page: the code behind each figure, served beside its page and fetched
when a reader opens it; long listings in the text folded; every listing's lines wrapped.

Every figure's "Code behind figure N" block holds the tested source that computes and draws it
(pymdownx.snippets includes, highlighted by Pygments): 40 % of a chapter's HTML, in blocks
that start closed. ``split(html)`` moves each block's content into its own small HTML file,
``code-behind-figure-<N>.html`` beside the page, and leaves a link to that file in the block;
docs/assets/listings.js swaps the link for the file's content when the block is opened (a
reader without JavaScript follows the link). The copy button that Material adds to code when
a page loads is written into the file, so the code can be copied as on any other block.

Listings in the text itself (a chapter's ``--8<--`` includes): ``fold(html)`` puts one longer
than ``FOLD_LINES`` lines into a closed block whose summary says what it is — the functions it
defines (or the module), its file, lines and line count, found by matching its text against
the tested sources — and a shorter one stays in the text. ``FOLD_LINES`` = 25: at 1280 px a
row of code is 19 px high, so 25 rows and a few wrapped ones stay under two thirds of a
1280 × 900 window (tests/test_listings_browser.py measures both), and the sentence that
introduces a listing and the one that reads it are on the screen with it.

``wrap(html)``: every listing (in the text, folded, or behind a figure) breaks its long lines
instead of scrolling sideways, each line a box of its own (an inline block the width of the
code, so that a reader's copy of the text gains no newlines) with a hanging indent: a
continuation starts four columns right of its line's own indentation (``--i``, read by
docs/assets/site.css), so Python's indentation still reads. Nothing scrolls, so no listing runs
past the column at 1280 px and none needs a keyboard stop on a touch phone, where Material
gives a scrolling code block no tabindex (axe: scrollable-region-focusable). Only markup is
added: the text, and so what the copy button copies, is unchanged.
"""

import functools
import html as html_module
import re
from pathlib import Path

from sitebuild.html_passes import _without_mutation_notes

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
    """(the page's HTML with every code block behind a figure replaced by a link, the long
    listings in its text folded and every listing wrapped, {file name: its content})."""
    listings = {}

    def replace(match):
        opening, number, body, closing = match.groups()
        name = file_name(number)
        if name in listings:
            raise ValueError(f"two blocks of code behind figure {number} on one page")
        listings[name] = wrap(_with_copy_buttons(body.strip(),
                                                 name.removesuffix(".html"))) + "\n"
        label = html_module.escape(f"The code behind figure {number}")
        return (f'{opening}\n<div class="vg-listing" data-listing>'
                f'<p><a href="{name}">{label}</a> (tested source; shown here when '
                f"JavaScript runs).</p></div>\n{closing}")

    return wrap(fold(BLOCK.sub(replace, html))), listings


# ---------------------------------------------------------------------- listings in the text

FOLD_LINES = 25
ROOT = Path(__file__).resolve().parent.parent
SOURCES = ("snippets",)  # where the chapters' includes come from (pymdownx.snippets, base ".")
# A Material listing (not a notebook cell: "highlight-ipynb"), with its optional file name.
LISTING = re.compile(r'<div[^>]* class="highlight(?=[ "])[^>]*>(?:<span class="filename">'
                     r"[^<]*</span>)?<pre[^>]*>.*?</pre></div>", re.DOTALL)
DETAILS = re.compile(r"<details\b|</details>")
SECTION_MARKER = re.compile(r"^\s*#\s*-+8<-+\s*\[(?:start|end):[^\]]*\]\s*$")
DEFINITION = re.compile(r"(?:async\s+)?(?:def|class)\s+(\w+)")
TAG = re.compile(r"<[^>]+>")


def listing_text(listing_html):
    """The text a listing shows (its ``<pre>``'s), without a trailing newline."""
    pre = re.search(r"<pre[^>]*>(.*?)</pre>", listing_html, re.DOTALL).group(1)
    pre = re.sub(r'<nav class="md-code__nav">.*?</nav>', "", pre, flags=re.DOTALL)
    return html_module.unescape(TAG.sub("", pre)).rstrip("\n")


@functools.lru_cache(maxsize=256)
def _source_lines(path, modified):
    """((line number, text), …) of a source file as the listings show it: without the section
    markers and the maintainers' mutation notes. ``modified`` keys the cache."""
    numbered = [(number, line) for number, line in enumerate(
        path.read_text(encoding="utf-8").split("\n"), 1) if not SECTION_MARKER.match(line)]
    return tuple(_without_mutation_notes(numbered, lambda item: item[1]))


def _indent(line):
    return len(line) - len(line.lstrip(" "))


def find_source(text, root=ROOT):
    """Where a listing's text comes from: (file relative to ``root``, its first and last line,
    whether it is the whole file), or None. The text must be a run of the file's lines all
    dedented alike (pymdownx.snippets' dedent_subsections), a blank line for a blank line."""
    lines = text.split("\n")
    first = lines[0]
    if not first.strip():
        return None
    for folder in SOURCES:
        for path in sorted((root / folder).rglob("*.py")):
            source = _source_lines(path, path.stat().st_mtime_ns)
            for start, (_, line) in enumerate(source):
                if line.strip() != first.strip() or start + len(lines) > len(source):
                    continue
                shift = " " * (_indent(line) - _indent(first))
                window = source[start:start + len(lines)]
                if all(original.startswith(shift) and shown == original[len(shift):]
                       if shown.strip() else not original.strip()
                       for shown, (_, original) in zip(lines, window)):
                    whole = start == 0 and not any(
                        rest.strip() for _, rest in source[start + len(lines):])
                    return (path.relative_to(root).as_posix(), window[0][0], window[-1][0],
                            whole)
    return None


def summary(text, source):
    """The one-line summary of a folded listing: what it defines, where from, how long."""
    count = len(text.split("\n"))
    if source is None:
        return f"Code: {count} lines"
    path, first, last, whole = source
    path = path.replace("/", "/<wbr>")  # a phone breaks a long path after a folder
    if whole:
        return f"Code: the module {path} ({count} lines)"
    names = [match.group(1) for line in text.split("\n")
             if not line.startswith((" ", "\t")) and (match := DEFINITION.match(line))]
    what = ", ".join(f"<code>{name}</code>" for name in names) or "lines"
    return f"Code: {what} from {path}, lines {first}–{last} ({count} lines)"


def fold(html, root=ROOT):
    """The HTML with every listing of the text (in no ``<details>``) longer than FOLD_LINES
    lines put into a closed block that says what it is, headed by its file's name."""
    out, depth, position = [], 0, 0
    for match in re.finditer(f"{DETAILS.pattern}|{LISTING.pattern}", html, re.DOTALL):
        token = match.group(0)
        out.append(html[position:match.start()])
        position = match.end()
        if token.startswith("<details"):
            depth += 1
        elif token == "</details>":
            depth = max(depth - 1, 0)
        else:
            text = listing_text(token)
            if depth == 0 and len(text.split("\n")) > FOLD_LINES:
                source = find_source(text, root)
                if source is not None and '<span class="filename">' not in token:
                    token = token.replace(
                        "<pre", f'<span class="filename">{source[0]}</span><pre', 1)
                token = (f'<details class="example vg-folded">\n<summary>'
                         f"{summary(text, source)}</summary>\n{token}\n</details>")
        out.append(token)
    out.append(html[position:])
    return "".join(out)


# -------------------------------------------------------------------------- wrapping lines

CODE = re.compile(r"<code>(.*?)(</code></pre>)", re.DOTALL)
PIECE = re.compile(r"(<span[^>]*>|</span>|\n)")


def _wrapped_lines(code):
    """A listing's code (the inside of its ``<code>``) with each line in a box of its own;
    a highlighting span still open at a line's end is closed there and opened again on the
    next line. The newline follows its line's box."""
    out, line, open_spans = [], [], []

    def finish(end):
        content = "".join(line)
        text = html_module.unescape(TAG.sub("", content))
        style = f' style="--i:{_indent(text)}"' if text.strip() and _indent(text) else ""
        out.append(f'<span class="vg-line"{style}>{content}{"</span>" * len(open_spans)}'
                   f"</span>{end}")

    for piece in PIECE.split(code):
        if piece == "\n":
            finish("\n")
            line = list(open_spans)
        else:
            if piece.startswith("<span"):
                open_spans.append(piece)
            elif piece == "</span>":
                open_spans.pop()
            line.append(piece)
    if TAG.sub("", "".join(line)):
        finish("")
    return "".join(out)


def wrap(html):
    """The HTML with every Material listing's lines wrapped (see the module's docstring)."""
    def one(match):
        return CODE.sub(lambda code: f'<code class="vg-wrap">{_wrapped_lines(code[1])}'
                        f"{code[2]}", match.group(0))
    return LISTING.sub(one, html)
