/* Forms in the GOV.UK pattern: after a failed submission, focus moves to the error summary;
   a <select multiple data-typeahead> becomes a type-ahead with removable choices (the select
   stays in the form, hidden, and is what gets submitted, so the form works without script). */

import { escapeHtml } from "./common.js";

const summary = document.getElementById("error-summary");
if (summary) summary.focus();

for (const select of document.querySelectorAll("select[multiple][data-typeahead]")) enhance(select);

function enhance(select) {
  const id = select.id;
  const label = document.querySelector(`label[for="${id}"]`);
  const noun = select.dataset.typeahead;
  const hint = document.getElementById(`${id}_helptext`);
  select.id = `${id}_select`;
  select.hidden = true;
  select.setAttribute("aria-hidden", "true");
  select.tabIndex = -1;

  const box = document.createElement("div");
  box.className = "typeahead";
  box.innerHTML =
    `<ul class="chosen" id="${id}_chosen" aria-label="Chosen ${escapeHtml(noun)}"></ul>` +
    `<input type="text" id="${id}" role="combobox" autocomplete="off" aria-autocomplete="list" aria-expanded="false"` +
    ` aria-controls="${id}_listbox"${hint ? ` aria-describedby="${id}_helptext"` : ""}>` +
    `<ul role="listbox" id="${id}_listbox" aria-label="Matching ${escapeHtml(noun)}" hidden></ul>` +
    `<p class="visually-hidden" role="status" aria-live="polite" id="${id}_status"></p>`;
  select.after(box);
  if (label) label.htmlFor = id;
  if (hint) hint.textContent = `Type part of a name, then choose from the list. Choose as many ${noun} as you need.`;
  const input = box.querySelector("input");
  const listbox = box.querySelector('[role="listbox"]');
  const chosen = box.querySelector(".chosen");
  const status = box.querySelector('[role="status"]');
  let matches = [];
  let active = -1;

  function renderChosen() {
    const selected = Array.from(select.options).filter((o) => o.selected);
    chosen.innerHTML = selected
      .map(
        (o) =>
          `<li>${escapeHtml(o.text)} <button type="button" class="remove" data-value="${escapeHtml(o.value)}" aria-label="Remove ${escapeHtml(o.text)}">×</button></li>`
      )
      .join("");
    chosen.hidden = !selected.length;
  }

  function renderList() {
    listbox.innerHTML = matches
      .map(
        (o, i) =>
          `<li role="option" id="${id}_option_${i}" aria-selected="${i === active}" data-value="${escapeHtml(o.value)}">` +
          `${escapeHtml(o.text)}${o.selected ? ' <span class="meta">(chosen)</span>' : ""}</li>`
      )
      .join("");
    const open = matches.length > 0;
    listbox.hidden = !open;
    input.setAttribute("aria-expanded", String(open));
    if (active >= 0) input.setAttribute("aria-activedescendant", `${id}_option_${active}`);
    else input.removeAttribute("aria-activedescendant");
  }

  function search() {
    const q = input.value.trim().toLowerCase();
    matches = q
      ? Array.from(select.options).filter((o) => o.value && o.text.toLowerCase().split(/[\s,-]+/).some((w) => w.startsWith(q)) || (q.length > 2 && o.text.toLowerCase().includes(q)))
      : [];
    matches = matches.slice(0, 12);
    active = matches.length ? 0 : -1;
    renderList();
    status.textContent = q ? `${matches.length} ${matches.length === 1 ? "match" : "matches"}.` : "";
  }

  function choose(index) {
    const option = matches[index];
    if (!option) return;
    option.selected = true;
    input.value = "";
    matches = [];
    active = -1;
    renderList();
    renderChosen();
    status.textContent = `${option.text} chosen.`;
  }

  input.addEventListener("input", search);
  input.addEventListener("keydown", function (event) {
    if (event.key === "ArrowDown" && matches.length) {
      active = (active + 1) % matches.length;
      renderList();
      event.preventDefault();
    } else if (event.key === "ArrowUp" && matches.length) {
      active = (active - 1 + matches.length) % matches.length;
      renderList();
      event.preventDefault();
    } else if (event.key === "Enter") {
      if (matches.length) choose(Math.max(active, 0));
      event.preventDefault(); // never submit the form from here
    } else if (event.key === "Escape") {
      matches = [];
      renderList();
    }
  });
  input.addEventListener("blur", () => window.setTimeout(() => { matches = []; renderList(); }, 150));
  listbox.addEventListener("mousedown", function (event) {
    const item = event.target.closest('[role="option"]');
    if (!item) return;
    event.preventDefault();
    choose(matches.findIndex((o) => o.value === item.dataset.value));
  });
  chosen.addEventListener("click", function (event) {
    const button = event.target.closest("button.remove");
    if (!button) return;
    const option = Array.from(select.options).find((o) => o.value === button.dataset.value);
    option.selected = false;
    renderChosen();
    status.textContent = `${option.text} removed.`;
    input.focus();
  });
  renderChosen();
}
