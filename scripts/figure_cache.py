"""The figure cache: every figure module rendered (light and dark SVG, quoted values) into a
git-ignored folder keyed by a hash of the code and packages it depends on.

    python -m scripts.figure_cache          # render whatever is stale, print what it did

``.cache/artifacts/<figure module>-<key>/`` holds a module's SVGs and ``manifest.json`` (alt
texts, captions, code sections, quoted values, and the SHA-256 of every file). The key covers
the figure module, every ``snippets`` module it imports (followed transitively), the renderer,
and the versions of Python and of every third-party package that can change the output, so an
edited snippet re-renders only the figure modules that depend on it. Renders run in fresh
interpreters, two at a time, each with a timeout; the first failure stops the build. A folder
whose manifest or files do not match their recorded hashes is rendered again, never served.
"""

import ast
import concurrent.futures
import functools
import hashlib
import importlib.metadata
import json
import logging
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIGURE_PACKAGE = ROOT / "snippets" / "figures"
# VG_CACHE moves the cache (the benchmark and the tests use their own, empty ones).
CACHE = Path(os.environ.get("VG_CACHE", ROOT / ".cache" / "artifacts"))
ALWAYS_DEPENDS = ("snippets/figures/render.py", "snippets/figures/registry.py",
                  "snippets/figures/style.py")
VERSIONED = ("numpy", "matplotlib", "scikit-learn", "sympy")
RENDER_TIMEOUT = float(os.environ.get("VG_RENDER_TIMEOUT", 600))  # seconds per module
WORKERS = 2

log = logging.getLogger("mkdocs.hooks.figures")
current_build = {}  # module → (folder, manifest), filled by the figures hook for the markers hook


class RenderError(RuntimeError):
    """A figure module failed, timed out, or left no valid output; the message names it."""


# ---------------------------------------------------------------------------- dependencies

def figure_modules():
    """Dotted names of the figure modules: snippets/figures/<chapter>/<module>.py."""
    return [".".join(path.relative_to(ROOT).with_suffix("").parts)
            for path in sorted(FIGURE_PACKAGE.glob("*/*.py")) if not path.stem.startswith("_")]


def _module_file(dotted):
    base = ROOT / dotted.replace(".", "/")
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


@functools.lru_cache(maxsize=None)
def _imported_snippets(path, modified, size):
    # Keyed by the file's version: parsed once, although most modules share dependencies.
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
    pending, found = [module], {_module_file(module)}
    while pending:
        path = _module_file(pending.pop())
        status = path.stat()
        for name in _imported_snippets(path, status.st_mtime_ns, status.st_size):
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


_running = set()
_running_lock = threading.Lock()


def _stop_all():
    """Kill every render process still running (each leads its own process group)."""
    with _running_lock:
        for process in _running:
            try:
                os.killpg(process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass


def render(module, target):
    """Render ``module`` into ``target`` through a fresh interpreter; atomic on success."""
    CACHE.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix=f".{module}-", dir=CACHE))
    try:
        process = subprocess.Popen(
            [sys.executable, "-m", "snippets.figures.render", module, str(scratch)], cwd=ROOT,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            env=render_environment(), start_new_session=True)
        with _running_lock:
            _running.add(process)
        try:
            _, stderr = process.communicate(timeout=RENDER_TIMEOUT)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            raise RenderError(f"{module}: rendering took longer than {RENDER_TIMEOUT:g} s "
                              f"(set VG_RENDER_TIMEOUT to allow more)") from None
        finally:
            with _running_lock:
                _running.discard(process)
        if process.returncode != 0:
            lines = stderr.strip().splitlines()
            reason = lines[-1] if lines else f"exit status {process.returncode}"
            raise RenderError(f"{module}: {reason}\n{stderr.strip()}")
        if not verified(scratch):
            raise RenderError(f"{module}: the render left no valid manifest")
        if target.exists():  # another build rendered the same code meanwhile: keep its copy
            return
        for stale in CACHE.glob(f"{module}-*"):
            shutil.rmtree(stale, ignore_errors=True)
        os.replace(scratch, target)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def read_manifest(folder):
    """The manifest of a rendered folder, or None if it is missing or unreadable."""
    try:
        return json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def verified(folder):
    """True if the folder's manifest parses and every file it lists has its recorded hash."""
    manifest = read_manifest(folder)
    if not isinstance(manifest, dict) or not isinstance(manifest.get("files"), dict):
        return False
    for name, digest in manifest["files"].items():
        try:
            if hashlib.sha256((folder / name).read_bytes()).hexdigest() != digest:
                return False
        except OSError:
            return False
    return True


def _remove_scratch():
    # Scratch folders of builds that were killed mid-way (no live build owns them any more
    # once they are an hour old; a concurrent build's are younger).
    import time
    for scratch in CACHE.glob(".snippets.*"):
        if time.time() - scratch.stat().st_mtime > 3600:
            shutil.rmtree(scratch, ignore_errors=True)


def ensure_rendered():
    """Render what is stale or corrupt and return {module: (folder, manifest)} for every
    figure module. Raises RenderError naming the first module that fails."""
    folders = {module: CACHE / f"{module}-{artifact_key(module)}" for module in figure_modules()}
    if CACHE.is_dir():
        _remove_scratch()
    stale = []
    for module, folder in folders.items():
        if folder.exists() and not verified(folder):
            log.warning("figure cache: %s is corrupt or incomplete; rendering it again",
                        folder.name)
            shutil.rmtree(folder, ignore_errors=True)
        if not folder.exists():
            stale.append(module)
    if stale:
        log.info("rendering figures of %s", ", ".join(stale))
        with concurrent.futures.ThreadPoolExecutor(max_workers=WORKERS) as pool:
            futures = [pool.submit(render, module, folders[module]) for module in stale]
            done, _ = concurrent.futures.wait(futures,
                                              return_when=concurrent.futures.FIRST_EXCEPTION)
            failed = [future for future in done if future.exception() is not None]
            if failed:
                for future in futures:
                    future.cancel()
                _stop_all()
                raise failed[0].exception()
    return {module: (folder, read_manifest(folder)) for module, folder in folders.items()}


def main():
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    try:
        rendered = ensure_rendered()
    except RenderError as error:
        print(error, file=sys.stderr)
        return 1
    for module, (folder, manifest) in rendered.items():
        print(f"{module:60s} {len(manifest['figures']):2d} figures "
              f"{len(manifest['values']):2d} values  {folder.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
