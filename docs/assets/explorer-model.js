// What the edge-of-chaos explorer says about one grid point (chapters/edge-of-chaos-explorer.md):
// pure functions of the grid that snippets/figures/edge_of_chaos/explorer.py writes, with no
// DOM, so tests/test_explorer_model.py runs them under Node.js for every grid point. χ₁, the
// phase and the critical σ_w² are the mean field of snippets/core/mean_field.py redone here, with
// its quadrature and the activations' shapes read from the grid; the same test checks them
// against the Python code.
(function (root) {
  "use strict";
  const SUPERSCRIPT = { "-": "⁻", "−": "⁻", ".": "·", 0: "⁰", 1: "¹", 2: "²", 3: "³", 4: "⁴",
    5: "⁵", 6: "⁶", 7: "⁷", 8: "⁸", 9: "⁹" };
  // A change of the squared gradient within a factor of 2 (0.3 decades) either way is "level".
  const LEVEL = 0.3;

  function power(exponent) {
    // 10 to a power, as text: "10⁻³·²"
    const text = exponent.toFixed(Math.abs(exponent) < 10 ? 1 : 0).replace(/\.0$/, "")
      .replace(/^-0$/, "0");
    return "10" + Array.from(text).map((c) => SUPERSCRIPT[c] || c).join("");
  }

  function number(value) {
    return value >= 10 ? value.toFixed(0) : value >= 1 ? value.toFixed(2).replace(/0$/, "")
      : value.toFixed(3).replace(/0+$/, "");
  }

  function trend(change) {
    return change < -LEVEL ? "shrinks" : change > LEVEL ? "grows" : "keeps its size";
  }

  // log10 ‖δ^l‖²/‖δ^L‖² for l = 0 … L, from per-layer log10 steps stored in `scale`ths.
  function cumulative(steps, depth, scale) {
    const values = new Array(depth + 1).fill(0);
    for (let l = depth - 1; l >= 0; l--) values[l] = values[l + 1] + steps[l] / scale;
    return values;
  }

  // ------------------------------------------------ mean field (snippets/core/mean_field.py)
  const BASES = {
    identity: { phi: (h) => h, slope: () => 1 },
    tanh: { phi: Math.tanh,
      slope: (h) => { const e = Math.exp(-2 * Math.abs(h)); return 4 * e / ((1 + e) * (1 + e)); } },
    sigmoid: { phi: (h) => Math.exp(Math.min(h, 0)) / (1 + Math.exp(-Math.abs(h))),
      slope: (h) => { const e = Math.exp(-Math.abs(h)); return e / ((1 + e) * (1 + e)); } },
  };
  const caches = new WeakMap(); // grid → Map of computed χ₁ and critical points

  function cached(grid, key, compute) {
    if (!caches.has(grid)) caches.set(grid, new Map());
    const cache = caches.get(grid);
    if (!cache.has(key)) cache.set(key, compute());
    return cache.get(key);
  }

  // φ and φ′: the grid's base shape for h > 0, negativeScale times it for h ≤ 0.
  function meanFieldActivation(grid, name) {
    const { base, negativeScale } = grid.activations.find((a) => a.name === name);
    const { phi, slope } = BASES[base];
    return { phi: (h) => (h > 0 ? phi(h) : negativeScale * phi(h)),
      slope: (h) => (h > 0 ? slope(h) : negativeScale * slope(h)) };
  }

  // E[f(h)], h ~ N(0, variance): the midpoint rule in t on h = a·sinh(t), a = min(1, √variance).
  function expectation(grid, f, variance) {
    const { quadratureStep: step, quadratureReach: reach } = grid.meanField;
    const sd = Math.sqrt(variance), a = Math.min(1, sd);
    const half = Math.ceil(Math.asinh(reach * sd / a) / step);
    const norm = 1 / (sd * Math.sqrt(2 * Math.PI));
    let total = 0;
    for (let i = -half; i < half; i++) {
      const t = (i + 0.5) * step, h = a * Math.sinh(t);
      total += a * Math.cosh(t) * step * Math.exp(-0.5 * (h / sd) ** 2) * norm * f(h);
    }
    return total;
  }

  // The point where below(x) turns from true to false, halving [low, high] (geometrically).
  function bisect(below, low, high, geometric, tolerance) {
    for (let i = 0; i < 200 && high - low > tolerance * high; i++) {
      const middle = geometric ? Math.sqrt(low) * Math.sqrt(high) : (low + high) / 2;
      if (below(middle)) low = middle; else high = middle;
    }
    return (low + high) / 2;
  }

  // q* = σ_w² E[φ(h)²] + σ_b² with h ~ N(0, q*): 0 when the signal dies, ∞ when it explodes.
  function fixedPoint(grid, act, weight, bias) {
    const { smallestLength, maxLength } = grid.meanField;
    const excess = (q) => (q === 0 ? weight * act.phi(0) ** 2
      : weight * expectation(grid, (h) => act.phi(h) ** 2, q)) + bias - q;
    let low = Math.sqrt(smallestLength);
    if (bias > 0) low = Math.min(low, bias / 2);
    if (excess(low) <= 0) return 0;
    let high = 1;
    while (excess(high) > 0) {
      if (high >= maxLength) return Infinity;
      high = Math.min(2 * high, maxLength);
    }
    return bisect((q) => excess(q) > 0, low, high, true, 1e-14);
  }

  // χ₁ = σ_w² E[φ′(h)²], h ~ N(0, q*): the factor of the squared gradient per layer, deep down.
  function chi1(grid, name, weight, bias) {
    return cached(grid, `chi ${name} ${weight} ${bias}`, () => {
      const act = meanFieldActivation(grid, name);
      const q = fixedPoint(grid, act, weight, bias);
      if (q === Infinity) return weight * 0.5 * (act.slope(-Infinity) ** 2 + act.slope(Infinity) ** 2);
      const variance = Math.max(q, grid.meanField.smallestLength);
      return weight * expectation(grid, (h) => act.slope(h) ** 2, variance);
    });
  }

  // The phase of χ₁: critical when its depth scale ξ = 1/|ln χ₁| reaches the grid's depth, so
  // that χ₁ alone changes the squared gradient by less than a factor e over the whole network.
  function phase(grid, chi) {
    const depthScale = chi === 1 ? Infinity : 1 / Math.abs(Math.log(chi));
    const name = depthScale >= grid.depth ? "critical" : chi < 1 ? "ordered" : "chaotic";
    return { name, depthScale };
  }

  // The σ_w² on the slider's range where χ₁ = 1 at this activation and σ_b² (null if none),
  // and its place on the slider: a fractional index, log-linear between neighbouring values.
  function critical(grid, name, bias) {
    return cached(grid, `critical ${name} ${bias}`, () => {
      const values = grid.weightVariances;
      const low = values[0], high = values[values.length - 1];
      const excess = (w) => chi1(grid, name, w, bias) - 1;
      if (!(excess(low) < 0 && excess(high) > 0)) return null;
      const value = bisect((w) => excess(w) < 0, low, high, true, 1e-12);
      const i = Math.max(0, values.findIndex((w) => w >= value) - 1);
      const index = i + Math.log(value / values[i]) / Math.log(values[i + 1] / values[i]);
      return { value, index, position: index / (values.length - 1) };
    });
  }

  function selection(grid, state) {
    const point = grid.points[state.activation][state.bias][state.weight];
    const depth = state.depth;
    const chi = chi1(grid, state.activation, grid.weightVariances[state.weight],
      grid.biasVariances[state.bias]);
    // The log of one network's gradient is a sum of independent per-layer terms: its mean and
    // variance add over the layers; the band holds 8 networks in 10 (± grid.band sd).
    const variances = cumulative(point.stepSpread.map((s) => s * s), depth, 1e4);
    const typical = cumulative(point.stepTypical, depth, 100);
    const scale = grid.activations.find((a) => a.name === state.activation).quantileScale;
    const quantile = (row) => row.slice(0, depth + 1).map((v) => v / scale);
    return {
      layers: Array.from({ length: depth + 1 }, (_, l) => l),
      mean: cumulative(point.stepTypical.map((s, k) => s + point.stepGap[k]), depth, 100),
      typical,
      typicalLow: typical.map((t, l) => t - grid.band * Math.sqrt(variances[l])),
      typicalHigh: typical.map((t, l) => t + grid.band * Math.sqrt(variances[l])),
      predicted: cumulative(point.stepPredicted, depth, 100),
      low: quantile(point.quantiles[0]),
      high: quantile(point.quantiles[1]),
      weakMeasured: point.weakMeasured.slice(0, depth + 1),
      weakPredicted: point.weakPredicted.slice(0, depth + 1),
      chi: chi,
      phase: phase(grid, chi),
    };
  }

  const PHASES = {
    ordered: "ordered phase",
    critical: "critical: the edge of chaos",
    chaotic: "chaotic phase",
  };

  function chiText(chi) {
    return chi.toPrecision(3);
  }

  function depthScaleText(depthScale) {
    return depthScale === Infinity ? "∞" : depthScale >= 1e4 ? power(Math.log10(depthScale))
      : number(depthScale);
  }

  // The readout beside the controls: χ₁, its phase, and what the phase means for the gradient.
  function readout(grid, state, result) {
    const { name, depthScale } = result.phase;
    const xi = depthScaleText(depthScale);
    const detail = name === "critical"
      ? `Its depth scale ξ = 1/|ln χ₁| = ${xi} layers is longer than the ${grid.depth} layers `
        + `of these networks: deep down, no layer changes the squared gradient much.`
      : `Deep down, each layer multiplies the squared gradient by χ₁: it `
        + `${name === "ordered" ? "shrinks" : "grows"} by a factor e every ξ = 1/|ln χ₁| = ${xi} `
        + `layers.`;
    return { chi: chiText(result.chi), phase: name, phaseText: PHASES[name], detail };
  }

  function sentence(grid, state, result) {
    const label = grid.activations.find((a) => a.name === state.activation).label;
    const depth = state.depth;
    const weak = result.weakMeasured[depth];
    return `${label}, weight variance ${number(grid.weightVariances[state.weight])}, bias `
      + `variance ${grid.biasVariances[state.bias]}, ${depth} layers. χ₁ = ${chiText(result.chi)}`
      + `, ${PHASES[result.phase.name]}. The mean-field theory `
      + `predicts that the mean squared gradient ${trend(result.predicted[0])} from layer `
      + `${depth} to layer 0 (${power(result.predicted[0])}); averaged over ${grid.networks} `
      + `networks it ${trend(result.mean[0])} (${power(result.mean[0])}). A typical network's `
      + `gradient ${trend(result.typical[0])} (${power(result.typical[0])}; 8 networks in 10 between `
      + `${power(result.typicalLow[0])} and ${power(result.typicalHigh[0])}). In layer `
      + `${depth}, ${weak} % of the units pass back less than a tenth of the largest gradient `
      + `${label} can pass.`;
  }

  const api = { power, number, trend, selection, sentence, readout, chi1, phase, critical,
    depthScaleText, LEVEL };
  root.vgExplorerModel = api;
  if (typeof module !== "undefined" && module.exports) module.exports = api;
})(typeof window !== "undefined" ? window : globalThis);
