"""The one cache layer: content keys, verified entries, atomic publishing and pruning.

Everything the build computes — experiment results, figures, executed notebooks, notebook
pages, typeset math — is stored under one git-ignored folder (``.cache/``; ``VG_CACHE`` moves
it), one subfolder per kind, one entry per name and key:

    .cache/<kind>/<name>-<key>/            the entry's files, and
    .cache/<kind>/<name>-<key>/digests.json  the SHA-256 of each of them, written last

A key is a content hash (:func:`content_key`) of the source files an entry depends on —
followed through their ``snippets`` imports (:func:`source_dependencies`) — and of the
versions of Python and of the packages that can change it. An entry is written into a scratch
folder and renamed into place complete (:meth:`Store.publish`), so a reader never sees half an
entry; it is used only if every file matches its digest (:meth:`Store.verified`), and an entry
that does not is removed and made again. Publishing an entry removes the other keys of its
name (the code changed), and scratch folders older than an hour (a build that was killed).
"""

import ast
import contextlib
import fcntl
import functools
import hashlib
import importlib.metadata
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DIGESTS = "digests.json"
SCRATCH_PREFIX = ".scratch-"
STALE_SCRATCH_SECONDS = 3600  # a live build's scratch folders are younger than this
# Packages whose versions can change a computed result or a drawn figure.
VERSIONED = ("numpy", "matplotlib", "scikit-learn", "sympy")


def root():
    """The folder that holds every cache (``VG_CACHE``, default ``.cache`` in the checkout)."""
    return Path(os.environ.get("VG_CACHE", ROOT / ".cache"))


# ---------------------------------------------------------------------------- content keys

def module_file(dotted):
    """The source file of a dotted module name inside the repository, or None."""
    base = ROOT / dotted.replace(".", "/")
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


class SourceError(ValueError):
    """A snippets source file cannot be read as Python; the message names it and the line."""


@functools.cache
def _imported_snippets(path, modified, size):
    # Keyed by the file's version: parsed once, although most modules share dependencies.
    names = set()
    try:
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    except (SyntaxError, UnicodeDecodeError) as error:
        where = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
        line = f", line {error.lineno}" if getattr(error, "lineno", None) else ""
        reason = error.msg if isinstance(error, SyntaxError) else "not UTF-8 text"
        raise SourceError(f"{where}{line}: {reason}") from None
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return {name for name in names if name == "snippets" or name.startswith("snippets.")}


def source_dependencies(path):
    """Every snippets source file that the Python file at ``path`` imports, transitively
    (``path`` itself included). Absolute paths."""
    pending, found = [Path(path)], {Path(path)}
    while pending:
        current = pending.pop()
        status = current.stat()
        for name in _imported_snippets(current, status.st_mtime_ns, status.st_size):
            dependency = module_file(name)
            if dependency is not None and dependency not in found:
                found.add(dependency)
                pending.append(dependency)
    return found


def relative_dependencies(path):
    """:func:`source_dependencies` as paths relative to the repository root (a file outside
    it, such as a test's own module, by its absolute path)."""
    return {(found.relative_to(ROOT) if found.is_relative_to(ROOT) else found).as_posix()
            for found in source_dependencies(path)}


def content_key(relative_paths, packages=VERSIONED):
    """Content hash of the files at ``relative_paths`` (relative to the repository root, or
    absolute), the versions of ``packages`` and of Python."""
    digest = hashlib.sha256()
    for relative in sorted(relative_paths):
        digest.update(relative.encode() + b"\0" + (ROOT / relative).read_bytes() + b"\0")
    for package in packages:
        digest.update(f"{package}=={importlib.metadata.version(package)}\0".encode())
    digest.update(sys.version.encode())
    return digest.hexdigest()[:16]


# ---------------------------------------------------------------------------- entries

def file_digests(folder):
    """{relative path: SHA-256} of every file under ``folder`` except the digests file."""
    return {path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(folder.rglob("*"))
            if path.is_file() and path.name != DIGESTS}


class Store:
    """One kind of cached entry: ``<cache root>/<kind>/<name>-<key>/``."""

    def __init__(self, kind, folder=None):
        self.kind = kind
        self._folder = folder

    @property
    def folder(self):
        return Path(self._folder) if self._folder is not None else root() / self.kind

    def entry(self, name, key):
        return self.folder / f"{name}-{key}"

    def verified(self, entry):
        """True if ``entry`` exists and every file in it matches its recorded digest (and no
        file was added or removed)."""
        try:
            recorded = json.loads((entry / DIGESTS).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return False
        try:
            return isinstance(recorded, dict) and recorded == file_digests(entry)
        except OSError:
            return False

    def usable(self, entry, log=None):
        """True if ``entry`` is verified; an entry that exists but is not is removed (and, with
        a ``log``, reported at INFO level), so that it is made again."""
        if self.verified(entry):
            return True
        if entry.exists():
            if log is not None:
                log.info("%s cache: %s is corrupt or incomplete; making it again",
                         self.kind, entry.name)
            shutil.rmtree(entry, ignore_errors=True)
        return False

    def scratch(self):
        """A fresh, empty scratch folder inside this store, for one entry being made."""
        self.folder.mkdir(parents=True, exist_ok=True)
        return Path(tempfile.mkdtemp(prefix=SCRATCH_PREFIX, dir=self.folder))

    def publish(self, scratch, entry, replaces_other_keys=True):
        """Record the digests of ``scratch``'s files and rename it to ``entry`` in one step.
        The other keys of the entry's name are removed (unless ``replaces_other_keys`` is
        false: entries named by their content alone). If another process published the same
        entry meanwhile, its copy is kept and ``scratch`` removed."""
        (scratch / DIGESTS).write_text(json.dumps(file_digests(scratch), indent=1,
                                                  sort_keys=True), encoding="utf-8")
        if entry.exists() and self.verified(entry):
            shutil.rmtree(scratch, ignore_errors=True)
            return entry
        shutil.rmtree(entry, ignore_errors=True)
        name = entry.name.rsplit("-", 1)[0]
        for stale in self.folder.glob(f"{name}-*") if replaces_other_keys else ():
            if stale != entry and stale.name.rsplit("-", 1)[0] == name:
                shutil.rmtree(stale, ignore_errors=True)
        try:
            os.replace(scratch, entry)
        except OSError:  # published by another process between the check and the rename
            shutil.rmtree(scratch, ignore_errors=True)
        return entry

    def prune(self, wanted=None, unused_for=None):
        """Remove scratch folders left by killed builds and, given the set of ``wanted`` entry
        names, every entry that is not one of them; given ``unused_for`` (seconds), every
        entry not used for that long (see :meth:`used`)."""
        if not self.folder.is_dir():
            return
        now = time.time()
        for path in self.folder.iterdir():
            try:
                age = now - path.stat().st_mtime
            except OSError:
                continue
            if path.name.startswith("."):
                if path.name.startswith(SCRATCH_PREFIX) and age > STALE_SCRATCH_SECONDS:
                    shutil.rmtree(path, ignore_errors=True)
            elif path.is_dir() and ((wanted is not None and path.name not in wanted)
                                    or (unused_for is not None and age > unused_for)):
                shutil.rmtree(path, ignore_errors=True)

    @staticmethod
    def used(entry):
        """Mark ``entry`` as used now (for ``prune(unused_for=…)``)."""
        with contextlib.suppress(OSError):
            os.utime(entry)

    @contextlib.contextmanager
    def lock(self, name):
        """Hold an exclusive lock on ``name`` across processes: two processes that need the
        same entry make it once, the second waiting and then reading it."""
        self.folder.mkdir(parents=True, exist_ok=True)
        with open(self.folder / f".lock-{name}", "a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)
