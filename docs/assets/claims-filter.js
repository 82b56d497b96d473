// The filter of the "Checked claims" page (sitebuild/claims.py writes the form, hidden, so a
// reader without JavaScript sees every claim and no dead controls). Idle on other pages.
document$.subscribe(() => {
  const form = document.querySelector(".vg-claims-filter");
  if (!form) {
    return;
  }
  const entries = [...document.querySelectorAll(".vg-claim-entry")];
  const output = form.querySelector("output");
  const apply = () => {
    const verdict = form.elements.verdict.value;
    const source = form.elements.source.value;
    let shown = 0;
    for (const entry of entries) {
      const match = (!verdict || entry.dataset.verdict === verdict)
        && (!source || entry.dataset.source === source);
      entry.hidden = !match;
      shown += match;
    }
    // A chapter's heading stays only while one of its claims is shown.
    for (const heading of document.querySelectorAll(".md-content h2")) {
      let next = heading.nextElementSibling;
      let any = false;
      while (next && next.tagName !== "H2") {
        any ||= next.classList.contains("vg-claim-entry") && !next.hidden;
        next = next.nextElementSibling;
      }
      heading.hidden = !any;
    }
    output.textContent = `${shown} of ${entries.length} claims shown`;
  };
  form.addEventListener("change", apply);
  form.addEventListener("submit", (event) => event.preventDefault());
  form.hidden = false;
  apply();
});
