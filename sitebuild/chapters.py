"""The chapters, as their pages' front matter declares them: the one list of chapters that
the home page, the tests and the tools derive from (only the navigation in mkdocs.yml names
them again, because MkDocs needs it there).

A chapter page (``docs/chapters/<name>.md``) starts with front matter::

    ---
    chapter: 5                       # its number; figures are numbered 5.1, 5.2, …
    summary: The mean-field theory … # one sentence for the home page (Markdown)
    ---

A page that belongs to a chapter without being one (an explorer) says ``part_of: 5``.
"""

import dataclasses
import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
FOLDER = ROOT / "docs" / "chapters"
FRONT_MATTER = re.compile(r"\A---\n(.*?)^---\n", re.DOTALL | re.MULTILINE)
HEADING = re.compile(r"^#\s+(.+)$", re.MULTILINE)
LIST_MARKER = re.compile(r"^\[\[chapters\]\]$", re.MULTILINE)  # the home page's list


def page_title(text, fallback=None):
    """A page's title: its first level-one heading (``fallback`` if it has none)."""
    match = HEADING.search(text)
    return match.group(1).strip() if match else fallback


class ChapterError(ValueError):
    """A chapter page's front matter is missing, malformed or contradicts another's."""


@dataclasses.dataclass(frozen=True)
class ChapterPage:
    source: str              # "chapters/edge-of-chaos.md", relative to docs/
    title: str               # its first heading
    number: int | None       # the chapter's number, or None for a page that is part of one
    part_of: int | None      # for such a page, its chapter's number
    summary: str             # one sentence for the home page ("" for a part)

    @property
    def url(self):
        """The page's address relative to the site root: "chapters/<name>/"."""
        return self.source.removesuffix(".md") + "/"

    @property
    def stem(self):
        return Path(self.source).stem


def _read(path):
    text = path.read_text(encoding="utf-8")
    match = FRONT_MATTER.match(text)
    meta = (yaml.safe_load(match.group(1)) if match else None) or {}
    title = page_title(text)
    name = f"chapters/{path.name}"
    if not isinstance(meta, dict) or title is None:
        raise ChapterError(f"{name}: needs front matter and a '# Title' heading")
    number, part_of = meta.get("chapter"), meta.get("part_of")
    if (number is None) == (part_of is None):
        raise ChapterError(f"{name}: front matter needs either 'chapter: <number>' or "
                           "'part_of: <chapter number>'")
    for key, value in (("chapter", number), ("part_of", part_of)):
        if value is not None and (not isinstance(value, int) or isinstance(value, bool)
                                  or not 1 <= value <= 99):
            raise ChapterError(f"{name}: '{key}' must be a whole number from 1 to 99")
    summary = meta.get("summary", "")
    if number is not None and (not isinstance(summary, str) or not summary.strip()):
        raise ChapterError(f"{name}: a chapter needs a one-sentence 'summary' in its front "
                           "matter (the home page lists it)")
    return ChapterPage(name, title, number, part_of, summary.strip())


def chapter_pages(folder=FOLDER):
    """Every page in docs/chapters/, chapters in order of number, each followed by the pages
    that are part of it. Raises ChapterError for a page without valid front matter, two
    chapters with one number, or a part of a chapter that does not exist."""
    pages = [_read(path) for path in sorted(Path(folder).glob("*.md"))]
    numbered = {}
    for page in pages:
        if page.number is not None:
            if page.number in numbered:
                raise ChapterError(f"{page.source} and {numbered[page.number].source} are both "
                                   f"chapter {page.number}")
            numbered[page.number] = page
    for page in pages:
        if page.part_of is not None and page.part_of not in numbered:
            raise ChapterError(f"{page.source}: part_of {page.part_of}, but no page is that "
                               "chapter")
    return sorted(pages, key=lambda page: (page.number or page.part_of,
                                           page.number is None, page.source))


def chapters(folder=FOLDER):
    """The numbered chapters, in order."""
    return [page for page in chapter_pages(folder) if page.number is not None]


def site_pages(folder=FOLDER):
    """The addresses of the site's own pages that readers read, in reading order: the home
    page, every chapter page, the claims ledger (the notebook pages are listed by
    ``sitebuild.notebooks.notebook_sources``)."""
    return ["", *(page.url for page in chapter_pages(folder)), "claims/"]


def home_page_list(folder=FOLDER):
    """The home page's numbered list of chapters (Markdown, links relative to docs/)."""
    items = []
    for page in chapters(folder):
        link = page.source
        items.append(f"{page.number}. [{page.title}]({link}) — {page.summary}")
    return "\n\n".join(items)


def expand_list(markdown, folder=FOLDER):
    """``markdown`` with the line ``[[chapters]]`` replaced by :func:`home_page_list`."""
    if not LIST_MARKER.search(markdown):
        return markdown
    listing = home_page_list(folder)
    return LIST_MARKER.sub(lambda _: listing, markdown)
