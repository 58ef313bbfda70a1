// The people picker (people/_picker.html) and @mentions in every composer: one
// WAI-ARIA 1.2 combobox. Typing asks the server for suggestions (htmx swaps the
// listbox's options in); ArrowDown/ArrowUp move through them, Enter (or Tab) chooses,
// Escape closes. The form field keeps a user name, so forms work without this script.
(function () {
  "use strict";
  let counter = 0;

  // One listbox of suggestions for one text field.
  class Suggestions {
    constructor(field, listbox, chosen) {
      this.field = field;
      this.listbox = listbox;
      this.chosen = chosen;  // called with the chosen <li role="option">
      this.active = -1;
      this.asked = 0;
      this.open = false;
      // A text field is a combobox; a composer's textarea stays a textbox (which
      // carries no aria-expanded) that controls the listbox and its active option.
      this.combobox = field.getAttribute("role") === "combobox";
      this.expanded(false);
      field.setAttribute("aria-controls", listbox.id);
      field.setAttribute("aria-autocomplete", "list");
      field.addEventListener("keydown", (event) => this.keydown(event));
      field.addEventListener("blur", () => setTimeout(() => this.close(), 150));
      // A pointer chooses too; mousedown would take the focus from the field.
      listbox.addEventListener("mousedown", (event) => event.preventDefault());
      listbox.addEventListener("click", (event) => {
        const option = event.target.closest("[role=option]");
        if (option && option.getAttribute("aria-disabled") !== "true") { this.choose(option); }
      });
    }

    options() {
      return Array.from(this.listbox.querySelectorAll("[role=option]:not([aria-disabled=true])"));
    }

    expanded(open) {
      this.open = open;
      if (this.combobox) { this.field.setAttribute("aria-expanded", String(open)); }
    }

    ask(url, typed) {
      const asked = ++this.asked;
      const address = url + (url.includes("?") ? "&" : "?") + "q=" + encodeURIComponent(typed);
      htmx.ajax("GET", address, { target: this.listbox, swap: "innerHTML" }).then(() => {
        if (asked === this.asked) { this.show(); }
      });
    }

    show() {
      const all = this.listbox.querySelectorAll("[role=option]");
      all.forEach((option, n) => { option.id = this.listbox.id + "-" + n; });
      this.active = -1;
      this.field.removeAttribute("aria-activedescendant");
      if (all.length && document.activeElement === this.field) {
        this.listbox.hidden = false;
        this.expanded(true);
      } else {
        this.close();
      }
    }

    close() {
      this.asked++;  // an answer still on its way opens nothing
      this.listbox.hidden = true;
      this.expanded(false);
      this.field.removeAttribute("aria-activedescendant");
      this.active = -1;
    }

    move(step) {
      const options = this.options();
      if (!options.length) { return; }
      this.active = (this.active + step + options.length) % options.length;
      options.forEach((option, n) => option.setAttribute("aria-selected", String(n === this.active)));
      const option = options[this.active];
      this.field.setAttribute("aria-activedescendant", option.id);
      option.scrollIntoView({ block: "nearest" });
    }

    choose(option) {
      this.close();
      this.chosen(option);
    }

    keydown(event) {
      const open = this.open;
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        if (open) { event.preventDefault(); this.move(event.key === "ArrowDown" ? 1 : -1); }
      } else if (event.key === "Enter" || event.key === "Tab") {
        const option = open && this.active >= 0 ? this.options()[this.active] : null;
        if (option) {
          if (event.key === "Enter") { event.preventDefault(); }
          this.choose(option);
        }
      } else if (event.key === "Escape" && open) {
        event.preventDefault();
        this.close();
      }
    }
  }

  // A field naming one colleague, or several (chips, each with a hidden field).
  function picker(box) {
    const field = box.querySelector("input[role=combobox]");
    const listbox = box.querySelector("[role=listbox]");
    const status = box.querySelector("[data-picker-status]");
    const several = box.dataset.pickerMultiple;
    const suggestions = new Suggestions(field, listbox, (option) => {
      const { username, name } = option.dataset;
      if (several) {
        addChip(box, several, username, name);
        field.value = "";
      } else {
        field.value = username;
      }
      status.textContent = box.dataset.pickerChosen + " " + name;
      field.focus();
    });
    let timer;
    field.addEventListener("input", () => {
      clearTimeout(timer);
      const typed = field.value.trim();
      if (!typed) { suggestions.close(); return; }
      timer = setTimeout(() => suggestions.ask(box.dataset.pickerUrl, typed), 150);
    });
  }

  function addChip(box, name, username, shown) {
    const chips = box.querySelector(".picker-chips");
    if (chips.querySelector(`input[value="${CSS.escape(username)}"]`)) { return; }
    const chip = document.createElement("li");
    chip.className = "picker-chip";
    const label = document.createElement("span");
    label.textContent = shown;
    const value = document.createElement("input");
    Object.assign(value, { type: "hidden", name: name, value: username });
    const remove = document.createElement("button");
    Object.assign(remove, { type: "button", className: "link", textContent: "×" });
    remove.setAttribute("aria-label", box.dataset.pickerRemove + " " + shown);
    remove.addEventListener("click", () => {
      chip.remove();
      box.querySelector("[data-picker-status]").textContent = box.dataset.pickerRemoved + " " + shown;
      box.querySelector("input[role=combobox]").focus();
    });
    chip.append(label, " ", value, remove);
    chips.append(chip);
  }

  // @ in a composer: the word being typed after "@" asks for colleagues; choosing one
  // puts "@username " in its place.
  const MENTION = /(?:^|[^\w@.])@([\w.\-]{0,40})$/u;

  function mentions(field) {
    const listbox = document.createElement("ul");
    listbox.id = (field.id || "composer-" + ++counter) + "-mentions";
    listbox.className = "picker-options mention-options";
    listbox.setAttribute("role", "listbox");
    listbox.setAttribute("aria-label", document.body.dataset.pickLabel || "");
    listbox.hidden = true;
    field.after(listbox);
    const suggestions = new Suggestions(field, listbox, (option) => {
      const before = field.value.slice(0, field.selectionStart);
      const after = field.value.slice(field.selectionStart);
      const match = MENTION.exec(before);
      if (!match) { return; }  // the caret has left the mention meanwhile
      const start = before.length - match[1].length;
      const mention = option.dataset.username + " ";
      field.value = before.slice(0, start) + mention + after.replace(/^[\w.\-]*\s?/u, "");
      field.selectionStart = field.selectionEnd = start + mention.length;
      field.focus();
      field.dispatchEvent(new Event("input", { bubbles: true }));
    });
    let timer;
    field.addEventListener("input", () => {
      clearTimeout(timer);
      const match = MENTION.exec(field.value.slice(0, field.selectionStart));
      if (!match) { suggestions.close(); return; }
      timer = setTimeout(() => suggestions.ask(document.body.dataset.pickUrl, match[1]), 150);
    });
  }

  const COMPOSERS = "form textarea[name=body], form input[name=body], [data-mentions]";

  function enhance(root) {
    if (!document.body.dataset.pickUrl || typeof htmx === "undefined") { return; }
    root.querySelectorAll("[data-picker]").forEach((box) => {
      if (!box.dataset.pickerReady) { box.dataset.pickerReady = "1"; picker(box); }
    });
    root.querySelectorAll(COMPOSERS).forEach((field) => {
      if (!field.dataset.mentionsReady) { field.dataset.mentionsReady = "1"; mentions(field); }
    });
  }

  document.addEventListener("DOMContentLoaded", () => enhance(document));
  // Composers that arrive later (a stream's next page, a swapped form).
  document.addEventListener("htmx:load", (event) => {
    if (!event.target.closest || !event.target.closest("[role=listbox]")) { enhance(event.target); }
  });
})();
