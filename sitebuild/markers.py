"""The one-line page markers and what they expand to.

``[[figure: name]]`` and ``[[claim: id]]`` stand alone on their line; ``[[value: name]]`` may
sit inside a sentence. Anything that looks like a marker but is not exactly one of these
(other spacing, capitals, an unknown kind) is an error naming the page and line.
"""

import html
import re

from snippets.figures.registry import NAME_PATTERN

FIGURE_LINE = re.compile(rf"^\[\[figure: ({NAME_PATTERN})\]\]$", re.MULTILINE)
CLAIM_LINE = re.compile(rf"^\[\[claim: ({NAME_PATTERN})\]\]$", re.MULTILINE)
VALUE = re.compile(rf"\[\[value: ({NAME_PATTERN})\]\]")
# Anything marker-like that survives the three exact forms above is malformed.
ANY_MARKER = re.compile(r"\[\[\s*[A-Za-z]+\s*:[^\]\n]*\]\]")


class MarkerError(ValueError):
    """A marker is malformed or names something unknown; the message says where."""


def line_of(text, index):
    return text.count("\n", 0, index) + 1


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


def _picture(name, theme, sizes, alt, image_url):
    """One palette's figure: the narrow rendering on phones, the wide one elsewhere. Lazy, so
    the palette that Material hides (display: none) is never fetched; width and height give
    its box before the file arrives."""
    narrow_width, narrow_height = sizes["narrow"]
    wide_width, wide_height = sizes["wide"]
    return (f'<picture><source media="{NARROW_MEDIA}" '
            f'srcset="{image_url(f"{name}-narrow-{theme}.svg")}" '
            f'width="{narrow_width:g}" height="{narrow_height:g}">'
            f'<img src="{image_url(f"{name}-{theme}.svg")}#only-{theme}" alt="{alt}" '
            f'width="{wide_width:g}" height="{wide_height:g}" loading="lazy" decoding="async">'
            f'</picture>')


def figure_block(name, meta, number, image_url):
    """The light/dark image pair, numbered caption and "Code behind" block of one figure.
    ``image_url(filename)`` gives the URL of a generated figure file relative to the page."""
    alt = html.escape(meta["alt"], quote=True)
    images = "\n".join(_picture(name, theme, meta["sizes"], alt, image_url)
                       for theme in ("light", "dark"))
    code = "\n\n".join(f'    ```python title="{include}"\n    --8<-- "{include}"\n    ```'
                       for include in meta["code"])
    return (f'<figure class="vg-figure" id="figure-{name}">\n{images}\n'
            f'<figcaption><strong>Figure {number}.</strong> {caption_html(meta["caption"])}'
            f'</figcaption>\n</figure>\n\n'
            f'??? example "Code behind figure {number}"\n\n{code}\n')


def expand(markdown, where, chapter, figures, values, claim_text):
    """Expand every marker of a page. ``figures`` maps a name to (meta, image_url function),
    ``values`` a name to its text, ``claim_text(id)`` gives a claim's block."""
    counter = iter(range(1, 1000))

    def fail(match, message):
        raise MarkerError(f"{where}, line {line_of(markdown, match.start())}: {message}")

    def expand_claim(match):
        try:
            return claim_text(match.group(1))
        except KeyError as error:
            fail(match, error.args[0])

    def expand_figure(match):
        name, index = match.group(1), next(counter)
        number = f"{chapter}.{index}" if chapter else str(index)
        if name not in figures:
            fail(match, f"unknown figure '{name}'; registered figures: "
                        f"{', '.join(sorted(figures))}")
        meta, image_url = figures[name]
        return figure_block(name, meta, number, image_url)

    def expand_value(match):
        if match.group(1) not in values:
            fail(match, f"unknown quoted value '{match.group(1)}'; registered values: "
                        f"{', '.join(sorted(values))}")
        return values[match.group(1)]

    # Removing the valid markers keeps every newline, so line numbers still match the page.
    stripped = FIGURE_LINE.sub("", CLAIM_LINE.sub("", VALUE.sub("", markdown)))
    leftover = ANY_MARKER.search(stripped)
    if leftover:
        raise MarkerError(f"{where}, line {line_of(stripped, leftover.start())}: malformed "
                          f"marker {leftover.group(0)!r} (write [[figure: name]] or "
                          f"[[claim: id]] alone on a line, or [[value: name]])")
    markdown = CLAIM_LINE.sub(expand_claim, markdown)
    markdown = FIGURE_LINE.sub(expand_figure, markdown)
    return VALUE.sub(expand_value, markdown)
