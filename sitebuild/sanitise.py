"""The one sanitiser: every text that comes from a data file (``docs/claims.yml``,
``docs/references.yml``) or a notebook's Markdown cell reaches a page through here.

Escaping HTML is not enough: the page's Markdown would still turn ``[x](javascript:…)`` in an
escaped text into a live link, and a link rendered inside a ``title="…"`` attribute ends the
attribute. So data text is rendered once, here, with the site's own inline Markdown (emphasis,
code, ``$…$`` math), the result is cleaned by nh3 (the Rust ``ammonia`` sanitiser) against an
allow-list, and the clean HTML is *held* out of the page's Markdown: ``Fragments.hold`` returns
an inert token (letters and digits only, which Markdown leaves alone in any context) and
``Fragments.release`` swaps the HTML in after Markdown has run. Nothing built from data text
ever passes through Markdown again, and attributes are built from plain text only.

The allow-list: links to http, https and mailto addresses and relative links (no
``javascript:``, ``data:``, ``vbscript:`` or any other scheme, entity-encoded or not), no event
handler or style attribute, no script, style, iframe, object, form or SVG.
"""

import hashlib
import html
import re
import secrets

import markdown
import nh3

URL_SCHEMES = frozenset({"http", "https", "mailto"})

# Inline text from a data file: what a sentence needs, and the math mark typeset_math reads.
INLINE_TAGS = frozenset({"a", "em", "strong", "code", "sub", "sup", "span", "br"})
INLINE_ATTRIBUTES = {"a": {"href", "class", "title"}}
INLINE_CLASSES = {"span": {"arithmatex"}}

# A notebook page's HTML (mkdocs-jupyter's template, cleaned by notebook_pages): nh3's default
# tags (no script, style, iframe, object, embed, form, input or svg), classes and ids for the
# JupyterLab stylesheet and the table of contents, the output images' sizes and alt text.
# The template's copy buttons are a <clipboard-copy> element with an SVG icon: its shapes are
# allowed, with drawing attributes only (no href, no script, no event handler).
NOTEBOOK_TAGS = frozenset(nh3.ALLOWED_TAGS) | {"clipboard-copy", "svg", "path"}
NOTEBOOK_ATTRIBUTES = {
    "*": {"class", "id", "title", "lang", "dir", "aria-label", "aria-hidden", "role",
          "tabindex", "hidden", "data-mime-type", "data-type", "data-jp-theme-light",
          "data-jp-theme-name"},
    "clipboard-copy": {"for"},
    "svg": {"height", "width", "version", "viewBox", "data-view-component"},
    "path": {"d", "fill", "fill-rule"},
    "a": {"href"},
    "img": {"src", "alt", "width", "height"},
    "ol": {"start"},
    "td": {"colspan", "rowspan", "align"},
    "th": {"colspan", "rowspan", "align", "scope"},
}
# A plot is a base64 PNG or JPEG in an <img src>; raster images cannot carry script.
OUTPUT_IMAGE = re.compile(r"data:image/(?:png|jpeg);base64,[A-Za-z0-9+/=\s]*")

# The Markdown a data text may use: the pages' own inline syntax and their math mark.
_MARKDOWN_EXTENSIONS = ["pymdownx.arithmatex"]
_MARKDOWN_CONFIG = {"pymdownx.arithmatex": {"generic": True}}

TOKEN = re.compile(r"vgheld([0-9a-f]{24})x")


def _keep_url(tag, attribute, value):
    """nh3 has checked the scheme of every URL attribute; this refuses what it would pass:
    ``data:`` outside an output image (nh3 allows it when listed for any tag)."""
    if attribute in ("href", "src") and value.strip().lower().startswith("data:"):
        return value if tag == "img" and attribute == "src" and OUTPUT_IMAGE.fullmatch(value) \
            else None
    return value


def inline_html(text):
    """``text`` (Markdown from a data file) as clean inline HTML: rendered with the pages'
    inline syntax, then cleaned against the allow-list. Never passes it to a page's Markdown:
    hold the result (``Fragments.hold``)."""
    if not isinstance(text, str):
        raise ValueError(f"text must be a string, got {type(text).__name__}")
    rendered = markdown.markdown(text.strip(), extensions=_MARKDOWN_EXTENSIONS,
                                 extension_configs=_MARKDOWN_CONFIG)
    # One paragraph of inline text: its <p> goes (a second paragraph becomes a line break).
    rendered = re.sub(r"</p>\s*<p>", "<br>", rendered.strip())
    return clean_inline(re.sub(r"^<p>|</p>$", "", rendered))


def clean_inline(fragment):
    """An inline HTML fragment cleaned against the inline allow-list."""
    return nh3.clean(fragment, tags=set(INLINE_TAGS), attributes=INLINE_ATTRIBUTES,
                     allowed_classes=INLINE_CLASSES, url_schemes=set(URL_SCHEMES),
                     attribute_filter=_keep_url, link_rel=None,
                     clean_content_tags={"script", "style"})


def plain_text(text):
    """``text`` shown as it is written (a tag in it is shown, not run), HTML-escaped quotes
    included: for an attribute value or a text node of HTML that never meets Markdown."""
    if not isinstance(text, str):
        raise ValueError(f"text must be a string, got {type(text).__name__}")
    return html.escape(text, quote=True)


def markdown_inert(text):
    """``text`` with every ASCII punctuation mark as a numeric character reference, so
    the page's Markdown sees no syntax in it (for a Markdown heading, whose text feeds the
    table of contents and so cannot be held)."""
    if not isinstance(text, str):
        raise ValueError(f"text must be a string, got {type(text).__name__}")
    # One line: a newline would end a heading and start a block of its own.
    text = " ".join(text.split())
    return re.sub(r"[!-/:-@\[-`{-~]", lambda match: f"&#{ord(match.group(0))};", text)


def notebook_html(page_html):
    """A notebook page's HTML cleaned against the notebook allow-list: a raw ``<script>``,
    event handler or ``javascript:`` link written in a Markdown cell does not survive."""
    return nh3.clean(page_html, tags=set(NOTEBOOK_TAGS), attributes=NOTEBOOK_ATTRIBUTES,
                     url_schemes=set(URL_SCHEMES) | {"data"}, attribute_filter=_keep_url,
                     link_rel=None, strip_comments=True,
                     clean_content_tags={"script", "style"})


class Fragments:
    """HTML held out of a page's Markdown for one build: ``hold`` gives a token to write in the
    Markdown, ``release`` swaps each token back in the page's HTML. A token hashes the fragment
    with a secret drawn for this build, so no data file can write one in advance (a forged or
    stale token is left as text); tokens never reach a page, so the secret changes nothing
    that is published."""

    def __init__(self):
        self._held = {}
        self._secret = secrets.token_bytes(16)

    def hold(self, fragment):
        digest = hashlib.sha256(self._secret + fragment.encode()).hexdigest()[:24]
        token = f"vgheld{digest}x"
        self._held[token] = fragment
        return token

    def release(self, page_html):
        return TOKEN.sub(lambda match: self._held.get(match.group(0), match.group(0)),
                         page_html)

    def release_text(self, text):
        """A table-of-contents title (which the theme prints as HTML): each held fragment as
        its text, still escaped."""
        return TOKEN.sub(lambda match: nh3.clean(self._held[match.group(0)], tags=set())
                         if match.group(0) in self._held else match.group(0), text)
