// The training lab's loader (issue 23): imports assets/lab/lab.js only when a [data-lab]
// element nears the viewport; stops the lab of a page that instant navigation replaced.
(function () {
  "use strict";
  var url = new URL("lab/lab.js", document.currentScript.src).href, labs = [];
  // The lab's stylesheet goes beside the lab, not into <head>: Material's instant navigation
  // removes from <head> whatever the next page's does not have, and a stylesheet removed
  // before it loads would never say so (the lab would wait for it for ever).
  function style(element) {
    return new Promise(function (resolve) {
      var link = document.createElement("link");
      link.rel = "stylesheet";
      link.href = new URL("lab.css", url).href;
      link.onload = link.onerror = resolve;
      element.before(link);
    });
  }
  var seen = new IntersectionObserver(function (entries) {
    entries.forEach(function (entry) {
      if (!entry.isIntersecting) return;
      seen.unobserve(entry.target);
      Promise.all([import(url), style(entry.target)]).then(function (loaded) {
        if (entry.target.isConnected) labs.push(loaded[0].mountLab(entry.target));
      });
    });
  }, { rootMargin: "400px" });
  function init() {
    labs = labs.filter(function (lab) {
      return lab.element.isConnected || lab.destroy();
    });
    document.querySelectorAll("[data-lab]:not([data-lab-seen])").forEach(function (element) {
      element.dataset.labSeen = "";
      seen.observe(element);
    });
  }
  if (typeof document$ !== "undefined") document$.subscribe(init);
  else document.addEventListener("DOMContentLoaded", init);
})();
