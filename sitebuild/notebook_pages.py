"""The companion notebooks' pages: rendered by mkdocs-jupyter's converter (its nbconvert
template, ``mkdocs_jupyter.convert.nb2html``), made offline, given one shared stylesheet, the
site's math and download links.

mkdocs-jupyter's own plugin is not registered: importing it (nbconvert, jupytext) costs every
build about 0.7 s, even when nothing changed. The site's plugin adds each notebook as a one-line
Markdown page
(its title) and ``rendered`` swaps in the notebook's HTML and table of contents, converted only
when the executed notebook or the template's packages changed (cached beside the figures).

mkdocs-jupyter's template (0.26.3) puts in front of every notebook a ``<script src="">`` (its
MathJax 2 URL, empty here), a MathJax 2 configuration block, an inline module that imports
mermaid from a CDN, and about 600 KB of inline JupyterLab CSS; for an .ipynb source it also
appends the highlighting CSS again as a Python list. ``clean`` removes all of them, links the
CSS instead (served once, ``STYLESHEET``), and marks the math of Markdown cells and LaTeX
outputs as pymdownx.arithmatex marks the pages' math, so the build typesets it like the
chapters' (sitebuild/typeset_math.py). Anything it does not recognise raises TemplateChanged
instead of being published.

A notebook's plots are SVG drawn in the site's light palette (snippets/figures/style.py,
``use_notebook_style``): the downloaded notebook is one plain notebook. Its page shows each plot
inline, rebuilt from an allow-list of SVG elements and attributes (``plot_svg``), with every
palette colour replaced by a CSS variable that the notebook stylesheet sets to the light or the
dark palette's colour by Material's ``data-md-color-scheme``: one copy of each plot, in the
reader's palette, switching when the reader toggles it. Prompts ("In [2]:") and the copy
buttons' text are kept out of the search index, and a notebook page ranks below its chapter
(``SEARCH_BOOST``).
"""

import base64
import functools
import html as html_escape
import json
import re
import tempfile
from pathlib import Path
from xml.etree import ElementTree

from mkdocs.utils import get_relative_url

from sitebuild import cache, notebooks, sanitise
from sitebuild.chapters import page_title

STYLESHEET = "assets/notebooks/jupyterlab.css"
CHAPTERS = notebooks.ROOT / "docs" / "chapters"
NOTEBOOK_URI = re.compile(r"^notebooks/([a-z0-9-]+)\.md$")
SOURCE_TITLE = re.compile(r"^# # (.+)$", re.MULTILINE)  # "# # Title" in a percent-format file
TOC_DEPTH = 6
# The packages that decide what the template inlines.
TEMPLATE_PACKAGES = ("mkdocs-jupyter", "nbconvert", "Pygments", "jupyterlab_pygments")

WRAPPER = '<div class="jupyter-wrapper">'
STYLE_BLOCK = re.compile(r"<style[^>]*>(.*?)</style>", re.DOTALL)
SCRIPT_BLOCK = re.compile(r"<script(?P<attributes>[^>]*)>(?P<body>.*?)</script>", re.DOTALL)
COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
RENDERED_MATH = re.compile(
    r'(<div class="[^"]*\bjp-Rendered(?:Markdown|Latex)\b[^"]*"[^>]*>)(.*?)(</div>)', re.DOTALL)
CODE_SPAN = re.compile(r"(<(pre|code)\b.*?</\2>)", re.DOTALL)
TAG = re.compile(r"(<[^>]*>)")
DISPLAY_MATH = re.compile(r"\$\$(.+?)\$\$", re.DOTALL)
INLINE_MATH = re.compile(r"(?<![\\$])\$([^$]+?)\$")
CODE_BLOCK = re.compile(r'<div class="highlight-ipynb ')
# nbconvert gives every output image this alt text (before its src); the site's says more.
OUTPUT_IMAGE = re.compile(r'<img alt="No description has been provided for this image"')
# A notebook's plots carry no alt text; each is followed by the sentence that reads it.
IMAGE_ALT = "Plot drawn by the code cell above; the sentence below it says what it shows."
OFF_SITE = re.compile(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//|import\s*\(\s*["']https?:""")
# A notebook page's weight in Material's search ranking (front matter ``search: boost:``): a
# notebook repeats its chapter's words, and the chapter should be found first.
SEARCH_BOOST = 0.5
# What the index must not hold: the prompts ("In [2]:"), the copy buttons ("Copied!") and the
# plots' tick labels (marked after the sanitiser, which drops the attribute).
UNINDEXED = re.compile(
    r'<div class="(jp-(?:Input|Output)Prompt |zeroclipboard-container"|jp-RenderedSVG )')

# ---------------------------------------------------------------------------- plots
# nbconvert's lab template shows an SVG output as an <img> with a data: URL (which the
# sanitiser refuses); ``rendered`` rebuilds each one as inline SVG.
SVG_OUTPUT = re.compile(
    r'(<div class="jp-RenderedSVG jp-OutputArea-output[^"]*" data-mime-type="image/svg\+xml"'
    r'[^>]*>)\s*<img alt="No description has been provided for this image" '
    r'src="data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)"\s*/?>\s*(</div>)')
INLINE_PLOT = re.compile(r'<svg class="vg-notebook-plot".*?</svg>', re.DOTALL)
SVG_NS = "{http://www.w3.org/2000/svg}"
XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
# What matplotlib's SVG backend writes for line plots, markers, fills and text (no images,
# links, scripts, styles or foreign objects): elements, attributes, and style properties.
PLOT_ELEMENTS = {"svg", "g", "defs", "path", "use", "clipPath", "rect", "text", "tspan",
                 "circle", "ellipse", "line", "polyline", "polygon"}
SKIPPED_ELEMENTS = {"metadata", "style", "title"}  # dropped with their content
PLOT_ATTRIBUTES = {"id", "d", "x", "y", "width", "height", "viewBox", "transform", "style",
                   "clip-path", "x1", "y1", "x2", "y2", "cx", "cy", "r", "rx", "ry", "points",
                   "dx", "dy", "version"}
STYLE_PROPERTIES = {"fill", "fill-opacity", "stroke", "stroke-opacity", "stroke-width",
                    "stroke-linecap", "stroke-linejoin", "stroke-dasharray",
                    "stroke-dashoffset", "stroke-miterlimit", "opacity", "font", "font-size",
                    "font-family", "font-style", "font-weight", "text-anchor",
                    "dominant-baseline", "baseline-shift", "white-space"}
STYLE_VALUE = re.compile(r"[#\w\s.,%'\-]*")
HEX_COLOUR = re.compile(r"#[0-9a-fA-F]{6}\b")
PALETTE_VARIABLE = re.compile(r"var\(--vg-nb-[a-z0-9-]+\)")
LOCAL_URL = re.compile(r"url\(#([\w.-]+)\)")
NUMBERS = re.compile(r"[-\d.eE\s,]*")
TRANSFORM = re.compile(r"(?:\s*(?:translate|scale|rotate|matrix|skewX|skewY)\([-\d.eE\s,]*\))*\s*")
PATH_DATA = re.compile(r"[MmLlHhVvCcSsQqTtAaZz\d\s.,eE+-]*")


class TemplateChanged(RuntimeError):
    """mkdocs-jupyter's output no longer has the shape ``clean`` expects."""


def is_notebook_page(src_uri):
    return NOTEBOOK_URI.match(src_uri) is not None


def page_uri(stem):
    """Site path of the notebook's page (a generated Markdown stub)."""
    return f"notebooks/{stem}.md"


def stub_page(source):
    """The notebook's page before ``rendered`` fills it: its title, as its first cell has it."""
    match = SOURCE_TITLE.search(source.read_text(encoding="utf-8"))
    if match is None:
        raise TemplateChanged(f"{source.name} has no title (a '# # …' line in its first cell)")
    return f"---\nsearch:\n  boost: {SEARCH_BOOST}\n---\n\n# {match.group(1).strip()}\n"


def source_download(stem):
    """Site path of the .py source offered for download next to the notebook page."""
    return f"notebooks/{stem}/{stem}.py"


def notebook_download(stem):
    """Site path of the executed .ipynb offered for download next to the notebook page."""
    return f"notebooks/{stem}/{stem}.ipynb"


def _convert(executed):
    """mkdocs-jupyter's HTML of an executed notebook and its table of contents, as the plugin
    makes them (execute: false, allow_errors: false, no MathJax 2 URL)."""
    from mkdocs_jupyter import convert
    from mkdocs_jupyter.plugin import _get_nb_toc_tokens  # the plugin's own TOC (0.26.3)

    html = convert.nb2html(str(executed), execute=False, allow_errors=False,
                           custom_mathjax_url="")
    toc_tokens, _ = _get_nb_toc_tokens(str(executed), TOC_DEPTH)
    return html, toc_tokens


def rendered(stem, executed_folder, executed):
    """(HTML, table-of-contents tokens) of the executed notebook ``executed`` (in its cache
    folder ``executed_folder``, whose name is its execution key), converted once per change
    of the notebook, this module or the template's packages."""
    key = cache.content_key(["sitebuild/notebook_pages.py", "snippets/figures/style.py"],
                            TEMPLATE_PACKAGES)
    execution_key = executed_folder.name.rsplit("-", 1)[1]
    store = cache.Store("notebook-pages")
    entry = store.entry(stem, execution_key + key)
    with store.lock(stem):
        if not store.usable(entry, notebooks.log):
            html, toc_tokens = _convert(executed)
            html = inline_plots(html, palette_colours()[0], f"notebooks/{stem}")
            scratch = store.scratch()
            (scratch / "page.json").write_text(json.dumps({"html": html, "toc": toc_tokens}),
                                               encoding="utf-8")
            store.publish(scratch, entry)
        page = json.loads((entry / "page.json").read_text(encoding="utf-8"))
    return page["html"], page["toc"]


def palette_colours():
    """{light palette colour (lower-case hex): CSS variable name} and the stylesheet rules that
    set every variable to the light palette's colour, or the dark one's under Material's dark
    scheme (slate), from the site's one figure style."""
    from snippets.figures import style

    light, dark = style.PALETTES["light"], style.PALETTES["dark"]
    names = {"text": "text", "muted": "muted", "grid": "grid"}
    pairs = [(f"--vg-nb-{names[key]}", light[key], dark[key]) for key in names]
    pairs += [(f"--vg-nb-line-{index}", colour, dark["lines"][index])
              for index, colour in enumerate(light["lines"])]
    colours = {colour.lower(): variable for variable, colour, _ in pairs}
    if len(colours) != len(pairs):
        raise TemplateChanged("two colours of the light palette are the same: a notebook "
                              "plot could not be recoloured")
    rules = (".jupyter-wrapper {" + "".join(f" {v}: {c};" for v, c, _ in pairs) + " }\n"
             '[data-md-color-scheme="slate"] .jupyter-wrapper {'
             + "".join(f" {v}: {d};" for v, _, d in pairs) + " }\n")
    return colours, rules


def _style(value, colours, where):
    """A style attribute's declarations, each property allowed and each value plain: palette
    colours become their variables; any other colour, ``url(…)`` or character fails."""
    declarations = []
    for declaration in filter(str.strip, value.split(";")):
        name, _, text = declaration.partition(":")
        name, text = name.strip(), text.strip()
        if name not in STYLE_PROPERTIES:
            raise TemplateChanged(f"{where}: a plot's style sets {name!r}")
        text = HEX_COLOUR.sub(lambda match: _colour(match.group(0), colours, where), text)
        if not STYLE_VALUE.fullmatch(PALETTE_VARIABLE.sub("", text)):
            raise TemplateChanged(f"{where}: a plot's style has {name}: {text!r}")
        declarations.append(f"{name}: {text}")
    return "; ".join(declarations)


def _colour(hex_colour, colours, where):
    variable = colours.get(hex_colour.lower())
    if variable is None:
        raise TemplateChanged(f"{where}: a plot draws in {hex_colour}, which is not a colour "
                              f"of the site's light palette (snippets/figures/style.py), so it "
                              f"has no dark counterpart: draw with the palette's colours")
    return f"var({variable})"


def _attribute(name, value, prefix, colours, where):
    """One attribute of a plot element, checked and rewritten (ids prefixed), or an error."""
    if name == XLINK_HREF or name == "href":
        if not re.fullmatch(r"#[\w.-]+", value):
            raise TemplateChanged(f"{where}: a plot links to {value!r}")
        # xlink:href, as MathJax writes it: Material's instant navigation rewrites every
        # element with an href property, and an SVG <use>'s href cannot be assigned.
        return "xlink:href", f"#{prefix}{value[1:]}"
    if name not in PLOT_ATTRIBUTES:
        raise TemplateChanged(f"{where}: a plot element has the attribute {name!r}")
    if name == "id":
        return name, prefix + value
    if name == "style":
        return name, _style(value, colours, where)
    if name == "clip-path":
        match = LOCAL_URL.fullmatch(value)
        if match is None:
            raise TemplateChanged(f"{where}: a plot clips by {value!r}")
        return name, f"url(#{prefix}{match.group(1)})"
    checks = {"transform": TRANSFORM, "d": PATH_DATA}
    if not checks.get(name, NUMBERS).fullmatch(value):
        raise TemplateChanged(f"{where}: a plot's {name} is {value!r}")
    return name, value


def _element(node, prefix, colours, where, out):
    tag = node.tag.removeprefix(SVG_NS)
    if tag in SKIPPED_ELEMENTS:
        return
    if tag not in PLOT_ELEMENTS:
        raise TemplateChanged(f"{where}: a plot holds a <{tag}> element")
    attributes = "".join(
        f' {name}="{html_escape.escape(value, quote=True)}"'
        for name, value in (_attribute(key, value, prefix, colours, where)
                            for key, value in node.attrib.items()))
    out.append(f"<{tag}{attributes}>{html_escape.escape(node.text or '', quote=False)}")
    for child in node:
        _element(child, prefix, colours, where, out)
        out.append(html_escape.escape(child.tail or "", quote=False))
    out.append(f"</{tag}>")


def plot_svg(svg, prefix, colours, label, where="a notebook"):
    """Matplotlib's SVG ``svg`` as inline SVG for a page: only the elements and attributes
    of the allow-list (anything else fails), ids prefixed with ``prefix`` so that two plots
    of a page never share one, palette colours as CSS variables (``colours``, from
    ``palette_colours``), an accessible name ``label``, and no metadata or style element."""
    root = ElementTree.fromstring(svg)
    if root.tag != SVG_NS + "svg":
        raise TemplateChanged(f"{where}: an SVG output is not an <svg>")
    body = [html_escape.escape(root.text or "", quote=False)]
    for child in root:
        _element(child, prefix, colours, where, body)
        body.append(html_escape.escape(child.tail or "", quote=False))
    size = "".join(f' {name}="{html_escape.escape(root.attrib[name], quote=True)}"'
                   for name in ("width", "height", "viewBox") if name in root.attrib)
    return (f'<svg class="vg-notebook-plot" xmlns="http://www.w3.org/2000/svg" '
            f'xmlns:xlink="http://www.w3.org/1999/xlink"{size} '
            f'role="img" aria-label="{html_escape.escape(label, quote=True)}">'
            + "".join(body) + "</svg>")


def inline_plots(page_html, colours, where):
    """The page with every SVG output shown inline (``plot_svg``)."""
    count = iter(range(1_000_000))

    def inline(match):
        opening, encoded, closing = match.groups()
        svg = base64.b64decode(encoded).decode("utf-8")
        plot = plot_svg(svg, f"vgp{next(count)}-", colours, IMAGE_ALT, where)
        return opening + plot + closing

    page_html = SVG_OUTPUT.sub(inline, page_html)
    if "data:image/svg+xml" in page_html.partition(WRAPPER)[2]:  # (the CSS before has some)
        raise TemplateChanged(f"{where}: an SVG output is not in the shape nbconvert wrote")
    return page_html


def _checked_plot(svg, where):
    try:
        return plot_svg(svg, "", {}, IMAGE_ALT, where)
    except ElementTree.ParseError as error:
        raise TemplateChanged(f"{where}: an inline plot is not well-formed SVG: {error}") from None


def prepare():
    """Execute the notebooks and render their pages into the caches; returns
    ``notebooks.ensure_executed()``. The plugin runs it in the background during the figures."""
    executed = notebooks.ensure_executed()
    stylesheet()
    for source, (folder, executed_path) in executed.items():
        rendered(source.stem, folder, folder / executed_path)
    return executed


def _template_styles(page_html):
    head = page_html.split(WRAPPER, 1)[0]
    return [match.group(1).strip() for match in STYLE_BLOCK.finditer(head)]


def _render_empty_notebook():
    import nbformat
    from mkdocs_jupyter import convert

    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / "empty.ipynb"
        nbformat.write(nbformat.v4.new_notebook(), path)
        return convert.nb2html(str(path), execute=False, allow_errors=False,
                               custom_mathjax_url="")


def stylesheet():
    """The CSS the template inlines in every notebook page (JupyterLab's, its light theme and
    the highlighting), as one file. It does not depend on the notebook, so it is taken from an
    empty notebook's page, cached by the versions of the packages that produce it."""
    store = cache.Store("notebook-pages")
    return _stylesheet(store.entry("jupyterlab", cache.content_key(
        ["sitebuild/notebook_pages.py", "snippets/figures/style.py"], TEMPLATE_PACKAGES)))


@functools.cache  # read once per build process, used by every page
def _stylesheet(entry):
    store = cache.Store("notebook-pages")
    with store.lock("jupyterlab"):
        if not store.usable(entry, notebooks.log):
            scratch = store.scratch()
            css = "\n".join(_template_styles(_render_empty_notebook())) + "\n"
            css += "/* The notebook plots' colours, by palette (sitebuild/notebook_pages.py) */\n"
            css += palette_colours()[1]
            (scratch / "jupyterlab.css").write_text(css, encoding="utf-8")
            store.publish(scratch, entry)
        return (entry / "jupyterlab.css").read_text(encoding="utf-8")


def _clean_head(head, shared_css):
    """The template's part in front of the notebook, without what the page must not load."""
    for css in STYLE_BLOCK.findall(head):
        if css.strip() not in shared_css:
            raise TemplateChanged("mkdocs-jupyter inlined CSS that is not in the shared "
                                  f"stylesheet: {css.strip()[:80]!r}")
    head = STYLE_BLOCK.sub("", head)

    def keep_script(match):
        attributes, body = match.group("attributes"), match.group("body")
        if "src=" in attributes or "text/x-mathjax-config" in attributes:
            return ""  # MathJax 2: its URL (empty here) and its configuration
        if 'type="module"' in attributes and "mermaid" in body:
            return ""  # mermaid from a CDN; no notebook here has a diagram (checked below)
        return match.group(0)  # the copy-to-clipboard element and its notice

    head = COMMENT.sub("", SCRIPT_BLOCK.sub(keep_script, head))
    if OFF_SITE.search(head):
        raise TemplateChanged(f"mkdocs-jupyter's template loads something off the site: "
                              f"{OFF_SITE.search(head).group(0)!r}")
    return head


def _arithmatex(text):
    """``$$…$$`` and ``$…$`` outside code, marked up as pymdownx.arithmatex (generic) does."""
    def display(match):
        return f'<div class="arithmatex">\\[{match.group(1)}\\]</div>'

    def inline(match):
        return f'<span class="arithmatex">\\({match.group(1)}\\)</span>'

    parts = CODE_SPAN.split(text)
    # CODE_SPAN has two groups: every third part is a code span's tag name, every third but
    # one the code itself; only the text between them is Markdown prose.
    for index in range(0, len(parts), 3):
        # Only text between tags: a `$` inside an attribute value is not math.
        pieces = TAG.split(parts[index])
        for piece in range(0, len(pieces), 2):
            pieces[piece] = INLINE_MATH.sub(inline, DISPLAY_MATH.sub(display, pieces[piece]))
        parts[index] = "".join(pieces)
    return "".join(part for index, part in enumerate(parts) if index % 3 != 2)


def _mark_math(body):
    def mark(match):
        opening, content, closing = match.groups()
        if "<div" in content:
            raise TemplateChanged("a rendered Markdown or LaTeX cell contains a <div>")
        return opening + _arithmatex(content) + closing
    return RENDERED_MATH.sub(mark, body)


def chapter_title(stem):
    """The title (# heading) of the chapter the notebook ``stem`` accompanies."""
    chapter = CHAPTERS / f"{stem}.md"
    if not chapter.is_file():
        raise TemplateChanged(f"notebooks/{stem}.py has no chapter docs/chapters/{stem}.md")
    return page_title(chapter.read_text(encoding="utf-8"), stem)


def links(stem, chapter_url):
    """The paragraph under the notebook's title: both downloads, and its chapter."""
    return (f'<p class="vg-notebook-links">Download this notebook '
            f'<a href="{stem}.ipynb" download>with its outputs (.ipynb)</a> or '
            f'<a href="{stem}.py" download>as source (.py, jupytext percent format)</a>. '
            f'It accompanies the chapter <a href="{chapter_url}">{chapter_title(stem)}</a>.'
            f'</p>')


def clean(page_html, src_uri, page_url):
    """The page of notebook ``src_uri`` (at ``page_url``) as the site serves it."""
    stem = NOTEBOOK_URI.match(src_uri).group(1)
    head, wrapper, body = page_html.partition(WRAPPER)
    if not wrapper:
        raise TemplateChanged(f"{src_uri}: no {WRAPPER} in mkdocs-jupyter's output")
    if "jp-Mermaid" in body:
        raise TemplateChanged(f"{src_uri}: has a mermaid diagram, which would need mermaid "
                              f"served from the site")
    head = _clean_head(head, stylesheet())
    # A notebook's Markdown cells may hold raw HTML: the one sanitiser cleans the whole body.
    # It also drops the highlighting CSS the plugin appends for .ipynb sources as a Python list
    # repr (``<style>['pre { …']</style>``): unscoped rules that would restyle the site's code.
    # The inline plots (``inline_plots``) are held out of the sanitiser, which allows no SVG
    # drawing, and rebuilt from the plot allow-list instead: markup that only looks like one
    # (raw HTML in a Markdown cell) keeps no attribute or element outside that list.
    held = sanitise.Fragments()
    body = INLINE_PLOT.sub(lambda match: held.hold(_checked_plot(match.group(0), src_uri)),
                           body)
    body = held.release(sanitise.notebook_html(wrapper + body))
    if not body.startswith(WRAPPER):
        raise TemplateChanged(f"{src_uri}: the notebook's wrapper did not survive cleaning")
    body = _mark_math(body[len(WRAPPER):])
    # A code cell wider than the column scrolls: keyboard users must be able to focus it.
    body = CODE_BLOCK.sub('<div tabindex="0" class="highlight-ipynb ', body)
    body = OUTPUT_IMAGE.sub(f'<img alt="{IMAGE_ALT}"', body)
    body = UNINDEXED.sub(r'<div data-search-exclude class="\1', body)
    title_end = body.find("</h1>")
    if title_end < 0:
        raise TemplateChanged(f"{src_uri}: the notebook has no title (# heading)")
    title_end += len("</h1>")
    chapter_url = get_relative_url(f"chapters/{stem}/", page_url)
    link = f'<link rel="stylesheet" href="{get_relative_url(STYLESHEET, page_url)}">'
    return (link + head + wrapper + body[:title_end] + links(stem, chapter_url)
            + body[title_end:])
