"""The site's search, as a reader uses it: typed into Material's search box in headless
Chromium. A chapter is the first result for its own title and for the terms readers search
for, ahead of its companion notebook, the explorer and the claims ledger that repeat its words;
no result shows a notebook's prompts ("In [2]:") or its copy buttons' text ("Copied!")."""

import json
import re

import pytest

from sitebuild import chapters, notebook_pages
from tests.test_browser import base_url  # noqa: F401  (the fixture serving the built site)

pytestmark = pytest.mark.browser

# Derived from the chapters' front matter: every chapter is searched for by its title.
TITLES = {page.title: page.url for page in chapters.chapters()}
# What readers type (issue 21): each query, and the chapter that must come first.
TERMS = {"xavier initialization": "initialisation-and-variance",
         "edge of chaos": "edge-of-chaos",
         "dying relu": "dying-relus"}
QUERIES = {**TITLES, **{query: f"chapters/{stem}/" for query, stem in TERMS.items()}}
# What no preview and no indexed text may hold: a prompt (nbconvert writes "In&nbsp;[1]:")
# and the copy button's notice.
NOISE = re.compile(r"In[\s\xa0]*\[|Copied")

RESULTS = """() => ({
  meta: document.querySelector('.md-search-result__meta').textContent,
  // One <li> per page, its best match first; nested links are that page's other sections.
  pages: [...document.querySelectorAll('.md-search-result__list > .md-search-result__item')]
    .map(item => new URL(item.querySelector('a').href).pathname),
  previews: [...document.querySelectorAll('.md-search-result__article')]
    .map(article => article.textContent),
})"""


@pytest.fixture(scope="module")
def search_page(chromium, base_url):  # noqa: F811
    """The home page in Chromium, its search index loaded, reused for every query."""
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(120_000)
    page = context.new_page()
    page.goto(base_url)
    page.wait_for_load_state("networkidle")
    yield page
    context.close()


def search(page, query):
    """Type ``query`` into the search box as a reader would; the rendered results."""
    box = page.locator("input.md-search__input")
    box.fill("")
    box.focus()
    page.keyboard.type(query)
    page.wait_for_function(
        """query => {
          const meta = document.querySelector('.md-search-result__meta');
          const box = document.querySelector('input.md-search__input');
          return box.value === query && meta && /\\d|No matching/.test(meta.textContent)
                 && document.querySelectorAll('.md-search-result__item').length > 0;
        }""", arg=query)
    page.wait_for_timeout(300)  # the worker answers each keystroke; let the last one land
    return page.evaluate(RESULTS)


@pytest.mark.parametrize("query", sorted(QUERIES))
def test_a_chapter_is_the_first_result_for_its_terms(search_page, query):
    results = search(search_page, query)
    assert results["pages"], results
    assert results["pages"][0].endswith("/" + QUERIES[query]), (query, results["pages"][:4])


@pytest.mark.parametrize("query", sorted(QUERIES))
def test_no_result_preview_shows_a_prompt_or_a_copy_button(search_page, query):
    results = search(search_page, query)
    noisy = [preview[:120] for preview in results["previews"] if NOISE.search(preview)]
    assert not noisy, (query, noisy)


def test_queries_find_notebooks_too(search_page):
    """The notebooks are still found (ranked lower, not removed): the check above is not
    passed by an index that lost them."""
    pages = search(search_page, "edge of chaos")["pages"]
    assert any("/notebooks/edge-of-chaos/" in page for page in pages), pages


def test_the_index_holds_no_prompt_or_copy_text_and_ranks_notebooks_below_chapters(
        built_site):
    index = json.loads((built_site / "search" / "search_index.json").read_text())
    docs = index["docs"]
    assert not [doc["location"] for doc in docs if NOISE.search(doc["text"])]
    notebook_docs = [doc for doc in docs if doc["location"].startswith("notebooks/")]
    chapter_docs = [doc for doc in docs
                    if any(doc["location"].startswith(url) for url in TITLES.values())]
    assert notebook_docs and chapter_docs
    assert {doc.get("boost") for doc in notebook_docs} == {notebook_pages.SEARCH_BOOST}
    assert min(doc.get("boost", 1) for doc in chapter_docs) > notebook_pages.SEARCH_BOOST
    # The notebooks' code and plots stay out of the index; their prose and printed output stay.
    text = " ".join(doc["text"] for doc in notebook_docs)
    assert "plt.show()" not in text and "0.0 0.2 0.4 0.6 0.8 1.0" not in text  # ticks
    assert "max sigmoid′ = 0.250000" in text
