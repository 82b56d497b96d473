"""A Content-Security-Policy for every page: scripts only from the site itself and the inline
scripts the build wrote (each allowed by its SHA-256), so an inline event handler, a
``javascript:`` URL or a script from elsewhere does not run even if one ever reached a page.

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


def inline_hashes(page_html):
    """The CSP source of each inline script of ``page_html`` that a browser would run."""
    hashes = set()
    for match in INLINE_SCRIPT.finditer(page_html):
        attributes = match.group("attributes")
        if "src=" in attributes or RUNS.search(attributes):
            continue
        digest = hashlib.sha256(match.group("body").encode("utf-8")).digest()
        hashes.add(f"'sha256-{base64.b64encode(digest).decode()}'")
    return hashes


def policy(hashes):
    return (f"script-src 'self' {' '.join(sorted(hashes))}; object-src 'none'; "
            f"base-uri 'self'; form-action 'self'")


def apply(site_dir):
    """Write the site-wide policy into every HTML page under ``site_dir``; returns it."""
    pages = sorted(Path(site_dir).rglob("*.html"))
    texts = {page: EXISTING.sub("", page.read_text(encoding="utf-8")) for page in pages}
    hashes = set().union(*(inline_hashes(text) for text in texts.values())) if texts else set()
    written = policy(hashes)
    meta = META.format(policy=written)
    for page, text in texts.items():
        if CHARSET not in text:  # not a themed page (e.g. a verbatim HTML file): left alone
            continue
        updated = text.replace(CHARSET, CHARSET + meta, 1)
        if updated != page.read_text(encoding="utf-8"):
            page.write_text(updated, encoding="utf-8")
    return written
