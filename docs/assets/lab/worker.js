// The training lab's worker (issue 23): it owns the Trainer of model.js, so the page's main
// thread only draws. Messages in: {type: "init", settings, generation}, {type: "run"},
// {type: "pause"}, {type: "step"} (one update, then a report), {type: "reset", settings,
// generation}. Messages out: {type: "report", generation, report, running, stopped, epochMs}
// every twentieth of an epoch while running and after every other message ("stopped": the run
// paused by itself after the settings' stopAfter epochs), {type: "error", message}.
//
// epochMs is the wall-clock time of the updates of the last whole epoch (training rows / batch
// size updates; reports excluded), measured with performance.now(): the page shows it and the
// browser tests print it.
import { Trainer, decodeDigits, normaliseSettings } from "./model.js";

const DATA = new URL("../../figures/lab-digits.json", import.meta.url);
// A report costs about one pass over the held-out digits. While running, one comes every
// twentieth of an epoch, so that even a short run (a preset's few epochs) draws a curve rather
// than a straight line — on a small network this slows training several times, which also
// lets a reader follow it — and at least every 100 ms, or every four reports' time when a
// report takes long (a big network).
const REPORTS_PER_EPOCH = 20;
const REPORT_EVERY_MS = 100;
const SLICE_MS = 30;          // work between looks at the message queue (a pause waits ≤ this)

let data = null;
let trainer = null;
let generation = 0;
let running = false;
let timer = null;
let epochMs = null;           // the last measured epoch
let epochElapsed = 0;         // time spent on the updates of the epoch under way
let epochUpdates = 0;
let lastReport = 0;
let lastReportUpdates = 0;
let reportMs = 0;             // what the last report cost
let honourStop = false;       // this run pauses when it reaches stopAfter epochs
let stopped = false;          // … and it just did

async function loadData() {
  if (!data) {
    const response = await fetch(DATA);
    if (!response.ok) throw new Error(`the digits could not be loaded (HTTP ${response.status})`);
    data = decodeDigits(await response.json());
  }
  return data;
}

// One update, timed; when an epoch's worth of updates is done, its time becomes epochMs.
function timedStep() {
  const start = performance.now();
  trainer.step();
  epochElapsed += performance.now() - start;
  epochUpdates += 1;
  if (epochUpdates >= trainer.updatesPerEpoch) {
    epochMs = epochElapsed;
    epochElapsed = 0;
    epochUpdates = 0;
  }
}

function post() {
  const start = performance.now();
  const report = trainer.report();
  if (report.diverged) stop();
  lastReport = performance.now();
  lastReportUpdates = trainer.updates;
  reportMs = lastReport - start;
  self.postMessage({ type: "report", generation, report, running, stopped, epochMs });
  stopped = false;
}

function stop() {
  running = false;
  if (timer !== null) clearTimeout(timer);
  timer = null;
}

function slice() {
  timer = null;
  if (!running) return;
  const start = performance.now();
  do {
    timedStep();
    if (honourStop && trainer.finished) {
      stop();
      stopped = true;
      post();
      return;
    }
    if (trainer.updates - lastReportUpdates >= Math.ceil(trainer.updatesPerEpoch / REPORTS_PER_EPOCH)) {
      post();
      break;
    }
  } while (performance.now() - start < SLICE_MS);
  if (performance.now() - lastReport >= Math.max(REPORT_EVERY_MS, 4 * reportMs)) post();
  if (running) timer = setTimeout(slice, 0);  // lets a pause or reset in
}

function rebuild(settings) {
  stop();
  trainer = new Trainer(normaliseSettings(settings), data);
  epochMs = null;
  epochElapsed = 0;
  epochUpdates = 0;
}

async function handle(message) {
  switch (message.type) {
    case "init":
    case "reset":
      generation = message.generation;
      await loadData();
      if (generation !== message.generation) return;  // a newer reset arrived meanwhile
      rebuild(message.settings);
      post();
      return;
    case "run":
      if (!trainer || running) return;
      running = true;
      // A run that has reached its stopAfter epochs goes on when started again.
      honourStop = !trainer.finished;
      lastReport = performance.now();
      timer = setTimeout(slice, 0);
      return;
    case "pause":
      if (!trainer) return;
      stop();
      post();
      return;
    case "step":
      if (!trainer) return;
      stop();
      timedStep();
      post();
      return;
    default:
      throw new Error(`unknown message ${message.type}`);
  }
}

self.addEventListener("message", (event) => {
  handle(event.data).catch((error) => {
    stop();
    self.postMessage({ type: "error", generation, message: error.message });
  });
});
