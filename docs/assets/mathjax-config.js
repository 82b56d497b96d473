// MathJax 3, served from this site (assets/mathjax/, copied from the django-static-mathjax
// package at build time). Only the math that pymdownx.arithmatex marks up is typeset, and
// MathJax (1.1 MB) is fetched only by a page that has such math: on the first page here,
// after instant navigation in the document$ subscription below.
window.MathJax = {
  tex: {
    inlineMath: [["\\(", "\\)"]],
    displayMath: [["\\[", "\\]"]],
    processEscapes: true,
    processEnvironments: true,
  },
  options: {
    ignoreHtmlClass: ".*|",
    processHtmlClass: "arithmatex",
  },
  // With adaptive CSS, MathJax only writes style rules for glyphs it has drawn so far, and
  // after Material's instant navigation it stopped adding rules for new glyphs (blank math).
  // The full font CSS is defined once, so every page can use every glyph.
  chtml: {
    adaptiveCSS: false,
  },
  // Tell the page when math is typeset: a wide equation only then knows whether it
  // overflows (assets/scrollables.js).
  startup: {
    pageReady() {
      return MathJax.startup.defaultPageReady().then(announceTypeset);
    },
  },
};

function announceTypeset() {
  window.dispatchEvent(new Event("vg:math-typeset"));
}

const mathjaxSource = new URL("mathjax/tex-chtml.js", document.currentScript.src).href;

function pageHasMath() {
  return document.querySelector(".arithmatex") !== null;
}

// Loads MathJax once; it typesets the page it finds when it starts. A flag, not a look for
// the script element: instant navigation may replace the head it was added to, and loading
// MathJax a second time breaks it.
let mathjaxRequested = false;
function loadMathJax() {
  if (mathjaxRequested || (window.MathJax && MathJax.version)) {
    return false;
  }
  mathjaxRequested = true;
  const script = document.createElement("script");
  script.src = mathjaxSource;
  script.async = true;
  document.head.appendChild(script);
  return true;
}

if (pageHasMath()) {
  loadMathJax();
}

// Material swaps the page body on instant navigation and announces it on document$.
// Typeset again then, but only after MathJax's own start-up promise (and any extension it is
// still loading, such as `cancel`) has settled. No output.clearCache(): in MathJax 3.2 it drops
// the CSS rules of glyphs already typeset and they are never added back (blank math).
// document$ also announces the first page: MathJax typesets that one itself, and clearing its
// list then would orphan the typeset math, so the menu's renderer and accessibility
// choices could no longer re-render it (they silently did nothing).
let firstPage = true;
document$.subscribe(() => {
  if (firstPage) {
    firstPage = false;
    return;
  }
  if (!pageHasMath()) {
    return;
  }
  if (loadMathJax()) {
    return; // MathJax starts now and typesets this page itself
  }
  if (!window.MathJax || !MathJax.startup || !MathJax.startup.promise) {
    return; // MathJax has not started yet: it typesets the page itself when it does
  }
  MathJax.startup.promise = MathJax.startup.promise.then(() => {
    MathJax.typesetClear();
    MathJax.texReset();
    return MathJax.typesetPromise().then(announceTypeset);
  });
});
