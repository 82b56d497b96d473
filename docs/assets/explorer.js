// The edge-of-chaos explorer (chapters/edge-of-chaos-explorer.md). It draws, as plain SVG, the
// grid that snippets/experiments/edge_of_chaos/explorer.py computes at build time and
// snippets/figures/edge_of_chaos/explorer.py writes to figures/edge-of-chaos-explorer.json:
// no framework, no request off the site. Material swaps pages without reloading, so it starts
// on every `document$` emission and does nothing on pages without an explorer.
(function () {
  "use strict";
  const SVG = "http://www.w3.org/2000/svg";
  const grids = new Map(); // data URL → promise of the parsed grid, fetched once per visit
  const { power, number, selection, sentence, readout, critical, depthScaleText } =
    window.vgExplorerModel;

  function element(name, attributes, parent) {
    const node = document.createElementNS(SVG, name);
    for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, value);
    if (parent) parent.appendChild(node);
    return node;
  }

  // ------------------------------------------------------------------ drawing
  function ticks(low, high, count) {
    const raw = (high - low) / count;
    const magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
    const step = [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= raw);
    const values = [];
    for (let v = Math.ceil(low / step) * step; v <= high + 1e-9; v += step) values.push(+v.toPrecision(6));
    return values;
  }

  // Axis numbers short enough for the margin: 40000000 as 4·10⁷.
  function compact(value) {
    if (Math.abs(value) < 1e4) return String(value);
    const exponent = Math.floor(Math.log10(Math.abs(value)));
    const mantissa = +(value / 10 ** exponent).toPrecision(2);
    return `${mantissa === 1 ? "" : `${mantissa}·`}${power(exponent)}`;
  }

  function plot(svg, spec) {
    svg.replaceChildren();
    // One SVG unit per CSS pixel, so text keeps its size on a phone and on a desktop; the
    // stylesheet sets the size, small enough for the controls and all three plots to share
    // one screen.
    const box = svg.getBoundingClientRect();
    const width = Math.max(240, Math.round(box.width) || 640);
    const height = Math.max(100, Math.round(box.height) || 200);
    const left = 60, right = 12, top = 10, bottom = 22;
    svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
    const all = spec.series.flatMap((s) => s.values).concat(spec.band ? spec.band.flat() : []);
    let low = Math.min(...all, spec.floor ?? Infinity), high = Math.max(...all, spec.ceiling ?? -Infinity);
    if (high - low < 1e-9) { low -= 1; high += 1; }
    const x = (l) => left + (width - left - right) * l / spec.depth;
    const y = (v) => top + (height - top - bottom) * (high - v) / (high - low);
    const axes = element("g", { class: "vg-axes" }, svg);
    for (const v of ticks(low, high, 4)) {
      element("line", { x1: left, x2: width - right, y1: y(v), y2: y(v), class: "vg-grid" }, axes);
      element("text", { x: left - 6, y: y(v) + 4, "text-anchor": "end" }, axes).textContent =
        (spec.tickLabel || compact)(v);
    }
    for (const l of ticks(0, spec.depth, 5)) {
      element("text", { x: x(l), y: height - bottom + 16, "text-anchor": "middle" }, axes)
        .textContent = String(l);
    }
    // The x axis's name sits in the corner under the y axis's numbers, on the row of its own.
    element("text", { x: left - 10, y: height - bottom + 16, "text-anchor": "end" }, axes)
      .textContent = "layer l";
    element("text", { x: 12, y: top + (height - top - bottom) / 2, "text-anchor": "middle",
      transform: `rotate(-90 12 ${top + (height - top - bottom) / 2})` }, axes).textContent = spec.yLabel;
    if (spec.band) {
      const [lower, upper] = spec.band;
      const points = lower.map((v, l) => `${x(l)},${y(v)}`)
        .concat(upper.map((v, l) => `${x(l)},${y(v)}`).reverse());
      element("polygon", { points: points.join(" "), class: spec.bandClass || "vg-band" }, svg);
    }
    for (const series of spec.series) {
      const d = series.values.map((v, l) => `${l ? "L" : "M"}${x(l).toFixed(1)},${y(v).toFixed(1)}`);
      element("path", { d: d.join(""), class: series.className }, svg);
    }
  }

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, (_, key) => values[key]);
  }

  function draw(root, grid, state) {
    const result = selection(grid, state);
    plot(root.querySelector("[data-plot=gradient]"), {
      depth: state.depth, yLabel: "‖δˡ‖² / ‖δᴸ‖²", tickLabel: (v) => power(v),
      band: [result.typicalLow, result.typicalHigh], bandClass: "vg-band vg-band--typical",
      series: [{ values: result.predicted, className: "vg-predicted" },
        { values: result.mean, className: "vg-measured" },
        { values: result.typical, className: "vg-typical" }],
    });
    plot(root.querySelector("[data-plot=activations]"), {
      depth: state.depth, yLabel: "φ(hˡ)", band: [result.low, result.high],
      series: [],
    });
    plot(root.querySelector("[data-plot=weak]"), {
      depth: state.depth, yLabel: "weak units (%)", floor: 0, ceiling: 100,
      series: [{ values: result.weakPredicted, className: "vg-predicted" },
        { values: result.weakMeasured, className: "vg-measured" }],
    });
    root.querySelector("[data-summary]").textContent = sentence(grid, state, result);
    const said = readout(grid, state, result);
    root.querySelector("[data-chi]").textContent = said.chi;
    const phase = root.querySelector("[data-phase]");
    phase.textContent = said.phaseText;
    phase.dataset.phase = said.phase;
    root.querySelector("[data-phase-detail]").textContent = said.detail;
    root.querySelector("[data-value=weight]").textContent = number(grid.weightVariances[state.weight]);
    root.querySelector("[data-value=depth]").textContent = String(state.depth);
    // Cells are set as text, never parsed as HTML: they come from a data file.
    const rows = result.layers.map((l) => {
      const row = document.createElement("tr");
      for (const text of [String(l), power(result.predicted[l]), power(result.mean[l]),
        `${power(result.typical[l])} (${power(result.typicalLow[l])} … ${power(result.typicalHigh[l])})`,
        `${result.low[l]} … ${result.high[l]}`, `${result.weakMeasured[l]} %`]) {
        row.appendChild(document.createElement("td")).textContent = text;
      }
      return row;
    });
    root.querySelector("[data-table] tbody").replaceChildren(...rows);
    return { result, said };
  }

  // The edge of chaos on the weight slider: where χ₁ = 1 for this activation and σ_b².
  function markCritical(root, grid, state) {
    const found = critical(grid, state.activation, grid.biasVariances[state.bias]);
    const mark = root.querySelector("[data-critical]");
    mark.hidden = !found;
    if (found) {
      mark.style.setProperty("--vg-position", String(found.position));
      mark.dataset.value = String(found.value);
      root.querySelector("[data-critical-label]").textContent = `χ₁ = 1 at ${number(found.value)}`;
    }
    return found;
  }

  // ------------------------------------------------------------------ controls
  function start(root, grid) {
    const form = root.querySelector("form");
    const activation = form.elements.activation, bias = form.elements.bias;
    activation.replaceChildren(...grid.activations.map((a) => new Option(a.label, a.name)));
    bias.replaceChildren(...grid.biasVariances.map((b, i) => new Option(String(b), String(i))));
    const weight = form.elements.weight, depth = form.elements.depth;
    weight.max = String(grid.weightVariances.length - 1);
    depth.max = String(grid.depth);
    const presets = [...root.querySelectorAll("[data-preset]")];
    const note = root.querySelector("[data-preset-note]");
    const nearest = (values, value) => values.reduce((best, v, i) =>
      (Math.abs(Math.log(v / value)) < Math.abs(Math.log(values[best] / value)) ? i : best), 0);
    const state = () => ({ activation: activation.value, bias: +bias.value,
      weight: +weight.value, depth: +depth.value });
    const update = () => {
      const now = state();
      const found = markCritical(root, grid, now);
      const value = number(grid.weightVariances[now.weight]);
      weight.setAttribute("aria-valuetext", `σ_w² = ${value}` + (found
        ? `; χ₁ = 1 at σ_w² = ${number(found.value)}` : ""));
      return { ...draw(root, grid, now), found };
    };
    // A preset names its settings in its data attributes; "critical" is the grid's σ_w² nearest
    // the edge of chaos for its activation and σ_b².
    const apply = (button) => {
      activation.value = button.dataset.activation;
      bias.value = String(grid.biasVariances.indexOf(+button.dataset.bias));
      depth.value = button.dataset.depth;
      const found = critical(grid, activation.value, +button.dataset.bias);
      const target = button.dataset.weight !== "critical" ? +button.dataset.weight
        : found ? found.value : grid.weightVariances[+weight.value];
      weight.value = String(nearest(grid.weightVariances, target));
      const { result, said } = update();
      presets.forEach((other) => other.classList.toggle("vg-preset--current", other === button));
      note.textContent = fill(button.dataset.note, { chi: said.chi,
        xi: depthScaleText(result.phase.depthScale), critical: found ? number(found.value) : "—",
        weak: String(result.weakMeasured[result.layers.length - 1]) });
    };
    for (const button of presets) {
      button.addEventListener("click", () => {
        apply(button);
        // On a phone the buttons sit above the plots: bring the plots back into view.
        const stage = root.querySelector("[data-stage]").getBoundingClientRect();
        if (stage.top < 0 || stage.bottom > window.innerHeight) {
          root.querySelector("[data-stage]").scrollIntoView({ block: "start" });
        }
      });
    }
    form.addEventListener("input", () => {
      update();
      presets.forEach((button) => button.classList.remove("vg-preset--current"));
      note.textContent = "";
    });
    // Redraw when the column changes size (rotating a phone, resizing a window).
    let drawnSize = "";
    new ResizeObserver(([entry]) => {
      const size = `${Math.round(entry.contentRect.width)}×${Math.round(entry.contentRect.height)}`;
      if (size !== drawnSize) { drawnSize = size; update(); }
    }).observe(root.querySelector("[data-plot]"));
    form.addEventListener("submit", (event) => event.preventDefault());
    // Start where the chapter starts, the first preset: tanh without biases at σ_w² = 1.
    apply(presets[0]);
    root.dataset.ready = "true";
  }

  function initialise() {
    for (const root of document.querySelectorAll(".vg-explorer:not([data-ready])")) {
      const url = root.querySelector("a[data-grid]").href;
      if (!grids.has(url)) {
        grids.set(url, fetch(url).then((response) => {
          if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
          return response.json();
        }));
      }
      grids.get(url).then((grid) => start(root, grid)).catch((error) => {
        grids.delete(url);
        root.querySelector("[data-summary]").textContent =
          `The explorer's data could not be loaded (${error.message}); the table below shows the same results.`;
      });
    }
  }

  if (typeof document$ !== "undefined") document$.subscribe(initialise);
  else document.addEventListener("DOMContentLoaded", initialise);
})();
