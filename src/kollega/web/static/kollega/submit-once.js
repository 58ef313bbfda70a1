// Forms are sent once: after a form is submitted its buttons are disabled, so a
// double click or an impatient second press sends nothing more. The server
// refuses repeats as well (kollega.web.once); this spares the round trip.
// Forms driven by htmx stay usable (htmx sends them itself), as do forms
// marked data-submit-again. Buttons come back after a while (a failed
// network) and when the page is shown again from the browser's history.
(() => {
  const RELEASE_AFTER_MS = 8000;

  const release = (form) => {
    delete form.dataset.sending;
    form.querySelectorAll("[data-sending-disabled]").forEach((button) => {
      button.disabled = false;
      button.removeAttribute("data-sending-disabled");
      button.removeAttribute("aria-busy");
    });
  };

  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement)) return;
    if ((form.method || "").toLowerCase() !== "post") return;
    if (form.hasAttribute("data-submit-again") || form.hasAttribute("hx-post")) return;
    if (form.dataset.sending) { event.preventDefault(); return; }
    if (event.defaultPrevented) return;
    // Marked at once, so a second click arriving before the page changes sends nothing.
    form.dataset.sending = "true";
    // Buttons are disabled only after this event: a disabled button would drop
    // its own name and value from the form being sent.
    window.setTimeout(() => {
      if (event.defaultPrevented) { release(form); return; }
      form.querySelectorAll("button, input[type=submit]").forEach((button) => {
        if (button.disabled) return;
        button.disabled = true;
        button.setAttribute("data-sending-disabled", "");
        button.setAttribute("aria-busy", "true");
      });
      window.setTimeout(() => release(form), RELEASE_AFTER_MS);
    }, 0);
  });

  window.addEventListener("pageshow", () => {
    document.querySelectorAll("form[data-sending]").forEach(release);
  });
})();
