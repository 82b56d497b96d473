// The training lab (issue 23): a small fully connected network trained live on the 8 × 8
// digits, with its loss, held-out accuracy, the gradient reaching each layer and the share of
// weak units drawn as they change. assets/lab-loader.js imports this module when a
// <div class="vg-lab" data-lab data-presets="id …"> nears the viewport and calls mountLab.
// The network trains in a Web Worker (worker.js, wrapping model.js's Trainer); this thread
// only draws: hand-written SVG, colours from CSS variables (both palettes), no library.
//
// Hooks for tests, on the lab's element: data-ready="true" once the digits are loaded and the
// first report is drawn; set when a report arrives (with the buttons' state, before the
// plots are drawn): data-updates (the latest update count), data-epoch-ms (the last measured
// epoch's time in ms, "" until one is measured), data-report (the latest report as JSON:
// {updates, epochs, loss, trainAccuracy, heldOutAccuracy, speeds, weak, diverged}) and
// data-generation (which network the report is of: it counts the resets, a preset's included).
import { ACTIVATIONS, DEFAULTS, INITIALISATIONS, LIMITS, NORMALISATIONS, OUTPUTS, RESIDUAL,
  normaliseSettings, queryHasSettings, settingsFromQuery, settingsToQuery } from "./model.js";
import { PRESETS } from "./presets.js";

const SVG = "http://www.w3.org/2000/svg";
const HISTORY_LIMIT = 500;      // history points kept; thinned by two when full
const SUMMARY_EVERY_MS = 2000;  // the spoken sentence changes at most this often while training
const DRAW_EVERY_MS = 100;      // reports may come faster than the plots need redrawing
const TABLE_ROWS = 20;
let labs = 0;                   // ids unique on the page

const ACTIVATION_LABELS = { sigmoid: "sigmoid", tanh: "tanh", relu: "ReLU", leaky_relu: "leaky ReLU" };
const INIT_LABELS = { standard: "standard, U[±1/√n]", lecun: "LeCun, N(0, 1/n)",
  xavier: "Xavier (Glorot)", he: "He, N(0, 2/n)", variance: "σ_w² of your choice" };
const OUTPUT_LABELS = { softmax: "softmax", sigmoid: "sigmoid units" };
const RESIDUAL_LABELS = { off: "off", on: "on" };
const NORMALISATION_LABELS = { none: "none", layer: "layer normalisation" };
// The number fields: setting → [label, step]. Their ranges come from model.js's LIMITS.
const NUMBERS = {
  depth: ["Hidden layers", "1"], width: ["Units per layer", "1"],
  weightVariance: ["Weight variance σ_w²", "0.01"],  // weights N(0, σ_w²/n)
  biasMean: ["Bias mean", "0.1"], biasStd: ["Bias standard deviation", "0.01"],
  learningRate: ["Learning rate η", "0.01"], batchSize: ["Mini-batch size", "1"],
  seed: ["Seed", "1"], stopAfter: ["Stop after (epochs; 0: never)", "1"],
};
const FIELD_NAMES = { activation: "Activation", init: "Weights", output: "Output layer",
  residual: "Residual connections", normalisation: "Normalisation",
  ...Object.fromEntries(Object.entries(NUMBERS).map(([key, [label]]) => [key, label])) };

// ------------------------------------------------------------------ words and numbers
const SUPERSCRIPT = { "-": "⁻", 0: "⁰", 1: "¹", 2: "²", 3: "³", 4: "⁴", 5: "⁵", 6: "⁶", 7: "⁷", 8: "⁸", 9: "⁹" };
const power = (exponent) => `10${String(exponent).replace(/./g, (c) => SUPERSCRIPT[c])}`;

/** A positive factor, short: 3.4, 27, 3 400, 2.1·10⁵. */
function factor(value) {
  if (value < 10) return value.toFixed(1);
  if (value < 1e4) return String(Math.round(value)).replace(/\B(?=(\d{3})+$)/, " ");
  const exponent = Math.floor(Math.log10(value));
  const mantissa = (value / 10 ** exponent).toFixed(1);
  return `${mantissa === "1.0" ? "" : `${mantissa}·`}${power(exponent)}`;
}

/** A gradient norm for the axis and the table: 0.012, 3.1·10⁻⁵. */
function magnitude(value) {
  if (value === 0) return "0";
  if (!Number.isFinite(value)) return String(value);
  const exponent = Math.floor(Math.log10(value));
  if (exponent >= -2 && exponent < 3) return String(+value.toPrecision(2));
  const mantissa = +(value / 10 ** exponent).toPrecision(2);
  return `${mantissa === 1 ? "" : `${mantissa}·`}${power(exponent)}`;
}

const percent = (share) => `${Math.round(share * 100)} %`;
const weakWord = (activation) => (activation.includes("relu") ? "inactive" : "saturated");

/** One sentence saying what is happening now, every number from the report. */
export function sentence(report, settings) {
  const when = report.updates === 0 ? "Before training"
    : `After ${report.epochs.toFixed(1)} epochs`;
  if (report.diverged) return `${when}: the run diverged — the loss or a gradient is no longer a finite number.`;
  const parts = [`${when}: held-out accuracy ${percent(report.heldOutAccuracy)}`];
  // Nielsen's comparison: the first hidden layer against the last (the output layer when
  // there is one hidden layer only).
  const first = report.speeds[0];
  const other = report.speeds.length > 2 ? report.speeds.length - 2 : report.speeds.length - 1;
  const last = report.speeds[other];
  const name = report.speeds.length > 2 ? "the last" : "the output layer";
  if (last === 0 && first === 0) parts.push(`no gradient reaches the first hidden layer or ${name}`);
  else if (first === 0) parts.push("no gradient at all reaches the first hidden layer");
  else {
    const ratio = last / first;
    parts.push(ratio >= 1.5 ? `the first hidden layer learns ${factor(ratio)}× slower than ${name}`
      : ratio <= 1 / 1.5 ? `the first hidden layer learns ${factor(1 / ratio)}× faster than ${name}`
        : `the first hidden layer learns about as fast as ${name}`);
  }
  const weakest = report.weak.reduce((best, share, l) => (share > report.weak[best] ? l : best), 0);
  const word = weakWord(settings.activation);
  parts.push(report.weak[weakest] < 0.005 ? `almost no unit of a hidden layer is ${word}`
    : `${percent(report.weak[weakest])} of the units in ${report.weak.length > 1
      ? `layer ${weakest + 1}` : "the hidden layer"} are ${word}`);
  return `${parts.join("; ")}.`;
}

// ------------------------------------------------------------------ drawing
function niceTicks(low, high, count) {
  const raw = (high - low) / count;
  const size = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * size).find((s) => s >= raw);
  const values = [];
  for (let v = Math.ceil(low / step - 1e-9) * step; v <= high + 1e-9; v += step) values.push(+v.toPrecision(6));
  return values;
}

const escapeText = (text) => String(text).replace(/[&<>]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;" })[c]);

/** A plot's frame: axes, grid and labels as SVG text; returns the scales. Sizes in CSS px. */
function frame(size, { xMax, yLow, yHigh, yTicks, yFormat, yLabel, xLabel, log }) {
  const { width, height } = size;
  const left = 46, right = 8, top = 8, bottom = 30;
  const x = (v) => left + (width - left - right) * v / xMax;
  const y = log ? (v) => top + (height - top - bottom) * (Math.log10(yHigh) - Math.log10(v)) / (Math.log10(yHigh) - Math.log10(yLow))
    : (v) => top + (height - top - bottom) * (yHigh - v) / (yHigh - yLow);
  let out = "";
  for (const v of yTicks) {
    const at = y(v).toFixed(1);
    out += `<line class="vg-lab__grid" x1="${left}" x2="${width - right}" y1="${at}" y2="${at}"/>` +
      `<text x="${left - 5}" y="${(+at + 4).toFixed(1)}" text-anchor="end">${escapeText(yFormat(v))}</text>`;
  }
  const xTicks = niceTicks(0, xMax, Math.max(2, Math.floor((width - left) / 55)));
  for (const v of xTicks) {
    out += `<text x="${x(v).toFixed(1)}" y="${height - bottom + 14}" text-anchor="middle">${escapeText(String(v))}</text>`;
  }
  out += `<text x="${(left + width - right) / 2}" y="${height - 3}" text-anchor="middle" class="vg-lab__axis-name">${escapeText(xLabel)}</text>`;
  const middle = (top + height - bottom) / 2;
  out += `<text x="11" y="${middle}" text-anchor="middle" class="vg-lab__axis-name" transform="rotate(-90 11 ${middle})">${escapeText(yLabel)}</text>`;
  out += `<line class="vg-lab__axis" x1="${left}" x2="${left}" y1="${top}" y2="${height - bottom}"/>` +
    `<line class="vg-lab__axis" x1="${left}" x2="${width - right}" y1="${height - bottom}" y2="${height - bottom}"/>`;
  return { out, x, y };
}

function path(points, x, y) {
  let d = "";
  for (let i = 0; i < points.length; i++) {
    d += `${i ? "L" : "M"}${x(points[i][0]).toFixed(1)},${y(points[i][1]).toFixed(1)}`;
  }
  return d;
}

// The ramp from the first hidden layer (0) to the output layer (1), mixed by the browser from
// the two ends the stylesheet sets for each palette.
const ramp = (position) => `color-mix(in oklch, var(--vg-lab-last) ${(100 * position).toFixed(0)}%, var(--vg-lab-first))`;

function xMaxOf(history) {
  const last = history.length ? history[history.length - 1].epochs : 0;
  if (!(last > 0)) return 1;
  const ticks = niceTicks(0, last, 4);
  const step = ticks.length > 1 ? ticks[1] - ticks[0] : last;
  return +(Math.ceil(last / step - 1e-9) * step).toPrecision(6);  // the axis ends on a tick
}

/** A log axis from the decade below ``low`` to the decade above ``high`` (at most 30 decades),
 *  labelled at every decade, or every few when the plot is short. */
function logAxis(low, high, height) {
  let highExponent = Math.ceil(Math.log10(high));
  let lowExponent = Math.floor(Math.log10(low));
  if (highExponent === lowExponent) highExponent += 1;
  lowExponent = Math.max(lowExponent, highExponent - 30);  // zeros and dust sit on the floor
  const every = Math.ceil((highExponent - lowExponent) / Math.max(2, Math.floor((height - 38) / 22)));
  const yTicks = [];
  for (let e = lowExponent; e <= highExponent; e += every) yTicks.push(10 ** e);
  return { yLow: 10 ** lowExponent, yHigh: 10 ** highExponent, yTicks, yFormat: magnitude, log: true };
}

function drawLoss(svg, size, history) {
  const xMax = xMaxOf(history);
  const values = history.map((h) => h.loss).filter((v) => Number.isFinite(v) && v > 0);
  const high = Math.max(1e-3, ...values);
  // A linear axis, unless the loss shot up far above where it started (a run blowing up):
  // then a log axis keeps the rest of the curve readable.
  const start = values.length ? values[0] : high;
  let axis;
  if (high > 10 * start) {
    axis = logAxis(Math.min(...values), high, size.height);
  } else {
    const yTicks = niceTicks(0, high, 4);
    axis = { yLow: 0, yHigh: Math.max(high, yTicks[yTicks.length - 1]), yTicks, yFormat: String };
  }
  const { out, x, y } = frame(size, { xMax, ...axis, yLabel: axis.log ? "loss (log)" : "loss",
    xLabel: "epochs" });
  const points = history.filter((h) => Number.isFinite(h.loss) && h.loss > 0)
    .map((h) => [h.epochs, Math.max(axis.yLow, h.loss)]);
  svg.innerHTML = `${out}<path class="vg-lab__line vg-lab__line--loss" d="${path(points, x, y)}"/>`;
}

function drawAccuracy(svg, size, history) {
  const xMax = xMaxOf(history);
  const { out, x, y } = frame(size, { xMax, yLow: 0, yHigh: 100, yTicks: [0, 50, 100],
    yFormat: (v) => `${v} %`, yLabel: "accuracy", xLabel: "epochs" });
  const points = history.map((h) => [h.epochs, 100 * h.accuracy]);
  svg.innerHTML = `${out}<path class="vg-lab__line vg-lab__line--accuracy" d="${path(points, x, y)}"/>`;
}

function drawSpeeds(svg, size, history) {
  const xMax = xMaxOf(history);
  let low = Infinity, high = 0;
  for (const h of history) {
    for (const s of h.speeds) {
      if (s > 0 && Number.isFinite(s)) { low = Math.min(low, s); high = Math.max(high, s); }
    }
  }
  if (!(high > 0)) { low = 1e-3; high = 1; }
  const axis = logAxis(low, high, size.height);
  const { yLow, yHigh } = axis;
  const { out, x, y } = frame(size, { xMax, ...axis, yLabel: "‖∂C/∂bˡ‖", xLabel: "epochs" });
  const layers = history.length ? history[history.length - 1].speeds.length : 0;
  let lines = "";
  for (let l = 0; l < layers; l++) {
    const points = history.filter((h) => Number.isFinite(h.speeds[l]))
      .map((h) => [h.epochs, Math.min(yHigh, Math.max(yLow, h.speeds[l]))]);
    lines += `<path class="vg-lab__line vg-lab__line--layer" style="stroke:${ramp(layers > 1 ? l / (layers - 1) : 1)}" d="${path(points, x, y)}"/>`;
  }
  svg.innerHTML = out + lines;
}

function drawWeak(svg, size, weak) {
  const { width, height } = size;
  const count = weak.length;
  const { out, y } = frame(size, { xMax: 1, yLow: 0, yHigh: 100, yTicks: [0, 50, 100],
    yFormat: (v) => `${v} %`, yLabel: "weak units", xLabel: "hidden layer" });
  const left = 46, right = 8, bottom = 30;
  const slot = (width - left - right) / count;
  const gap = Math.min(4, slot * 0.25);
  const labelEvery = Math.ceil(count / Math.max(1, Math.floor((width - left - right) / 24)));
  let bars = "";
  weak.forEach((share, l) => {
    const top = y(100 * share);
    bars += `<rect class="vg-lab__bar" x="${(left + l * slot + gap / 2).toFixed(1)}" y="${top.toFixed(1)}" width="${Math.max(1, slot - gap).toFixed(1)}" height="${Math.max(0, height - bottom - top).toFixed(1)}" style="fill:${ramp(count > 1 ? l / count : 0)}"/>`;
  });
  // Layer numbers replace the frame's x ticks (epochs): it is drawn with xMax 1, so drop them.
  const frameWithoutTicks = out.replace(/<text x="[^"]*" y="[^"]*" text-anchor="middle">[^<]*<\/text>/g, "");
  let labels = "";
  for (let l = 0; l < count; l += labelEvery) {
    labels += `<text x="${(left + (l + 0.5) * slot).toFixed(1)}" y="${height - bottom + 14}" text-anchor="middle">${l + 1}</text>`;
  }
  svg.innerHTML = frameWithoutTicks + bars + labels;
}

// ------------------------------------------------------------------ the lab's markup
function html(strings, ...values) {
  return strings.reduce((text, part, i) => text + part + (i < values.length ? values[i] : ""), "");
}

function controlsMarkup(id) {
  const options = (names, labels) => names.map((name) => `<option value="${name}">${labels[name]}</option>`).join("");
  const number = (key) => {
    const [label, step] = NUMBERS[key];
    const [low, high] = LIMITS[key];
    // η's field has no min: a step's base is the field's min, and 0.0001 + k·0.01 misses 0.1.
    const min = key === "learningRate" ? "" : ` min="${low}"`;
    return html`<label class="vg-lab__field" data-field="${key}">${label}
      <input type="number" name="${key}" id="${id}-${key}"${min} max="${high}" step="${step}" inputmode="decimal" required></label>`;
  };
  return html`
    <label class="vg-lab__field">Activation
      <select name="activation">${options(ACTIVATIONS, ACTIVATION_LABELS)}</select></label>
    ${number("depth")}${number("width")}
    <label class="vg-lab__field">Weights
      <select name="init">${options(INITIALISATIONS, INIT_LABELS)}</select></label>
    ${number("weightVariance")}${number("biasMean")}${number("biasStd")}
    ${number("learningRate")}${number("batchSize")}${number("seed")}
    <label class="vg-lab__field">Output layer
      <select name="output">${options(OUTPUTS, OUTPUT_LABELS)}</select></label>
    <label class="vg-lab__field">Residual connections
      <select name="residual">${options(RESIDUAL, RESIDUAL_LABELS)}</select></label>
    <label class="vg-lab__field">Normalisation
      <select name="normalisation">${options(NORMALISATIONS, NORMALISATION_LABELS)}</select></label>
    ${number("stopAfter")}`;
}

function markup(id, presetIds) {
  const buttons = presetIds.map((name) =>
    `<button type="button" data-preset="${name}" aria-pressed="false">${PRESETS[name].label}</button>`).join("");
  return html`
    ${presetIds.length ? html`<div class="vg-lab__presets" role="group" aria-labelledby="${id}-presets">
      <p class="vg-lab__presets-title" id="${id}-presets">Try this:</p>${buttons}</div>` : ""}
    <form class="vg-lab__controls" novalidate aria-label="The network's settings">${controlsMarkup(id)}</form>
    <div class="vg-lab__actions">
      <button type="button" class="vg-lab__run" data-action="run" disabled>Start</button>
      <button type="button" data-action="step" disabled>Step</button>
      <button type="button" data-action="reset" disabled>Reset</button>
      <p class="vg-lab__status" data-status>Loading the digits…</p>
    </div>
    <p class="vg-lab__message" data-message aria-live="polite"></p>
    <p class="vg-lab__summary" data-summary aria-live="polite"></p>
    <div class="vg-lab__plots">
      <figure class="vg-lab__plot">
        <svg data-plot="loss" role="img" aria-label="Training loss against epochs (values in the table below)"></svg>
        <figcaption>Training loss (on 200 training digits)</figcaption></figure>
      <figure class="vg-lab__plot">
        <svg data-plot="accuracy" role="img" aria-label="Held-out accuracy against epochs (values in the table below)"></svg>
        <figcaption>Accuracy on the held-out digits</figcaption></figure>
      <figure class="vg-lab__plot">
        <svg data-plot="speeds" role="img" aria-label="The gradient reaching each layer, ‖∂C/∂bˡ‖, against epochs on a log axis, one line per layer (values in the table below)"></svg>
        <figcaption>The gradient reaching each layer (log axis)
          <span class="vg-lab__key"><span>layer 1</span><span class="vg-lab__ramp" aria-hidden="true"></span><span>output layer</span></span></figcaption></figure>
      <figure class="vg-lab__plot">
        <svg data-plot="weak" role="img" aria-label="Share of weak units in each hidden layer now (values in the table below)"></svg>
        <figcaption data-weak-caption>Weak units per hidden layer now</figcaption></figure>
    </div>
    <details class="vg-lab__numbers">
      <summary>The numbers behind the plots</summary>
      <table class="vg-lab__table" data-layers><caption>Each layer now</caption>
        <thead><tr><th scope="col">layer</th><th scope="col">‖∂C/∂bˡ‖ (speed)</th><th scope="col" data-weak-heading>weak units</th></tr></thead><tbody></tbody></table>
      <table class="vg-lab__table" data-history><caption>The run so far</caption>
        <thead><tr><th scope="col">epochs</th><th scope="col">training loss</th><th scope="col">held-out accuracy</th></tr></thead><tbody></tbody></table>
    </details>`;
}

function rows(tbody, cells) {
  tbody.replaceChildren(...cells.map((texts) => {
    const row = document.createElement("tr");
    for (const text of texts) row.appendChild(document.createElement("td")).textContent = text;
    return row;
  }));
}

// ------------------------------------------------------------------ the lab
export function mountLab(element) {
  const id = `vg-lab-${++labs}`;
  const presetIds = (element.dataset.presets || "").split(/\s+/).filter((name) => Object.hasOwn(PRESETS, name));
  element.innerHTML = markup(id, presetIds);
  element.dataset.mounted = "true";
  const form = element.querySelector("form");
  const runButton = element.querySelector("[data-action=run]");
  const stepButton = element.querySelector("[data-action=step]");
  const resetButton = element.querySelector("[data-action=reset]");
  const status = element.querySelector("[data-status]");
  const message = element.querySelector("[data-message]");
  const summary = element.querySelector("[data-summary]");
  const details = element.querySelector("details");
  const plots = Object.fromEntries([...element.querySelectorAll("[data-plot]")].map((svg) => [svg.dataset.plot, svg]));
  const presetButtons = [...element.querySelectorAll("[data-preset]")];

  const state = { settings: null, generation: 0, running: false, diverged: false, report: null,
    epochMs: null, history: [], frame: 0, timer: 0, drawnAt: -Infinity, note: "", summaryAt: -Infinity, summaryDue: false,
    sizes: new Map(), destroyed: false };
  const worker = new Worker(new URL("./worker.js", import.meta.url), { type: "module" });

  // -------------------------------------------------------------- settings
  function showSettings(settings) {
    for (const [key, value] of Object.entries(settings)) {
      const field = form.elements[key];
      if (field) { field.value = String(value); field.removeAttribute("aria-invalid"); }
    }
    element.querySelector("[data-field=weightVariance]").hidden = settings.init !== "variance";
  }

  function writeAddress(settings) {
    const url = new URL(window.location.href);
    for (const key of [...url.searchParams.keys()]) if (key.startsWith("lab-")) url.searchParams.delete(key);
    // The defaults write no parameter; name the seed then, so the address still wins over a
    // first preset that is not the defaults.
    const query = new URLSearchParams(settingsToQuery(settings) || `lab-seed=${settings.seed}`);
    for (const [key, value] of query) url.searchParams.append(key, value);
    window.history.replaceState(window.history.state, "", url);
  }

  function restart(settings) {
    state.settings = settings;
    state.generation += 1;
    state.running = false;
    state.diverged = false;
    state.history = [];
    state.report = null;
    state.epochMs = null;
    showSettings(settings);
    worker.postMessage({ type: "reset", settings, generation: state.generation });
    showButtons();
  }

  function choosePreset(name, { address = true } = {}) {
    restart(normaliseSettings(PRESETS[name].settings));
    for (const button of presetButtons) button.setAttribute("aria-pressed", String(button.dataset.preset === name));
    state.note = PRESETS[name].note;
    message.textContent = state.note;
    if (address) writeAddress(state.settings);
  }

  function readForm() {
    const partial = { ...state.settings };  // a setting without a field keeps its value
    for (const key of Object.keys(DEFAULTS)) {
      const field = form.elements[key];
      if (field) partial[key] = field.value;
    }
    return partial;
  }

  function settingChanged(event) {
    const field = event.target;
    if (!field.name) return;
    let settings;
    try {
      settings = normaliseSettings(readForm());
    } catch (error) {
      if (!(error instanceof RangeError)) throw error;
      field.setAttribute("aria-invalid", "true");
      message.textContent = `${FIELD_NAMES[field.name]}: ${error.message.replace(/^\w+ /, "")}. The run goes on with the previous settings.`;
      return;
    }
    restart(settings);
    for (const button of presetButtons) button.setAttribute("aria-pressed", "false");
    state.note = "";
    message.textContent = `${FIELD_NAMES[field.name]} changed: a new network was built and the run starts again.`;
    writeAddress(settings);
  }

  // -------------------------------------------------------------- buttons
  function showButtons() {
    const ready = state.report !== null;
    runButton.textContent = state.running ? "Pause" : "Start";
    runButton.classList.toggle("vg-lab__run--running", state.running);
    runButton.disabled = !ready || state.diverged;
    stepButton.disabled = !ready || state.diverged;
    resetButton.disabled = !ready;
  }

  function run() {
    state.running = !state.running;
    // "Paused after …" is over once the run goes on; the preset's note stays.
    if (state.running && message.textContent !== state.note) message.textContent = state.note;
    worker.postMessage({ type: state.running ? "run" : "pause" });
    showButtons();
  }

  function pause() {
    if (!state.running) return;
    state.running = false;
    worker.postMessage({ type: "pause" });
    showButtons();
  }

  runButton.addEventListener("click", run);
  stepButton.addEventListener("click", () => {
    state.running = false;
    worker.postMessage({ type: "step" });
    showButtons();
  });
  resetButton.addEventListener("click", () => {
    restart(state.settings);
    message.textContent = "Reset: the same network again, untrained.";
  });
  for (const button of presetButtons) button.addEventListener("click", () => choosePreset(button.dataset.preset));
  form.addEventListener("change", settingChanged);
  form.addEventListener("submit", (event) => event.preventDefault());
  const hidden = () => { if (document.hidden) pause(); };  // never train out of sight
  document.addEventListener("visibilitychange", hidden);

  // -------------------------------------------------------------- reports
  function remember(report) {
    const point = { epochs: report.epochs, updates: report.updates, loss: report.loss,
      accuracy: report.heldOutAccuracy, speeds: report.speeds };
    const history = state.history;
    if (history.length && history[history.length - 1].updates === report.updates) history[history.length - 1] = point;
    else history.push(point);
    if (history.length > HISTORY_LIMIT) state.history = history.filter((_, i) => i % 2 === 1 || i === history.length - 1);
  }

  worker.addEventListener("message", ({ data: reply }) => {
    if (!element.isConnected) { destroy(); return; }  // the page moved on: stop training
    if (reply.generation !== state.generation) return;  // from before a reset
    if (reply.type === "error") {
      state.running = false;
      message.textContent = `The lab stopped: ${reply.message}.`;
      status.textContent = "";
      showButtons();
      return;
    }
    const { report } = reply;
    state.report = report;
    state.epochMs = reply.epochMs;
    remember(report);
    if (state.running && !reply.running) state.summaryDue = true;
    state.running = reply.running;
    if (report.diverged && !state.diverged) {
      state.diverged = true;
      message.textContent = "The loss is no longer a finite number: the run diverged and training stopped. Try a smaller learning rate, then reset.";
    }
    if (!state.running) state.summaryDue = true;
    // For tests, as soon as a report arrives (the buttons change now too, the plots next frame).
    element.dataset.generation = String(state.generation);
    element.dataset.updates = String(report.updates);
    element.dataset.epochMs = reply.epochMs === null ? "" : String(reply.epochMs);
    element.dataset.report = JSON.stringify(report);
    if (reply.stopped) {
      message.textContent = `Paused after ${state.settings.stopAfter} epochs, as "Stop after" asks (Start trains on). ${state.note}`.trim();
    }
    showButtons();
    scheduleDraw();
  });
  worker.addEventListener("error", (event) => {
    message.textContent = `The lab's worker failed${event.message ? `: ${event.message}` : ""}.`;
  });

  // -------------------------------------------------------------- drawing
  function sizeOf(svg) {
    let size = state.sizes.get(svg);
    if (!size) {
      const box = svg.getBoundingClientRect();
      size = { width: Math.max(200, Math.round(box.width)), height: Math.max(100, Math.round(box.height)) };
      state.sizes.set(svg, size);
      svg.setAttribute("viewBox", `0 0 ${size.width} ${size.height}`);
    }
    return size;
  }

  function scheduleDraw() {
    if (state.frame || state.destroyed) return;
    const wait = state.drawnAt + DRAW_EVERY_MS - performance.now();
    if (wait > 0 && state.running) {
      state.frame = -1;  // a frame is promised: requested when the timer fires
      state.timer = setTimeout(() => { state.frame = requestAnimationFrame(draw); }, wait);
    } else {
      state.frame = requestAnimationFrame(draw);
    }
  }

  function draw() {
    state.frame = 0;
    state.drawnAt = performance.now();
    const { report, settings, history } = state;
    if (!report) return;
    drawLoss(plots.loss, sizeOf(plots.loss), history);
    drawAccuracy(plots.accuracy, sizeOf(plots.accuracy), history);
    drawSpeeds(plots.speeds, sizeOf(plots.speeds), history);
    drawWeak(plots.weak, sizeOf(plots.weak), report.weak);
    const word = weakWord(settings.activation);
    element.querySelector("[data-weak-caption]").textContent = `Share of ${word} units per hidden layer now`;
    status.textContent = `${report.epochs.toFixed(2)} epochs · ${report.updates} updates · ` +
      (state.epochMs === null ? "one epoch's time: not measured yet" : `last epoch ${Math.round(state.epochMs)} ms`);
    const now = performance.now();
    if (state.summaryDue || now - state.summaryAt >= SUMMARY_EVERY_MS) {
      summary.textContent = sentence(report, settings);
      state.summaryAt = now;
      state.summaryDue = false;
    }
    if (details.open) fillTables();
    element.dataset.ready = "true";
  }

  function fillTables() {
    const { report, settings, history } = state;
    if (!report) return;
    element.querySelector("[data-weak-heading]").textContent = `${weakWord(settings.activation)} units`;
    rows(element.querySelector("[data-layers] tbody"), report.speeds.map((speed, l) => [
      l < report.weak.length ? String(l + 1) : `${l + 1} (output)`, magnitude(speed),
      l < report.weak.length ? percent(report.weak[l]) : "—"]));
    const step = Math.max(1, Math.ceil(history.length / TABLE_ROWS));
    const shown = history.filter((_, i) => (history.length - 1 - i) % step === 0);
    rows(element.querySelector("[data-history] tbody"), shown.map((h) => [
      h.epochs.toFixed(2), Number.isFinite(h.loss) ? h.loss.toFixed(3) : String(h.loss), percent(h.accuracy)]));
  }
  details.addEventListener("toggle", () => { if (details.open) fillTables(); });

  const resized = new ResizeObserver(() => {
    state.sizes.clear();
    scheduleDraw();
  });
  resized.observe(element.querySelector(".vg-lab__plots"));

  function destroy() {
    if (state.destroyed) return;
    state.destroyed = true;
    worker.terminate();
    resized.disconnect();
    document.removeEventListener("visibilitychange", hidden);
    clearTimeout(state.timer);
    if (state.frame > 0) cancelAnimationFrame(state.frame);
  }

  // -------------------------------------------------------------- start
  const params = new URLSearchParams(window.location.search);
  if (queryHasSettings(params)) {
    restart(settingsFromQuery(params));  // a shared link reproduces its run
    message.textContent = "The settings come from the page's address.";
  } else if (presetIds.length) {
    choosePreset(presetIds[0], { address: false });
  } else {
    restart(normaliseSettings({}));
  }
  return { element, destroy };
}
