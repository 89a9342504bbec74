// Officer pages: no inline scripts (strict CSP); behaviour lives here.
// A form marked data-submit-once is sent once: a double click does not send it twice (the server
// also de-duplicates with the form's idempotency key).
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-submit-once")) return;
  if (form.dataset.submitted === "1") {
    event.preventDefault();
    return;
  }
  form.dataset.submitted = "1";
  form.setAttribute("aria-busy", "true");
});
