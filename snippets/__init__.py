"""Tested code behind every figure and quoted number of the site, in three layers that import
only downwards: ``snippets.core`` (pure-numpy computations), ``snippets.experiments`` (one
module per experiment, its seeds and sizes at the top), ``snippets.figures`` (builders and
quoted values drawn from the experiments)."""
