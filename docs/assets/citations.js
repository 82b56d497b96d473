// A citation (a.vg-cite, sitebuild/references.py) links to its entry in the page's own
// reference list; without script that is all it does. With script, pointing at it, focusing
// it by keyboard or tapping it opens a popover beside it that shows the whole reference and
// its link, copied from that entry (already cleaned at build time by sitebuild/sanitise.py:
// nodes are cloned, never parsed from text). The citation stays a link (a mouse click or
// Enter still goes to the list) and says whether its popover is open (aria-expanded,
// aria-controls); the popover follows it in the page's order, so Tab moves into its links.
// It closes with Escape, a tap or click elsewhere, the pointer leaving both, or the focus
// leaving both. Idle on pages without citations.
(() => {
  const MARGIN = 8;        // px kept free between the popover and the viewport's edges
  const GAP = 6;           // px between the citation and the popover
  const OPEN_DELAY = 120;  // ms the pointer rests on a citation before it opens
  const CLOSE_DELAY = 250; // ms to move the pointer from the citation into its popover
  const canPopover = typeof HTMLElement.prototype.showPopover === "function";
  let counter = 0;
  let current = null;      // {link, popover, reasons: Set of "hover" | "focus" | "tap"}
  let timer = null;
  let listening = false;
  let refocusing = false;  // Escape's return of the focus must not reopen the popover

  function isOpen(popover) {
    return popover.classList.contains("vg-cite-open");
  }

  function place(link, popover) {
    const rects = link.getClientRects();
    if (!rects.length) return;
    const first = rects[0];
    const last = rects[rects.length - 1];
    const viewWidth = document.documentElement.clientWidth;
    const viewHeight = window.innerHeight;
    popover.style.maxWidth = `${viewWidth - 2 * MARGIN}px`;
    popover.style.maxHeight = "";
    const { width, height } = popover.getBoundingClientRect();
    const left = Math.min(Math.max(MARGIN, first.left), viewWidth - MARGIN - width);
    const below = viewHeight - MARGIN - (last.bottom + GAP);
    const above = first.top - GAP - MARGIN;
    let top;
    if (height <= below || below >= above) {
      top = last.bottom + GAP;
      if (height > below) popover.style.maxHeight = `${Math.max(below, 0)}px`;
    } else {
      top = Math.max(MARGIN, first.top - GAP - height);
      if (height > above) popover.style.maxHeight = `${Math.max(above, 0)}px`;
    }
    popover.style.left = `${Math.max(MARGIN, left)}px`;
    popover.style.top = `${top}px`;
  }

  function show(link, popover) {
    if (canPopover) popover.showPopover();
    else popover.hidden = false;
    popover.classList.add("vg-cite-open");
    link.setAttribute("aria-expanded", "true");
    place(link, popover);
  }

  function hide(link, popover) {
    popover.classList.remove("vg-cite-open");
    if (canPopover) {
      if (popover.matches(":popover-open")) popover.hidePopover();
    } else {
      popover.hidden = true;
    }
    link.setAttribute("aria-expanded", "false");
  }

  function open(link, reason) {
    clearTimeout(timer);
    const popover = document.getElementById(link.getAttribute("aria-controls"));
    if (!popover) return;
    if (current && current.link !== link) close();
    if (!current) current = { link, popover, reasons: new Set() };
    current.reasons.add(reason);
    if (!isOpen(popover)) show(link, popover);
  }

  function close() {
    clearTimeout(timer);
    if (!current) return;
    const { link, popover } = current;
    current = null;
    if (popover.isConnected) hide(link, popover);
  }

  // One reason to stay open is gone; close once none is left.
  function release(reason) {
    if (!current) return;
    current.reasons.delete(reason);
    if (current.reasons.size === 0) close();
  }

  function ownerOf(node) {
    if (!current || !(node instanceof Node)) return false;
    return current.link.contains(node) || current.popover.contains(node);
  }

  function build(link, entry) {
    const id = `vg-cite-${++counter}`;
    const popover = document.createElement("span");
    popover.id = id;
    popover.className = "vg-cite-popover";
    popover.setAttribute("role", "group");
    popover.setAttribute("aria-label", `Reference: ${link.textContent}`);
    if (canPopover) popover.setAttribute("popover", "manual");
    else popover.hidden = true;
    const reference = document.createElement("span");
    reference.id = `${id}-text`;
    reference.className = "vg-cite-reference";
    for (const node of entry.childNodes) reference.append(node.cloneNode(true));
    const onward = document.createElement("a");
    onward.className = "vg-cite-onward";
    onward.href = link.href;
    onward.textContent = "Go to this page’s reference list";
    popover.append(reference, onward);
    link.after(popover);
    link.setAttribute("aria-expanded", "false");
    link.setAttribute("aria-controls", id);
    link.setAttribute("aria-describedby", reference.id);

    const hoverIn = (event) => {
      if (event.pointerType === "touch") return;
      clearTimeout(timer);
      if (current && current.link === link) current.reasons.add("hover");
      else timer = setTimeout(() => open(link, "hover"), OPEN_DELAY);
    };
    const hoverOut = (event) => {
      if (event.pointerType === "touch") return;
      clearTimeout(timer);
      timer = setTimeout(() => release("hover"), CLOSE_DELAY);
    };
    for (const element of [link, popover]) {
      element.addEventListener("pointerenter", hoverIn);
      element.addEventListener("pointerleave", hoverOut);
      element.addEventListener("focusout", (event) => {
        if (!ownerOf(event.relatedTarget)) release("focus");
      });
    }
    // Keyboard focus opens it; a focus that comes with a click or tap does not (the click
    // decides). Focus inside the popover keeps it open.
    link.addEventListener("focus", () => {
      if (!refocusing && link.matches(":focus-visible")) open(link, "focus");
    });
    popover.addEventListener("focusin", () => current && current.reasons.add("focus"));
    link.addEventListener("click", (event) => {
      if (event.pointerType !== "touch") return; // a mouse click or Enter follows the link
      event.preventDefault();
      event.stopPropagation();
      if (current && current.link === link && current.reasons.has("tap")) close();
      else open(link, "tap");
    });
  }

  function enhance() {
    if (current && !current.popover.isConnected) current = null;
    // Material's instant navigation rewrites a link's href into a full address: the entry
    // is the one its fragment names, on this page.
    const links = document.querySelectorAll("a.vg-cite:not([aria-controls])");
    for (const link of links) {
      const target = new URL(link.href, location.href);
      if (target.pathname !== location.pathname || !target.hash.startsWith("#ref-")) continue;
      const entry = document.getElementById(decodeURIComponent(target.hash.slice(1)));
      if (entry) build(link, entry);
    }
    if (links.length && !listening) {
      listening = true;
      document.addEventListener("keydown", (event) => {
        if (event.key !== "Escape" || !current) return;
        const link = current.link;
        const inside = current.popover.contains(document.activeElement);
        close();
        if (inside) {
          refocusing = true;
          link.focus({ preventScroll: true });
          refocusing = false;
        }
      });
      document.addEventListener("pointerdown", (event) => {
        if (current && !ownerOf(event.target)) close();
      });
      const follow = () => current && requestAnimationFrame(() => {
        if (current) place(current.link, current.popover);
      });
      window.addEventListener("scroll", follow, { passive: true });
      window.addEventListener("resize", follow);
    }
  }

  document$.subscribe(enhance);
})();
