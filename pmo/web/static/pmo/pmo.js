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

// Rows of an editable table save themselves when a field changes (each row is a form; its fields point
// at it with the form="…" attribute).
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("form[data-autosave]").forEach((form) => {
    document.querySelectorAll(`[form="${form.id}"]`).forEach((field) => {
      if (field.tagName === "BUTTON") return;
      field.addEventListener("change", () => form.requestSubmit());
    });
  });
});
