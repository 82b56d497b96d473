// What the edge-of-chaos explorer says about one grid point (chapters/edge-of-chaos-explorer.md):
// pure functions of the grid that snippets/figures/edge_of_chaos/explorer.py writes, with no
// DOM, so tests/test_explorer_model.py runs them under Node.js for every grid point.
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

  function selection(grid, state) {
    const point = grid.points[state.activation][state.bias][state.weight];
    const depth = state.depth;
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
    };
  }

  function sentence(grid, state, result) {
    const label = grid.activations.find((a) => a.name === state.activation).label;
    const depth = state.depth;
    const weak = result.weakMeasured[depth];
    return `${label}, weight variance ${number(grid.weightVariances[state.weight])}, bias `
      + `variance ${grid.biasVariances[state.bias]}, ${depth} layers. The mean-field theory `
      + `predicts that the mean squared gradient ${trend(result.predicted[0])} from layer `
      + `${depth} to layer 0 (${power(result.predicted[0])}); averaged over ${grid.networks} `
      + `networks it ${trend(result.mean[0])} (${power(result.mean[0])}). A typical network's `
      + `gradient ${trend(result.typical[0])} (${power(result.typical[0])}; 8 networks in 10 between `
      + `${power(result.typicalLow[0])} and ${power(result.typicalHigh[0])}). In layer `
      + `${depth}, ${weak} % of the units pass back less than a tenth of the largest gradient `
      + `${label} can pass.`;
  }

  const api = { power, number, trend, selection, sentence, LEVEL };
  root.vgExplorerModel = api;
  if (typeof module !== "undefined" && module.exports) module.exports = api;
})(typeof window !== "undefined" ? window : globalThis);
