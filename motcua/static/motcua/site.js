// Một Cửa: no inline scripts (strict CSP); behaviour lives here.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("[data-autofocus]").forEach((el) => el.focus());
});
