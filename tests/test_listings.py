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
        assert without_button.strip() == CODE


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
