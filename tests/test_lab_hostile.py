"""The training lab's published scripts (docs/assets/lab/model.js, lab.js) under hostile input,
run under the project's pinned Node.js. Fast tier: no site is built.

The contracts attacked are the ones model.js documents: normaliseSettings returns full settings
(every number finite, inside LIMITS, integral where it must be; every choice one of its list)
or throws a RangeError naming the parameter and its range; settingsFromQuery never throws and
keeps a default for a missing or bad value; settingsToQuery then settingsFromQuery gives the
same settings back; decodeDigits turns a file of the wrong form into a RangeError and the real
file into digits_pixels() and digits_labels() exactly (the oracle: snippets/core/data.py); a
Trainer's updates reuse their buffers, a run that blows up says so, and no number a reader is
shown is made of NaNs. Hostile values are chosen here from the types and ranges the contracts
name, not from the code's own tables. Eight of these tests found faults (prototype keys, values
that cannot be printed, −0, a null or non-integer digits file, a fresh workspace for each
epoch's last batch, accuracy from NaN outputs, the sentence of a diverged run): each failed on
the code before its fix."""

import json
import math
import random
import re
import subprocess
from pathlib import Path

import numpy as np
import pytest

from sitebuild.typeset_math import node_executable
from snippets.core.data import digits_labels, digits_pixels
from snippets.figures.lab.digits import lab_digits

ASSETS = Path(__file__).resolve().parent.parent / "docs" / "assets" / "lab"

# Every script starts with this: the modules, stdin as JSON, and an encoder that keeps NaN,
# ±Infinity and −0 (JSON has none of them) as {"$number": "..."}.
PRELUDE = """
import { pathToFileURL } from "node:url";
import { readFileSync } from "node:fs";
const model = await import(pathToFileURL(process.argv[1] + "/model.js").href);
const job = JSON.parse(readFileSync(0, "utf8") || "null", (key, value) =>
  value && typeof value === "object" && Object.keys(value).join() === "$number"
    ? Number(value.$number) : value);
const keep = (key, value) => (typeof value === "number" && (!Number.isFinite(value) ||
  Object.is(value, -0))) ? { $number: Object.is(value, -0) ? "-0" : String(value) } : value;
const send = (value) => process.stdout.write(JSON.stringify(value, keep));
const outcome = (compute) => {
  try {
    const value = compute();
    return { value };
  } catch (error) {
    return { error: error?.constructor?.name ?? typeof error, message: String(error?.message) };
  }
};
"""


def numbers(item):
    if "$number" in item and len(item) == 1:
        return float(item["$number"])
    return item


def encode(value):
    """``value`` as JSON, NaN, ±Infinity and −0 as {"$number": "..."} (PRELUDE decodes them)."""
    def plain(item):
        if isinstance(item, float) and (not math.isfinite(item) or str(item) == "-0.0"):
            return {"$number": {"nan": "NaN", "inf": "Infinity", "-inf": "-Infinity",
                                "-0.0": "-0"}[str(item)]}
        if isinstance(item, dict):
            return {key: plain(v) for key, v in item.items()}
        if isinstance(item, list):
            return [plain(v) for v in item]
        return item
    return json.dumps(plain(value), allow_nan=False)


def node(script, job=None, timeout=120):
    """Run ``script`` (after PRELUDE) with ``job`` on stdin; its JSON output, decoded."""
    done = subprocess.run([node_executable(), "--input-type=module", "-e", PRELUDE + script,
                           str(ASSETS)], input=encode(job), capture_output=True, text=True,
                          timeout=timeout)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout, object_hook=numbers)


@pytest.fixture(scope="module")
def contract():
    """What model.js exports as its contract: DEFAULTS, LIMITS and the lists of choices."""
    return node("""send({ defaults: model.DEFAULTS, limits: model.LIMITS, choices: {
      activation: model.ACTIVATIONS, init: model.INITIALISATIONS, output: model.OUTPUTS,
      residual: model.RESIDUAL, normalisation: model.NORMALISATIONS } });""")


INTEGERS = {"depth", "width", "batchSize", "seed", "stopAfter"}  # documented as integers


def invalid(settings, contract):
    """What is wrong with ``settings`` as full settings ([] when nothing is)."""
    wrong = []
    if set(settings) != set(contract["defaults"]):
        wrong.append(("keys", sorted(settings)))
    for key, value in settings.items():
        if key in contract["choices"]:
            if value not in contract["choices"][key]:
                wrong.append((key, value))
            continue
        low, high = contract["limits"][key]
        if (not isinstance(value, (int, float)) or isinstance(value, bool)
                or not math.isfinite(value) or not low <= value <= high
                or (key in INTEGERS and value != int(value))):
            wrong.append((key, value))
    return wrong


# ------------------------------------------------------------------ normaliseSettings
# Hostile values, built in Node (undefined, −0, symbols and objects have no JSON form).
HOSTILE_VALUES = r"""
const HOSTILE = [
  ["NaN", NaN], ["Infinity", Infinity], ["-Infinity", -Infinity], ["-0", -0], ["0", 0],
  ["1e308", 1e308], ["-1e308", -1e308], ["5e-324", 5e-324], ["MAX_SAFE+2", 2 ** 53 + 2],
  ["2**31", 2 ** 31], ["2**31-1", 2 ** 31 - 1], ["-1", -1], ["0.5", 0.5], ["1.5", 1.5],
  ["3", 3], ["17", 17], ["50.000001", 50.000001], ["1000", 1000], ["1001", 1001],
  ["'1e1'", "1e1"], ["'0x10'", "0x10"], ["' 3 '", " 3 "], ["''", ""], ["' '", " "],
  ["'3abc'", "3abc"], ["'Infinity'", "Infinity"], ["'NaN'", "NaN"], ["'-0'", "-0"],
  ["'1e999'", "1e999"], ["'0b101'", "0b101"], ["'１２'", "１２"], ["'3\\u0000'", "3\u0000"],
  ["'relu'", "relu"], ["'RELU'", "RELU"], ["' relu'", " relu"], ["'tanh'", "tanh"],
  ["'on'", "on"], ["'layer'", "layer"], ["'he'", "he"], ["'softmax'", "softmax"],
  ["null", null], ["undefined", undefined], ["true", true], ["false", false],
  ["[]", []], ["[3]", [3]], ["['relu']", ["relu"]], ["{}", {}],
  ["{valueOf: 3}", { valueOf: () => 3 }],
  ["10n", 10n], ["new Number(3)", new Number(3)], ["new String('relu')", new String("relu")],
  ["function", () => 3], ["Date", new Date(3)],
];
"""


@pytest.fixture(scope="module")
def normalised():
    """normaliseSettings({key: value}) for every setting and every hostile value."""
    return node(HOSTILE_VALUES + """
      const out = [];
      for (const key of Object.keys(model.DEFAULTS)) {
        for (const [name, value] of HOSTILE) {
          out.push({ key, name, ...outcome(() => model.normaliseSettings({ [key]: value })) });
        }
      }
      // and all keys at once, from a settings object of strings (as a form gives)
      const strings = Object.fromEntries(
        Object.entries(model.DEFAULTS).map(([k, v]) => [k, String(v)]));
      out.push({ key: "all", name: "strings", ...outcome(() => model.normaliseSettings(strings)) });
      for (const partial of [undefined, null, {}, 5, "", []]) {
        out.push({ key: "partial", name: String(partial),
                   ...outcome(() => model.normaliseSettings(partial)) });
      }
      send(out);""")


def test_normalise_settings_returns_valid_settings_or_a_range_error_naming_its_range(
        normalised, contract):
    returned = 0
    for case in normalised:
        where = (case["key"], case["name"])
        if "value" in case:
            returned += 1
            assert invalid(case["value"], contract) == [], where
            continue
        assert case["error"] == "RangeError", (where, case)
        key = case["key"]
        if key in contract["limits"]:
            low, high = contract["limits"][key]
            # "names a bad parameter and its range"
            assert key in case["message"] and f"[{low}, {high}]" in case["message"], (where, case)
        elif key in contract["choices"]:
            assert key in case["message"] and all(
                choice in case["message"] for choice in contract["choices"][key]), (where, case)
    assert returned > len(contract["defaults"]), "the fuzz must also reach accepted values"


def test_normalise_settings_keeps_only_what_the_range_allows(normalised, contract):
    """A few decisions the contract fixes, checked one by one (not from the code's tables)."""
    got = {(c["key"], c["name"]): c for c in normalised}
    for key in ["depth", "width", "batchSize", "seed", "stopAfter", "learningRate"]:
        for name in ["NaN", "Infinity", "-Infinity", "1e308", "null", "true", "''", "[]",
                     "'3abc'", "'NaN'", "'1e999'", "undefined", "{}", "10n"]:
            assert "error" in got[(key, name)], (key, name, got[(key, name)])
    for key in ["depth", "width", "batchSize", "stopAfter"]:  # integers: no fraction
        assert "error" in got[(key, "1.5")] and "error" in got[(key, "0.5")]
    assert got[("depth", "3")]["value"]["depth"] == 3
    assert got[("depth", "' 3 '")]["value"]["depth"] == 3  # a string of a number is a number
    assert got[("seed", "2**31-1")]["value"]["seed"] == 2 ** 31 - 1
    assert "error" in got[("seed", "2**31")]
    assert got[("activation", "'relu'")]["value"]["activation"] == "relu"
    for name in ["'RELU'", "' relu'", "['relu']", "new String('relu')", "null"]:
        assert "error" in got[("activation", name)], name


PROTOTYPE_KEYS = ["__proto__", "constructor", "toString", "valueOf", "hasOwnProperty"]


def test_a_prototype_key_is_an_unknown_setting():
    # JSON.parse makes "__proto__" an own key, as a settings object read from a file would.
    found = node("""send(job.map((key) => ({ key,
      ...outcome(() => model.normaliseSettings(JSON.parse(`{"${key}": 3}`))) })));""",
                 PROTOTYPE_KEYS)
    assert [case.get("error") for case in found] == ["RangeError"] * len(PROTOTYPE_KEYS), found


def test_a_value_that_cannot_be_printed_still_gives_a_range_error():
    found = node("""send([Symbol("s"), Object.create(null)].flatMap((value) =>
      ["depth", "activation"].map((key) =>
        outcome(() => model.normaliseSettings({ [key]: value })))));""")
    assert [case.get("error") for case in found] == ["RangeError"] * 4, found


# ------------------------------------------------------------------ the address
PAYLOADS = ["<img src=x onerror=alert(1)>", '"><script>alert(2)</script>', "javascript:alert(3)",
            "' onmouseover='alert(4)", "%3Cscript%3E", "\u202e\u0000\ufffd", "日本語", "😀" * 50,
            "1e9", "-1", "0x10", "1e1", " 3 ", "", "NaN", "Infinity", "__proto__", "constructor",
            "x" * 100_000, "9" * 400, "0." + "0" * 500 + "1"]


def hostile_queries(contract):
    """Address queries: payloads in every lab- key, repeated keys, random bytes."""
    keys = ["lab-" + key for key in contract["defaults"]]
    generator = random.Random(23)
    queries = ["&".join(f"{key}={payload}" for key in keys) for payload in PAYLOADS]
    queries += ["lab-depth=7&lab-depth=<b>&lab-depth=9", "lab-depth&lab-width=&lab-seed=-0",
                "lab-__proto__=1&lab-constructor=2&lab-toString=3&lab-evil=4", "?&&=&lab-=&=x"]
    alphabet = "".join(chr(c) for c in range(32, 127)) + "é€😀\u0000"
    for _ in range(300):
        parts = []
        for _ in range(generator.randint(1, 8)):
            key = generator.choice(keys + ["lab-", "x", "LAB-depth"])
            value = "".join(generator.choice(alphabet) for _ in range(generator.randint(0, 12)))
            parts.append(f"{key}={value}")
        queries.append("&".join(parts))
    queries += [bytes(generator.randrange(256) for _ in range(60)).decode("latin-1")
                for _ in range(100)]
    return queries


def test_settings_from_any_address_are_valid_and_never_throw(contract):
    queries = hostile_queries(contract)
    found = node("""send(job.map((query) => outcome(() =>
      model.settingsFromQuery(new URLSearchParams(query)))));""", queries)
    assert len(found) == len(queries)
    for query, case in zip(queries, found):
        assert "value" in case, (query[:200], case)
        assert invalid(case["value"], contract) == [], query[:200]
    # A bad value keeps its default; a payload never becomes a setting.
    by_query = dict(zip(queries, found))
    every = "&".join(f"lab-{key}=1e10" for key in contract["defaults"])  # above every range
    assert node("send(model.settingsFromQuery(new URLSearchParams(job)));", every) == \
        contract["defaults"]
    first = by_query[queries[0]]["value"]
    assert first == contract["defaults"], first


def random_settings(contract, generator):
    """Valid settings: integers and numbers across each range, its ends and awkward doubles."""
    settings = {}
    for key, default in contract["defaults"].items():
        if key in contract["choices"]:
            settings[key] = generator.choice(contract["choices"][key])
            continue
        low, high = contract["limits"][key]
        if key in INTEGERS:
            settings[key] = generator.choice([low, high, generator.randint(low, high)])
        else:
            awkward = [low, high, generator.uniform(low, high), low + (high - low) / 3,
                       min(high, max(low, 0.1 + 0.2)), math.nextafter(high, low),
                       math.nextafter(low, high), default]
            settings[key] = generator.choice(awkward)
    return settings


def test_settings_survive_the_address_exactly(contract):
    generator = random.Random(5)
    cases = [random_settings(contract, generator) for _ in range(400)] + [contract["defaults"]]
    found = node("""send(job.map((settings) => {
      const valid = model.normaliseSettings(settings);
      const query = model.settingsToQuery(valid);
      return { valid, query, back: model.settingsFromQuery(new URLSearchParams(query)) };
    }));""", cases)
    for settings, case in zip(cases, found):
        assert case["valid"] == settings
        assert case["back"] == settings, case["query"]
        assert all(key.startswith("lab-") for key in re.findall(r"([^&=]+)=", case["query"]))
    assert found[-1]["query"] == ""  # the defaults write nothing


def test_minus_zero_survives_the_address_or_is_made_zero():
    found = node("""const valid = model.normaliseSettings({ biasMean: -0, seed: -0 });
      const back = model.settingsFromQuery(new URLSearchParams(model.settingsToQuery(valid)));
      send({ valid: [valid.biasMean, valid.seed], back: [back.biasMean, back.seed] });""")
    assert [math.copysign(1, v) for v in found["valid"]] == \
        [math.copysign(1, v) for v in found["back"]], found


# ------------------------------------------------------------------ the digits file
DECODE = """send(job.map(({ name, file }) => {
  const result = outcome(() => {
    const data = model.decodeDigits(file);
    const bad = [data.train, data.heldOut].some((part) =>
      part.x.some(Number.isNaN) || part.targets.some(Number.isNaN) || !Number.isInteger(part.rows));
    return { rows: [data.train.rows, data.heldOut.rows], bad };
  });
  return { name, ...result };
}));"""


def hostile_files():
    real = lab_digits()
    count = len(real["labels"])
    files = {
        "pixels one short": {**real, "pixels": real["pixels"][:-1]},
        "pixels one long": {**real, "pixels": real["pixels"] + "a"},
        "a pixel r (17)": {**real, "pixels": "r" + real["pixels"][1:]},
        "a pixel ` (−1)": {**real, "pixels": real["pixels"][:-1] + "`"},
        "a pixel A": {**real, "pixels": "A" + real["pixels"][1:]},
        "a pixel é": {**real, "pixels": "é" + real["pixels"][1:]},
        "a pixel surrogate": {**real, "pixels": "\ud83d" + real["pixels"][1:]},
        "a pixel NUL": {**real, "pixels": "\u0000" + real["pixels"][1:]},
        "a pixel in the held-out part": {**real, "pixels": real["pixels"][:-64] + "z" * 64},
        "label 10 as ':'": {**real, "labels": ":" + real["labels"][1:]},
        "label '/'": {**real, "labels": real["labels"][:-1] + "/"},
        "label 'a'": {**real, "labels": "a" + real["labels"][1:]},
        "label '٣'": {**real, "labels": "٣" + real["labels"][1:]},
        "training 0": {**real, "training": 0},
        "training -5": {**real, "training": -5},
        "training = count": {**real, "training": count},
        "training > count": {**real, "training": count + 1},
        "training NaN-like null": {**real, "training": None},
        "training 1.5": {**real, "training": 1.5},
        "training as a string": {**real, "training": str(real["training"])},
        "training as a list": {**real, "training": [real["training"]]},
        "training an object": {**real, "training": {"valueOf": 3}},
        "inputs as a string": {**real, "inputs": "64"},
        "inputs 63": {**real, "inputs": 63},
        "classes 11": {**real, "classes": 11},
        "classes as a string": {**real, "classes": "10"},
        "pixels as a list": {**real, "pixels": list(real["pixels"][:10])},
        "labels as a number": {**real, "labels": 3},
        "no labels": {key: v for key, v in real.items() if key != "labels"},
        "no pixels": {key: v for key, v in real.items() if key != "pixels"},
        "no training": {key: v for key, v in real.items() if key != "training"},
        "empty": {},
        "a list": [],
        "a string": "digits",
        "a number": 5,
        "no digits": {**real, "pixels": "", "labels": "", "training": 0},
        "10⁷ pixels": {**real, "pixels": "a" * 10_000_000},
        "10⁷ pixels, labels to match": {**real, "pixels": "a" * 9_999_936,
                                         "labels": "1" * 156_249, "training": 1000},
    }
    return files


@pytest.fixture(scope="module")
def decoded_hostile():
    files = hostile_files()
    found = node(DECODE, [{"name": name, "file": file} for name, file in files.items()])
    return {case.pop("name"): case for case in found}


def test_a_hostile_digits_file_is_refused_with_a_range_error(decoded_hostile):
    # The one file of the right form (10⁷ letters, labels to match) decodes, without NaN.
    fine = decoded_hostile.pop("10⁷ pixels, labels to match")
    assert fine["value"] == {"rows": [1000, 156_249 - 1000], "bad": False}, fine
    wrong = {name: case for name, case in decoded_hostile.items()
             if case.get("error") != "RangeError"}
    assert wrong == {}


def test_a_digits_file_of_null_is_refused_with_a_range_error():
    found = node(DECODE, [{"name": "null", "file": None}])
    assert found[0].get("error") == "RangeError", found


def test_a_digits_file_whose_training_count_is_not_an_integer_is_refused():
    real = lab_digits()
    found = node(DECODE, [{"name": "true", "file": {**real, "training": True}}])
    assert found[0].get("error") == "RangeError", found


def test_the_published_digits_decode_to_the_chapters_digits_exactly():
    found = node("""const data = model.decodeDigits(job);
      send({ train: Array.from(data.train.x), heldOut: Array.from(data.heldOut.x),
             labels: [...data.train.labels, ...data.heldOut.labels],
             targets: [...data.train.targets, ...data.heldOut.targets],
             rows: [data.train.rows, data.heldOut.rows] });""", lab_digits())
    pixels, labels = digits_pixels(), digits_labels()
    training = found["rows"][0]
    assert found["rows"] == [training, len(labels) - training] and 0 < training < len(labels)
    assert np.array_equal(np.reshape(found["train"], (training, 64)), pixels[:training])
    assert np.array_equal(np.reshape(found["heldOut"], (-1, 64)), pixels[training:])
    assert np.array_equal(found["labels"], labels)
    assert np.array_equal(np.reshape(found["targets"], (-1, 10)), np.eye(10)[labels])


# ------------------------------------------------------------------ the Trainer
TRAINER = """
const data = model.decodeDigits(JSON.parse(readFileSync(process.argv[2], "utf8")));
"""


@pytest.fixture(scope="module")
def digits_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("lab") / "lab-digits.json"
    path.write_text(json.dumps(lab_digits()))
    return path


def node_with_digits(script, digits_file, job=None, timeout=300, preamble=""):
    done = subprocess.run([node_executable(), "--input-type=module", "-e",
                           preamble + PRELUDE + TRAINER + script, str(ASSETS), str(digits_file)],
                          input=encode(job), capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout, object_hook=numbers)


def check_report(report, layers):
    """A report's shape and ranges, whatever the run did."""
    assert len(report["speeds"]) == layers + 1 and len(report["weak"]) == layers
    assert all(0 <= share <= 1 for share in report["weak"]), report["weak"]
    for speed in report["speeds"]:
        assert speed >= 0 or (math.isnan(speed) and report["diverged"]), report
    if not report["diverged"]:
        assert all(math.isfinite(s) for s in report["speeds"]) and math.isfinite(report["loss"])
        assert 0 <= report["heldOutAccuracy"] <= 1 and 0 <= report["trainAccuracy"] <= 1


EXTREMES = [{"depth": 50, "width": 128, "batchSize": 1000},
            {"depth": 50, "width": 128, "batchSize": 1000, "residual": "on",
             "normalisation": "layer", "activation": "relu", "init": "he"}]


def test_one_update_at_the_limits_finishes_and_reports(digits_file):
    found = node_with_digits("""send(job.map((settings) => {
      const trainer = new model.Trainer(settings, data);
      // the bytes of every typed array the trainer holds (its network and workspaces)
      const seen = new Set();
      const bytes = (item) => {
        if (!item || typeof item !== "object" || seen.has(item)) return 0;
        seen.add(item);
        if (ArrayBuffer.isView(item)) return item.byteLength;
        return Object.values(item).reduce((sum, value) => sum + bytes(value), 0);
      };
      const held = bytes(trainer) - bytes(data);
      let start = performance.now();
      trainer.step();
      const stepMs = performance.now() - start;
      start = performance.now();
      const report = trainer.report();
      return { bytes: held, stepMs, reportMs: performance.now() - start, report };
    }));""", digits_file, EXTREMES)
    for settings, case in zip(EXTREMES, found):
        print(f"\n{settings}: typed arrays {case['bytes'] / 2 ** 20:.0f} MiB, one update "
              f"{case['stepMs']:.0f} ms, one report {case['reportMs']:.0f} ms")
        check_report(case["report"], 50)
        assert case["report"]["updates"] == 1 and not case["report"]["diverged"]


# Float64Array replaced by a counting one before model.js is imported: every allocation made
# by an update shows. (The module names the global at each `new`, so it sees the replacement.)
COUNTING = """
globalThis.__allocations = 0;
globalThis.Float64Array = new Proxy(Float64Array, { construct(target, args) {
  globalThis.__allocations += 1; return Reflect.construct(target, args); } });
"""
ALLOCATIONS = """
const trainer = new model.Trainer(job, data);
const perStep = [];
for (let i = 0; i < 3 * trainer.updatesPerEpoch; i++) {
  const before = globalThis.__allocations;
  trainer.step();
  perStep.push(globalThis.__allocations - before);
}
send({ perStep, updatesPerEpoch: trainer.updatesPerEpoch });
"""
# 1000 training digits in batches of 7: every epoch ends with a batch of 6.
UNEVEN = {"depth": 2, "width": 8, "batchSize": 7}


def test_updates_inside_an_epoch_allocate_nothing(digits_file):
    found = node_with_digits(ALLOCATIONS, digits_file, UNEVEN, preamble=COUNTING)
    per_epoch = found["updatesPerEpoch"]
    # The first update makes the workspace's batch buffers (sgdStep's x and y), once.
    inside = [n for i, n in enumerate(found["perStep"]) if (i + 1) % per_epoch != 0 and i > 0]
    assert per_epoch == 143 and sum(inside) == 0, found


def test_the_last_update_of_an_epoch_allocates_nothing(digits_file):
    found = node_with_digits(ALLOCATIONS, digits_file, UNEVEN, preamble=COUNTING)
    assert sum(found["perStep"][1:]) == 0, [n for n in found["perStep"] if n]


DIVERGING = {"learningRate": 10, "activation": "relu", "init": "he", "depth": 10}


@pytest.fixture(scope="module")
def diverging_run(digits_file):
    """Reports after each update of a run at a rate of 10, up to and including divergence."""
    return node_with_digits("""const trainer = new model.Trainer(job, data);
      const reports = [trainer.report()];
      while (!reports[reports.length - 1].diverged && trainer.updates < 200) {
        trainer.step();
        reports.push(trainer.report());
      }
      send(reports);""", digits_file, DIVERGING)


def test_a_run_that_blows_up_says_it_diverged(diverging_run):
    for report in diverging_run:
        check_report(report, DIVERGING["depth"])
    last = diverging_run[-1]
    assert last["diverged"], last
    # The measurements it diverged on are not numbers: the cost or a gradient.
    assert not math.isfinite(last["loss"]) or not all(map(math.isfinite, last["speeds"]))
    assert not any(r["diverged"] for r in diverging_run[:-1])


def test_outputs_with_a_nan_earn_no_accuracy(digits_file):
    found = node_with_digits("""const trainer = new model.Trainer(job, data);
      while (trainer.updates < 2 * trainer.updatesPerEpoch) trainer.step();
      const healthy = trainer.report();
      const output = trainer.network.biases[trainer.network.biases.length - 1];
      output[3] = NaN;  // one output unit's parameters blown up, as in a diverging run
      send({ healthy, broken: trainer.report() });""", digits_file, {
        "output": "sigmoid", "activation": "relu", "init": "he", "depth": 1, "biasStd": 0})
    assert found["healthy"]["heldOutAccuracy"] > 0.5  # the network had learnt something
    broken = found["broken"]
    assert broken["diverged"]
    for accuracy in (broken["heldOutAccuracy"], broken["trainAccuracy"]):
        assert not (math.isfinite(accuracy) and accuracy > 0), broken


# ------------------------------------------------------------------ the sentence (lab.js)
SENTENCE = """
const lab = await import(pathToFileURL(process.argv[1] + "/lab.js").href);
"""


def factor_value(text):
    """The number lab.js's factor() wrote: 3.4, 27, 3 400, 2.1·10⁵, 10⁻³."""
    digits = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻", "0123456789-")
    match = re.fullmatch(r"(?:([\d.]+)·)?10([⁰¹²³⁴⁵⁶⁷⁸⁹⁻]+)", text)
    if match:
        return float(match.group(1) or 1) * 10 ** int(match.group(2).translate(digits))
    return float(text.replace(" ", ""))


def test_the_sentence_states_the_measured_ratio(contract):
    generator = random.Random(7)
    reports = []
    for _ in range(300):
        first, last = 10 ** generator.uniform(-150, 150), 10 ** generator.uniform(-150, 150)
        reports.append({"updates": 5, "epochs": 0.5, "loss": 1.0, "trainAccuracy": 0.5,
                        "heldOutAccuracy": generator.random(), "diverged": False,
                        "speeds": [first, 1.0, last, 2.0], "weak": [0.5, 0.2, 0.1]})
    found = node(SENTENCE + "send(job.map((r) => lab.sentence(r, { activation: 'tanh' })));",
                 reports)
    for report, text in zip(reports, found):
        assert not re.search(r"NaN|undefined|Infinity", text), text
        ratio = report["speeds"][2] / report["speeds"][0]
        said = re.search(r"learns (\S+(?: \d{3})?)× (slower|faster)", text)
        if said is None:
            assert "about as fast" in text and 1 / 1.5 < ratio < 1.5, text
            continue
        shown = factor_value(said.group(1))
        actual = ratio if said.group(2) == "slower" else 1 / ratio
        assert actual >= 1.5 and abs(shown - actual) <= 0.06 * actual, (text, actual)


def test_the_sentence_of_a_diverged_run_claims_no_speeds_or_weak_units(diverging_run):
    diverged = diverging_run[-1]
    reports = [diverged, {**diverged, "speeds": [1e-3, math.inf, math.inf]},
               {**diverged, "speeds": [math.inf, math.inf, math.nan]}]
    found = node(SENTENCE + "send(job.map((r) => lab.sentence(r, { activation: 'relu' })));",
                 reports)
    for text in found:
        # No comparison of speeds, and no share of weak units: φ′ of NaN counts as not weak.
        assert not re.search(r"NaN|undefined|Infinity|about as fast|slower|faster|"
                             r"(are|is) (inactive|saturated)", text), found
