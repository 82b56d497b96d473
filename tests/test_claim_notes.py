"""A claim's markup on its chapter (sitebuild/claims.py ``claim_block``), rendered by the same
Markdown extensions as the site: whatever the verdict, a collapsed <details> whose summary
carries the verdict and the title in spans of their own (the margin note sets them on two
lines, a phone's badge on one) and no test name; the deciding test only in the box's body.
How the notes look and sit on a page is tests/test_browser_claims.py's."""

import re

import markdown
import pytest

from sitebuild import claims, sanitise

CLAIM = {"id": "some-claim", "title": "Small gradients are slow", "page": "chapters/p.md",
         "source": "001", "section": "Why small gradients hurt", "claim": "They are slow.",
         "verdict": "holds", "finding": "They are, at a fixed step.",
         "test": "tests/test_optimisation.py::test_some_claim",
         "counterfactual": "fails if they were fast"}


def rendered(claim):
    """The claim's block as the page's HTML: Markdown rendered, then the held fragments put
    back, as the plugin does (sitebuild/plugin.py)."""
    held = sanitise.Fragments()
    text = claims.claim_block(claim, "../claims.md", held)
    page = markdown.markdown(text, extensions=["admonition", "pymdownx.details", "attr_list",
                                               "md_in_html"])
    return held.release(page)


@pytest.mark.parametrize("verdict", list(claims.VERDICTS))
def test_every_claim_is_a_collapsed_box_named_by_verdict_and_title(verdict):
    kind, label, _ = claims.VERDICTS[verdict]
    page = rendered(dict(CLAIM, verdict=verdict))
    boxes = re.findall(r"<details([^>]*)>", page)
    assert len(boxes) == 1, page  # a correction too: no open admonition <div>
    assert re.fullmatch(rf' class="{kind} vg-claim vg-claim-{verdict}"', boxes[0]), boxes[0]
    summary = re.search(r"<summary>(.*?)</summary>", page, re.DOTALL).group(1)
    assert summary == (f'<span class="vg-claim-verdict">{label}<span class="vg-claim-dash"> — '
                       f'</span></span><span class="vg-claim-title">{CLAIM["title"]}</span>')
    # The anchor the claims page links to stands just before the box.
    assert page.index(f'id="{claims.chapter_anchor(CLAIM["id"])}"') < page.index("<details")


@pytest.mark.parametrize("verdict", list(claims.VERDICTS))
def test_the_deciding_test_is_named_only_inside_the_box(verdict):
    page = rendered(dict(CLAIM, verdict=verdict))
    assert page.count(CLAIM["test"]) == 1
    body_start = page.index("</summary>")
    assert body_start < page.index(CLAIM["test"]) < page.index("</details>")


def test_a_title_is_text_in_the_badge():
    page = rendered(dict(CLAIM, title='Is <b>this</b> "bold" & safe?'))
    summary = re.search(r"<summary>(.*?)</summary>", page, re.DOTALL).group(1)
    assert "<b>" not in summary
    assert "Is &lt;b&gt;this&lt;/b&gt; &quot;bold&quot; &amp; safe?" in summary
