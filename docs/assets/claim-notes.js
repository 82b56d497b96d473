// Claims as side notes (sitebuild/claims.py writes each claim as a collapsed <details>;
// docs/assets/site.css floats the closed ones into the margin on a wide screen, stacked, with
// the full-width blocks below them: readable without this script). This script
// - places each margin note beside the paragraph it checks (its first line), below the note
//   before it, clear of every full-width block (figure, table, code, box) and inside its
//   section (a run too long for the text left before the next heading is raised instead):
//   a note's float box is given no height (a negative bottom margin) and the note is moved
//   by its top margin, so the text column's layout does not depend on the notes at all and
//   the full-width blocks need not start below them;
// - keeps aria-expanded on each badge in step with its box.
// It re-places the notes when the page's height changes (a box opened, an image loaded, the
// window resized) and after Material's instant navigation; idle on pages without claims.
(() => {
  let observer = null;
  const WIDE = ":scope > :is(h1, h2, figure, details, .admonition, .md-typeset__scrollwrap, "
    + ".highlight, .vg-explorer, div.arithmatex)";

  // The element a claim checks: the one before its run of claims, if it is text (none past
  // an opened claim, which stands in the text column between them).
  const checked = (note) => {
    let element = note.previousElementSibling;
    while (element && (element.classList.contains("vg-claim-anchor")
                       || (element.classList.contains("vg-claim") && !element.open))) {
      element = element.previousElementSibling;
    }
    return element && /^(P|UL|OL|DL|BLOCKQUOTE)$/.test(element.tagName) ? element : null;
  };

  const place = (article, notes) => {
    const floating = notes.filter((note) => !note.open
                                  && getComputedStyle(note).float === "right");
    for (const note of notes) {
      if (!floating.includes(note)) {
        note.style.marginTop = "";
        note.style.marginBottom = "";
      }
    }
    article.classList.toggle("vg-notes-placed", floating.length > 0);  // for the tests
    if (!floating.length) {
      return;
    }
    // Each float box is first given no height, so that no note moves anything else; then
    // where each box sits is read once, and each note is moved from there by its top margin.
    const heights = floating.map((note) => note.getBoundingClientRect().height);
    floating.forEach((note, index) => {
      note.style.marginTop = "0px";
      note.style.marginBottom = `${-heights[index]}px`;
    });
    const gap = parseFloat(getComputedStyle(article).fontSize) * 0.5;
    // An equation is in the notes' way only where it is drawn, and if it reaches into the
    // margin.
    const textRight = Math.max(...[...article.querySelectorAll(":scope > p")]
      .map((paragraph) => paragraph.getBoundingClientRect().right));
    const drawn = (block) => {
      if (!block.matches("div.arithmatex")) {
        return block.getBoundingClientRect();
      }
      const svg = [...block.querySelectorAll(":scope > mjx-container > svg")]
        .find((element) => element.getClientRects().length);
      const box = svg && svg.getBoundingClientRect();
      return box && box.right > textRight ? box : null;
    };
    const blocks = [...article.querySelectorAll(WIDE)]
      .filter((block) => !block.classList.contains("vg-claim") || block.open)
      .map((block) => ({box: drawn(block), heading: /^H[12]$/.test(block.tagName)}))
      .filter((block) => block.box && block.box.height > 0);
    const headings = blocks.filter((block) => block.heading).map((block) => block.box);
    const layout = floating.map((note, index) => {
      const origin = note.getBoundingClientRect().top;
      const text = checked(note);
      return {note, origin, height: heights[index],
              wanted: text ? text.getBoundingClientRect().top : origin,
              // The note's section: the headings above where it floats.
              section: headings.filter((box) => box.top < origin).length};
    });
    const clash = (top, height, headings = true) => blocks.filter((block) =>
      (headings || !block.heading) && top < block.box.bottom + gap
      && block.box.top - gap < top + height);
    let bottom = -Infinity;
    for (let section = 0; section <= headings.length; section += 1) {
      const items = layout.filter((item) => item.section === section);
      const start = section ? headings[section - 1].bottom + gap : -Infinity;
      const end = section < headings.length ? headings[section].top - gap : Infinity;
      // No higher than the notes before, which may have run on from the section above.
      const floor = Math.max(start, bottom + gap);
      // Down: each note level with its paragraph, or below the note before it, or below a
      // full-width block in its way.
      for (const item of items) {
        item.top = Math.max(item.wanted, bottom + gap, start);
        for (let block = clash(item.top, item.height)[0]; block;
          block = clash(item.top, item.height)[0]) {
          item.top = block.box.bottom + gap;
        }
        bottom = item.top + item.height;
      }
      // Up: notes that run past their section's end are raised, each above the next and
      // above a block in its way, so that they stay in the section they belong to; if the
      // section cannot hold them, they run on below its heading, as placed going down.
      let limit = end;
      const raised = items.slice().reverse().map((item) => {
        let top = Math.min(item.top, limit - item.height);
        for (let block = clash(top, item.height, false)[0]; block;
          block = clash(top, item.height, false)[0]) {
          top = block.box.top - gap - item.height;
        }
        limit = top - gap;
        return top;
      }).reverse();
      if (items.length && raised[0] >= floor) {
        items.forEach((item, index) => { item.top = raised[index]; });
        bottom = items[items.length - 1].top + items[items.length - 1].height;
      }
    }
    for (const item of layout) {
      const shift = item.top - item.origin;
      item.note.style.marginTop = `${shift}px`;
      item.note.style.marginBottom = `${-shift - item.height}px`;
    }
  };

  document$.subscribe(() => {
    if (observer) {
      observer.disconnect();
      observer = null;
    }
    const article = document.querySelector("article");
    const notes = article ? [...article.querySelectorAll(":scope > details.vg-claim")] : [];
    if (!notes.length) {
      return;
    }
    for (const note of notes) {
      const summary = note.querySelector("summary");
      summary.setAttribute("aria-expanded", String(note.open));
      note.addEventListener("toggle", () => {
        summary.setAttribute("aria-expanded", String(note.open));
      });
    }
    let pending = false;
    const schedule = () => {
      if (!pending) {
        pending = true;
        requestAnimationFrame(() => {
          pending = false;
          place(article, notes);
        });
      }
    };
    place(article, notes);
    observer = new ResizeObserver(schedule);
    observer.observe(article);
  });
})();
