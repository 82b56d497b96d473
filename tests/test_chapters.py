"""The list of chapters comes from the chapters' front matter (sitebuild/chapters.py)."""

import re

import pytest
import yaml

from sitebuild import chapters
from tests.conftest import ROOT


def _write(folder, name, front_matter, title="A title"):
    (folder / name).write_text(f"---\n{front_matter}---\n\n# {title}\n\nText.\n",
                               encoding="utf-8")


def test_the_chapters_are_the_numbered_pages_in_order_and_match_the_navigation():
    found = chapters.chapter_pages()
    numbers = [page.number for page in found if page.number is not None]
    assert numbers == list(range(1, len(numbers) + 1))
    # Read independently of the module: every page in docs/chapters/ with a number.
    declared = {}
    for path in (ROOT / "docs" / "chapters").glob("*.md"):
        meta = yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])
        if "chapter" in meta:
            declared[meta["chapter"]] = f"chapters/{path.name}"
    assert [page.source for page in chapters.chapters()] == \
        [declared[number] for number in sorted(declared)]
    # The navigation is the one other place that names them: same pages, same order.
    nav = re.findall(r"^\s+- (chapters/[a-z0-9-]+\.md)$",
                     (ROOT / "mkdocs.yml").read_text(encoding="utf-8"), re.MULTILINE)
    assert nav == [page.source for page in found]


def test_a_part_follows_its_chapter(tmp_path):
    _write(tmp_path, "b.md", "chapter: 2\nsummary: Two.\n", "Second")
    _write(tmp_path, "a.md", "chapter: 1\nsummary: One.\n", "First")
    _write(tmp_path, "a-explorer.md", "part_of: 1\n", "Explore")
    assert [page.source for page in chapters.chapter_pages(tmp_path)] == \
        ["chapters/a.md", "chapters/a-explorer.md", "chapters/b.md"]
    assert chapters.site_pages(tmp_path) == ["", "chapters/a/", "chapters/a-explorer/",
                                             "chapters/b/", "claims/"]
    assert chapters.home_page_list(tmp_path) == \
        "1. [First](chapters/a.md) — One.\n\n2. [Second](chapters/b.md) — Two."


@pytest.mark.parametrize("front_matter, message", [
    ("summary: x\n", "either 'chapter: <number>' or 'part_of"),
    ("chapter: 1\npart_of: 1\nsummary: x\n", "either 'chapter: <number>' or 'part_of"),
    ("chapter: one\nsummary: x\n", "'chapter' must be a whole number from 1 to 99"),
    ("chapter: 0\nsummary: x\n", "'chapter' must be a whole number from 1 to 99"),
    ("chapter: true\nsummary: x\n", "'chapter' must be a whole number from 1 to 99"),
    ("chapter: 1\n", "needs a one-sentence 'summary'"),
    ("part_of: 7\n", "part_of 7, but no page is that chapter"),
])
def test_bad_front_matter_is_refused_naming_the_page(tmp_path, front_matter, message):
    _write(tmp_path, "page.md", front_matter)
    with pytest.raises(chapters.ChapterError, match=re.escape(message)) as error:
        chapters.chapter_pages(tmp_path)
    assert "chapters/page.md" in str(error.value)


def test_two_chapters_with_one_number_are_refused(tmp_path):
    _write(tmp_path, "a.md", "chapter: 1\nsummary: x\n")
    _write(tmp_path, "b.md", "chapter: 1\nsummary: y\n")
    with pytest.raises(chapters.ChapterError, match="both chapter 1"):
        chapters.chapter_pages(tmp_path)


def test_the_home_page_marker_becomes_the_list(tmp_path):
    _write(tmp_path, "a.md", "chapter: 1\nsummary: One.\n", "First")
    assert chapters.expand_list("# Home\n\n[[chapters]]\n\nMore.\n", tmp_path) == \
        "# Home\n\n1. [First](chapters/a.md) — One.\n\nMore.\n"
    assert chapters.expand_list("Text [[chapters]] inline.\n", tmp_path) == \
        "Text [[chapters]] inline.\n"
