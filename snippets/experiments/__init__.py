"""Experiments: one module per experiment, numpy only. Its constants (seeds, sizes, learning
rates) sit at the top; its functions run it and return plain arrays, dicts or dataclasses, once
per process (``@experiment``). Tests, notebooks and figure builders import them; the page shows
the whole module under the figure that draws it."""

import functools


def experiment(function):
    """Mark a zero-argument experiment: it runs once per process, later calls reuse its result
    (callers must not modify what it returns)."""
    return functools.cache(function)
