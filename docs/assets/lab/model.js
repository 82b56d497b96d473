// The training lab's network: the computation of snippets/core/networks.py, in plain
// JavaScript, in float64. Pure (no DOM): the page's worker trains with it, and
// tests/test_lab_model.py runs it under the project's pinned Node.js against the Python with
// the same weights and batches (relative error at most 1e-12).
//
// Notation as in the chapters: layer l computes z^l = a^{l−1} W^l + b^l and a^l = φ(z^l),
// a^0 = x, rows are examples; δ^L = a^L − y (softmax with log-likelihood, or sigmoid with
// cross-entropy); δ^l = (δ^{l+1} (W^{l+1})ᵀ) ⊙ φ′(z^l); ∂C/∂b^l = mean of δ^l and
// ∂C/∂W^l = (a^{l−1})ᵀ δ^l / rows. Weights are row-major Float64Arrays, W[i·n_out + j].

export const ACTIVATIONS = ["sigmoid", "tanh", "relu", "leaky_relu"];
export const INITIALISATIONS = ["standard", "lecun", "xavier", "he", "variance"];
export const OUTPUTS = ["softmax", "sigmoid"];
export const RESIDUAL = ["off", "on"];
export const NORMALISATIONS = ["none", "layer"];
export const EPSILON = 1e-5;      // added to a variance before its square root, as chapter 6's
export const LEAKY_SLOPE = 0.01;  // Maas, Hannun & Ng (2013), as snippets/core/activations.py
export const WEAK = 0.1;          // a unit is weak when φ′(z) is below a tenth of its maximum
export const PROBE_ROWS = 200;    // training digits on which speeds and the loss are measured
const INPUTS = 64;
const CLASSES = 10;

export const DEFAULTS = Object.freeze({
  activation: "sigmoid", depth: 4, width: 30, init: "lecun", weightVariance: 1,
  biasMean: 0, biasStd: 1, learningRate: 0.1, batchSize: 10, seed: 1, output: "softmax",
  stopAfter: 0,  // epochs after which a run pauses by itself (0: it runs until paused)
  residual: "off", normalisation: "none",  // chapter 6's switches
});

// Inclusive ranges; depth, width, batchSize and seed are integers. They bound the work of
// one update (depth × width² × batchSize) and the memory of a network.
export const LIMITS = Object.freeze({
  depth: [1, 50], width: [1, 128], weightVariance: [0.01, 16], biasMean: [-5, 5],
  biasStd: [0, 2], learningRate: [0.0001, 10], batchSize: [1, 1000], seed: [0, 2 ** 31 - 1],
  stopAfter: [0, 1000],
});
const INTEGERS = new Set(["depth", "width", "batchSize", "seed", "stopAfter"]);
const CHOICES = { activation: ACTIVATIONS, init: INITIALISATIONS, output: OUTPUTS,
  residual: RESIDUAL, normalisation: NORMALISATIONS };

/** Full settings from a partial object; a RangeError names a bad parameter and its range. */
export function normaliseSettings(partial = {}) {
  const settings = { ...DEFAULTS };
  for (const [key, value] of Object.entries(partial ?? {})) {
    if (!Object.hasOwn(DEFAULTS, key)) throw new RangeError(`unknown setting ${describe(key)}`);
    if (Object.hasOwn(CHOICES, key)) {
      if (!CHOICES[key].includes(value)) {
        throw new RangeError(`${key} must be one of ${CHOICES[key].join(", ")}, got ${describe(value)}`);
      }
      settings[key] = value;
      continue;
    }
    const number = typeof value === "string" && value.trim() !== "" ? Number(value) : value;
    const [low, high] = LIMITS[key];
    const integer = INTEGERS.has(key);
    if (typeof number !== "number" || !Number.isFinite(number) || number < low ||
        number > high || (integer && !Number.isInteger(number))) {
      throw new RangeError(`${key} must be ${integer ? "an integer" : "a number"} in ` +
                           `[${low}, ${high}], got ${describe(value)}`);
    }
    settings[key] = number + 0;  // −0 → 0
  }
  return settings;
}

/** A bad value as a message can show it (a Symbol or a null-prototype object cannot be
 *  turned into a string by a template). */
function describe(value) {
  try {
    return typeof value === "string" ? JSON.stringify(value) : String(value);
  } catch {
    return typeof value;
  }
}

const QUERY_PREFIX = "lab-";

/** Settings read from a page address's parameters (lab-depth=10 …): a missing or bad value
 *  keeps its default, so a mistyped link still opens a working lab. */
export function settingsFromQuery(params) {
  const settings = { ...DEFAULTS };
  for (const key of Object.keys(DEFAULTS)) {
    const value = params.get(QUERY_PREFIX + key);
    if (value === null) continue;
    try {
      settings[key] = normaliseSettings({ [key]: value })[key];
    } catch (error) {
      if (!(error instanceof RangeError)) throw error;
    }
  }
  return settings;
}

/** Whether the address names any lab setting. */
export function queryHasSettings(params) {
  return Object.keys(DEFAULTS).some((key) => params.has(QUERY_PREFIX + key));
}

/** The non-default settings as address parameters, in the order of DEFAULTS. */
export function settingsToQuery(settings) {
  const params = new URLSearchParams();
  for (const key of Object.keys(DEFAULTS)) {
    if (settings[key] !== DEFAULTS[key]) params.set(QUERY_PREFIX + key, String(settings[key]));
  }
  return params.toString();
}

// ------------------------------------------------------------------ random numbers
/** A seeded generator (xoshiro128**, seeded by splitmix32): uniform in [0, 1) with 53 random
 *  bits, normal by Box–Muller, and Fisher–Yates permutations. Not numpy's stream: the parity
 *  test hands the Python's weights and batches to this code instead. */
export function createGenerator(seed) {
  let s = seed >>> 0;
  const state = new Uint32Array(4);
  for (let i = 0; i < 4; i++) {  // splitmix32
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    state[i] = (z ^ (z >>> 16)) >>> 0;
  }
  function next() {
    const result = Math.imul(rotate(Math.imul(state[1], 5), 7), 9) >>> 0;
    const t = state[1] << 9;
    state[2] ^= state[0]; state[3] ^= state[1]; state[1] ^= state[2]; state[0] ^= state[3];
    state[2] ^= t; state[3] = rotate(state[3], 11);
    return result;
  }
  let spare = null;
  const generator = {
    uniform() { return ((next() >>> 5) * 67108864 + (next() >>> 6)) / 9007199254740992; },
    normal() {
      if (spare !== null) { const value = spare; spare = null; return value; }
      const radius = Math.sqrt(-2 * Math.log(1 - generator.uniform()));  // 1 − u ∈ (0, 1]
      const angle = 2 * Math.PI * generator.uniform();
      spare = radius * Math.sin(angle);
      return radius * Math.cos(angle);
    },
    permutation(n) {
      const order = new Int32Array(n);
      for (let i = 0; i < n; i++) order[i] = i;
      for (let i = n - 1; i > 0; i--) {
        const j = Math.floor(generator.uniform() * (i + 1));
        const swap = order[i]; order[i] = order[j]; order[j] = swap;
      }
      return order;
    },
  };
  return generator;
}

function rotate(x, k) { return ((x << k) | (x >>> (32 - k))) >>> 0; }

// ------------------------------------------------------------------ networks
/** A network from plain arrays: weights[l] row-major (sizes[l] × sizes[l+1]). */
export function networkFromArrays({ sizes, weights, biases, activation, output,
  residual = "off", normalisation = "none" }) {
  return {
    sizes: [...sizes], activation, output, residual, normalisation,
    weights: weights.map((w) => Float64Array.from(w)),
    biases: biases.map((b) => Float64Array.from(b)),
  };
}

/** The network the settings describe, drawn from ``generator``: weights from the chosen law
 *  in every layer; biases N(biasMean, biasStd²) in hidden layers, N(0, biasStd²) at the output
 *  (snippets/core/networks.py's init_network). */
export function initNetwork(settings, generator) {
  const sizes = [INPUTS, ...Array(settings.depth).fill(settings.width), CLASSES];
  const weights = [];
  const biases = [];
  for (let l = 0; l + 1 < sizes.length; l++) {
    const fanIn = sizes[l];
    const fanOut = sizes[l + 1];
    const w = new Float64Array(fanIn * fanOut);
    const law = weightLaw(settings, fanIn, fanOut);
    for (let i = 0; i < w.length; i++) {
      w[i] = law.uniform ? law.scale * (2 * generator.uniform() - 1) : law.scale * generator.normal();
    }
    const b = new Float64Array(fanOut);
    const mean = l + 2 < sizes.length ? settings.biasMean : 0;
    for (let j = 0; j < fanOut; j++) b[j] = mean + settings.biasStd * generator.normal();
    weights.push(w);
    biases.push(b);
  }
  return { sizes, weights, biases, activation: settings.activation, output: settings.output,
           residual: settings.residual, normalisation: settings.normalisation };
}

/** The law of one layer's weights: a uniform half-width or a normal standard deviation. */
export function weightLaw(settings, fanIn, fanOut) {
  switch (settings.init) {
    case "standard": return { uniform: true, scale: 1 / Math.sqrt(fanIn) };
    case "xavier": return { uniform: true, scale: Math.sqrt(6 / (fanIn + fanOut)) };
    case "lecun": return { uniform: false, scale: 1 / Math.sqrt(fanIn) };
    case "he": return { uniform: false, scale: Math.sqrt(2 / fanIn) };
    default: return { uniform: false, scale: Math.sqrt(settings.weightVariance / fanIn) };
  }
}

/** φ(z) into ``a`` and φ′(z) into ``d`` (d may be null), element by element, in the forms of
 *  snippets/core/activations.py. */
function activate(activation, z, a, d, count) {
  switch (activation) {
    case "sigmoid":
      for (let i = 0; i < count; i++) {
        const v = z[i];
        const decay = Math.exp(-Math.abs(v));
        a[i] = Math.exp(Math.min(v, 0)) / (1 + decay);
        if (d) { const denominator = decay + 1; d[i] = decay / (denominator * denominator); }
      }
      break;
    case "tanh":
      for (let i = 0; i < count; i++) {
        const v = z[i];
        a[i] = tanh(v);
        if (d) { const decay = Math.exp(-2 * Math.abs(v)); d[i] = 4 * decay / ((1 + decay) ** 2); }
      }
      break;
    case "relu":
      for (let i = 0; i < count; i++) {
        const v = z[i];
        a[i] = v > 0 ? v : 0;
        if (d) d[i] = v > 0 ? 1 : (Number.isNaN(v) ? NaN : 0);
      }
      break;
    default:  // leaky ReLU
      for (let i = 0; i < count; i++) {
        const v = z[i];
        a[i] = v > 0 ? v : LEAKY_SLOPE * v;
        if (d) d[i] = v > 0 ? 1 : (Number.isNaN(v) ? NaN : LEAKY_SLOPE);
      }
  }
}

/** tanh(v) = −expm1(−2|v|) / (2 + expm1(−2|v|)), with v's sign: exact to a rounding or two, and
 *  the same in every engine. Math.tanh is not: Chromium's and Node's differ in the last bit for
 *  some inputs (Math.expm1 agreed on all of a million inputs), and training amplifies such
 *  differences, so a run would depend on the browser. */
function tanh(v) {
  const t = Math.expm1(-2 * Math.abs(v));
  const magnitude = -t / (2 + t);
  return v < 0 ? -magnitude : magnitude;
}

/** The largest φ′ of each activation: the scale of "weak". */
export const MAX_SLOPE = { sigmoid: 0.25, tanh: 1, relu: 1, leaky_relu: 1 };

/** Buffers for passes of up to ``rows`` examples through a network of ``sizes``: z, a and φ′
 *  per layer, δ per layer, and the gradients; with ``deep``, chapter 6's buffers too. Reused
 *  across updates (no allocation per step). */
export function createWorkspace(sizes, rows, deep = true) {
  const layers = sizes.length - 1;
  const per = (offset) => Array.from({ length: layers }, (_, l) => new Float64Array(rows * sizes[l + offset]));
  return {
    rows,
    z: per(1), a: per(1), d: per(1), delta: per(1),
    gradWeights: Array.from({ length: layers }, (_, l) => new Float64Array(sizes[l] * sizes[l + 1])),
    gradBiases: Array.from({ length: layers }, (_, l) => new Float64Array(sizes[l + 1])),
    // chapter 6's networks: the normalised products n^l, their spreads per example, and δa^l
    ...(deep ? {
      normalised: per(1), spread: Array.from({ length: layers }, () => new Float64Array(rows)),
      deltaProduct: per(1),
    } : {}),
  };
}

/** Whether a network has chapter 6's residual connections or normalisation: then the
 *  general passes below run (streamForward, streamGradients). */
function isDeep(network) {
  return network.residual === "on" || network.normalisation !== "none";
}

/** Forward pass of the first ``rows`` examples of ``x`` (row-major, sizes[0] columns) into the
 *  workspace: work.z[l], work.a[l] (activations of layer l + 1) and work.d[l] = φ′. */
export function forward(network, x, rows, work = createWorkspace(network.sizes, rows)) {
  if (isDeep(network)) return streamForward(network, x, rows, work);
  const { sizes, weights, biases } = network;
  const layers = sizes.length - 1;
  let input = x;
  for (let l = 0; l < layers; l++) {
    const nIn = sizes[l];
    const nOut = sizes[l + 1];
    const w = weights[l];
    const b = biases[l];
    const z = work.z[l];
    for (let r = 0; r < rows; r++) {
      const zRow = r * nOut;
      for (let j = 0; j < nOut; j++) z[zRow + j] = 0;
      const inRow = r * nIn;
      for (let k = 0; k < nIn; k++) {
        const value = input[inRow + k];
        const wRow = k * nOut;
        for (let j = 0; j < nOut; j++) z[zRow + j] += value * w[wRow + j];
      }
      for (let j = 0; j < nOut; j++) z[zRow + j] += b[j];
    }
    if (l + 1 < layers) {
      activate(network.activation, z, work.a[l], work.d[l], rows * nOut);
    } else if (network.output === "sigmoid") {
      activate("sigmoid", z, work.a[l], null, rows * nOut);
    } else {
      softmaxRows(z, work.a[l], rows, nOut);
    }
    input = work.a[l];
  }
  return work;
}

function softmaxRows(z, a, rows, columns) {
  for (let r = 0; r < rows; r++) {
    const start = r * columns;
    let largest = -Infinity;
    for (let j = 0; j < columns; j++) largest = Math.max(largest, z[start + j]);
    let total = 0;
    for (let j = 0; j < columns; j++) {
      const e = Math.exp(z[start + j] - largest);
      a[start + j] = e;
      total += e;
    }
    for (let j = 0; j < columns; j++) a[start + j] /= total;
  }
}

/** Mean gradients of the cost over the first ``rows`` examples: after a forward pass, the
 *  errors δ^l by back-propagation and ∂C/∂W^l, ∂C/∂b^l into work.gradWeights/gradBiases. */
export function gradients(network, x, targets, rows, work = createWorkspace(network.sizes, rows)) {
  if (isDeep(network)) return streamGradients(network, x, targets, rows, work);
  forward(network, x, rows, work);
  const { sizes, weights } = network;
  const layers = sizes.length - 1;
  const top = layers - 1;
  const outputs = work.a[top];
  const deltaTop = work.delta[top];
  for (let i = 0; i < rows * sizes[layers]; i++) deltaTop[i] = outputs[i] - targets[i];
  for (let l = top; l > 0; l--) {  // δ^{l} = (δ^{l+1} (W^{l+1})ᵀ) ⊙ φ′(z^{l})
    const nIn = sizes[l];
    const nOut = sizes[l + 1];
    const w = weights[l];
    const above = work.delta[l];
    const below = work.delta[l - 1];
    const slope = work.d[l - 1];
    for (let r = 0; r < rows; r++) {
      for (let k = 0; k < nIn; k++) {
        let sum = 0;
        const wRow = k * nOut;
        const aboveRow = r * nOut;
        for (let j = 0; j < nOut; j++) sum += above[aboveRow + j] * w[wRow + j];
        below[r * nIn + k] = sum * slope[r * nIn + k];
      }
    }
  }
  for (let l = 0; l < layers; l++) {
    const nIn = sizes[l];
    const nOut = sizes[l + 1];
    const input = l === 0 ? x : work.a[l - 1];
    const delta = work.delta[l];
    const gw = work.gradWeights[l];
    const gb = work.gradBiases[l];
    gw.fill(0);
    gb.fill(0);
    for (let r = 0; r < rows; r++) {
      const deltaRow = r * nOut;
      for (let k = 0; k < nIn; k++) {
        const value = input[r * nIn + k];
        const wRow = k * nOut;
        for (let j = 0; j < nOut; j++) gw[wRow + j] += value * delta[deltaRow + j];
      }
      for (let j = 0; j < nOut; j++) gb[j] += delta[deltaRow + j];
    }
    for (let i = 0; i < gw.length; i++) gw[i] /= rows;
    for (let j = 0; j < nOut; j++) gb[j] /= rows;
  }
  return work;
}

// ------------------------------------------------------------------ chapter 6's networks
// The stream of snippets/core/deep_networks.py: hidden layer l reads u^l = x^0 (l = 1) or
// φ(x^{l−1}), computes the product a^l = u^l W^l, normalises it (layer normalisation: each
// example over its units, n = (a − mean) / √(var + ε)) and adds the bias: y^l = n^l + b^l; a
// residual layer (one that keeps the width) adds it to the stream, x^l = x^{l−1} + y^l, a plain
// one replaces it, x^l = y^l. The output layer is z = φ(x^L) W^{L+1} + b^{L+1}. Without either
// switch this is the network above (x^l = z^l). In the workspace z[l] holds x^{l+1}, a[l] and
// d[l] hold φ and φ′ of it.

function isResidualLayer(network, l) {
  return network.residual === "on" && l + 1 < network.sizes.length - 1 &&
    network.sizes[l] === network.sizes[l + 1];
}

function streamForward(network, x0, rows, work) {
  const { sizes, weights, biases } = network;
  const layers = sizes.length - 1;
  const layerNorm = network.normalisation === "layer";
  let input = x0;
  for (let l = 0; l < layers; l++) {
    const nIn = sizes[l];
    const nOut = sizes[l + 1];
    const w = weights[l];
    const b = biases[l];
    const product = work.normalised[l];
    const stream = work.z[l];
    const hidden = l + 1 < layers;
    const residual = isResidualLayer(network, l);
    const below = l > 0 ? work.z[l - 1] : x0;
    for (let r = 0; r < rows; r++) {
      const row = r * nOut;
      for (let j = 0; j < nOut; j++) product[row + j] = 0;
      for (let k = 0; k < nIn; k++) {
        const value = input[r * nIn + k];
        const wRow = k * nOut;
        for (let j = 0; j < nOut; j++) product[row + j] += value * w[wRow + j];
      }
      if (hidden && layerNorm) {
        let mean = 0;
        for (let j = 0; j < nOut; j++) mean += product[row + j];
        mean /= nOut;
        let variance = 0;
        for (let j = 0; j < nOut; j++) variance += (product[row + j] - mean) ** 2;
        const spread = Math.sqrt(variance / nOut + EPSILON);
        work.spread[l][r] = spread;
        for (let j = 0; j < nOut; j++) product[row + j] = (product[row + j] - mean) / spread;
      }
      for (let j = 0; j < nOut; j++) {
        const branch = product[row + j] + b[j];
        stream[row + j] = residual ? below[r * nIn + j] + branch : branch;
      }
    }
    if (hidden) {
      activate(network.activation, stream, work.a[l], work.d[l], rows * nOut);
    } else if (network.output === "sigmoid") {
      activate("sigmoid", stream, work.a[l], null, rows * nOut);
    } else {
      softmaxRows(stream, work.a[l], rows, nOut);
    }
    input = work.a[l];
  }
  return work;
}

function streamGradients(network, x0, targets, rows, work) {
  streamForward(network, x0, rows, work);
  const { sizes, weights } = network;
  const layers = sizes.length - 1;
  const top = layers - 1;
  const layerNorm = network.normalisation === "layer";
  const outputs = work.a[top];
  const deltaTop = work.delta[top];
  for (let i = 0; i < rows * sizes[layers]; i++) deltaTop[i] = outputs[i] - targets[i];
  for (let l = top; l >= 0; l--) {
    const nIn = sizes[l];
    const nOut = sizes[l + 1];
    const delta = work.delta[l];          // ∂C/∂x^{l+1} (∂C/∂z at the output)
    // δa: through the normalisation of a hidden layer, else δ itself
    let deltaA = delta;
    if (l < top && layerNorm) {
      deltaA = work.deltaProduct[l];
      const n = work.normalised[l];
      for (let r = 0; r < rows; r++) {
        const row = r * nOut;
        let mean = 0;
        let meanProduct = 0;
        for (let j = 0; j < nOut; j++) {
          mean += delta[row + j];
          meanProduct += delta[row + j] * n[row + j];
        }
        mean /= nOut;
        meanProduct /= nOut;
        const spread = work.spread[l][r];
        for (let j = 0; j < nOut; j++) {
          deltaA[row + j] = (delta[row + j] - mean - n[row + j] * meanProduct) / spread;
        }
      }
    }
    const input = l === 0 ? x0 : work.a[l - 1];
    const gw = work.gradWeights[l];
    const gb = work.gradBiases[l];
    gw.fill(0);
    gb.fill(0);
    for (let r = 0; r < rows; r++) {
      const row = r * nOut;
      for (let k = 0; k < nIn; k++) {
        const value = input[r * nIn + k];
        const wRow = k * nOut;
        for (let j = 0; j < nOut; j++) gw[wRow + j] += value * deltaA[row + j];
      }
      for (let j = 0; j < nOut; j++) gb[j] += delta[row + j];
    }
    for (let i = 0; i < gw.length; i++) gw[i] /= rows;
    for (let j = 0; j < nOut; j++) gb[j] /= rows;
    if (l === 0) break;
    // ∂C/∂x^l = (δa (W^{l+1})ᵀ) ⊙ φ′(x^l), plus ∂C/∂x^{l+1} through a residual connection
    const w = weights[l];
    const below = work.delta[l - 1];
    const slope = work.d[l - 1];
    const residual = isResidualLayer(network, l);
    for (let r = 0; r < rows; r++) {
      for (let k = 0; k < nIn; k++) {
        let sum = 0;
        const wRow = k * nOut;
        for (let j = 0; j < nOut; j++) sum += deltaA[r * nOut + j] * w[wRow + j];
        below[r * nIn + k] = sum * slope[r * nIn + k] + (residual ? delta[r * nOut + k] : 0);
      }
    }
  }
  return work;
}

/** One SGD update W ← W − η ∂C/∂W, b ← b − η ∂C/∂b on the examples ``indices`` of (x, y). */
export function sgdStep(network, x, targets, indices, learningRate, work) {
  const rows = indices.length;
  const nIn = network.sizes[0];
  const nOut = network.sizes[network.sizes.length - 1];
  const batch = work ?? createWorkspace(network.sizes, rows);
  if (!batch.x || batch.x.length < rows * nIn) {
    batch.x = new Float64Array(rows * nIn);
    batch.y = new Float64Array(rows * nOut);
  }
  for (let r = 0; r < rows; r++) {
    batch.x.set(x.subarray(indices[r] * nIn, (indices[r] + 1) * nIn), r * nIn);
    batch.y.set(targets.subarray(indices[r] * nOut, (indices[r] + 1) * nOut), r * nOut);
  }
  gradients(network, batch.x, batch.y, rows, batch);
  for (let l = 0; l < network.weights.length; l++) {
    const w = network.weights[l];
    const gw = batch.gradWeights[l];
    for (let i = 0; i < w.length; i++) w[i] -= learningRate * gw[i];
    const b = network.biases[l];
    const gb = batch.gradBiases[l];
    for (let j = 0; j < b.length; j++) b[j] -= learningRate * gb[j];
  }
  return batch;
}

/** Mean cost over the first ``rows`` examples after a forward pass into ``work``: the
 *  log-likelihood −Σ y ln a (softmax) or the cross-entropy (sigmoid), from z so that a
 *  saturated output costs a large finite amount rather than ln 0. */
export function meanCost(network, targets, rows, work) {
  const top = network.sizes.length - 2;
  const z = work.z[top];
  const columns = network.sizes[top + 1];
  let total = 0;
  for (let r = 0; r < rows; r++) {
    const start = r * columns;
    if (network.output === "softmax") {
      let largest = -Infinity;
      for (let j = 0; j < columns; j++) largest = Math.max(largest, z[start + j]);
      let sum = 0;
      for (let j = 0; j < columns; j++) sum += Math.exp(z[start + j] - largest);
      const logTotal = largest + Math.log(sum);
      for (let j = 0; j < columns; j++) total -= targets[start + j] * (z[start + j] - logTotal);
    } else {
      for (let j = 0; j < columns; j++) {  // ln σ(v) = −softplus(−v), ln(1 − σ(v)) = −softplus(v)
        const v = z[start + j];
        const y = targets[start + j];
        total += y * softplus(-v) + (1 - y) * softplus(v);
      }
    }
  }
  return total / rows;
}

function softplus(v) { return Math.max(v, 0) + Math.log1p(Math.exp(-Math.abs(v))); }

/** Share of the first ``rows`` examples whose largest output is the true label. */
function accuracyOf(network, work, labels, rows) {
  return correctOf(network, work, labels, rows) / rows;
}

/** How many of the first ``rows`` examples have the true label as their largest output, every
 *  output finite (a diverged network earns nothing). */
function correctOf(network, work, labels, rows) {
  const top = network.sizes.length - 2;
  const outputs = work.a[top];
  const columns = network.sizes[top + 1];
  let correct = 0;
  for (let r = 0; r < rows; r++) {
    let best = 0;
    for (let j = 1; j < columns; j++) if (outputs[r * columns + j] > outputs[r * columns + best]) best = j;
    let finite = true;
    for (let j = 0; j < columns; j++) if (!Number.isFinite(outputs[r * columns + j])) finite = false;
    if (finite && best === labels[r]) correct += 1;
  }
  return correct;
}

// ------------------------------------------------------------------ data
/** The digits file published by the build (figures/lab-digits.json): each pixel one letter,
 *  "a" + its value 0 … 16, scaled to [0, 1] as the chapters do; the first ``training`` digits
 *  train and the rest are held out. */
export function decodeDigits(json) {
  if (json === null || typeof json !== "object") {
    throw new RangeError("the digits file is not in the expected form");
  }
  const { inputs, classes, training, pixels, labels } = json;
  if (inputs !== INPUTS || classes !== CLASSES || typeof pixels !== "string" ||
      typeof labels !== "string" || pixels.length !== labels.length * inputs ||
      !(Number.isInteger(training) && training > 0 && training < labels.length)) {
    throw new RangeError("the digits file is not in the expected form");
  }
  const part = (start, end) => {
    const rows = end - start;
    const x = new Float64Array(rows * inputs);
    const targets = new Float64Array(rows * classes);
    const names = new Int32Array(rows);
    for (let r = 0; r < rows; r++) {
      for (let k = 0; k < inputs; k++) {
        const value = pixels.charCodeAt((start + r) * inputs + k) - 97;
        if (!(value >= 0 && value <= 16)) throw new RangeError("a pixel is out of range");
        x[r * inputs + k] = value / 16;
      }
      const label = labels.charCodeAt(start + r) - 48;
      if (!(label >= 0 && label < classes)) throw new RangeError("a label is out of range");
      names[r] = label;
      targets[r * classes + label] = 1;
    }
    return { x, targets, labels: names, rows };
  };
  return { train: part(0, training), heldOut: part(training, labels.length) };
}

// ------------------------------------------------------------------ training
/** A run: the network the settings describe, trained by mini-batch SGD on shuffled training
 *  digits (a fresh permutation each epoch, from the run's own generator). */
export class Trainer {
  constructor(settings, data) {
    this.settings = normaliseSettings(settings);
    this.data = data;
    this.generator = createGenerator(this.settings.seed);
    this.network = initNetwork(this.settings, this.generator);
    const rows = data.train.rows;
    this.batchSize = Math.min(this.settings.batchSize, rows);
    const deep = isDeep(this.network);
    this.batchWork = createWorkspace(this.network.sizes, this.batchSize, deep);
    this.probeRows = Math.min(PROBE_ROWS, rows);
    this.probeWork = createWorkspace(this.network.sizes, this.probeRows, deep);
    this.order = this.generator.permutation(rows);
    this.position = 0;
    this.updates = 0;
  }

  /** Updates in one epoch, one pass over the training digits (the last batch may be smaller). */
  get updatesPerEpoch() { return Math.ceil(this.data.train.rows / this.batchSize); }

  /** Epochs trained: updates over updates per epoch. */
  get epochs() { return this.updates / this.updatesPerEpoch; }

  /** Whether the run has trained the stopAfter epochs its settings ask for (never if 0). */
  get finished() {
    return this.settings.stopAfter > 0 && this.updates >= this.settings.stopAfter * this.updatesPerEpoch;
  }

  /** One update on the next mini-batch (the last of an epoch may be smaller). */
  step() {
    const rows = this.data.train.rows;
    if (this.position >= rows) {
      this.order = this.generator.permutation(rows);
      this.position = 0;
    }
    const end = Math.min(this.position + this.batchSize, rows);
    const indices = this.order.subarray(this.position, end);
    const work = this.batchWork;  // a workspace for more rows serves a smaller batch
    sgdStep(this.network, this.data.train.x, this.data.train.targets, indices,
            this.settings.learningRate, work);
    this.position = end;
    this.updates += 1;
  }

  /** Where the run stands: the cost and per-layer measurements on the probe (the first
   *  PROBE_ROWS training digits), and the held-out accuracy. */
  report() {
    const { network, data } = this;
    const probe = this.probeWork;
    gradients(network, data.train.x, data.train.targets, this.probeRows, probe);
    const loss = meanCost(network, data.train.targets, this.probeRows, probe);
    const trainAccuracy = accuracyOf(network, probe, data.train.labels, this.probeRows);
    const speeds = probe.gradBiases.map((g) => Math.sqrt(g.reduce((sum, v) => sum + v * v, 0)));
    const threshold = WEAK * MAX_SLOPE[network.activation];
    const weak = [];
    for (let l = 0; l + 2 < network.sizes.length; l++) {
      const d = probe.d[l];
      const count = this.probeRows * network.sizes[l + 1];
      let below = 0;
      for (let i = 0; i < count; i++) if (d[i] < threshold) below += 1;
      weak.push(below / count);
    }
    // The held-out digits pass in chunks through the probe's buffers (after its values are
    // read), so that a large network holds no third set of buffers.
    const heldOut = data.heldOut;
    let correct = 0;
    for (let start = 0; start < heldOut.rows; start += this.probeRows) {
      const rows = Math.min(this.probeRows, heldOut.rows - start);
      forward(network, heldOut.x.subarray(start * network.sizes[0]), rows, probe);
      correct += correctOf(network, probe, heldOut.labels.subarray(start), rows);
    }
    const heldOutAccuracy = correct / heldOut.rows;
    const diverged = !Number.isFinite(loss) || speeds.some((s) => !Number.isFinite(s));
    return { updates: this.updates, epochs: this.epochs, loss, trainAccuracy, heldOutAccuracy,
             speeds, weak, diverged };
  }
}
