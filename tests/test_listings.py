"""The code listings behind the figures: moved out of the page into their own files
(sitebuild/listings.py) and stripped of highlighting spans that colour nothing
(sitebuild/html_passes.py)."""

import re

import pytest

from sitebuild import html_passes as compact_code
from sitebuild import listings

CODE = ('<div data-search-exclude class="highlight"><span class="filename">a.py</span>'
        '<pre><span></span><code><span class="k">def</span><span class="w"> </span>'
        '<span class="nf">f</span><span class="p">(</span><span class="n">x</span>'
        '<span class="p">):</span>\n</code></pre></div>')


def _block(number, body=CODE):
    return (f'<details class="example">\n<summary>Code behind figure {number}</summary>\n'
            f"{body}\n</details>")


def test_each_block_leaves_a_link_and_its_code_moves_to_its_own_file():
    page = f"<p>Before</p>{_block('2.1')}<p>Between</p>{_block('2.10')}<p>After</p>"
    html, files = listings.split(page)
    assert sorted(files) == ["code-behind-figure-2-1.html", "code-behind-figure-2-10.html"]
    assert "<pre" not in html and "def" not in html
    assert html.count('<div class="vg-listing" data-listing>') == 2
    assert '<a href="code-behind-figure-2-10.html">The code behind figure 2.10</a>' in html
    assert [re.sub(r"<[^>]+>", "", part) for part in html.split("<details")[1:]][0].startswith(
        ' class="example">')  # the block itself stays, closed, with its summary
    for name, content in files.items():
        # The file is the block's code, with the copy button Material would have added.
        stem = name.removesuffix(".html")
        assert f'<pre id="{stem}-0">' in content
        assert f'data-clipboard-target="#{stem}-0 &gt; code"' in content
        without_button = re.sub(r'<nav class="md-code__nav">.*?</nav>', "",
                                content.replace(f' id="{stem}-0"', ""))
        assert without_button.strip() == listings.wrap(CODE)  # its lines wrapped, as on pages


def test_two_blocks_for_one_figure_are_refused():
    with pytest.raises(ValueError, match="two blocks of code behind figure 1.1"):
        listings.split(_block("1.1") + _block("1.1"))


def test_other_details_are_left_alone():
    other = '<details class="success">\n<summary>Holds</summary>\n<p>x</p>\n</details>'
    assert listings.split(other) == (other, {})


def test_compact_code_unwraps_names_and_spaces_only_inside_listings():
    outside = '<p><span class="n">keep</span></p>'
    out = compact_code.compact(outside + CODE)
    assert out.startswith(outside)
    assert '<span class="n">' not in out.removeprefix(outside)
    assert '<span class="w">' not in out
    assert '<span class="k">def</span> <span class="nf">f</span><span class="p">(</span>x' \
           '<span class="p">):</span>' in out
    # Only markup goes: the text of the listing is unchanged.
    assert re.sub(r"<[^>]+>", "", out) == re.sub(r"<[^>]+>", "", outside + CODE)


def test_equivalent_mutant_notes_leave_the_listings_and_the_code_stays():
    """Highlighted by Pygments and compacted as on a page: the note block (first line "#
    equivalent mutant…", then its comment-only continuation) goes; the comment before it, the
    code after it and a note outside a listing stay."""
    from pygments import highlight
    from pygments.formatters import HtmlFormatter
    from pygments.lexers import PythonLexer

    source = ("def f(x):\n"
              "    # Cap x: a comment for readers.\n"
              "    # equivalent mutant (max / 5): the result is 0 either way,\n"
              "    # as the test explains.\n"
              "    y = min(x, 4)  # keep\n"
              "    # (equivalent mutants: 101 for 100, which prints the same.)\n"
              "    # tolerance mutant (17 for 16): any factor near 16 decides alike.\n"
              "    return y\n")
    listing = compact_code.compact(highlight(source, PythonLexer(), HtmlFormatter()))
    prose = "<p># equivalent mutant in prose</p>"
    page = compact_code.hide_mutation_notes(prose + listing)
    assert page.startswith(prose)
    text = re.sub(r"<[^>]+>", "", page.removeprefix(prose))
    assert "equivalent mutant" not in text
    for kept in ("def f(x):", "# Cap x: a comment for readers.", "y = min(x, 4)  # keep",
                 "return y"):
        assert kept in text, kept
    assert "as the test explains" not in text and "101 for 100" not in text
    assert "tolerance mutant" not in text


def test_the_plain_source_rule_is_the_listing_rule():
    """What the site tests compare listings with: the source less the same note blocks."""
    source = ("x = 1\n    # equivalent mutant (a): why,\n    # and more.\n    y = 2\n"
              "    # a reader's comment\n")
    assert compact_code.source_without_mutation_notes(source) == \
        "x = 1\n    y = 2\n    # a reader's comment\n"


# ------------------------------------------------------------ long listings in the text, folded

def _highlighted(source):
    """``source`` as Material's listing of it: Pygments' HTML, compacted as on a page."""
    from pygments import highlight
    from pygments.formatters import HtmlFormatter
    from pygments.lexers import PythonLexer

    body = highlight(source, PythonLexer(), HtmlFormatter(nowrap=True))
    return compact_code.compact(f'<div class="highlight"><pre><span></span><code>{body}'
                                f"</code></pre></div>")


def _source_tree(tmp_path, text):
    (tmp_path / "snippets" / "core").mkdir(parents=True)
    (tmp_path / "snippets" / "core" / "module.py").write_text(text)
    return tmp_path


def _function(name, body_lines):
    return f"def {name}(x):\n" + "".join(f"    y{i} = x + {i}\n" for i in range(body_lines))


def test_a_listing_longer_than_the_threshold_is_folded_and_says_what_it_is(tmp_path):
    """Two top-level functions of FOLD_LINES + 1 lines in all, included from a section of a
    file (markers and a mutation note left out, as pymdownx.snippets and the page do): the
    listing goes into a closed block naming both functions, the file, the file's lines and
    the count shown; one line less and it stays in the text."""
    half = listings.FOLD_LINES // 2
    first, second = _function("alpha", half - 1), _function("beta", listings.FOLD_LINES - half)
    shown = first + second  # FOLD_LINES + 1 lines
    assert shown.count("\n") == listings.FOLD_LINES + 1
    source = ("import math\n\n# --8<-- [start:both]\n" + first
              + "    # equivalent mutant (x + 1): a note for maintainers.\n"
              + second + "# --8<-- [end:both]\n")
    root = _source_tree(tmp_path, source)
    page = f"<p>Before</p>\n{_highlighted(shown)}\n<p>After</p>"
    folded = listings.fold(page, root)
    assert folded.count('<details class="example vg-folded">') == 1
    summary = re.search(r"<summary>(.*?)</summary>", folded).group(1)
    plain = re.sub(r"<[^>]+>", "", summary)
    # Its lines in the file: after "import math", a blank and the marker; the note skipped.
    last = 3 + shown.count("\n") + 1
    assert plain == (f"Code: alpha, beta from snippets/core/module.py, lines 4–{last} "
                     f"({listings.FOLD_LINES + 1} lines)")
    assert '<span class="filename">snippets/core/module.py</span>' in folded
    assert folded.startswith("<p>Before</p>") and folded.endswith("<p>After</p>")
    # The listing's text is unchanged, only wrapped in the block.
    assert listings.listing_text(folded) == shown.rstrip("\n")

    short = first + second.split("\n", 1)[1]  # one line less: FOLD_LINES lines
    assert short.count("\n") == listings.FOLD_LINES
    kept = f"<p>Before</p>\n{_highlighted(short)}\n<p>After</p>"
    assert listings.fold(kept, root) == kept


def test_a_whole_module_is_named_as_a_module_and_an_indented_section_is_found_dedented(
        tmp_path):
    module = '"""A module."""\n' + _function("gamma", listings.FOLD_LINES + 2)
    root = _source_tree(tmp_path, module)
    folded = listings.fold(_highlighted(module), root)
    assert re.sub(r"<[^>]+>", "", re.search(r"<summary>(.*?)</summary>", folded).group(1)) == \
        f"Code: the module snippets/core/module.py ({module.count(chr(10))} lines)"

    # A method included on its own is shown dedented (dedent_subsections): still found.
    method = "class K:\n" + "".join("    " + line + "\n" for line in
                                    _function("delta", listings.FOLD_LINES).split("\n")[:-1])
    root = _source_tree(tmp_path / "b", method)
    shown = _function("delta", listings.FOLD_LINES)
    assert listings.find_source(shown.rstrip("\n"), root) == (
        "snippets/core/module.py", 2, shown.count("\n") + 1, False)
    # A line that differs anywhere, in its text or its indentation, is not that source.
    assert listings.find_source(shown.replace("x + 3", "x + 4").rstrip("\n"), root) is None
    assert listings.find_source(shown.replace("    y3", "     y3").rstrip("\n"), root) is None

    # A whole file with a section inside: pymdownx.snippets leaves the markers out.
    sectioned = module.replace("    y2 ", "    # --8<-- [start:part]\n    y2 ")
    root = _source_tree(tmp_path / "c", sectioned)
    assert listings.find_source(module.rstrip("\n"), root) == (
        "snippets/core/module.py", 1, sectioned.count("\n"), True)


def test_a_long_listing_from_no_known_source_is_folded_with_its_count_only(tmp_path):
    shown = _function("epsilon", listings.FOLD_LINES)
    root = _source_tree(tmp_path, "unrelated = 1\n")
    folded = listings.fold(_highlighted(shown), root)
    assert f"<summary>Code: {shown.count(chr(10))} lines</summary>" in folded
    assert '<span class="filename">' not in folded


def test_listings_already_in_a_block_and_notebook_cells_are_not_folded(tmp_path):
    long = _highlighted(_function("zeta", listings.FOLD_LINES + 5))
    root = _source_tree(tmp_path, "unrelated = 1\n")
    inside = f'<details class="example">\n<summary>Code: x</summary>\n{long}\n</details>'
    assert listings.fold(inside, root) == inside
    cell = long.replace('class="highlight"', 'class="highlight-ipynb hl-python"')
    assert listings.fold(cell, root) == cell


# ------------------------------------------------------------------ every listing's lines wrap

def test_wrapping_puts_each_line_in_a_block_with_its_indentation_and_keeps_the_text():
    """Each line of the listing is one ``vg-line`` box carrying its leading spaces in --i;
    a docstring's span running over several lines is closed and reopened at each line, so
    every block's tags balance; the text (what the copy button copies) is unchanged."""
    source = ('def f(x):\n    """Two\n        lines."""\n\n    return x  # &lt;\n')
    listing = _highlighted(source)
    wrapped = listings.wrap(listing)
    assert re.sub(r"<[^>]+>", "", wrapped) == re.sub(r"<[^>]+>", "", listing)
    assert '<code class="vg-wrap">' in wrapped
    lines = re.findall(r'<span class="vg-line"(?: style="--i:(\d+)")?>', wrapped)
    assert lines == ["", "4", "8", "", "4"]
    blocks = re.findall(r'<span class="vg-line"[^>]*>(.*?)</span>\n(?=<span class="vg-line"|'
                        r"</code>)", wrapped, re.DOTALL)
    assert len(blocks) == source.count("\n")
    for block in blocks:
        assert block.count("<span") == block.count("</span>"), block
    # Pygments closes its spans at each line's end; a span over two lines (as a marked line,
    # class "hll", would be) is closed at the first line's end and opened again on the next.
    spanning = listings.wrap('<div class="highlight"><pre><code><span class="hll">a\n'
                             '  <span class="k">b</span>\n</span></code></pre></div>')
    assert spanning == ('<div class="highlight"><pre><code class="vg-wrap">'
                        '<span class="vg-line"><span class="hll">a</span></span>\n'
                        '<span class="vg-line" style="--i:2"><span class="hll">  '
                        '<span class="k">b</span></span></span>\n'
                        "</code></pre></div>")  # after the last newline: nothing to show
