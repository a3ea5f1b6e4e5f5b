/* Drawing the state: area shading and outlines, legend, results list, tables, details. */

import { escapeHtml, fillUrl, fitView, isPhone, makeSortable, plural, sortRows, suggestUrl } from "../common.js";
import { filtered, localIn, regionalIn } from "./filters.js";

const COUNT_COLOURS = ["#f2f2f2", "#c6dbef", "#6baed6", "#2171b5", "#08306b"];
const ROLE_COLOURS = {
  schools_led: "#009E73",
  schools_and_la: "#0072B2",
  la_coordinating: "#E69F00",
  mixed: "#CC79A7",
};
const COVERAGE_COLOURS = ["#f7fcf5", "#c7e9c0", "#74c476", "#238b45", "#00441b"];
const ROLE_UNKNOWN = "#bdbdbd";
const RESEARCH_COLOURS = { documented: "#009E73", none_found: "#E69F00", not_researched: "#d9d9d9" };
const NO_RECORD = "#ffffff";
const REGIONAL_COLOUR = "#5e3c99";

export function createRenderer(app) {
  const mapElement = document.getElementById("map");
  const details = document.getElementById("details");
  const resultsList = document.getElementById("results");
  const resultsCount = document.getElementById("results-count");
  const legend = document.getElementById("legend");
  const tableView = document.getElementById("table-view");
  const resultsHeading = document.getElementById("results-heading");
  const partnershipTable = document.getElementById("partnership-table");
  const areaTable = document.getElementById("area-table");
  const siteTitle = document.title;
  const { labels } = app;
  let footprintLayer = null;
  let regionalLayer = null;
  let regionalKey = "";
  const researchLabels = Object.fromEntries(app.data.research_statuses || []);
  const researchOf = (code) => (app.data.research || {})[code] || "";
  let similarCodes = new Set();
  let similarFor = "";

  const areaName = (code) => (app.areaByCode.get(code) || { name: code }).name;
  const areaUrl = (code) => fillUrl(app.urls.area, code);
  const suggestLink = (codes, text) =>
    `<a href="${escapeHtml(suggestUrl(app.urls.suggest, codes))}">${text}</a>`;

  function fillFor(code, list) {
    const state = app.store.state;
    const here = localIn(code, list);
    if (state.shade === "research") return RESEARCH_COLOURS[researchOf(code)] || NO_RECORD;
    if (state.shade === "role") {
      const roles = new Set(here.map((p) => p.la_role).filter(Boolean));
      if (!roles.size) return here.length ? ROLE_UNKNOWN : COUNT_COLOURS[0];
      return roles.size > 1 ? ROLE_COLOURS.mixed : ROLE_COLOURS[[...roles][0]];
    }
    if (state.shade === "coverage") {
      const coverage = app.data.coverage && app.data.coverage[code];
      if (!coverage) return "#ffffff";
      return COVERAGE_COLOURS[Math.min(4, Math.floor(coverage.share * 4.999))];
    }
    return COUNT_COLOURS[Math.min(here.length, 4)];
  }

  function styleFor(code, list) {
    const state = app.store.state;
    const selectedPartnership = state.p && app.partnershipsBySlug.get(state.p);
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
    const state = app.store.state;
    let items = [];
    if (state.shade === "role") {
      items = [
        [ROLE_COLOURS.schools_led, labels.la_role.schools_led],
        [ROLE_COLOURS.schools_and_la, labels.la_role.schools_and_la],
        [ROLE_COLOURS.la_coordinating, labels.la_role.la_coordinating],
        [ROLE_COLOURS.mixed, "Partnerships with different LA roles"],
        [ROLE_UNKNOWN, "LA role not known"],
        [COUNT_COLOURS[0], "No local partnership found"],
      ];
    } else if (state.shade === "coverage") {
      if (!app.data.coverage) {
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
    } else if (state.shade === "research") {
      items = Object.keys(RESEARCH_COLOURS).map((status) => [RESEARCH_COLOURS[status], researchLabels[status] || status]);
      if (app.areas.some((area) => !researchOf(area.ons_code))) items.push([NO_RECORD, "No research record yet"]);
    } else {
      items = [
        [COUNT_COLOURS[0], "No local partnership found"],
        [COUNT_COLOURS[1], "1 partnership"],
        [COUNT_COLOURS[2], "2 partnerships"],
        [COUNT_COLOURS[3], "3 partnerships"],
        [COUNT_COLOURS[4], "4 or more"],
      ];
    }
    const outlines = [];
    if (state.la) outlines.push(["selected", `Selected area: ${areaName(state.la)}`]);
    if (state.p && app.partnershipsBySlug.get(state.p)) {
      outlines.push(["partnership", `Areas of ${app.partnershipsBySlug.get(state.p).name}`]);
    }
    if (state.like && similarFor === state.la && similarCodes.size) outlines.push(["alike", "Areas like the selected one"]);
    if (state.regional) outlines.push(["regional", "Included in a regional body (not counted as local)"]);
    const note =
      state.shade === "research"
        ? '<p class="legend-note">What research has found in each area; the filters do not change it.</p>'
        : state.shade === "coverage"
          ? ""
          : '<p class="legend-note">Regional bodies are not counted.</p>';
    legend.innerHTML =
      '<h2 class="legend-title">Key</h2><ul>' +
      items
        .map(([colour, text]) => `<li><span class="swatch" style="background:${colour}"></span>${escapeHtml(text)}</li>`)
        .join("") +
      outlines.map(([kind, text]) => `<li><span class="outline outline-${kind}"></span>${escapeHtml(text)}</li>`).join("") +
      "</ul>" +
      note;
  }

  function renderResults(list) {
    const state = app.store.state;
    if (state.la && app.areaByCode.get(state.la)) {
      list = localIn(state.la, list);
      resultsHeading.textContent = `Partnerships in ${areaName(state.la)}`;
    } else {
      resultsHeading.textContent = "Partnerships";
    }
    resultsCount.textContent = `${list.length} of ${app.data.partnerships.length} partnerships match.`;
    resultsList.innerHTML = "";
    for (const partnership of list) {
      const item = document.createElement("li");
      if (partnership.slug === state.p) item.classList.add("selected");
      const button = document.createElement("button");
      button.type = "button";
      button.className = "link-button";
      button.textContent = partnership.name;
      button.setAttribute("aria-pressed", partnership.slug === state.p ? "true" : "false");
      button.addEventListener("click", () => app.selectPartnership(partnership.slug));
      const where = document.createElement("span");
      where.className = "meta";
      where.textContent = `${partnership.regional ? " Regional body:" : ""} ${partnership.las.map(areaName).join(", ")}`;
      item.append(button, where);
      resultsList.appendChild(item);
    }
  }

  function renderTable(list) {
    const state = app.store.state;
    const body = document.querySelector("#partnership-table tbody");
    body.innerHTML = list
      .map(
        (p) =>
          `<tr${p.slug === state.p ? ' class="selected"' : ""}><th scope="row" data-sort="${escapeHtml(p.name)}"><a href="${escapeHtml(p.url)}">${escapeHtml(p.name)}</a> ` +
          `<button type="button" class="link-button small" data-select="${escapeHtml(p.slug)}">Show <span class="visually-hidden">${escapeHtml(p.name)} </span>on map</button></th>` +
          `<td>${escapeHtml(p.las.map(areaName).join(", "))}</td>` +
          `<td>${escapeHtml(labels.la_role[p.la_role] || "Not known")}</td>` +
          `<td>${escapeHtml(labels.scope[p.scope] || "")}</td>` +
          `<td>${escapeHtml(labels.legal_form[p.legal_form] || "Not known")}</td>` +
          `<td>${escapeHtml(p.focus.map((f) => labels.focus[f]).join(", "))}</td>` +
          `<td>${escapeHtml(labels.status[p.status] || "")}</td></tr>`
      )
      .join("");
    const areaBody = document.querySelector("#area-table tbody");
    areaBody.innerHTML = app.areas
      .map((a) => {
        const here = localIn(a.ons_code, list);
        const regional = regionalIn(a.ons_code, list);
        return (
          `<tr><th scope="row" data-sort="${escapeHtml(a.name)}"><a href="${escapeHtml(areaUrl(a.ons_code))}">${escapeHtml(a.name)}</a> ` +
          `<button type="button" class="link-button small" data-select-area="${escapeHtml(a.ons_code)}">Show <span class="visually-hidden">${escapeHtml(a.name)} </span>on map</button></th>` +
          `<td>${escapeHtml(a.region ? a.region.name : "")}</td>` +
          `<td data-sort="${here.length}">${
            here.length
              ? here.map((p) => `<a href="${escapeHtml(p.url)}">${escapeHtml(p.name)}</a>`).join(", ")
              : suggestLink([a.ons_code], `None known: suggest one<span class="visually-hidden"> in ${escapeHtml(a.name)}</span>`)
          }</td>` +
          `<td data-sort="${regional.length}">${regional.map((p) => `<a href="${escapeHtml(p.url)}">${escapeHtml(p.name)}</a>`).join(", ")}</td></tr>`
        );
      })
      .join("");
    sortRows(partnershipTable);
    sortRows(areaTable);
  }

  makeSortable(partnershipTable);
  makeSortable(areaTable);

  tableView.addEventListener("click", function (event) {
    const button = event.target.closest("[data-select]");
    if (button) {
      showViewAndRecord("map");
      app.selectPartnership(button.dataset.select);
    }
    const area = event.target.closest("[data-select-area]");
    if (area) {
      showViewAndRecord("map");
      app.selectArea(area.dataset.selectArea, { zoom: true, focus: true });
    }
  });

  function partnershipButtons(list) {
    return (
      "<ul>" +
      list
        .map((p) => `<li><button type="button" class="link-button" data-partnership="${escapeHtml(p.slug)}">${escapeHtml(p.name)}</button></li>`)
        .join("") +
      "</ul>"
    );
  }

  function describeArea(area) {
    return (
      `<h2>${escapeHtml(area.name)}</h2><dl>` +
      `<dt>ONS code</dt><dd>${escapeHtml(area.ons_code)}</dd>` +
      `<dt>DfE LA code</dt><dd>${escapeHtml(area.dfe_code)}</dd>` +
      `<dt>Type</dt><dd>${escapeHtml(area.la_type_name)}</dd>` +
      `<dt>Region</dt><dd>${escapeHtml(area.region ? area.region.name : "")}</dd>` +
      (researchOf(area.ons_code) ? `<dt>What we know</dt><dd>${escapeHtml(researchLabels[researchOf(area.ons_code)])}</dd>` : "") +
      "</dl>"
    );
  }

  function renderDetails(list) {
    const state = app.store.state;
    const partnership = state.p && app.partnershipsBySlug.get(state.p);
    if (partnership) {
      details.innerHTML =
        `<h2>${escapeHtml(partnership.name)}</h2>` +
        (partnership.aka.length ? `<p class="meta">Also known as ${escapeHtml(partnership.aka.join(", "))}</p>` : "") +
        (partnership.regional
          ? '<p class="meta">A regional body: it includes these areas without being their local partnership.</p>'
          : "") +
        `<p>${escapeHtml(partnership.summary)}</p>` +
        "<dl>" +
        `<dt>Areas</dt><dd>${partnership.las.map((code) => `<a href="${escapeHtml(areaUrl(code))}">${escapeHtml(areaName(code))}</a>`).join(", ")}</dd>` +
        `<dt>Kind</dt><dd>${escapeHtml(labels.kind[partnership.kind] || "Not known")}</dd>` +
        `<dt>Role of the LA</dt><dd>${escapeHtml(labels.la_role[partnership.la_role] || "Not known")}</dd>` +
        `<dt>Legal form</dt><dd>${escapeHtml(labels.legal_form[partnership.legal_form] || "Not known")}</dd>` +
        `<dt>Status</dt><dd>${escapeHtml(labels.status[partnership.status])}</dd>` +
        "</dl>" +
        `<p><a href="${escapeHtml(partnership.url)}">Everything about ${escapeHtml(partnership.name)}</a></p>` +
        '<button type="button" class="secondary" data-clear-selection>Clear selection</button>';
      return;
    }
    if (state.la) {
      const area = app.areaByCode.get(state.la);
      if (!area) return;
      const here = localIn(state.la, list);
      const regional = regionalIn(state.la, list);
      details.innerHTML =
        describeArea(area) +
        `<h3>${here.length ? `${plural(here.length, "partnership")} here` : "No local partnership found here"}</h3>` +
        (here.length
          ? partnershipButtons(here) + `<p>${suggestLink([area.ons_code], `Know of another in ${escapeHtml(area.name)}? Tell us about it`)}</p>`
          : `<p>${suggestLink([area.ons_code], `Know of one in ${escapeHtml(area.name)}? Tell us about it`)}; moderators check every suggestion.</p>`) +
        (regional.length
          ? '<h3>Regional bodies that include this area</h3><p class="meta">Not counted as local partnerships.</p>' +
            partnershipButtons(regional)
          : "") +
        similarSection(list) +
        `<p><a href="${escapeHtml(areaUrl(area.ons_code))}">The local landscape of ${escapeHtml(area.name)}</a></p>` +
        '<button type="button" class="secondary" data-clear-selection>Clear selection</button>';
      return;
    }
    details.innerHTML = '<p class="hint">Select an area on the map or a partnership in the list.</p>';
  }

  function similarSection(list) {
    const state = app.store.state;
    if (!state.like) {
      return '<p><button type="button" class="secondary" data-like>Show areas like this</button></p>';
    }
    if (similarFor !== state.la) {
      loadSimilar(state.la);
      return '<p class="meta">Finding areas like this…</p>';
    }
    const codes = [...similarCodes];
    const there = list.filter((p) => !p.regional && p.las.some((code) => similarCodes.has(code)));
    return (
      '<h3>Areas like this</h3><p class="meta">The areas closest on deprivation, language, density and pupil outcomes, outlined in dashed blue on the map. ' +
      `<a href="${escapeHtml(app.urls.method)}">How similar areas are found</a>; compare them on the area page.</p><ol>` +
      codes.map((code) => `<li><button type="button" class="link-button" data-area="${escapeHtml(code)}">${escapeHtml(areaName(code))}</button></li>`).join("") +
      "</ol><h3>Partnerships in areas like this</h3>" +
      (there.length ? partnershipButtons(there) : `<p>None recorded yet. ${suggestLink(codes, "Know of one? Tell us about it")}.</p>`)
    );
  }

  function loadSimilar(code) {
    fetch(fillUrl(app.urls.similar, code))
      .then((response) => (response.ok ? response.json() : Promise.reject(response.status)))
      .then((body) => {
        similarFor = code;
        similarCodes = new Set(body.results.map((r) => r.local_authority.ons_code));
        if (app.store.state.la === code) render({ zoomSimilar: true });
      })
      .catch(() => {
        similarFor = code;
        similarCodes = new Set();
      });
  }

  details.addEventListener("click", function (event) {
    if (event.target.closest("[data-clear-selection]")) {
      const state = app.store.state;
      app.store.update({ p: "", la: "", like: false, area: state.area === state.la ? "" : state.area });
    }
    if (event.target.closest("[data-like]")) app.store.update({ like: true });
    const area = event.target.closest("[data-area]");
    if (area) app.selectArea(area.dataset.area, { zoom: true, focus: true });
    const choice = event.target.closest("[data-partnership]");
    if (choice) app.selectPartnership(choice.dataset.partnership);
  });

  function renderMap(list, options) {
    const state = app.store.state;
    if (footprintLayer) {
      footprintLayer.remove();
      footprintLayer = null;
    }
    const chosen = state.p && app.partnershipsBySlug.get(state.p);
    if (chosen && chosen.footprint) {
      footprintLayer = L.geoJSON(chosen.footprint, {
        style: { color: "#b3001b", weight: 3, fillColor: "#b3001b", fillOpacity: 0.25 },
        interactive: false,
      }).addTo(app.map);
    }
    if (!app.areaLayer) return;
    for (const [code, layer] of app.layersByCode) layer.setStyle(styleFor(code, list));
    renderRegionalLayer(list);
    const selected = state.la && app.layersByCode.get(state.la);
    if (selected) selected.bringToFront();
    if (options.zoomSimilar) zoomTo([state.la, ...similarCodes]);
    else if (options.zoom) zoomToSelection();
  }

  /* The regional bodies' areas, hatched and outlined over the shading, when asked for:
     one non-interactive layer, rebuilt only when the set of areas changes. */
  function renderRegionalLayer(list) {
    const codes = app.store.state.regional
      ? [...new Set(list.filter((p) => p.regional).flatMap((p) => p.las))].filter((code) => app.layersByCode.has(code)).sort()
      : [];
    const key = codes.join(",");
    if (key === regionalKey) return;
    regionalKey = key;
    if (regionalLayer) {
      regionalLayer.remove();
      regionalLayer = null;
    }
    if (!codes.length) return;
    addHatchPattern();
    const features = codes.map((code) => app.layersByCode.get(code).feature);
    regionalLayer = L.geoJSON(
      { type: "FeatureCollection", features: features },
      {
        interactive: false,
        style: { color: REGIONAL_COLOUR, weight: 2, dashArray: "6 4", fillColor: "url(#regional-hatch)", fillOpacity: 1 },
      }
    ).addTo(app.map);
    regionalLayer.eachLayer((layer) => {
      layer.getElement().dataset.regional = layer.feature.properties.ons_code;
    });
  }

  function addHatchPattern() {
    const svg = app.map.getPanes().overlayPane.querySelector("svg");
    if (!svg || svg.querySelector("#regional-hatch")) return;
    const ns = "http://www.w3.org/2000/svg";
    const defs = svg.querySelector("defs") || svg.insertBefore(document.createElementNS(ns, "defs"), svg.firstChild);
    const pattern = document.createElementNS(ns, "pattern");
    pattern.id = "regional-hatch";
    pattern.setAttribute("patternUnits", "userSpaceOnUse");
    pattern.setAttribute("width", "8");
    pattern.setAttribute("height", "8");
    pattern.setAttribute("patternTransform", "rotate(45)");
    const line = document.createElementNS(ns, "line");
    line.setAttribute("x1", "0");
    line.setAttribute("y1", "0");
    line.setAttribute("x2", "0");
    line.setAttribute("y2", "8");
    line.setAttribute("stroke", REGIONAL_COLOUR);
    line.setAttribute("stroke-width", "2");
    pattern.appendChild(line);
    defs.appendChild(pattern);
  }

  function zoomToSelection() {
    const state = app.store.state;
    const partnership = state.p && app.partnershipsBySlug.get(state.p);
    if (partnership) return zoomTo(partnership.las);
    if (state.la) return zoomTo([state.la]);
    if (state.area.startsWith("E12")) {
      return zoomTo(app.areas.filter((a) => a.region && a.region.code === state.area).map((a) => a.ons_code));
    }
  }

  function zoomTo(codes) {
    let bounds = null;
    for (const code of codes) {
      const layer = app.layersByCode.get(code);
      if (!layer) continue;
      bounds = bounds
        ? bounds.extend(layer.getBounds())
        : L.latLngBounds(layer.getBounds().getSouthWest(), layer.getBounds().getNorthEast());
    }
    if (bounds) fitView(app.map, bounds, { maxZoom: 9, padding: [20, 20] });
  }

  function showView(view) {
    const table = view === "table";
    tableView.hidden = !table;
    mapElement.hidden = table;
    legend.hidden = table;
    document.getElementById("show-map").setAttribute("aria-pressed", table ? "false" : "true");
    document.getElementById("show-table").setAttribute("aria-pressed", table ? "true" : "false");
    if (!table) app.map.invalidateSize();
  }

  function showViewAndRecord(view) {
    showView(view);
    app.store.update({ view: view });
  }

  document.getElementById("show-map").addEventListener("click", () => showViewAndRecord("map"));
  document.getElementById("show-table").addEventListener("click", () => showViewAndRecord("table"));

  function render(options) {
    const list = filtered(app);
    renderMap(list, options);
    renderLegend();
    renderResults(list);
    renderTable(list);
    renderDetails(list);
    if (options.fromHistory) showView(app.store.state.view);
    document.title = selectionTitle() + siteTitle;
    mapElement.dataset.selected = app.store.state.la;
    mapElement.dataset.partnership = app.store.state.p;
    mapElement.dataset.matching = String(list.length);
  }

  function selectionTitle() {
    const state = app.store.state;
    const partnership = state.p && app.partnershipsBySlug.get(state.p);
    if (partnership) return `${partnership.name}: `;
    if (state.la && app.areaByCode.get(state.la)) return `${areaName(state.la)}: `;
    return "";
  }

  function tooltip(code) {
    const list = filtered(app);
    const regional = regionalIn(code, list).length;
    const research = app.store.state.shade === "research" && researchOf(code);
    return (
      `${escapeHtml(areaName(code))}: ${plural(localIn(code, list).length, "partnership")}` +
      (regional ? `, ${plural(regional, "regional body", "regional bodies")}` : "") +
      (research ? `. ${escapeHtml(researchLabels[research])}` : "")
    );
  }

  return { render, showView, styleFor: (code) => styleFor(code, filtered(app)), tooltip, areaName, details };
}
