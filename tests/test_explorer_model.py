"""The explorer's words against its own numbers: the published assets/explorer-model.js (what
the page says about a grid point) runs under the project's pinned Node.js on the published
grid, for every grid point and a few depths, and each direction it states ("shrinks", "grows",
"keeps its size") and each power of ten it prints is checked against totals computed here, in
Python, from the experiment.

The script's own mean field — χ₁, its phase and the critical σ_w² that the page shows beside
the controls — runs under Node.js in the fast tier on the grid's settings alone (no networks,
no built site), against snippets/core/mean_field.py at every point of the grid."""

import json
import math
import re
import subprocess
from pathlib import Path

import numpy as np
import pytest

from sitebuild.typeset_math import node_executable
from snippets.core import mean_field
from snippets.experiments.edge_of_chaos import explorer
from snippets.figures.edge_of_chaos.explorer import BAND, explorer_settings, totals

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


MODEL = Path(__file__).resolve().parent.parent / "docs" / "assets" / "explorer-model.js"

MEAN_FIELD_RUNNER = """
const model = require(process.argv[1]);
const grid = JSON.parse(require("fs").readFileSync(0, "utf8"));
const out = { chi: [], critical: [] };
for (const a of grid.activations) {
  for (const bias of grid.biasVariances) {
    out.critical.push({ activation: a.name, bias, found: model.critical(grid, a.name, bias) });
    for (const weight of grid.weightVariances) {
      const chi = model.chi1(grid, a.name, weight, bias);
      const phase = model.phase(grid, chi);
      out.chi.push({ activation: a.name, bias, weight, chi, phase: phase.name,
        depthScale: String(phase.depthScale) });
    }
  }
}
process.stdout.write(JSON.stringify(out));
"""


@pytest.fixture(scope="module")
def script_mean_field():
    """χ₁, phase and critical σ_w² as the page's script computes them, at every point of the
    grid, from the settings the data file carries (fast tier: no networks are run)."""
    done = subprocess.run([node_executable(), "-e", MEAN_FIELD_RUNNER, str(MODEL)],
                          input=json.dumps(explorer_settings()), capture_output=True, text=True,
                          check=True, timeout=300)
    return json.loads(done.stdout)


def _phase(chi):
    """The phase as the page names it: critical when the depth scale 1/|ln χ₁| reaches the
    grid's depth, so that χ₁ alone moves the squared gradient by less than a factor e."""
    return ("critical" if abs(math.log(chi)) <= 1 / explorer.DEPTH
            else "ordered" if chi < 1 else "chaotic")


def test_the_script_computes_chi_1_and_its_phase_as_the_python_mean_field(script_mean_field):
    """At every activation, σ_b² and σ_w² of the grid, the script's χ₁ agrees with
    mean_field.chi_1 to 1e-9 and its phase with χ₁'s side of 1; all three phases occur."""
    phases = set()
    for point in script_mean_field["chi"]:
        expected = mean_field.chi_1(point["activation"], point["weight"], point["bias"])
        assert point["chi"] == pytest.approx(expected, rel=1e-9, abs=1e-12), point
        if abs(abs(math.log(expected)) - 1 / explorer.DEPTH) > 1e-6:  # not on the boundary
            assert point["phase"] == _phase(expected), (point, expected)
        phases.add(point["phase"])
    assert phases == {"ordered", "critical", "chaotic"}
    assert len(script_mean_field["chi"]) == len(explorer.ACTIVATION_NAMES) \
        * len(explorer.BIAS_VARIANCES) * len(explorer.weight_variances())


def test_the_script_finds_each_critical_weight_variance_and_its_place_on_the_slider(
        script_mean_field):
    """For every activation and σ_b²: the script's σ_w² with χ₁ = 1 agrees with
    mean_field.critical_weight_variance, and its place on the slider (a fractional index of
    the grid's σ_w², log-linear between neighbours) with numpy's interpolation."""
    values = np.array(explorer_settings()["weightVariances"])
    assert len(script_mean_field["critical"]) == len(explorer.ACTIVATION_NAMES) \
        * len(explorer.BIAS_VARIANCES)
    for item in script_mean_field["critical"]:
        expected = mean_field.critical_weight_variance(item["activation"], item["bias"])
        found = item["found"]
        assert found is not None and values[0] < expected < values[-1], item
        # tanh without biases touches χ₁ = 1 at a double root, found to ~1e-8 by both
        assert found["value"] == pytest.approx(expected, rel=1e-6), (item, expected)
        index = np.interp(math.log(expected), np.log(values), np.arange(values.size))
        assert found["index"] == pytest.approx(index, abs=1e-5), (item, index)
        assert found["position"] == pytest.approx(index / (values.size - 1), abs=1e-6)


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
    steps; χ₁ and its phase against mean_field.chi_1."""
    grid = explorer.explorer_grid()
    checked, chis = 0, {}
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
        key = state["activation"], state["bias"], state["weight"]
        if key not in chis:
            chis[key] = mean_field.chi_1(state["activation"],
                                         explorer.weight_variances()[state["weight"]],
                                         explorer.BIAS_VARIANCES[state["bias"]])
        chi = chis[key]
        match = re.search(r"χ₁ = ([\d.]+), (ordered phase|critical: the edge of chaos|"
                          r"chaotic phase)\.", sentence)
        assert match and float(match[1]) == pytest.approx(chi, rel=5e-3), (state, chi, sentence)
        assert match[2].startswith(_phase(chi)), (state, chi, sentence)
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
