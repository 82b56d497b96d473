"""The home page's experiment (snippets/experiments/home/gradient_by_initialisation.py): it
agrees with chapter 4's harness where the two meet, and the story the home page's caption
tells holds in its numbers. The figure itself is checked in Chromium
(tests/test_browser_home.py)."""

import numpy as np
import pytest

from snippets.experiments.dying_relus.gradient_flow import gradient_flow
from snippets.experiments.home.gradient_by_initialisation import (
    ACTIVATIONS,
    INITIALISATIONS,
    gradient_by_initialisation,
)


def _first_layer(activation, initialisation):
    return gradient_by_initialisation()[activation][initialisation][0]


def test_three_pairings_match_chapter_four_harness():
    """A second computation: chapter 4's experiment (a ratio of geometric means over seeds)
    and the home page's (the geometric mean of per-seed ratios) agree where they meet."""
    flows = gradient_flow()
    for label, (activation, initialisation) in {
            "sigmoid, Xavier": ("sigmoid", "Xavier"), "tanh, Xavier": ("tanh", "Xavier"),
            "ReLU, He": ("ReLU", "He")}.items():
        np.testing.assert_allclose(gradient_by_initialisation()[activation][initialisation],
                                   flows[label] / flows[label][-1], rtol=1e-9)


def test_every_curve_is_relative_to_the_top_layer():
    results = gradient_by_initialisation()
    assert list(results) == list(ACTIVATIONS)
    for runs in results.values():
        assert list(runs) == list(INITIALISATIONS)
        for ratios in runs.values():
            assert ratios[-1] == pytest.approx(1.0)


def test_the_caption_story_holds():
    # The sigmoid loses the error whatever the initialisation (by more than ten decades).
    assert all(_first_layer("sigmoid", name) < 1e-10 for name in INITIALISATIONS)
    # tanh keeps it with Xavier, loses it with the standard scale, and He makes it grow.
    assert 0.05 < _first_layer("tanh", "Xavier") <= 1.0
    assert _first_layer("tanh", "standard") < 1e-6
    assert _first_layer("tanh", "He") > 1.0
    # ReLU keeps it only with He.
    assert 0.3 < _first_layer("ReLU", "He") < 3.0
    assert _first_layer("ReLU", "Xavier") < 1e-4 and _first_layer("ReLU", "standard") < 1e-6
