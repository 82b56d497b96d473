"""Tested computations behind every figure and quoted number of the site.

Computation modules (``activations``, ``gradient_chain``, ``dead_units`` …) are pure numpy.
Plotting lives in :mod:`snippets.figures`, which only turns their results into figures.
"""
