"""Experiments: one module per experiment, numpy only. Its constants (seeds, sizes, learning
rates) sit at the top; its zero-argument functions decorated with ``@experiment`` run it and
return plain arrays, dicts or dataclasses. Tests, notebooks and figure builders import them;
the page shows the whole module under the figure that draws it.

An experiment runs once per change of its code, not once per process: its result is stored in
the cache (``.cache/experiments/``, see sitebuild/cache.py), keyed by the experiment module
and every ``snippets`` module it imports, transitively, and by the versions of Python and of
the numerical packages. The build's figure renders, the tests and the notebooks then read the
same result; two processes that need it at once compute it once (a lock per experiment).
No experiment times the machine: a timing is a recorded measurement (chapter 1's activation
costs, ``make costs``), so every result is a function of the code alone.

``VG_EXPERIMENT_LOG=<file>`` appends a line per computation (not per cached read) to that
file, so that a test run can count how often each experiment was computed.
"""

import functools
import logging
import os
import pickle
import sys
from pathlib import Path

log = logging.getLogger("mkdocs.plugins.executed.experiments")
RESULT = "result.pickle"


def experiment(function):
    """Mark a zero-argument experiment function. Its result is computed once per change of its
    code and cached across processes. Callers must not modify what it returns."""

    @functools.cache  # within a process, the first read is kept
    @functools.wraps(function)
    def cached():
        return _read_or_compute(function)
    return cached


def _qualified_name(function):
    return f"{function.__module__}.{function.__qualname__}"


def _logged(function):
    @functools.wraps(function)
    def compute():
        path = os.environ.get("VG_EXPERIMENT_LOG")
        if path:
            with open(path, "a", encoding="utf-8") as handle:
                handle.write(f"{_qualified_name(function)} {os.getpid()}\n")
        return function()
    return compute


def _read_or_compute(function):
    from sitebuild import cache  # the build's cache layer, installed with the project

    store = cache.Store("experiments")
    name = _qualified_name(function)
    source = Path(sys.modules[function.__module__].__file__)
    key = cache.content_key(cache.relative_dependencies(source))
    entry = store.entry(name, key)
    if store.usable(entry, log):
        return _load(entry)
    with store.lock(name):
        if store.usable(entry, log):  # computed by another process while this one waited
            return _load(entry)
        result = _logged(function)()
        scratch = store.scratch()
        with open(scratch / RESULT, "wb") as handle:
            pickle.dump(result, handle, protocol=pickle.HIGHEST_PROTOCOL)
        store.publish(scratch, entry)
    return result


def _load(entry):
    # The entry's digests were checked by the caller; it was written by this code.
    with open(entry / RESULT, "rb") as handle:
        return pickle.load(handle)
