"""A Content-Security-Policy for every page: scripts only from the site itself and the inline
scripts its templates write (each allowed by its SHA-256), so an inline event handler, a
``javascript:`` URL or a script from elsewhere does not run even if one ever reached a page.

The policy is not derived from whatever the pages hold: an inline script is allowed only if
it is one the templates are known to write (``KNOWN``: Material's storage helpers, whose
``new URL("..")`` varies with the page's depth; the palette script of overrides/; Material's
tab-target script; the notebook template's copy-button element and its notice). Any other
inline script fails the build naming the page, so a script that reached a page some other way
is neither published nor allowed (an upgrade of Material or mkdocs-jupyter that changes its
scripts fails here too: check them and update KNOWN).

The policy is one for the whole site: Material's instant navigation keeps the first page's
``<head>``, so every page must allow the inline scripts of every other (Material's own, which
differ by the page's depth, and the notebook pages' copy buttons). It is written after the
build, into each HTML file, as a ``<meta http-equiv>`` (a static host sets no headers).
Styles are not restricted: Material and MathJax's SVG set inline styles.
"""

import base64
import hashlib
import re
from pathlib import Path

INLINE_SCRIPT = re.compile(r"<script(?P<attributes>[^>]*)>(?P<body>.*?)</script>", re.DOTALL)
# Only these script types run; Material's configuration is a JSON block, which never runs.
RUNS = re.compile(r'\btype="(?!text/javascript"|module")')
CHARSET = '<meta charset="utf-8">'
META = '<meta http-equiv="Content-Security-Policy" content="{policy}">'
EXISTING = re.compile(r'<meta http-equiv="Content-Security-Policy" content="[^"]*">')

# Material 9.8.1's storage helpers (partials/javascripts/base.html), for a page at any depth
# (the 404 page names the site's absolute path, from site_url, instead).
_STORAGE = re.compile(
    r'__md_scope=new URL\("(?:/(?:[A-Za-z0-9._~%-]+/)*|\.|\.\.(?:/\.\.)*)",location\),'
    + re.escape('__md_hash=e=>[...e].reduce(((e,_)=>(e<<5)-e+_.charCodeAt(0)),0),'
                '__md_get=(e,_=localStorage,t=__md_scope)=>JSON.parse(_.getItem(t.pathname+"."+e)),'
                '__md_set=(e,_,t=localStorage,a=__md_scope)=>{try{t.setItem(a.pathname+"."+e,'
                'JSON.stringify(_))}catch(e){}}'))
# The other scripts by the SHA-256 of their text (hex), with where they come from.
KNOWN = {
    "a19c54cac4f2620daa8ba0eed56070754300b813668db5b89e7743b262104c2d":
        "overrides/partials/javascripts/palette.html (palette at first paint)",
    "ffcc0f7735fdab434d257c80e65cec2e88d716991e69757185b7e450e41a5b2f":
        "Material 9.8.1 base.html (the tab a link's fragment selects)",
    "858c16af2d8aebc7f968172f0b7046eaf4b9e0f928e28b046c7a032c3c7ed0bd":
        "mkdocs-jupyter 0.26.3 template (the <clipboard-copy> element)",
    "1b9c6d787348200f92fb85d58cd274ca455832ec47f8b7dd47d6072f1455be4e":
        "mkdocs-jupyter 0.26.3 template (the copy button's notice)",
}


class PolicyError(RuntimeError):
    """A page holds an inline script the templates do not write; the message names it."""


def _known(body):
    return hashlib.sha256(body.encode("utf-8")).hexdigest() in KNOWN \
        or _STORAGE.fullmatch(body) is not None


def inline_hashes(page_html, where="page"):
    """The CSP source of each inline script of ``page_html`` that a browser would run; a
    script the templates do not write raises PolicyError naming ``where``."""
    hashes = set()
    for match in INLINE_SCRIPT.finditer(page_html):
        attributes = match.group("attributes")
        if "src=" in attributes or RUNS.search(attributes):
            continue
        if not _known(match.group("body")):
            raise PolicyError(f"{where}: an inline script no template writes: "
                              f"{match.group('body').strip()[:80]!r}")
        digest = hashlib.sha256(match.group("body").encode("utf-8")).digest()
        hashes.add(f"'sha256-{base64.b64encode(digest).decode()}'")
    return hashes


def policy(hashes):
    return (f"script-src 'self' {' '.join(sorted(hashes))}; object-src 'none'; "
            f"base-uri 'self'; form-action 'self'")


def apply(site_dir):
    """Write the site-wide policy into every HTML page under ``site_dir``; returns it."""
    pages = sorted(Path(site_dir).rglob("*.html"))
    written_before = {page: page.read_text(encoding="utf-8") for page in pages}
    texts = {page: EXISTING.sub("", text) for page, text in written_before.items()}
    hashes = set().union(*(inline_hashes(text, page.relative_to(site_dir).as_posix())
                           for page, text in texts.items())) if texts else set()
    written = policy(hashes)
    meta = META.format(policy=written)
    for page, text in texts.items():
        if CHARSET not in text:  # not a themed page (e.g. a verbatim HTML file): left alone
            continue
        updated = text.replace(CHARSET, CHARSET + meta, 1)
        if updated != written_before[page]:
            page.write_text(updated, encoding="utf-8")
    return written
