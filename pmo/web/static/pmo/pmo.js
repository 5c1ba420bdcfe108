// Small behaviours shared by all pages. No inline script anywhere, so a strict Content-Security-Policy holds.
document.addEventListener("DOMContentLoaded", () => {
  // Filter dropdowns apply as soon as they change.
  document.querySelectorAll("select[data-autosubmit]").forEach((select) => {
    select.addEventListener("change", () => select.form.submit());
  });
  // Destructive forms ask first.
  document.querySelectorAll("form[data-confirm]").forEach((form) => {
    form.addEventListener("submit", (event) => {
      if (!window.confirm(form.dataset.confirm)) event.preventDefault();
    });
  });
});
