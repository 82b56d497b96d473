"""MkDocs hook: computation → figure → page.

* Renders every registered figure (light and dark SVG) and quoted value into a git-ignored cache,
  ``.cache/artifacts/<figure module>-<key>/``. The key is a SHA-256 of the figure module, every
  ``snippets`` module it imports (followed transitively), the renderer and the library versions,
  so a warm build renders nothing and an edited snippet re-renders only the figure modules that
  depend on it. Rendering runs in fresh interpreters (two at a time), so ``mkdocs serve`` always
  renders the code as it is on disk. Nothing is ever written into ``docs/``.
* Adds the rendered figures, MathJax (from the installed ``django-static-mathjax`` package) and
  the generated claims page to the site as generated files.
* Expands the one-line page syntax: ``[[figure: name]]``, ``[[value: name]]``, ``[[claim: id]]``.
  An unknown name, a failing builder, a missing alt text or caption fails the build.

Set ``VG_RENDER=off`` to build the same pages without rendering or adding any figure (the
benchmark's floor): markers expand from the newest cached manifests, without hashing.
"""

import ast
import concurrent.futures
import functools
import hashlib
import html
import importlib.metadata
import importlib.util
import json
import logging
import os
import posixpath
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File
from mkdocs.utils import get_relative_url

ROOT = Path(__file__).resolve().parent.parent
SNIPPETS = ROOT / "snippets"
FIGURE_PACKAGE = SNIPPETS / "figures"
# VG_CACHE moves the cache (the benchmark measures cold builds in an empty one).
CACHE = Path(os.environ.get("VG_CACHE", ROOT / ".cache" / "artifacts"))
LEDGER = ROOT / "docs" / "claims.yml"
INFRASTRUCTURE = {"__init__", "registry", "style", "render"}
ALWAYS_DEPENDS = ("snippets/figures/render.py", "snippets/figures/registry.py")
VERSIONED = ("numpy", "matplotlib", "scikit-learn")
# The parts of MathJax a page can load: the TeX→CommonHTML bundle, TeX extensions that the
# autoloader fetches on demand (cancel, …), the CHTML web fonts and the context-menu code.
MATHJAX_PARTS = ("tex-chtml.js", "input/tex/extensions", "output/chtml/fonts/woff-v2", "ui",
                 "a11y", "adaptors")
VERDICTS = {
    "holds": ("success", "Checked: holds"),
    "nuance": ("note", "Holds, with a nuance"),
    "wrong": ("failure", "Correction"),
}
FIGURE_LINE = re.compile(r"^\[\[figure:\s*([a-z][a-z0-9-]*)\s*\]\]\s*$", re.MULTILINE)
CLAIM_LINE = re.compile(r"^\[\[claim:\s*([a-z][a-z0-9-]*)\s*\]\]\s*$", re.MULTILINE)
VALUE = re.compile(r"\[\[value:\s*([a-z][a-z0-9-]*)\s*\]\]")
ANY_MARKER = re.compile(r"\[\[(figure|value|claim):[^\]]*\]\]")

log = logging.getLogger("mkdocs.hooks.figures")


# ---------------------------------------------------------------------------- dependencies

def figure_modules():
    """Dotted names of the figure modules: every module of snippets/figures but the machinery."""
    return [f"snippets.figures.{path.stem}" for path in sorted(FIGURE_PACKAGE.glob("*.py"))
            if path.stem not in INFRASTRUCTURE and not path.stem.startswith("_")]


def _module_file(dotted):
    base = ROOT / dotted.replace(".", "/")
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


@functools.lru_cache(maxsize=None)
def _imported_snippets_cached(path, modified, size):
    return _imported_snippets_uncached(path)


def _imported_snippets(path):
    # Parsed once per file version: every figure module shares most of its dependencies.
    status = path.stat()
    return _imported_snippets_cached(path, status.st_mtime_ns, status.st_size)


def _imported_snippets_uncached(path):
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return {name for name in names if name == "snippets" or name.startswith("snippets.")}


def module_dependencies(module):
    """Source files that ``module`` depends on: itself and every snippets module it imports,
    transitively, plus the rendering machinery. Paths relative to the repository root."""
    pending = [module]
    found = {_module_file(module)}
    while pending:
        path = _module_file(pending.pop())
        for name in _imported_snippets(path):
            dependency = _module_file(name)
            if dependency is not None and dependency not in found:
                found.add(dependency)
                pending.append(name)
    relative = {path.relative_to(ROOT).as_posix() for path in found if path is not None}
    return sorted(relative | set(ALWAYS_DEPENDS))


def artifact_key(module):
    """Content hash of everything the artifacts of ``module`` depend on."""
    digest = hashlib.sha256()
    for relative in module_dependencies(module):
        digest.update(relative.encode() + b"\0" + (ROOT / relative).read_bytes() + b"\0")
    for package in VERSIONED:
        digest.update(f"{package}=={importlib.metadata.version(package)}\0".encode())
    digest.update(sys.version.encode())
    return digest.hexdigest()[:16]


# ------------------------------------------------------------------------------- rendering

def render_environment():
    """Environment of a render process: no .pyc writes (under `mkdocs serve` they would land
    in the watched snippets/ folder) and one BLAS thread, since two renders share two cores."""
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
    for variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        env.setdefault(variable, "1")
    return env


def _render(module, target):
    """Render ``module`` into ``target`` through a fresh interpreter; atomic on success."""
    CACHE.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix=f".{module}-", dir=CACHE))
    result = subprocess.run([sys.executable, "-m", "snippets.figures.render", module, str(scratch)],
                            cwd=ROOT, capture_output=True, text=True, env=render_environment())
    if result.returncode != 0:
        shutil.rmtree(scratch, ignore_errors=True)
        message = result.stderr.strip().splitlines()
        raise PluginError(f"{message[-1] if message else module + ' failed'}\n"
                          f"{result.stderr.strip()}")
    if target.exists():  # another build rendered the same code meanwhile: keep its copy
        shutil.rmtree(scratch, ignore_errors=True)
        return
    for stale in CACHE.glob(f"{module}-*"):
        shutil.rmtree(stale, ignore_errors=True)
    os.replace(scratch, target)


def ensure_rendered():
    """Render what is stale and return {module: (folder, manifest)} for every figure module."""
    folders = {module: CACHE / f"{module}-{artifact_key(module)}" for module in figure_modules()}
    stale = [module for module, folder in folders.items()
             if not (folder / "manifest.json").is_file()]
    if stale:
        log.info("rendering figures of %s", ", ".join(stale))
        with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
            for future in [pool.submit(_render, module, folders[module]) for module in stale]:
                future.result()
    return {module: (folder, json.loads((folder / "manifest.json").read_text(encoding="utf-8")))
            for module, folder in folders.items()}


# ---------------------------------------------------------------------------- claims ledger

def load_ledger():
    """The claims ledger: a list of dicts with id, page, source, section, claim, verdict,
    finding and test."""
    claims = yaml.safe_load(LEDGER.read_text(encoding="utf-8")) or []
    required = ("id", "page", "source", "section", "claim", "verdict", "finding", "test")
    seen = set()
    for claim in claims:
        missing = [key for key in required if not str(claim.get(key, "")).strip()]
        if missing:
            raise PluginError(f"claims.yml: claim {claim.get('id')!r} lacks {', '.join(missing)}")
        if claim["verdict"] not in VERDICTS:
            raise PluginError(f"claims.yml: claim {claim['id']!r} has verdict "
                              f"{claim['verdict']!r}; allowed: {', '.join(VERDICTS)}")
        if claim["id"] in seen:
            raise PluginError(f"claims.yml: claim id {claim['id']!r} appears twice")
        seen.add(claim["id"])
    return claims


def _indent(text, prefix="    "):
    return "\n".join(prefix + line if line.strip() else "" for line in text.splitlines())


def claim_block(claim, claims_page_link):
    kind, title = VERDICTS[claim["verdict"]]
    body = (f"**The article** ({claim['section']}): {claim['claim'].strip()}\n\n"
            f"**What we find:** {claim['finding'].strip()}\n\n"
            f"Decided by `{claim['test']}` · "
            f"[all checked claims]({claims_page_link}#{claim['id']})")
    return f'!!! {kind} "{title}"\n\n{_indent(body)}\n'


def claims_page(claims, sources):
    lines = ["# Checked claims", "",
             "Every checkable claim the chapters make or correct, with the test that decides "
             "it. A claim is listed only if its test exists; `make test` runs them all.", ""]
    for verdict, (_, title) in VERDICTS.items():
        count = sum(claim["verdict"] == verdict for claim in claims)
        lines.append(f"- **{title}:** {count}")
    lines.append("")
    for page in dict.fromkeys(claim["page"] for claim in claims):
        lines += [f"## [{sources.get(page, page)}]({posixpath.relpath(page, '.')})", ""]
        for claim in (c for c in claims if c["page"] == page):
            _, title = VERDICTS[claim["verdict"]]
            # Headings feed the table of contents, which MathJax does not typeset: the
            # heading is the claim's id in words, the claim itself (with math) follows.
            heading = claim["id"].replace("-", " ").capitalize()
            lines += [f"### {heading} {{ #{claim['id']} }}", "",
                      f"> {claim['claim'].strip()}", "",
                      f"**{title}.** {claim['finding'].strip()}", "",
                      f"Source: article `{claim['source']}`, section “{claim['section']}”. "
                      f"Test: `{claim['test']}`.", ""]
    return "\n".join(lines)


# ----------------------------------------------------------------------------- mkdocs hooks

_state = {}


def on_config(config):
    _state.clear()
    _state["render"] = os.environ.get("VG_RENDER", "on") != "off"
    return config


def _mathjax_root():
    spec = importlib.util.find_spec("mathjax")
    if spec is None or not spec.submodule_search_locations:
        raise PluginError("MathJax is missing: install django-static-mathjax "
                          "(pip install -r requirements.txt)")
    return Path(list(spec.submodule_search_locations)[0]) / "static" / "mathjax" / "es5"


def latest_manifests():
    """The newest cached manifest of each figure module, whatever its key (floor builds)."""
    manifests = {}
    for module in figure_modules():
        candidates = sorted(CACHE.glob(f"{module}-*/manifest.json"),
                            key=lambda path: path.stat().st_mtime)
        if candidates:
            manifests[module] = (candidates[-1].parent,
                                 json.loads(candidates[-1].read_text(encoding="utf-8")))
    return manifests


def on_files(files, config):
    _state["manifests"] = ensure_rendered() if _state["render"] else latest_manifests()
    _state["figures"], _state["values"] = {}, {}
    for folder, manifest in _state["manifests"].values():
        for name, meta in manifest["figures"].items():
            _state["figures"][name] = meta
            for theme in ("light", "dark") if _state["render"] else ():
                filename = f"{name}-{theme}.svg"
                files.append(File.generated(config, f"figures/{filename}",
                                            abs_src_path=str(folder / filename)))
        _state["values"].update(manifest["values"])

    mathjax = _mathjax_root()
    for part in MATHJAX_PARTS:
        source = mathjax / part
        for path in ([source] if source.is_file() else sorted(source.rglob("*.js")) +
                     sorted(source.rglob("*.woff"))):
            uri = f"assets/mathjax/{path.relative_to(mathjax).as_posix()}"
            files.append(File.generated(config, uri, abs_src_path=str(path)))

    claims = load_ledger()
    _state["claims"] = {claim["id"]: claim for claim in claims}
    titles = {file.src_uri: _page_title(file) for file in files.documentation_pages()}
    files.append(File.generated(config, "claims.md", content=claims_page(claims, titles)))
    return files


def _page_title(file):
    match = re.search(r"^#\s+(.+)$", Path(file.abs_src_path).read_text(encoding="utf-8"),
                      re.MULTILINE) if file.abs_src_path else None
    return match.group(1).strip() if match else file.src_uri


def caption_html(caption):
    """Escape a caption for HTML, turning each $…$ span into math that MathJax typesets."""
    parts = caption.split("$")
    if len(parts) % 2 == 0:
        raise PluginError(f"caption has an unmatched '$': {caption!r}")
    return "".join(html.escape(part) if index % 2 == 0 else
                   f'<span class="arithmatex">\\({html.escape(part)}\\)</span>'
                   for index, part in enumerate(parts))


def _figure_block(name, meta, number, page):
    caption = caption_html(meta["caption"])
    alt = html.escape(meta["alt"], quote=True)
    images = "\n".join(
        f'<img src="{get_relative_url(f"figures/{name}-{theme}.svg", page.url)}#only-{theme}" '
        f'alt="{alt}">' for theme in ("light", "dark"))
    code = "\n\n".join(
        f'    ```python title="{include}"\n    --8<-- "{include}"\n    ```'
        for include in meta["code"])
    return (f'<figure class="vg-figure" id="figure-{name}">\n{images}\n'
            f'<figcaption><strong>Figure {number}.</strong> {caption}</figcaption>\n</figure>\n\n'
            f'??? example "Code behind figure {number}"\n\n{code}\n')


def _placeholder(name, number):
    return f'<p class="vg-figure-off">Figure {number} ({name}): rendering is off.</p>\n'


def on_page_markdown(markdown, page, config, files):
    where = page.file.src_uri
    chapter = page.meta.get("chapter")
    counter = iter(range(1, 1000))
    claims_link = posixpath.relpath("claims.md", posixpath.dirname(where) or ".")

    def expand_claim(match):
        claim = _state["claims"].get(match.group(1))
        if claim is None:
            raise PluginError(f"{where}: unknown claim '{match.group(1)}' (not in claims.yml)")
        if claim["page"] != where:
            raise PluginError(f"{where}: claim '{claim['id']}' belongs to {claim['page']}")
        return claim_block(claim, claims_link)

    def expand_figure(match):
        name = match.group(1)
        index = next(counter)
        number = f"{chapter}.{index}" if chapter else str(index)
        meta = _state["figures"].get(name)
        if not _state["render"] and meta is None:
            return _placeholder(name, number)
        if meta is None:
            raise PluginError(f"{where}: unknown figure '{name}'; registered figures: "
                              f"{', '.join(sorted(_state['figures']))}")
        return _figure_block(name, meta, number, page)

    def expand_value(match):
        name = match.group(1)
        if not _state["render"] and name not in _state["values"]:
            return "…"
        if name not in _state["values"]:
            raise PluginError(f"{where}: unknown quoted value '{name}'; registered values: "
                              f"{', '.join(sorted(_state['values']))}")
        return _state["values"][name]

    markdown = CLAIM_LINE.sub(expand_claim, markdown)
    markdown = FIGURE_LINE.sub(expand_figure, markdown)
    markdown = VALUE.sub(expand_value, markdown)
    leftover = ANY_MARKER.search(markdown)
    if leftover:
        raise PluginError(f"{where}: malformed marker {leftover.group(0)!r} "
                          "(figure and claim markers stand alone on their line)")
    return markdown
