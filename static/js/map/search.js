/* The search box: areas and partnerships matched in the page, schools and trusts from the
   server; an accessible combobox (arrow keys, Enter, Escape). */

export function normalise(text) {
  return text.toLowerCase().normalize("NFKD").replace(/[\u0300-\u036f]/g, "").replace(/[^a-z0-9]+/g, " ").trim();
}

function score(names, q) {
  if (names.some((n) => n === q)) return 1;
  if (names.some((n) => n.startsWith(q))) return 2;
  if (names.some((n) => n.split(" ").some((w) => w.startsWith(q)))) return 3;
  if (names.some((n) => n.includes(q))) return 4;
  return -1;
}

export function localMatches(app, query) {
  const q = normalise(query);
  if (!q) return [];
  const scored = [];
  for (const area of app.areas) {
    const found = area.ons_code.toLowerCase() === q || area.dfe_code === q ? 0 : score([normalise(area.name)], q);
    if (found >= 0) {
      scored.push([found, { kind: "area", code: area.ons_code, label: `${area.name} (${area.ons_code}, ${area.dfe_code})`, sort: area.name }]);
    }
  }
  for (const partnership of app.data.partnerships) {
    const found = score([partnership.name, ...partnership.aka].map(normalise), q);
    if (found >= 0) {
      scored.push([found, { kind: "partnership", slug: partnership.slug, label: `${partnership.name} (partnership)`, sort: partnership.name }]);
    }
  }
  scored.sort((a, b) => a[0] - b[0] || a[1].sort.localeCompare(b[1].sort));
  return scored.slice(0, 10).map((item) => item[1]);
}

export function bindSearch(app, searchUrl) {
  const searchInput = document.getElementById("area-search");
  const searchResults = document.getElementById("area-search-results");
  const searchStatus = document.getElementById("area-search-status");
  let options = [];
  let active = -1;
  let serverResults = [];
  let searchTimer = null;

  function renderOptions() {
    searchResults.innerHTML = "";
    options.forEach((option, index) => {
      const item = document.createElement("li");
      item.id = `search-option-${index}`;
      item.setAttribute("role", "option");
      item.setAttribute("aria-selected", index === active ? "true" : "false");
      item.dataset.kind = option.kind;
      item.textContent = option.label;
      item.addEventListener("mousedown", (event) => {
        event.preventDefault();
        choose(index);
      });
      searchResults.appendChild(item);
    });
    const open = options.length > 0;
    searchResults.hidden = !open;
    searchInput.setAttribute("aria-expanded", open ? "true" : "false");
    if (active >= 0) searchInput.setAttribute("aria-activedescendant", `search-option-${active}`);
    else searchInput.removeAttribute("aria-activedescendant");
  }

  function refreshOptions() {
    options = localMatches(app, searchInput.value).concat(serverResults);
    active = options.length ? Math.min(Math.max(active, 0), options.length - 1) : -1;
    renderOptions();
    searchStatus.textContent = searchInput.value.trim()
      ? `${options.length} result${options.length === 1 ? "" : "s"}.`
      : "";
  }

  function closeOptions() {
    options = [];
    active = -1;
    renderOptions();
  }

  function choose(index) {
    const option = options[index];
    if (!option) return;
    closeOptions();
    if (option.kind === "area") {
      const name = (app.areaByCode.get(option.code) || { name: option.code }).name;
      searchInput.value = name;
      app.selectArea(option.code, true);
      searchStatus.textContent = `Showing ${name}.`;
    } else if (option.kind === "partnership") {
      searchInput.value = app.partnershipsBySlug.get(option.slug).name;
      app.selectPartnership(option.slug);
    } else {
      window.location.href = option.url;
    }
  }

  searchInput.addEventListener("input", function () {
    serverResults = [];
    active = 0;
    refreshOptions();
    window.clearTimeout(searchTimer);
    const query = searchInput.value.trim();
    if (query.length >= 3) {
      searchTimer = window.setTimeout(function () {
        fetch(`${searchUrl}?q=${encodeURIComponent(query)}`)
          .then((response) => (response.ok ? response.json() : { results: [] }))
          .then((body) => {
            if (body.q !== searchInput.value.trim()) return;
            serverResults = body.results;
            refreshOptions();
          })
          .catch(() => {});
      }, 200);
    }
  });

  searchInput.addEventListener("keydown", function (event) {
    if (event.key === "ArrowDown" && options.length) {
      active = (active + 1) % options.length;
      renderOptions();
      event.preventDefault();
    } else if (event.key === "ArrowUp" && options.length) {
      active = (active - 1 + options.length) % options.length;
      renderOptions();
      event.preventDefault();
    } else if (event.key === "Enter") {
      if (!options.length) options = localMatches(app, searchInput.value);
      if (options.length) choose(active >= 0 ? active : 0);
      else searchStatus.textContent = "Nothing matches that name or code.";
      event.preventDefault();
    } else if (event.key === "Escape") {
      closeOptions();
    }
  });
  searchInput.addEventListener("blur", closeOptions);
}
