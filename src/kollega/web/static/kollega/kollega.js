// Every script of Kollega's pages lives here, wired to the markup by data attributes:
// the Content-Security-Policy (settings.CONTENT_SECURITY_POLICY) runs no inline code.

// Keyboard help: "/" jumps to colleague search (unless already typing).
document.addEventListener("keydown", (event) => {
  const typing = /^(INPUT|TEXTAREA|SELECT)$/.test(document.activeElement.tagName);
  if (event.key === "/" && !typing) {
    const search = document.getElementById("quick-q");
    if (search) { event.preventDefault(); search.focus(); }
  }
});

// A choice that takes effect at once (the language picker): choosing sends its form.
document.addEventListener("change", (event) => {
  const field = event.target;
  if (field.matches && field.matches("[data-submit-on-change]") && field.form) {
    field.form.submit();
  }
});

// The bookmarklet is for other sites' pages: dragged to the toolbar, not run here.
document.addEventListener("click", (event) => {
  const link = event.target.closest && event.target.closest("a[data-bookmarklet]");
  if (link) { event.preventDefault(); }
});
