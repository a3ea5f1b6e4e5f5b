/* The national map: LAs shaded by partnerships, filters, list and table views, search,
   selection, and a URL that holds it all (shareable, back button works). */
(function () {
  "use strict";

  const config = JSON.parse(document.getElementById("map-config").textContent);
  const data = JSON.parse(document.getElementById("map-data").textContent);
  const mapElement = document.getElementById("map");
  const details = document.getElementById("details");
  const form = document.getElementById("filters");
  const areaSelect = document.getElementById("f-area");
  const resultsList = document.getElementById("results");
  const resultsCount = document.getElementById("results-count");
  const legend = document.getElementById("legend");
  const tableView = document.getElementById("table-view");
  const searchInput = document.getElementById("area-search");
  const searchResults = document.getElementById("area-search-results");
  const searchStatus = document.getElementById("area-search-status");

  const labels = {};
  for (const [key, pairs] of Object.entries(data.choices)) {
    labels[key] = Object.fromEntries(pairs);
  }
  const partnershipsBySlug = new Map(data.partnerships.map((p) => [p.slug, p]));
  const layersByCode = new Map();
  let areas = [];
  let areaLayer = null;
  let footprintLayer = null;
  let similarCodes = new Set();
  let similarFor = "";

  const FILTERS = ["area", "role", "focus", "phase", "scope", "legal", "status"];
  const COUNT_COLOURS = ["#f2f2f2", "#c6dbef", "#6baed6", "#2171b5", "#08306b"];
  const ROLE_COLOURS = {
    schools_led: "#009E73",
    schools_and_la: "#0072B2",
    la_coordinating: "#E69F00",
    mixed: "#CC79A7",
  };
  const COVERAGE_COLOURS = ["#f7fcf5", "#c7e9c0", "#74c476", "#238b45", "#00441b"];

  /* ---------- state in the URL ---------- */

  function readState() {
    const params = new URLSearchParams(window.location.search);
    return {
      area: params.get("area") || "",
      role: params.getAll("role"),
      focus: params.get("focus") || "",
      phase: params.get("phase") || "",
      scope: params.get("scope") || "",
      legal: params.get("legal") || "",
      status: params.get("status") || "",
      shade: params.get("shade") || "count",
      view: params.get("view") || "map",
      p: params.get("p") || "",
      la: params.get("la") || "",
      like: params.get("like") === "1",
    };
  }

  function stateToQuery(state) {
    const params = new URLSearchParams();
    for (const key of ["area", "focus", "phase", "scope", "legal", "status"]) {
      if (state[key]) params.set(key, state[key]);
    }
    for (const role of state.role) params.append("role", role);
    if (state.shade !== "count") params.set("shade", state.shade);
    if (state.view !== "map") params.set("view", state.view);
    if (state.p) params.set("p", state.p);
    if (state.la) params.set("la", state.la);
    if (state.la && state.like) params.set("like", "1");
    const query = params.toString();
    return query ? `?${query}` : window.location.pathname;
  }

  let state = readState();

  function update(changes, options) {
    state = Object.assign({}, state, changes);
    const url = stateToQuery(state);
    if (options && options.replace) window.history.replaceState(state, "", url);
    else window.history.pushState(state, "", url);
    render(options || {});
  }

  window.addEventListener("popstate", function () {
    state = readState();
    writeForm();
    render({ zoom: true });
  });

  /* ---------- filters ---------- */

  function writeForm() {
    areaSelect.value = state.area;
    for (const box of form.querySelectorAll('input[name="role"]')) box.checked = state.role.includes(box.value);
    form.elements.focus.value = state.focus;
    form.elements.phase.value = state.phase;
    form.elements.scope.value = state.scope;
    form.elements.legal.value = state.legal;
    form.elements.status.value = state.status;
    for (const radio of form.querySelectorAll('input[name="shade"]')) radio.checked = radio.value === state.shade;
    showView(state.view);
  }

  function readForm() {
    return {
      area: areaSelect.value,
      role: Array.from(form.querySelectorAll('input[name="role"]:checked')).map((box) => box.value),
      focus: form.elements.focus.value,
      phase: form.elements.phase.value,
      scope: form.elements.scope.value,
      legal: form.elements.legal.value,
      status: form.elements.status.value,
      shade: form.querySelector('input[name="shade"]:checked').value,
    };
  }

  form.addEventListener("change", function () {
    update(readForm());
  });
  form.addEventListener("submit", (event) => event.preventDefault());
  document.getElementById("clear-filters").addEventListener("click", function () {
    update({ area: "", role: [], focus: "", phase: "", scope: "", legal: "", status: "" });
    writeForm();
  });

  function regionOf(code) {
    const properties = areas.find((a) => a.ons_code === code);
    return properties && properties.region ? properties.region.code : "";
  }

  function matches(partnership, filter) {
    if (filter.area) {
      const inArea = filter.area.startsWith("E12")
        ? partnership.las.some((code) => regionOf(code) === filter.area)
        : partnership.las.includes(filter.area);
      if (!inArea) return false;
    }
    if (filter.role.length && !filter.role.includes(partnership.la_role)) return false;
    if (filter.focus && !partnership.focus.includes(filter.focus)) return false;
    if (filter.phase && !partnership.phases.includes(filter.phase)) return false;
    if (filter.scope && partnership.scope !== filter.scope) return false;
    if (filter.legal && partnership.legal_form !== filter.legal) return false;
    if (filter.status && partnership.status !== filter.status) return false;
    return true;
  }

  function filtered() {
    return data.partnerships.filter((p) => matches(p, state));
  }

  function partnershipsIn(code, list) {
    return list.filter((p) => p.las.includes(code));
  }

  /* ---------- rendering ---------- */

  function escapeHtml(text) {
    const span = document.createElement("span");
    span.textContent = text == null ? "" : String(text);
    return span.innerHTML;
  }

  function areaName(code) {
    const properties = areas.find((a) => a.ons_code === code);
    return properties ? properties.name : code;
  }

  function fillFor(code, list) {
    const here = partnershipsIn(code, list);
    if (state.shade === "role") {
      const roles = new Set(here.map((p) => p.la_role).filter(Boolean));
      if (!roles.size) return here.length ? "#bdbdbd" : COUNT_COLOURS[0];
      return roles.size > 1 ? ROLE_COLOURS.mixed : ROLE_COLOURS[[...roles][0]];
    }
    if (state.shade === "coverage") {
      const coverage = data.coverage && data.coverage[code];
      if (!coverage) return "#ffffff";
      return COVERAGE_COLOURS[Math.min(4, Math.floor(coverage.share * 4.999))];
    }
    return COUNT_COLOURS[Math.min(here.length, 4)];
  }

  function styleFor(code, list) {
    const selectedPartnership = state.p && partnershipsBySlug.get(state.p);
    const inSelection = selectedPartnership && selectedPartnership.las.includes(code);
    const selectedArea = state.la === code;
    const alike = state.like && similarCodes.has(code);
    return {
      color: selectedArea ? "#b3001b" : inSelection ? "#000000" : alike ? "#0072B2" : "#4d4d4d",
      weight: selectedArea || inSelection ? 3 : alike ? 2.5 : 0.8,
      dashArray: alike ? "5 3" : null,
      fillColor: fillFor(code, list),
      fillOpacity: 0.8,
    };
  }

  function renderLegend() {
    let items = [];
    if (state.shade === "role") {
      items = [
        [ROLE_COLOURS.schools_led, labels.la_role.schools_led],
        [ROLE_COLOURS.schools_and_la, labels.la_role.schools_and_la],
        [ROLE_COLOURS.la_coordinating, labels.la_role.la_coordinating],
        [ROLE_COLOURS.mixed, "Partnerships with different LA roles"],
        ["#bdbdbd", "LA role not known"],
        [COUNT_COLOURS[0], "No partnership found"],
      ];
    } else if (state.shade === "coverage") {
      if (!data.coverage) {
        legend.innerHTML = "<p>Coverage needs the school register, which is not loaded yet.</p>";
        return;
      }
      items = [
        [COVERAGE_COLOURS[0], "Under 20% of open state-funded schools in a partnership"],
        [COVERAGE_COLOURS[1], "20–40%"],
        [COVERAGE_COLOURS[2], "40–60%"],
        [COVERAGE_COLOURS[3], "60–80%"],
        [COVERAGE_COLOURS[4], "80% or more"],
      ];
    } else {
      items = [
        [COUNT_COLOURS[0], "No partnership found"],
        [COUNT_COLOURS[1], "1 partnership"],
        [COUNT_COLOURS[2], "2 partnerships"],
        [COUNT_COLOURS[3], "3 partnerships"],
        [COUNT_COLOURS[4], "4 or more"],
      ];
    }
    legend.innerHTML =
      "<ul>" +
      items
        .map(([colour, text]) => `<li><span class="swatch" style="background:${colour}"></span>${escapeHtml(text)}</li>`)
        .join("") +
      "</ul>";
  }

  function renderResults(list) {
    resultsCount.textContent = `${list.length} of ${data.partnerships.length} partnerships match.`;
    resultsList.innerHTML = "";
    for (const partnership of list) {
      const item = document.createElement("li");
      if (partnership.slug === state.p) item.classList.add("selected");
      const button = document.createElement("button");
      button.type = "button";
      button.className = "link-button";
      button.textContent = partnership.name;
      button.setAttribute("aria-pressed", partnership.slug === state.p ? "true" : "false");
      button.addEventListener("click", () => selectPartnership(partnership.slug));
      const where = document.createElement("span");
      where.className = "meta";
      where.textContent = ` ${partnership.las.map(areaName).join(", ")}`;
      item.append(button, where);
      resultsList.appendChild(item);
    }
  }

  function renderTable(list) {
    const body = document.querySelector("#partnership-table tbody");
    body.innerHTML = list
      .map(
        (p) =>
          `<tr${p.slug === state.p ? ' class="selected"' : ""}><th scope="row"><a href="${escapeHtml(p.url)}">${escapeHtml(p.name)}</a> ` +
          `<button type="button" class="link-button small" data-select="${escapeHtml(p.slug)}">Show on map</button></th>` +
          `<td>${escapeHtml(p.las.map(areaName).join(", "))}</td>` +
          `<td>${escapeHtml(labels.la_role[p.la_role] || "Not known")}</td>` +
          `<td>${escapeHtml(labels.scope[p.scope] || "")}</td>` +
          `<td>${escapeHtml(labels.legal_form[p.legal_form] || "Not known")}</td>` +
          `<td>${escapeHtml(p.focus.map((f) => labels.focus[f]).join(", "))}</td>` +
          `<td>${escapeHtml(labels.status[p.status] || "")}</td></tr>`
      )
      .join("");
    const areaBody = document.querySelector("#area-table tbody");
    areaBody.innerHTML = areas
      .map((a) => {
        const here = partnershipsIn(a.ons_code, list);
        return (
          `<tr><th scope="row"><a href="/areas/${escapeHtml(a.ons_code)}/">${escapeHtml(a.name)}</a></th>` +
          `<td>${escapeHtml(a.region ? a.region.name : "")}</td>` +
          `<td>${here.length ? here.map((p) => `<a href="${escapeHtml(p.url)}">${escapeHtml(p.name)}</a>`).join(", ") : "None found"}</td></tr>`
        );
      })
      .join("");
  }

  tableView.addEventListener("click", function (event) {
    const button = event.target.closest("[data-select]");
    if (button) {
      selectPartnership(button.dataset.select);
      showViewAndRecord("map");
    }
  });

  function renderDetails(list) {
    const partnership = state.p && partnershipsBySlug.get(state.p);
    if (partnership) {
      details.innerHTML =
        `<h2>${escapeHtml(partnership.name)}</h2>` +
        (partnership.aka.length ? `<p class="meta">Also known as ${escapeHtml(partnership.aka.join(", "))}</p>` : "") +
        `<p>${escapeHtml(partnership.summary)}</p>` +
        "<dl>" +
        `<dt>Areas</dt><dd>${partnership.las.map((code) => `<a href="/areas/${escapeHtml(code)}/">${escapeHtml(areaName(code))}</a>`).join(", ")}</dd>` +
        `<dt>Role of the LA</dt><dd>${escapeHtml(labels.la_role[partnership.la_role] || "Not known")}</dd>` +
        `<dt>Legal form</dt><dd>${escapeHtml(labels.legal_form[partnership.legal_form] || "Not known")}</dd>` +
        `<dt>Status</dt><dd>${escapeHtml(labels.status[partnership.status])}</dd>` +
        "</dl>" +
        `<p><a href="${escapeHtml(partnership.url)}">Everything about ${escapeHtml(partnership.name)}</a></p>` +
        '<button type="button" class="secondary" data-clear-selection>Clear selection</button>';
      return;
    }
    if (state.la) {
      const properties = areas.find((a) => a.ons_code === state.la);
      if (!properties) return;
      const here = partnershipsIn(state.la, list);
      details.innerHTML = describeArea(properties) +
        `<h3>${here.length ? `${here.length} partnership${here.length === 1 ? "" : "s"} here` : "No partnership found here"}</h3>` +
        (here.length
          ? "<ul>" + here.map((p) => `<li><button type="button" class="link-button" data-partnership="${escapeHtml(p.slug)}">${escapeHtml(p.name)}</button></li>`).join("") + "</ul>"
          : "") +
        similarSection(list) +
        `<p><a href="/areas/${escapeHtml(properties.ons_code)}/">The local landscape of ${escapeHtml(properties.name)}</a></p>` +
        '<button type="button" class="secondary" data-clear-selection>Clear selection</button>';
      return;
    }
    details.innerHTML = '<p class="hint">Select an area on the map or a partnership in the list.</p>';
  }

  function similarSection(list) {
    if (!state.like) {
      return '<p><button type="button" class="secondary" data-like>Show areas like this</button></p>';
    }
    if (similarFor !== state.la) {
      loadSimilar(state.la);
      return '<p class="meta">Finding areas like this…</p>';
    }
    const codes = [...similarCodes];
    const there = list.filter((p) => p.las.some((code) => similarCodes.has(code)));
    return (
      "<h3>Areas like this</h3><p class=\"meta\">By deprivation, language, density and outcomes (outlined on the map); compare on the area page.</p><ol>" +
      codes.map((code) => `<li><button type="button" class="link-button" data-area="${escapeHtml(code)}">${escapeHtml(areaName(code))}</button></li>`).join("") +
      "</ol><h3>Partnerships in areas like this</h3>" +
      (there.length
        ? "<ul>" + there.map((p) => `<li><button type="button" class="link-button" data-partnership="${escapeHtml(p.slug)}">${escapeHtml(p.name)}</button></li>`).join("") + "</ul>"
        : "<p>None recorded yet.</p>")
    );
  }

  function loadSimilar(code) {
    fetch(`/api/v1/local-authorities/${encodeURIComponent(code)}/similar/`)
      .then((response) => (response.ok ? response.json() : Promise.reject(response.status)))
      .then((body) => {
        similarFor = code;
        similarCodes = new Set(body.results.map((r) => r.local_authority.ons_code));
        if (state.la === code) render({});
      })
      .catch(() => {
        similarFor = code;
        similarCodes = new Set();
      });
  }

  function describeArea(properties) {
    return (
      `<h2>${escapeHtml(properties.name)}</h2><dl>` +
      `<dt>ONS code</dt><dd>${escapeHtml(properties.ons_code)}</dd>` +
      `<dt>DfE LA code</dt><dd>${escapeHtml(properties.dfe_code)}</dd>` +
      `<dt>Type</dt><dd>${escapeHtml(properties.la_type_name)}</dd>` +
      `<dt>Region</dt><dd>${escapeHtml(properties.region ? properties.region.name : "")}</dd></dl>`
    );
  }

  details.addEventListener("click", function (event) {
    if (event.target.closest("[data-clear-selection]")) update({ p: "", la: "", like: false });
    if (event.target.closest("[data-like]")) update({ like: true });
    const area = event.target.closest("[data-area]");
    if (area) selectArea(area.dataset.area, true);
    const choice = event.target.closest("[data-partnership]");
    if (choice) selectPartnership(choice.dataset.partnership);
  });

  function render(options) {
    const list = filtered();
    if (footprintLayer) {
      footprintLayer.remove();
      footprintLayer = null;
    }
    const chosen = state.p && partnershipsBySlug.get(state.p);
    if (chosen && chosen.footprint) {
      footprintLayer = L.geoJSON(chosen.footprint, {
        style: { color: "#b3001b", weight: 3, fillColor: "#b3001b", fillOpacity: 0.25 },
        interactive: false,
      }).addTo(map);
    }
    if (areaLayer) {
      for (const [code, layer] of layersByCode) layer.setStyle(styleFor(code, list));
      const selected = state.la && layersByCode.get(state.la);
      if (selected) selected.bringToFront();
      if (options.zoom) zoomToSelection();
    }
    renderLegend();
    renderResults(list);
    renderTable(list);
    renderDetails(list);
    mapElement.dataset.selected = state.la;
    mapElement.dataset.partnership = state.p;
    mapElement.dataset.matching = String(list.length);
  }

  function zoomToSelection() {
    let bounds = null;
    const partnership = state.p && partnershipsBySlug.get(state.p);
    const codes = partnership ? partnership.las : state.la ? [state.la] : [];
    for (const code of codes) {
      const layer = layersByCode.get(code);
      if (!layer) continue;
      bounds = bounds ? bounds.extend(layer.getBounds()) : L.latLngBounds(layer.getBounds().getSouthWest(), layer.getBounds().getNorthEast());
    }
    if (bounds) map.fitBounds(bounds, { maxZoom: 9, padding: [20, 20] });
  }

  function selectPartnership(slug) {
    update({ p: slug, la: "", like: false }, { zoom: true });
    details.focus();
  }

  function selectArea(code, zoom) {
    update({ la: code, p: "", like: false }, { zoom: zoom });
  }

  /* ---------- views ---------- */

  function showView(view) {
    const table = view === "table";
    tableView.hidden = !table;
    mapElement.hidden = table;
    legend.hidden = table;
    document.getElementById("show-map").setAttribute("aria-pressed", table ? "false" : "true");
    document.getElementById("show-table").setAttribute("aria-pressed", table ? "true" : "false");
    if (!table) map.invalidateSize();
  }

  function showViewAndRecord(view) {
    showView(view);
    update({ view: view });
  }

  document.getElementById("show-map").addEventListener("click", () => showViewAndRecord("map"));
  document.getElementById("show-table").addEventListener("click", () => showViewAndRecord("table"));

  /* ---------- the map ---------- */

  const map = L.map(mapElement, { zoomSnap: 0.25, minZoom: 5, maxZoom: 16 });
  map.setView([52.8, -1.6], 6);
  map.attributionControl.setPrefix(false);
  if (config.tileUrl) {
    L.tileLayer(config.tileUrl, { attribution: config.tileAttribution, maxZoom: 19 }).addTo(map);
  } else {
    mapElement.classList.add("no-basemap");
  }

  function onEachFeature(feature, layer) {
    const code = feature.properties.ons_code;
    layersByCode.set(code, layer);
    layer.bindTooltip(() => {
      const count = partnershipsIn(code, filtered()).length;
      return `${escapeHtml(feature.properties.name)}: ${count} partnership${count === 1 ? "" : "s"}`;
    }, { sticky: true });
    layer.on({
      mouseover: () => layer.setStyle({ weight: 3, color: "#1d3557" }),
      mouseout: () => layer.setStyle(styleFor(code, filtered())),
      click: () => selectArea(code, false),
    });
  }

  /* ---------- search ---------- */

  let options = [];
  let active = -1;
  let serverResults = [];
  let searchTimer = null;

  function normalise(text) {
    return text.toLowerCase().normalize("NFKD").replace(/[\u0300-\u036f]/g, "").replace(/[^a-z0-9]+/g, " ").trim();
  }

  function localMatches(query) {
    const q = normalise(query);
    if (!q) return [];
    const scored = [];
    for (const properties of areas) {
      const name = normalise(properties.name);
      let score = -1;
      if (properties.ons_code.toLowerCase() === q || properties.dfe_code === q) score = 0;
      else if (name === q) score = 1;
      else if (name.startsWith(q)) score = 2;
      else if (name.split(" ").some((word) => word.startsWith(q))) score = 3;
      else if (name.includes(q)) score = 4;
      if (score >= 0) scored.push([score, { kind: "area", code: properties.ons_code, label: `${properties.name} (${properties.ons_code}, ${properties.dfe_code})`, sort: properties.name }]);
    }
    for (const partnership of data.partnerships) {
      const names = [partnership.name, ...partnership.aka].map(normalise);
      let score = -1;
      if (names.some((n) => n === q)) score = 1;
      else if (names.some((n) => n.startsWith(q))) score = 2;
      else if (names.some((n) => n.split(" ").some((w) => w.startsWith(q)))) score = 3;
      else if (names.some((n) => n.includes(q))) score = 4;
      if (score >= 0) scored.push([score, { kind: "partnership", slug: partnership.slug, label: `${partnership.name} (partnership)`, sort: partnership.name }]);
    }
    scored.sort((a, b) => a[0] - b[0] || a[1].sort.localeCompare(b[1].sort));
    return scored.slice(0, 10).map((item) => item[1]);
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

  function refreshOptions() {
    options = localMatches(searchInput.value).concat(serverResults);
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
      searchInput.value = areaName(option.code);
      selectArea(option.code, true);
      searchStatus.textContent = `Showing ${areaName(option.code)}.`;
    } else if (option.kind === "partnership") {
      searchInput.value = partnershipsBySlug.get(option.slug).name;
      selectPartnership(option.slug);
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
        fetch(`${mapElement.dataset.searchUrl}?q=${encodeURIComponent(query)}`)
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
      if (!options.length) options = localMatches(searchInput.value);
      if (options.length) choose(active >= 0 ? active : 0);
      else searchStatus.textContent = "Nothing matches that name or code.";
      event.preventDefault();
    } else if (event.key === "Escape") {
      closeOptions();
    }
  });
  searchInput.addEventListener("blur", closeOptions);

  /* ---------- start ---------- */

  for (const region of data.regions.slice().sort((a, b) => a.name.localeCompare(b.name))) {
    areaSelect.add(new Option(`${region.name} (region)`, region.code));
  }
  writeForm();
  render({});

  fetch(mapElement.dataset.geojsonUrl, { headers: { Accept: "application/geo+json" } })
    .then(function (response) {
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      return response.json();
    })
    .then(function (collection) {
      areas = collection.features.map((feature) => feature.properties);
      for (const properties of areas) areaSelect.add(new Option(properties.name, properties.ons_code));
      areaSelect.value = state.area;
      areaLayer = L.geoJSON(collection, { onEachFeature: onEachFeature }).addTo(map);
      areaLayer.eachLayer((layer) => {
        layer.getElement().dataset.code = layer.feature.properties.ons_code;
      });
      map.fitBounds(areaLayer.getBounds(), { padding: [10, 10] });
      render({ zoom: true });
      mapElement.dataset.loaded = String(areas.length);
      performance.mark("map-interactive");
    })
    .catch(function (error) {
      details.innerHTML = `<p class="error" role="alert">The map data could not be loaded (${escapeHtml(error.message)}). Please reload the page.</p>`;
    });
})();
