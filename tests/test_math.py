"""Math typeset at build time (sitebuild/typeset_math.py, sitebuild/mathjax_svg.js): what MathJax
writes, what we simplify, the plain text the search index gets, and failures that stop the
build."""

import json
import re
import subprocess
from pathlib import Path

import pytest
import yaml

from sitebuild import typeset_math
from sitebuild.cache import Store
from tests.conftest import config_with, mkdocs_build

ROOT = Path(__file__).resolve().parent.parent


def _one(tex, display=False):
    return typeset_math.render([(tex, display)])["formulas"][0]


def _mathml(formula):
    return re.search(r"<math[^>]*>(.*)</math>", formula).group(1)


# ---------------------------------------------------------------------------- MathJax's output

def test_a_fraction_becomes_the_mathml_the_standard_prescribes():
    # MathML 3, section 3.3.2: \frac{a}{b} is <mfrac> with numerator then denominator.
    assert _mathml(_one(r"\frac{1}{4}")) == "<mfrac><mn>1</mn><mn>4</mn></mfrac>"


def test_html_escaped_tex_reaches_mathjax_unescaped():
    # arithmatex writes a < b as a &lt; b; MathJax must see "<" (and write it escaped again).
    page = '<p><span class="arithmatex">\\(a &lt; b\\)</span></p>'
    out = typeset_math.typeset(page, "test.md")
    assert "<mo>&lt;</mo>" in out and "&amp;lt;" not in out


def test_cancelto_draws_its_arrow():
    # \cancelto{0}{x}: x struck through by an arrow pointing to 0 (the cancel package).
    formula = _one(r"\cancelto{0}{x}")
    assert 'notation="updiagonalstrike updiagonalarrow northeastarrow"' in formula
    arrow = re.search(r'<path d="M [^"]*Z" transform="rotate\(([\d.]+) ', formula)
    assert arrow and 0 < float(arrow.group(1)) < 90, "no rotated arrow drawn over x"


def test_display_math_is_a_block_and_inline_math_is_not():
    assert 'display="true"' in _one("x", display=True)
    assert 'display="true"' not in _one("x")


# ---------------------------------------------------------------------------- failures

def test_an_undefined_macro_names_page_and_formula():
    page = '<p><span class="arithmatex">\\(\\sigma + \\nosuchmacro\\)</span></p>'
    with pytest.raises(typeset_math.MathError, match=r"chapter\.md.*nosuchmacro"):
        typeset_math.typeset(page, "chapter.md")


def test_math_without_its_delimiters_is_refused():
    with pytest.raises(typeset_math.MathError, match="not written as"):
        typeset_math.typeset('<span class="arithmatex">$x$</span>', "chapter.md")


@pytest.mark.parametrize("formulas", ["x", [("x",)], [(1, False)], [("x", "yes")]])
def test_render_names_what_it_accepts(formulas):
    with pytest.raises(ValueError, match="formulas must be a list of"):
        typeset_math.render(formulas)


def test_a_corrupt_or_edited_cache_entry_is_rendered_again(tmp_path, monkeypatch):
    monkeypatch.setattr(typeset_math, "STORE", Store("math", folder=tmp_path))
    first = typeset_math.render([("y^2", False)])
    [entry] = tmp_path.glob("formulas-*")
    result = entry / typeset_math.RESULT
    # Edited in place with a shape that passes every structural check: only the digest that
    # the cache layer recorded when it published the entry can tell.
    edited = json.loads(result.read_text())
    edited["formulas"][0] = edited["formulas"][0].replace("viewBox=", "data-x=\"1\" viewBox=")
    result.write_text(json.dumps(edited))
    assert typeset_math.render([("y^2", False)]) == first
    result.write_text("{not json")
    assert typeset_math.render([("y^2", False)]) == first
    (entry / "digests.json").unlink()  # never completed
    assert typeset_math.render([("y^2", False)]) == first
    assert Store("math", folder=tmp_path).verified(entry)


def test_a_tex_error_fails_the_build_naming_the_page(tmp_path):
    config = config_with(tmp_path, "# Broken\n\nThe bound $\\frac{1}{\\undefinedthing}$.\n")
    result = mkdocs_build(tmp_path / "site", config)
    assert result.returncode != 0
    assert "index.md" in result.stdout + result.stderr
    assert "undefinedthing" in result.stdout + result.stderr


# ---------------------------------------------------------------------------- phone layouts

WIDE_SUM = r"a_1 + a_2 + a_3 + a_4 + a_5 + a_6 + a_7 + a_8 + a_9 + a_{10} + a_{11} + a_{12}"
BROKEN_SUM = WIDE_SUM.replace("+ a_7", r"\brk + a_7")


def _page(tex, display=True):
    kind, opening, closing = ("div", "\\[", "\\]") if display else ("span", "\\(", "\\)")
    return f'<p><{kind} class="arithmatex">{opening}{tex}{closing}</{kind}></p>'


def _widths(html_text):
    return [float(width) for width in re.findall(r'<svg\b[^>]*?\swidth="([\d.]+)ex"', html_text)]


def test_a_display_without_marks_is_typeset_as_written():
    assert typeset_math.layouts(r"\frac{a}{b} = c") == (r"\frac{a}{b} = c", None)


def test_the_wide_layout_is_the_formula_without_its_marks():
    wide, narrow = typeset_math.layouts(BROKEN_SUM)
    # The same drawing as the formula never marked: the marks change nothing on a wide screen.
    assert _one(wide, display=True) == _one(WIDE_SUM, display=True)
    assert narrow is not None


def test_the_narrow_layout_puts_each_part_on_its_own_indented_line():
    wide, narrow = typeset_math.layouts(r"x = 1, \qquad \brk y = 2 \brk = 3")
    assert narrow == ("\\begin{aligned}\n& x = 1, \\\\\n& \\quad {} y = 2 \\\\\n"
                      "& \\quad {} = 3\n\\end{aligned}")
    # Drawn: one table row per part, and each row holds its own part (MathML).
    mathml = _mathml(_one(narrow, display=True))
    rows = re.findall(r"<mtr>(.*?)</mtr>", mathml)
    assert len(rows) == 3
    assert "<mi>x</mi>" in rows[0] and "<mi>y</mi>" in rows[1] and "<mn>3</mn>" in rows[2]
    assert "<mi>y</mi>" not in rows[0]


@pytest.mark.parametrize("tex", [r"{a \brk b}", r"\left( a \brk b \right)",
                                 r"\begin{cases} a \brk b \end{cases}"])
def test_a_mark_below_the_top_level_is_refused(tex):
    with pytest.raises(typeset_math.MathError, match="top level"):
        typeset_math.layouts(tex)


@pytest.mark.parametrize("tex", [r"\brk a", r"a \qquad \brk", r"a \brk \quad \brk b"])
def test_a_mark_that_leaves_an_empty_line_is_refused(tex):
    with pytest.raises(typeset_math.MathError, match="empty line"):
        typeset_math.layouts(tex)


def test_inline_math_may_not_carry_a_mark():
    with pytest.raises(typeset_math.MathError, match=r"chapter\.md.*display math only"):
        typeset_math.typeset(_page(r"a \brk b", display=False), "chapter.md")


def test_a_marked_display_holds_both_layouts_and_one_search_text():
    out = typeset_math.typeset(_page(BROKEN_SUM), "chapter.md")
    wide = re.search(r'<mjx-container [^>]*class="MathJax vg-math-wide".*?</mjx-container>', out)
    narrow = re.search(r'<mjx-container [^>]*class="MathJax vg-math-narrow".*?</mjx-container>',
                       out)
    assert wide and narrow and out.count("<mjx-container") == 2
    assert wide.start() < narrow.start()
    # Both stay out of the search index, which gets the formula's text once.
    assert out.count("<mjx-container data-search-exclude ") == 2
    assert out.count('class="vg-math-text"') == 1
    text = re.search(r'class="vg-math-text" hidden>(.*?)</span>', out).group(1)
    assert text == typeset_math.linear_text(_one(WIDE_SUM, display=True))
    # The narrow layout is the narrower drawing: about half the sum per line.
    [wide_ex], [narrow_ex] = _widths(wide.group(0)), _widths(narrow.group(0))
    assert narrow_ex < 0.7 * wide_ex


def test_an_unmarked_display_holds_one_layout():
    out = typeset_math.typeset(_page(r"\frac{a}{b}"), "chapter.md")
    assert out.count("<mjx-container") == 1
    assert "vg-math-wide" not in out and "vg-math-narrow" not in out


def test_a_display_too_wide_for_a_phone_fails_naming_page_and_formula():
    assert _widths(_one(WIDE_SUM, display=True))[0] > typeset_math.MAX_DISPLAY_EX  # the premise
    with pytest.raises(typeset_math.MathError, match=r"chapter\.md.*a_\{12\}.*\\brk"):
        typeset_math.typeset(_page(WIDE_SUM), "chapter.md")
    typeset_math.typeset(_page(BROKEN_SUM), "chapter.md")  # marked, it fits
    # Inline math wraps with the text: no limit.
    typeset_math.typeset(_page(WIDE_SUM, display=False), "chapter.md")


def test_a_display_still_too_wide_when_broken_fails():
    too_long = " + ".join(f"b_{{{i}}}" for i in range(1, 30))
    tex = f"{WIDE_SUM} \\brk + {too_long}"
    with pytest.raises(typeset_math.MathError, match=r"chapter\.md.*even broken.*more places"):
        typeset_math.typeset(_page(tex), "chapter.md")


def test_the_math_cache_key_follows_the_narrow_layout(tmp_path, monkeypatch):
    """The cache holds typeset drawings keyed by the TeX MathJax gets: a change of how the
    narrow layout is written must typeset again, never serve the old drawing."""
    monkeypatch.setattr(typeset_math, "STORE", Store("math", folder=tmp_path))
    before = typeset_math.typeset(_page(BROKEN_SUM), "chapter.md")
    monkeypatch.setattr(typeset_math, "CONTINUATION", r"\qquad")
    after = typeset_math.typeset(_page(BROKEN_SUM), "chapter.md")
    assert len(list(tmp_path.glob("formulas-*"))) == 2
    narrow = [_widths(out.split("vg-math-narrow")[1])[0] for out in (before, after)]
    assert narrow[1] > narrow[0]  # the deeper indent was drawn, not served from the cache


def _chapter_displays():
    """Every display of the pages' Markdown whose TeX is all in the Markdown (no value
    marker): (page, TeX)."""
    found = []
    for page in sorted((ROOT / "docs").rglob("*.md")):
        text = re.sub(r"```.*?```", "", page.read_text(encoding="utf-8"), flags=re.DOTALL)
        for match in re.finditer(r"\\\[(.+?)\\\]", text, flags=re.DOTALL):
            if "[[" not in match.group(1):
                found.append((page.name, match.group(1).strip()))
    return found


def test_every_display_of_the_chapters_fits_a_phone():
    """The build's check, without a build: each display (its narrow layout if marked) is at
    most MAX_DISPLAY_EX wide."""
    displays = _chapter_displays()
    assert len(displays) > 15
    requests = [typeset_math.layouts(tex) for _, tex in displays]
    drawn = typeset_math.render([(narrow or wide, True) for wide, narrow in requests])
    too_wide = [(page, tex[:60], width) for (page, tex), width in
                zip(displays, map(typeset_math.display_width, drawn["formulas"]))
                if width > typeset_math.MAX_DISPLAY_EX]
    assert not too_wide, too_wide


# ---------------------------------------------------------------------------- search text

@pytest.mark.parametrize(("tex", "text"), [
    (r"\frac{1}{4}", "1/4"),
    (r"(1/4)^r", "(1/4)^r"),
    (r"\sigma'(z)", "σ′(z)"),
    (r"\sqrt{2/n}", "√(2/n)"),
    (r"\operatorname{Var}[W] = \frac{2}{n_\text{in}+n_\text{out}}",
     "Var[W] = 2/(n_in + n_out)"),
    (r"\frac{\partial J}{\partial W^l_{ij}}", "(∂J)/(∂W_ij^l)"),
    (r"\cancelto{0}{x}", "x → 0"),
    (r"\begin{aligned} a &= b\\ c &\le d \end{aligned}", "a = b; c ≤ d"),
])
def test_search_text_reads_the_formula_left_to_right(tex, text):
    assert typeset_math.linear_text(_one(tex)) == text


# ---------------------------------------------------------------------------- the built site

def _pages(site):
    return sorted(site.rglob("*.html"))


def test_no_page_holds_untypeset_math(built_site):
    for page in _pages(built_site):
        text = page.read_text(encoding="utf-8")
        assert not re.search(r'class="arithmatex">\s*\\[(\[]', text), page
        if "<mjx-container" in text:
            assert text.count('id="MJX-SVG-global-cache"') == 1, page
            # Every glyph a formula uses is among the page's outlines.
            outlines = set(re.findall(r'<path id="(MJX-[^"]+)"', text))
            used = set(re.findall(r'<use xlink:href="#(MJX-[^"]+)"', text))
            assert used and used <= outlines, (page, sorted(used - outlines)[:5])


def test_search_index_has_prose_and_formulas_as_text_but_no_tex_or_code(built_site):
    index = json.loads((built_site / "search" / "search_index.json").read_text())
    text = " ".join(doc["text"] for doc in index["docs"])
    assert "\\frac" not in text and "\\(" not in text and "\\sigma" not in text
    assert "<svg" not in text and "<math" not in text and "mjx-" not in text
    assert "(1/4)^r" in text  # chapter 1's bound, as plain text
    # Code: the listings behind the figures and the notebooks' cells stay out.
    assert "import numpy as np" not in text and "def " not in text
    assert "vanishing" in text.lower()


# ---------------------------------------------------------------------------- pixels

def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _formulas_of_the_chapters():
    """Every distinct formula of the chapters' Markdown (\\(…\\), \\[…\\]) and of the
    claims ledger ($…$)."""
    found = {}
    for page in sorted((ROOT / "docs").rglob("*.md")):
        text = re.sub(r"```.*?```", "", page.read_text(encoding="utf-8"), flags=re.DOTALL)
        for match in re.finditer(r"\\\((.+?)\\\)|\\\[(.+?)\\\]", text, flags=re.DOTALL):
            if match.group(1):
                found.setdefault((match.group(1).strip(), False), None)
                continue
            for layout in typeset_math.layouts(match.group(2).strip()):  # wide, narrow
                if layout:
                    found.setdefault((layout, True), None)
    ledger = yaml.safe_load((ROOT / "docs" / "claims.yml").read_text(encoding="utf-8"))
    for text in _strings(ledger):
        for tex in text.split("$")[1::2]:
            found.setdefault((tex.strip(), False), None)
    return list(found)


def _page_of(formulas, flag):
    command = [typeset_math.node_executable(), str(typeset_math.RENDERER),
               str(typeset_math.mathjax_root()), *([flag] if flag else [])]
    request = json.dumps({"formulas": [{"tex": t, "display": d} for t, d in formulas]})
    result = json.loads(subprocess.run(command, input=request, capture_output=True, text=True,
                                       check=True).stdout)
    cells = "".join(f'<div class="cell">{formula}</div>' for formula in result["formulas"])
    return (f"<!doctype html><html><head><style>{result['css']} body {{ margin: 0; "
            f"font: 20px serif; }} .cell {{ height: 120px; overflow: hidden; }}</style></head>"
            f"<body>{result['glyphs']}{cells}</body></html>")


@pytest.mark.browser
def test_simplified_svg_draws_exactly_what_mathjax_wrote(tmp_path, chromium):
    """Our smaller markup against MathJax's own, for every formula of the chapters: the two
    pages must be the same pixels."""
    from PIL import Image, ImageChops

    formulas = _formulas_of_the_chapters()
    assert len(formulas) > 100
    shots = {}
    page = chromium.new_page(viewport={"width": 1100, "height": 800})
    page.set_default_timeout(120_000)
    try:
        for flag in (None, "--as-mathjax-writes-it"):
            (tmp_path / "page.html").write_text(_page_of(formulas, flag), encoding="utf-8")
            page.goto((tmp_path / "page.html").as_uri())
            shots[flag] = tmp_path / f"{flag or 'simplified'}.png"
            page.screenshot(path=str(shots[flag]), full_page=True)
    finally:
        page.close()
    ours, theirs = (Image.open(shots[key]).convert("RGB") for key in shots)
    assert ours.size == theirs.size
    assert ImageChops.difference(ours, theirs).getbbox() is None, "the drawings differ"
    # The comparison can fail: the page is not blank.
    assert ImageChops.difference(ours, Image.new("RGB", ours.size, "white")).getbbox()
