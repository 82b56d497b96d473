// The training lab's presets (issue 23): a page names the ones it offers in its lab's
// data-presets attribute (<div class="vg-lab" data-lab data-presets="ch2-sigmoid ch2-relu-he">),
// and lab.js shows one button per id, in that order. `settings` are partial: lab.js fills in
// DEFAULTS with model.js's normaliseSettings. A note says in one sentence what to look for; it
// names no number, since the run computes them.
import { DEFAULTS } from "./model.js";

const NIELSEN = { activation: "sigmoid", depth: 4, width: 30, init: "lecun", biasStd: 1,
  output: "sigmoid", learningRate: 0.1, batchSize: 10, stopAfter: 3 };
const DEEP_TANH = { activation: "tanh", depth: 10, width: 32, init: "standard", biasStd: 0,
  stopAfter: 3 };
const DYING = { activation: "relu", depth: 4, width: 32, init: "he", biasStd: 0,
  learningRate: 0.8, stopAfter: 3 };
// The trainability figure's networks and training (snippets/experiments/edge_of_chaos/
// trainability.py): σ_b² = 0.05, width 32, batches of 16 at a rate of 0.05, 8 epochs.
const MEAN_FIELD = { activation: "tanh", depth: 20, width: 32, init: "variance",
  weightVariance: 1.76, biasStd: 0.223607, learningRate: 0.05, batchSize: 16, stopAfter: 8 };

// Chapter 6: a plain 30-layer sigmoid network stalls; residual connections make it train, and
// layer normalisation alone does not.
const DEEP_SIGMOID = { activation: "sigmoid", depth: 30, width: 32, init: "lecun", biasStd: 0,
  learningRate: 0.1, batchSize: 10, stopAfter: 3 };

export const PRESETS = Object.freeze({
  "lab-default": {
    label: "The defaults",
    settings: { ...DEFAULTS },
    note: "A small sigmoid network: compare the gradient line of the first layer with that of the output layer as it trains.",
  },
  "ch2-sigmoid": {
    label: "Nielsen's sigmoid network",
    settings: { ...NIELSEN },
    note: "Chapter 2's network: the first hidden layer's gradient stays far below the last one's, and the accuracy hardly moves.",
  },
  "ch2-relu-he": {
    label: "ReLU with He",
    settings: { ...NIELSEN, activation: "relu", init: "he" },
    note: "Only the activation and the initialisation changed: the first layer now learns at least as fast as the last, and the accuracy climbs.",
  },
  "ch3-standard": {
    label: "Deep tanh, standard init",
    settings: { ...DEEP_TANH },
    note: "Ten tanh layers with the standard uniform initialisation: the gradient shrinks from the output down to the first layer, and the network stays near chance.",
  },
  "ch3-xavier": {
    label: "Deep tanh, Xavier",
    settings: { ...DEEP_TANH, init: "xavier" },
    note: "Only the initialisation changed: with Xavier's the first layer's gradient is no longer the smallest, and the network learns.",
  },
  "ch4-dying": {
    label: "ReLU, rate too large",
    settings: { ...DYING },
    note: "A learning rate too large for the network: most of its units end up inactive, and the network stays near chance.",
  },
  "ch4-gentle": {
    label: "Smaller learning rate",
    settings: { ...DYING, learningRate: 0.1 },
    note: "Only the learning rate changed: about half the units stay active, as He's initialisation starts them, and the network learns.",
  },
  "ch4-leaky": {
    label: "Leaky ReLU",
    settings: { ...DYING, activation: "leaky_relu" },
    note: "Leaky units at the same large rate: they pass back a hundredth of the gradient when inactive, which does not rescue this run — as chapter 4 found, leaky ReLU's advantage is not robust.",
  },
  "ch5-critical": {
    label: "Edge of chaos",
    settings: { ...MEAN_FIELD },
    note: "At the critical weight variance the gradient reaches all the layers without vanishing or exploding, and the deep network trains — in most seeds: now and then a run stalls, so try another.",
  },
  "ch5-ordered": {
    label: "Ordered phase",
    settings: { ...MEAN_FIELD, weightVariance: 0.6 },
    note: "Only σ_w² changed, into the ordered phase: the gradient dies away on its way down and the network stays far below the critical one.",
  },
  "ch5-chaotic": {
    label: "Chaotic phase",
    settings: { ...MEAN_FIELD, weightVariance: 4 },
    note: "Only σ_w² changed, into the chaotic phase: many tanh units saturate and the network stays far below the critical one.",
  },
  "ch6-plain": {
    label: "30 sigmoid layers",
    settings: { ...DEEP_SIGMOID },
    note: "Thirty plain sigmoid layers: the gradient reaching the first layer is many orders of magnitude below the last one's, and the network stays at chance.",
  },
  "ch6-residual": {
    label: "With residual connections",
    settings: { ...DEEP_SIGMOID, residual: "on" },
    note: "Only the residual connections changed: every layer adds to a stream that carries the gradient straight down, the first layer's gradient is no longer the smallest, and the network learns.",
  },
  "ch6-layer-norm": {
    label: "With layer normalisation only",
    settings: { ...DEEP_SIGMOID, normalisation: "layer" },
    note: "Layer normalisation alone keeps each layer's signal in range, but the sigmoid's small slope still shrinks the gradient layer by layer: the network stays at chance.",
  },
  "ch6-both": {
    label: "Residual and layer normalisation",
    settings: { ...DEEP_SIGMOID, residual: "on", normalisation: "layer" },
    note: "Both switches on: the stream carries the gradient down and the network learns.",
  },
});
