"""What each chapter's training-lab preset shows, decided over seeds under the pinned Node.js.

The chapters embed the lab (docs/assets/lab/) with presets and say what to look for. Each
statement is checked here on the published scripts: every preset trains for its stopAfter
epochs from SEEDS seeds, and the outcome must hold in the preset's own seed, in every seed (or
most, where the chapter says so) and with a margin — the mean of the statistic (its log10 for
ratios of gradients) two standard deviations (two standard errors for "most") from the bound.
The browser test (tests/test_browser_lab.py) runs the preset's own seed in Chromium, checks
that its run is this one bit for bit, and applies the same bounds. The model itself is checked
against snippets/core/networks.py in tests/test_lab_model.py. Fast tier: no site is built."""

import json
import math
import subprocess
from pathlib import Path

import numpy as np
import pytest

from sitebuild.typeset_math import node_executable
from snippets.experiments.edge_of_chaos import trainability
from snippets.figures.lab.digits import lab_digits

ASSETS = Path(__file__).resolve().parent.parent / "docs" / "assets" / "lab"
PRESET_SEED = 1      # model.js's DEFAULTS.seed: a preset's own run, unless it sets another
SEEDS = range(PRESET_SEED, PRESET_SEED + 6)
CHANCE = 0.1


def first_layer_slowdown(report):
    """The last hidden layer's speed of learning over the first's (Nielsen's ratio)."""
    speeds = report["speeds"]
    return speeds[-2] / speeds[0] if speeds[0] > 0 else math.inf


def inactive_share(report):
    """Mean share of weak (saturated or inactive) units over the hidden layers."""
    return float(np.mean(report["weak"]))


def accuracy(report):
    return report["heldOutAccuracy"] if not report["diverged"] else CHANCE


# preset → [(what the chapter says, statistic, "at least" or "at most", bound, log scale,
# share of the seeds in which it must hold)]. Now and then a deep network at the edge of chaos
# stalls within the figure's budget (about one seed in ten): there the chapter says "most".
OUTCOMES = {
    "ch2-sigmoid": [("the first hidden layer learns far slower than the last",
                     first_layer_slowdown, "at least", 20.0, True, 1.0),
                    ("and the accuracy hardly moves", accuracy, "at most", 0.2, False, 1.0)],
    "ch2-relu-he": [("with ReLU and He the first layer is no longer the slowest",
                     first_layer_slowdown, "at most", 1.0, True, 1.0),
                    ("and the network learns", accuracy, "at least", 0.5, False, 1.0)],
    "ch3-standard": [("the gradient shrinks from the output down to the first layer",
                      first_layer_slowdown, "at least", 10.0, True, 1.0),
                     ("and the network stays near chance", accuracy, "at most", 0.2, False, 1.0)],
    "ch3-xavier": [("Xavier's initialisation keeps the first layer learning",
                    first_layer_slowdown, "at most", 1.0, True, 1.0),
                   ("and the network learns", accuracy, "at least", 0.5, False, 1.0)],
    "ch4-dying": [("a large learning rate switches most units off in the first epoch",
                   inactive_share, "at least", 0.85, False, 1.0),
                  ("and the network stays near chance", accuracy, "at most", 0.2, False, 1.0)],
    "ch4-gentle": [("a smaller rate keeps about half the units active",
                    inactive_share, "at most", 0.7, False, 1.0),
                   ("(about half: not most of them inactive, nor almost none)",
                    inactive_share, "at least", 0.3, False, 1.0),
                   ("and the network learns", accuracy, "at least", 0.5, False, 1.0)],
    "ch4-leaky": [("leaky ReLU does not rescue the large rate", accuracy, "at most", 0.25,
                   False, 1.0)],
    "ch5-critical": [("at the edge of chaos the deep network trains, in most seeds", accuracy,
                      "at least", 0.5, False, 0.8),
                     ("the gradient reaches the first layer without vanishing",
                      first_layer_slowdown, "at most", 10.0, True, 1.0),
                     ("or exploding", first_layer_slowdown, "at least", 0.02, True, 1.0)],
    "ch5-ordered": [("in the ordered phase it stays far below", accuracy, "at most", 0.35,
                     False, 1.0),
                    ("the gradient dies away on its way down", first_layer_slowdown,
                     "at least", 100.0, True, 1.0)],
    "ch5-chaotic": [("in the chaotic phase too", accuracy, "at most", 0.4, False, 1.0),
                    ("and many tanh units saturate", inactive_share, "at least", 0.25, False,
                     1.0)],
    "ch6-plain": [("a plain 30-layer sigmoid network's first layer gets almost no gradient",
                   first_layer_slowdown, "at least", 1e6, True, 1.0),
                  ("and it stays near chance", accuracy, "at most", 0.2, False, 1.0)],
    "ch6-residual": [("with residual connections the first layer learns",
                      first_layer_slowdown, "at most", 1.0, True, 1.0),
                     ("and the network trains", accuracy, "at least", 0.4, False, 1.0)],
    "ch6-layer-norm": [("layer normalisation alone does not carry the gradient down",
                        first_layer_slowdown, "at least", 1e6, True, 1.0),
                       ("and the network stays near chance", accuracy, "at most", 0.2, False,
                        1.0)],
    "ch6-both": [("residual connections with layer normalisation train",
                  accuracy, "at least", 0.4, False, 1.0)],
}

RUNNER = """
import { pathToFileURL } from "node:url";
import { readFileSync } from "node:fs";
const model = await import(pathToFileURL(process.argv[1] + "/model.js").href);
const { PRESETS } = await import(pathToFileURL(process.argv[1] + "/presets.js").href);
const job = JSON.parse(readFileSync(0, "utf8"));
const data = model.decodeDigits(job.digits);
const out = {};
for (const id of job.presets) {
  out[id] = { settings: model.normaliseSettings(PRESETS[id].settings), runs: [] };
  for (const seed of job.seeds) {
    const trainer = new model.Trainer({ ...out[id].settings, seed }, data);
    const before = trainer.report();
    trainer.step();
    const afterOne = trainer.report();
    while (!trainer.finished) trainer.step();
    const report = trainer.report();
    // the final report, and all three for tests/test_browser_lab.py to compare the page with
    out[id].runs.push({ ...report, reports: [before, afterOne, report] });
  }
}
process.stdout.write(JSON.stringify(out));
"""


def run_presets(presets, seeds):
    job = {"presets": list(presets), "seeds": list(seeds), "digits": lab_digits()}
    done = subprocess.run([node_executable(), "--input-type=module", "-e", RUNNER, str(ASSETS)],
                          input=json.dumps(job), capture_output=True, text=True, check=True,
                          timeout=600)
    return json.loads(done.stdout)


@pytest.fixture(scope="module")
def runs():
    return run_presets(OUTCOMES, SEEDS)


def holds(value, side, bound):
    return value >= bound if side == "at least" else value <= bound


@pytest.mark.parametrize("preset", list(OUTCOMES))
def test_every_preset_stops_by_itself_and_starts_from_the_first_seed(runs, preset):
    assert runs[preset]["settings"]["stopAfter"] > 0
    assert runs[preset]["settings"]["seed"] == PRESET_SEED


@pytest.mark.parametrize("preset,outcome", [(p, o) for p, outcomes in OUTCOMES.items()
                                            for o in outcomes],
                         ids=[f"{p}-{i}" for p, outcomes in OUTCOMES.items()
                              for i in range(len(outcomes))])
def test_preset_shows_what_its_chapter_says_in_every_seed_with_a_margin(runs, preset, outcome):
    what, statistic, side, bound, logarithmic, quota = outcome
    values = np.array([statistic(run) for run in runs[preset]["runs"]], dtype=float)
    assert holds(values[0], side, bound), ("the preset's own seed", preset, what, values)
    assert np.mean([holds(v, side, bound) for v in values]) >= quota, (preset, what, values)
    finite = values[np.isfinite(values)]
    scaled = np.log10(finite) if logarithmic else finite
    limit = math.log10(bound) if logarithmic else bound
    sign = 1 if side == "at least" else -1
    # A claim about every seed keeps its mean two standard deviations from the bound; a claim
    # about most seeds is a claim about the mean, kept two standard errors from it.
    spread = scaled.std(ddof=1) / (1.0 if quota == 1.0 else math.sqrt(len(scaled)))
    if len(scaled) > 1:  # an infinite ratio (a first layer with no gradient) only helps
        assert holds(scaled.mean() - sign * 2 * spread, side, limit), (preset, what, values)


@pytest.mark.parametrize("preset", ["ch5-critical", "ch5-ordered", "ch5-chaotic"])
def test_chapter_5_presets_train_as_the_trainability_figure_did(runs, preset):
    """Chapter 5 says its lab has the trainability figure's width, biases and training."""
    settings = runs[preset]["settings"]
    assert (settings["activation"], settings["width"], settings["init"]) == \
        (trainability.ACTIVATION, trainability.WIDTH, "variance")
    assert settings["biasStd"] ** 2 == pytest.approx(trainability.BIAS_VARIANCE, rel=1e-5)
    assert (settings["learningRate"], settings["batchSize"], settings["stopAfter"]) == \
        (trainability.LEARNING_RATE, trainability.BATCH_SIZE, trainability.EPOCHS)
    assert settings["output"] == "softmax"
