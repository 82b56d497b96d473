// The edge-of-chaos explorer (chapters/edge-of-chaos-explorer.md). It draws, as plain SVG, the
// grid that snippets/experiments/edge_of_chaos/explorer.py computes at build time and
// snippets/figures/edge_of_chaos/explorer.py writes to figures/edge-of-chaos-explorer.json:
// no framework, no request off the site. Material swaps pages without reloading, so it starts
// on every `document$` emission and does nothing on pages without an explorer.
(function () {
  "use strict";
  const SVG = "http://www.w3.org/2000/svg";
  const grids = new Map(); // data URL → promise of the parsed grid, fetched once per visit
  const { power, number, selection, sentence } = window.vgExplorerModel;

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

  function plot(svg, spec) {
    svg.replaceChildren();
    // One SVG unit per CSS pixel, so text keeps its size on a phone and on a desktop.
    const width = Math.max(300, Math.round(svg.getBoundingClientRect().width) || 640);
    const height = Math.round(Math.min(260, Math.max(200, width * 0.4)));
    const left = 60, right = 12, top = 12, bottom = 40;
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
        spec.tickLabel ? spec.tickLabel(v) : String(v);
    }
    for (const l of ticks(0, spec.depth, 5)) {
      element("text", { x: x(l), y: height - bottom + 16, "text-anchor": "middle" }, axes)
        .textContent = String(l);
    }
    element("text", { x: (left + width - right) / 2, y: height - 4, "text-anchor": "middle" }, axes)
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
    // Start where the chapter starts: tanh without biases at σ_w² = 1, 50 layers.
    activation.value = "tanh";
    weight.value = String(grid.weightVariances.indexOf(1));
    bias.value = "0";
    depth.value = String(grid.depth);
    const update = () => {
      weight.setAttribute("aria-valuetext", `σ_w² = ${number(grid.weightVariances[+weight.value])}`);
      draw(root, grid, { activation: activation.value, bias: +bias.value,
        weight: +weight.value, depth: +depth.value });
    };
    form.addEventListener("input", update);
    // Redraw when the column changes width (rotating a phone, resizing a window).
    let drawnWidth = 0;
    new ResizeObserver(([entry]) => {
      const width = Math.round(entry.contentRect.width);
      if (width !== drawnWidth) { drawnWidth = width; update(); }
    }).observe(root.querySelector("[data-plot]"));
    form.addEventListener("submit", (event) => event.preventDefault());
    update();
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
