// Keyboard help: "/" jumps to colleague search (unless already typing).
document.addEventListener("keydown", (event) => {
  const typing = /^(INPUT|TEXTAREA|SELECT)$/.test(document.activeElement.tagName);
  if (event.key === "/" && !typing) {
    const search = document.getElementById("quick-q");
    if (search) { event.preventDefault(); search.focus(); }
  }
});
