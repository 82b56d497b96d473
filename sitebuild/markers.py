"""The one-line page markers and what they expand to.

``[[figure: name]]`` and ``[[claim: id]]`` stand alone on their line; ``[[value: name]]`` may
sit inside a sentence. Anything that looks like a marker but is not exactly one of these
(other spacing, capitals, an unknown kind, a bracket short, an invisible character inside) is
an error naming the page and its line in the source file. A marker inside a fenced code block
or an inline code span is text, shown as written.
"""

import html
import re

from snippets.figures.registry import NAME_PATTERN

FIGURE_LINE = re.compile(rf"^\[\[figure: ({NAME_PATTERN})\]\]$", re.MULTILINE)
CLAIM_LINE = re.compile(rf"^\[\[claim: ({NAME_PATTERN})\]\]$", re.MULTILINE)
VALUE = re.compile(rf"\[\[value: ({NAME_PATTERN})\]\]")
# The citation markers are sitebuild/references.py's; they are not malformed markers here.
CITATION = re.compile(r"\[\[(?:cite|citep): [^\]\n]*\]\]|^\[\[references\]\]$", re.MULTILINE)
# Anything marker-like that survives the exact forms above is malformed: two opening brackets
# and a colon before any closing one (a bracket short at the end, a zero-width space or other
# spacing inside), or a marker's kind after a single opening bracket.
ANY_MARKER = re.compile(r"\[\[[^\]\n:]{1,40}:[^\n]*?(?:\]\]|\]|$)"
                        r"|(?<!\[)\[(?:figure|claim|value|cite|citep):[^\]\n]*\]\]",
                        re.MULTILINE)
# Code the page shows as written: fenced blocks (``` or ~~~, any indentation) and code spans.
FENCE = re.compile(r"^([ \t]*)(`{3,}|~{3,})[^\n]*\n.*?^\1\2[`~]*[ \t]*$", re.MULTILINE | re.DOTALL)
CODE_SPAN = re.compile(r"(`+)[^`\n].*?\1")


class MarkerError(ValueError):
    """A marker is malformed or names something unknown; the message says where."""


def line_of(text, index):
    return text.count("\n", 0, index) + 1


def expand_values(text, values, where):
    """``text`` with each [[value: name]] outside code replaced by its value (for data-file
    text, which is expanded before the sanitiser renders it); an unknown name is a
    MarkerError."""
    for match in reversed(list(VALUE.finditer(_code_masked(text)))):  # not inside code
        if match.group(1) not in values:
            raise MarkerError(f"{where}: unknown quoted value '{match.group(1)}'; registered "
                              f"values: {', '.join(sorted(values))}")
        text = text[:match.start()] + values[match.group(1)] + text[match.end():]
    return text


# On a phone a figure's panels are stacked (snippets/figures/style.py), so a caption's
# "Left:" is the top panel there: both words are written, CSS shows the one that applies.
PANEL_WORD = re.compile(r"\b(Left|Right|left|right)\b(?=[:,)])")
STACKED = {"Left": "Top", "Right": "Bottom", "left": "top", "right": "bottom"}


def _panel_words(text):
    return PANEL_WORD.sub(lambda match: f'<span class="vg-side">{match.group(1)}</span>'
                                        f'<span class="vg-stacked">{STACKED[match.group(1)]}'
                                        f'</span>', text)


def caption_html(caption):
    """Escape a caption for HTML, turning each $…$ span into math for scripts/typeset_math."""
    parts = caption.split("$")
    if len(parts) % 2 == 0:
        raise MarkerError(f"caption has an unmatched '$': {caption!r}")
    return "".join(_panel_words(html.escape(part)) if index % 2 == 0 else
                   f'<span class="arithmatex">\\({html.escape(part)}\\)</span>'
                   for index, part in enumerate(parts))


# Below Material's 720 px breakpoint the text column is a phone's: the narrow rendering, its
# panels stacked, keeps the figure text readable there (snippets/figures/style.py).
NARROW_MEDIA = "(max-width: 44.9375em)"


def _picture(name, theme, sizes, alt, url):
    """One palette's figure: the narrow rendering on phones, the wide one elsewhere. Lazy, so
    the palette that Material hides (display: none) is never fetched; width and height give
    its box before the file arrives."""
    narrow_width, narrow_height = sizes["narrow"]
    wide_width, wide_height = sizes["wide"]
    return (f'<picture><source media="{NARROW_MEDIA}" '
            f'srcset="{url(f"figures/{name}-narrow-{theme}.svg")}" '
            f'width="{narrow_width:g}" height="{narrow_height:g}">'
            f'<img src="{url(f"figures/{name}-{theme}.svg")}#only-{theme}" alt="{alt}" '
            f'width="{wide_width:g}" height="{wide_height:g}" loading="lazy" decoding="async">'
            f'</picture>')


def figure_block(name, meta, number, url):
    """The light/dark image pair, numbered caption and "Code behind" block of one figure.
    ``url(path)`` gives the URL, relative to the page, of a path from the site's root (the
    generated figure files are under figures/)."""
    alt = html.escape(meta["alt"], quote=True)
    images = "\n".join(_picture(name, theme, meta["sizes"], alt, url)
                       for theme in ("light", "dark"))
    links = meta.get("links")
    if links:
        images = (f'<div class="vg-figure__frame">\n{images}\n'
                  + "\n".join(_link_layer(layout, links[layout], url) for layout in links)
                  + "\n</div>")
    code = "\n\n".join(f'    ```python title="{include}"\n    --8<-- "{include}"\n    ```'
                       for include in meta["code"])
    return (f'<figure class="vg-figure" id="figure-{name}">\n{images}\n'
            f'<figcaption><strong>Figure {number}.</strong> {caption_html(meta["caption"])}'
            f'</figcaption>\n</figure>\n\n'
            + (_link_table(links, url, number) if links else "")
            + f'??? example "Code behind figure {number}"\n\n{code}\n')


def _link_layer(layout, links, url):
    """One layout's linked regions as links laid over the image (CSS shows the layer of the
    layout on screen). Pointer-only: out of the tab order and hidden from screen readers, who
    get the same links in the table under the figure (``_link_table``)."""
    anchors = "".join(
        f'<a href="{html.escape(url(link["target"]), quote=True)}" tabindex="-1" '
        f'title="{html.escape(link["label"], quote=True)}" style="left:{left}%;top:{top}%;'
        f'width:{width}%;height:{height}%"></a>'
        for link in links for left, top, width, height in [link["box"]])
    return (f'<div class="vg-figure__links vg-figure__links--{layout}" aria-hidden="true">'
            f'{anchors}</div>')


def _link_table(links, url, number):
    """Every link of a figure as a table, rows and columns as the builder named them."""
    first = next(iter(links.values()))
    rows = list(dict.fromkeys(link["row"] for link in first))
    columns = list(dict.fromkeys(link["column"] for link in first))
    cell = {(link["row"], link["column"]): link for link in first}

    def anchor(link):
        return (f'<a href="{html.escape(url(link["target"]), quote=True)}" '
                f'aria-label="{html.escape(link["label"], quote=True)}">open</a>')

    head = "".join(f"<th scope=\"col\">{html.escape(str(c))}</th>" for c in columns)
    body = "".join(
        f'<tr><th scope="row">{html.escape(str(row))}</th>'
        + "".join(f"<td>{anchor(cell[row, c]) if (row, c) in cell else ''}</td>"
                  for c in columns) + "</tr>" for row in reversed(rows))
    return (f'<details class="tip vg-figure__link-list"><summary>Open a network of figure '
            f'{number} in the training lab</summary><div class="vg-data-table"><table><thead>'
            f'<tr><td></td>{head}</tr></thead><tbody>{body}</tbody></table></div></details>\n\n')


def _code_masked(markdown):
    """``markdown`` with every character of its code blocks and spans (newlines kept) replaced
    by a NUL, so that searches skip code but positions and line numbers stay those of the page."""
    masked = list(markdown)
    for pattern in (FENCE, CODE_SPAN):
        for match in pattern.finditer("".join(masked)):
            for index in range(match.start(), match.end()):
                if masked[index] != "\n":
                    masked[index] = "\0"
    return "".join(masked)


def expand(markdown, where, chapter, figures, values, claim_text, first_line=1):
    """Expand every marker of a page outside code. ``figures`` maps a name to (meta, url
    function: a site path's URL from the page), ``values`` a name to its text,
    ``claim_text(id)`` gives a claim's block. ``first_line`` is the source line ``markdown``
    starts on (after front matter), so an error names the line of the file."""
    masked = _code_masked(markdown)

    def fail(position, message):
        line = markdown.count("\n", 0, position) + first_line
        raise MarkerError(f"{where}, line {line}: {message}")

    # Removing the valid markers keeps every position, so line numbers still match the page.
    stripped = masked
    for pattern in (CITATION, FIGURE_LINE, CLAIM_LINE, VALUE):
        stripped = pattern.sub(lambda match: " " * len(match.group(0)), stripped)
    leftover = ANY_MARKER.search(stripped)
    if leftover:
        fail(leftover.start(), f"malformed marker {markdown[leftover.start():leftover.end()]!r} "
                               f"(write [[figure: name]] or [[claim: id]] alone on a line, or "
                               f"[[value: name]])")

    replacements, seen_figures = [], {}
    for match in CLAIM_LINE.finditer(masked):
        try:
            replacements.append((match, claim_text(match.group(1))))
        except KeyError as error:
            fail(match.start(), error.args[0])
    for match in VALUE.finditer(masked):
        if match.group(1) not in values:
            fail(match.start(), f"unknown quoted value '{match.group(1)}'; registered values: "
                                f"{', '.join(sorted(values))}")
        replacements.append((match, values[match.group(1)]))
    for index, match in enumerate(FIGURE_LINE.finditer(masked), start=1):
        name = match.group(1)
        if name not in figures:
            fail(match.start(), f"unknown figure '{name}'; registered figures: "
                                f"{', '.join(sorted(figures))}")
        if name in seen_figures:  # its id, figure-<name>, would be on the page twice
            fail(match.start(), f"figure '{name}' is already shown on line {seen_figures[name]}")
        seen_figures[name] = markdown.count("\n", 0, match.start()) + first_line
        meta, url = figures[name]
        number = f"{chapter}.{index}" if chapter else str(index)
        replacements.append((match, figure_block(name, meta, number, url)))
    for match, text in sorted(replacements, key=lambda item: -item[0].start()):
        markdown = markdown[:match.start()] + text + markdown[match.end():]
    return markdown
