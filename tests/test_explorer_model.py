"""The explorer's words against its own numbers: the published assets/explorer-model.js (what
the page says about a grid point) runs under the project's pinned Node.js on the published
grid, for every grid point and a few depths, and each direction it states ("shrinks", "grows",
"keeps its size") and each power of ten it prints is checked against totals computed here, in
Python, from the experiment."""

import json
import math
import re
import subprocess

import numpy as np
import pytest

from sitebuild.typeset_math import node_executable
from snippets.experiments.edge_of_chaos import explorer
from snippets.figures.edge_of_chaos.explorer import BAND, totals

DEPTHS = (2, 17, explorer.DEPTH)
LEVEL = 0.3  # decades: within a factor 2 the page calls a change level
ROUNDING = 0.06  # decades: printed to a tenth, from sums exact to a hundredth
SUPERSCRIPT = str.maketrans("-.0123456789", "⁻·⁰¹²³⁴⁵⁶⁷⁸⁹")

RUNNER = """
const model = require(process.argv[1]);
const grid = JSON.parse(require("fs").readFileSync(0, "utf8"));
const depths = JSON.parse(process.argv[2]);
const out = [];
for (const a of grid.activations) {
  grid.biasVariances.forEach((_, bias) => {
    grid.weightVariances.forEach((_, weight) => {
      for (const depth of depths) {
        const state = { activation: a.name, bias, weight, depth };
        out.push({ state, sentence: model.sentence(grid, state, model.selection(grid, state)) });
      }
    });
  });
}
process.stdout.write(JSON.stringify(out));
"""


@pytest.fixture(scope="module")
def sentences(built_site):
    """What the page says about every point: the published model script run on the published
    grid (the site tier: the grid is the build's, so the test reads what readers get)."""
    grid = (built_site / "figures" / "edge-of-chaos-explorer.json").read_text(encoding="utf-8")
    model = built_site / "assets" / "explorer-model.js"
    done = subprocess.run([node_executable(), "-e", RUNNER, str(model), json.dumps(DEPTHS)],
                          input=grid, capture_output=True, text=True, check=True, timeout=120)
    return json.loads(done.stdout)


def _word(change):
    return "shrinks" if change < -LEVEL else "grows" if change > LEVEL else "keeps its size"


def _power(exponent):
    """10 to a power as the page prints it: a tenth below 10 decades, whole beyond."""
    text = f"{exponent:.1f}".removesuffix(".0") if abs(exponent) < 10 else f"{exponent:.0f}"
    return "10" + ("0" if text == "-0" else text).translate(SUPERSCRIPT)


def _partial_totals(run, depth):
    """The four totals of :func:`totals` over the top ``depth`` layers, in Python."""
    part = {key: value[:depth] for key, value in run.items() if key.startswith("step")}
    return totals(part)


def test_every_grid_point_and_depth_has_a_sentence(sentences):
    expected = len(explorer.ACTIVATION_NAMES) * len(explorer.BIAS_VARIANCES) \
        * len(explorer.weight_variances()) * len(DEPTHS)
    assert len(sentences) == expected


def test_each_stated_direction_and_power_matches_the_experiment(sentences):
    """For every grid point and depth: the prediction's, the mean's and the typical network's
    direction words agree with the sign of the totals computed here (except within rounding
    of the ±0.3-decade threshold), and the printed powers within the rounding of the stored
    steps."""
    grid = explorer.explorer_grid()
    checked = 0
    for item in sentences:
        state, sentence = item["state"], item["sentence"]
        run = grid[state["activation"], explorer.BIAS_VARIANCES[state["bias"]],
                   float(explorer.weight_variances()[state["weight"]])]
        mean, typical, spread, predicted = _partial_totals(run, state["depth"])
        found = {
            "predicted": r"predicts that the mean squared gradient (shrinks|grows|keeps its size)"
                         r" from layer \d+ to layer 0 \((10[⁻·⁰¹²³⁴⁵⁶⁷⁸⁹]+)\)",
            "mean": r"networks it (shrinks|grows|keeps its size) \((10[⁻·⁰¹²³⁴⁵⁶⁷⁸⁹]+)\)",
            "typical": r"A typical network's gradient (shrinks|grows|keeps its size) "
                       r"\((10[⁻·⁰¹²³⁴⁵⁶⁷⁸⁹]+);",
        }
        for key, value in (("predicted", predicted), ("mean", mean), ("typical", typical)):
            match = re.search(found[key], sentence)
            assert match, (state, key, sentence)
            word, printed = match.groups()
            if abs(abs(value) - LEVEL) > ROUNDING:
                assert word == _word(value), (state, key, value, sentence)
                checked += 1
            close = {_power(value + delta) for delta in (-0.02, 0.0, 0.02)}
            assert printed in close, (state, key, value, printed)
        low, high = typical - BAND * spread, typical + BAND * spread
        assert re.search(r"between (10\S+) and (10\S+)\)", sentence), sentence
        assert not math.isnan(low + high)
    assert checked > 0.9 * 3 * len(sentences)


def test_the_relu_critical_point_shows_the_finite_width_gap(sentences):
    """At He's σ_w² = 2 without biases the prediction is level while a typical network's
    gradient shrinks: the sentence says both."""
    weight = int(np.flatnonzero(np.isclose(explorer.weight_variances(), 2.0))[0])
    [sentence] = [s["sentence"] for s in sentences
                  if s["state"] == {"activation": "relu", "bias": 0, "weight": weight,
                                    "depth": explorer.DEPTH}]
    assert "mean squared gradient keeps its size" in sentence
    assert "A typical network's gradient shrinks" in sentence
