// Một Cửa: no inline scripts (strict CSP); behaviour lives here.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("[data-autofocus]").forEach((el) => el.focus());
});

// Live search results (portal/procedure_search.html): announce the new count to screen readers through
// the persistent live region, and after a page change move focus to the results heading.
document.addEventListener("htmx:afterSwap", (event) => {
  const target = event.detail.target;
  if (!target || target.id !== "results") return;
  const heading = target.querySelector("[data-result-count]");
  const status = document.getElementById("search-status");
  if (heading && status) status.textContent = heading.textContent.trim().replace(/\s+/g, " ");
  if (heading && event.detail.requestConfig && event.detail.requestConfig.elt.closest(".results-pagination")) {
    heading.focus();
  }
});
