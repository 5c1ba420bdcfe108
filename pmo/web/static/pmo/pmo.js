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

// Long work (levelling, optimisation, simulation) shows a progress bar that polls its status and reloads
// the page when the work is done.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("[data-poll]").forEach((box) => {
    const bar = box.querySelector(".progress-bar");
    const label = box.querySelector("span");
    const poll = async () => {
      const response = await fetch(box.dataset.poll, { headers: { Accept: "application/json" } });
      if (!response.ok) return;
      const state = await response.json();
      if (bar) bar.style.setProperty("--done", `${state.progress}%`);
      if (label && state.message) label.textContent = state.message;
      if (["queued", "running"].includes(state.status)) setTimeout(poll, 1000);
      else window.location.reload();
    };
    setTimeout(poll, 800);
  });
});
