// The code behind a figure lives in its own file beside the page (sitebuild/listings.py): a
// chapter loads without it, and opening a "Code behind figure" block fetches it once and
// puts it in place of the block's link. If the fetch fails, the link stays.
function loadListing(holder) {
  if (holder.dataset.state === "loading" || holder.dataset.state === "loaded") return;
  const link = holder.querySelector("a[href]");
  if (!link) return;
  holder.dataset.state = "loading";
  fetch(link.href)
    .then((response) => {
      if (!response.ok) throw new Error(`${response.status} ${link.href}`);
      return response.text();
    })
    .then((listing) => {
      holder.innerHTML = listing;
      holder.dataset.state = "loaded";
      window.dispatchEvent(new Event("vg:content-added")); // scrollables.js measures it
    })
    .catch(() => {
      holder.dataset.state = "failed";
    });
}

document$.subscribe(() => {
  for (const holder of document.querySelectorAll(".vg-listing[data-listing]")) {
    const block = holder.closest("details");
    if (!block) continue;
    if (block.open) loadListing(holder);
    block.addEventListener("toggle", () => block.open && loadListing(holder));
  }
});
