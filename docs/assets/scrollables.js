// A region that scrolls sideways (a wide table or equation on a phone) must be reachable by
// keyboard: it gets tabindex="0" while it overflows (axe:
// scrollable-region-focusable). Material wraps tables after its own document$ handler ran,
// so this runs on the next frame (the math is typeset at build time), and again on resize.
const SCROLLABLE = ".md-typeset__scrollwrap, .md-typeset div.arithmatex, .vg-listing pre > code";

function markScrollables() {
  for (const region of document.querySelectorAll(SCROLLABLE)) {
    const overflows = region.scrollWidth > region.clientWidth + 1;
    region.classList.toggle("vg-overflows", overflows);
    if (overflows && !region.hasAttribute("tabindex")) {
      region.setAttribute("tabindex", "0");
    } else if (!overflows && region.getAttribute("tabindex") === "0") {
      region.removeAttribute("tabindex");
    }
  }
}

document$.subscribe(() => {
  requestAnimationFrame(markScrollables);
});
// Code fetched into the page later (assets/listings.js) is measured when it arrives; Material
// marks only the code the page had when it loaded.
window.addEventListener("vg:content-added", markScrollables);
let resizeTimer;
window.addEventListener("resize", () => {
  clearTimeout(resizeTimer);
  resizeTimer = setTimeout(markScrollables, 150);
});
