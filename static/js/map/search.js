/* The search box: areas and partnerships matched in the page; areas, postcodes, schools and
   trusts from the server ({kind, label, url, la} results, a message when nothing is found);
   an accessible combobox (arrow keys, Enter, Escape) whose outcome is shown on screen. */

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
  let serverMessage = "";
  let searchTimer = null;

  function say(text) {
    searchStatus.textContent = text;
  }

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

  function refreshOptions(answered) {
    const local = localMatches(app, searchInput.value);
    const localAreas = new Set(local.filter((o) => o.kind === "area").map((o) => o.code));
    // An area the page already found is not listed twice.
    const remote = serverResults.filter((r) => !(r.kind === "area" && localAreas.has(r.la)));
    options = local.concat(remote);
    active = options.length ? Math.min(Math.max(active, 0), options.length - 1) : -1;
    renderOptions();
    const query = searchInput.value.trim();
    if (!query) say("");
    else if (options.length) say(`${options.length} result${options.length === 1 ? "" : "s"}.`);
    else if (answered || query.length < 3) say(serverMessage || `No results for “${query}”.`);
    else say("Searching…");
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
    const code = option.kind === "area" && option.code ? option.code : option.la;
    if ((option.kind === "area" || option.kind === "postcode") && app.areaByCode.has(code)) {
      const name = app.areaByCode.get(code).name;
      const postcode = option.kind === "postcode" ? option.postcode || option.label : "";
      searchInput.value = postcode || name;
      app.selectArea(code, { zoom: true, focus: true });
      if (option.note) say(`Showing ${name}. ${option.note}`);
      else say(postcode ? `${postcode} is in ${name}.` : `Showing ${name}.`);
    } else if (option.kind === "partnership") {
      searchInput.value = app.partnershipsBySlug.get(option.slug).name;
      app.selectPartnership(option.slug);
    } else {
      window.location.href = option.url;
    }
  }

  searchInput.addEventListener("input", function () {
    serverResults = [];
    serverMessage = "";
    active = 0;
    refreshOptions();
    window.clearTimeout(searchTimer);
    const query = searchInput.value.trim();
    if (query.length >= 3) {
      searchTimer = window.setTimeout(function () {
        fetch(`${searchUrl}?q=${encodeURIComponent(query)}`)
          .then((response) => (response.ok ? response.json() : { results: [] }))
          .then((body) => {
            if (body.q !== undefined && body.q !== searchInput.value.trim()) return;
            serverResults = body.results || [];
            serverMessage = body.message || "";
            refreshOptions(true);
          })
          .catch(() => refreshOptions(true));
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
      else say(serverMessage || "Nothing matches that name or code.");
      event.preventDefault();
    } else if (event.key === "Escape") {
      closeOptions();
    }
  });
  searchInput.addEventListener("blur", closeOptions);
}
