// Typesets a page's TeX at build time, as MathJax 3 would in the reader's browser, so that the
// browser downloads no math engine and the page does not reflow when math appears.
//
//   node scripts/mathjax_svg.js <mathjax-full root> [--as-mathjax-writes-it]
//        < {"formulas": [{"tex", "display"}, …]}
//   → {"formulas": [<mjx-container>…, …], "glyphs": <svg>…</svg>, "css": "…"}
//
// Output is SVG with one shared set of glyph outlines per page ("glyphs", referenced by
// <use>), so nothing depends on a web font; each formula carries its MathML for assistive
// technology. A TeX error stops with exit status 2 and names the formula: no page is
// published with an error box in place of its math. Called by scripts/math.py.
"use strict";

const root = process.argv[2];
// MathJax's own markup, unsimplified: the tests draw both and compare the pixels.
const asMathJaxWritesIt = process.argv[3] === "--as-mathjax-writes-it";
const load = (name) => require(`${root}/js/${name}.js`);
const {mathjax} = load("mathjax");
const {TeX} = load("input/tex");
const {SVG} = load("output/svg");
const {liteAdaptor} = load("adaptors/liteAdaptor");
const {RegisterHTMLHandler} = load("handlers/html");
const {AssistiveMmlHandler} = load("a11y/assistive-mml");
// The TeX the chapters use: base, AMS (aligned, \operatorname, \tfrac) and cancel (\cancelto).
load("input/tex/base/BaseConfiguration");
load("input/tex/ams/AmsConfiguration");
load("input/tex/cancel/CancelConfiguration");

class TexError extends Error {}

const adaptor = liteAdaptor();
AssistiveMmlHandler(RegisterHTMLHandler(adaptor));
const tex = new TeX({
  packages: ["base", "ams", "cancel"],
  formatError(jax, error) {
    throw new TexError(error.message);
  },
});
const svg = new SVG({fontCache: "global"});
const page = mathjax.document("", {InputJax: tex, OutputJax: svg});

// MathJax writes its SVG for its own browser code to re-read: a <g> per MathML node, data-
// attributes for its explorer and menu. Static, the same drawing
// needs less than two thirds of the markup: attributes only MathJax reads go, a group
// that draws nothing or sets nothing is replaced by its content, a group that only moves one
// glyph becomes that glyph's transform, and empty elements close themselves. Glyphs keep
// xlink:href, not SVG 2's href: Material's instant navigation rewrites every [href] of a new
// page and fails on an SVG <use> (its href property cannot be set).
// MathJax's stylesheet reads data-mml-node of tables (their rules and cells), errors and
// actions, and data-c to give every glyph a hairline stroke: those tables keep it, and the
// hairline moves to one rule (GLYPH_STROKE) instead of an attribute on every glyph.
const MATHJAX_ONLY = ["data-mml-node", "data-c", "data-mjx-texclass"];
const STYLED_NODES = new Set(["mtable", "merror", "maction"]);
const GLYPH_STROKE = '\nmjx-container[jax="SVG"] use {\n  stroke-width: 3;\n}\n';

function simplify(node) {
  if (!node.children) return node;
  const styled = STYLED_NODES.has(node.attributes["data-mml-node"]);
  for (const name of MATHJAX_ONLY) {
    if (!(styled && name === "data-mml-node")) delete node.attributes[name];
  }
  const children = [];
  for (const child of node.children.map(simplify)) {
    if (child.kind !== "g") {
      children.push(child);
      continue;
    }
    const names = Object.keys(child.attributes);
    if (child.children.length === 0) continue; // draws nothing
    if (names.length === 0) {
      children.push(...child.children); // sets nothing
      continue;
    }
    const [only] = child.children;
    if (names.length === 1 && names[0] === "transform" && child.children.length === 1 &&
        only.kind === "use" && !("transform" in only.attributes)) {
      only.attributes.transform = child.attributes.transform; // moves one glyph
      children.push(only);
      continue;
    }
    children.push(child);
  }
  node.children = children;
  for (const child of children) child.parent = node;
  return node;
}

function serialise(node) {
  if (asMathJaxWritesIt) return adaptor.outerHTML(node);
  return adaptor.outerHTML(simplify(node))
    .replace(/ xmlns:xlink="[^"]*"/g, "")
    .replace(/><\/(use|path|rect|line)>/g, "/>");
}

let input = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => (input += chunk));
process.stdin.on("end", () => {
  const formulas = [];
  for (const {tex: source, display} of JSON.parse(input).formulas) {
    try {
      formulas.push(serialise(page.convert(source, {display})));
    } catch (error) {
      if (!(error instanceof TexError)) throw error;
      process.stderr.write(`TeX error in ${JSON.stringify(source)}: ${error.message}\n`);
      process.exit(2);
    }
  }
  const glyphs = svg.svg("svg", {id: "MJX-SVG-global-cache", style: {display: "none"}},
                         [svg.fontCache.getCache()]);
  process.stdout.write(JSON.stringify({
    formulas,
    glyphs: serialise(glyphs),
    css: adaptor.textContent(svg.styleSheet(page)) + (asMathJaxWritesIt ? "" : GLYPH_STROKE),
  }));
});
