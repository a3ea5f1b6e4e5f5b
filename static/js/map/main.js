/* The national map: LAs shaded by partnerships, filters, list and table views, search,
   selection, and a URL that holds it all. This module wires the others together. */

import { addGeoJsonInPieces, baseMap, boundsOf, escapeHtml, fitView, isPhone, labelAreas, readJson, yieldToMain } from "../common.js";
import { bindFilters } from "./filters.js";
import { createRenderer } from "./render.js";
import { bindSearch } from "./search.js";
import { createStore } from "./state.js";

const mapElement = document.getElementById("map");
const data = readJson("map-data");
const labels = {};
for (const [key, pairs] of Object.entries(data.choices)) labels[key] = Object.fromEntries(pairs);

const app = {
  data,
  labels,
  urls: {
    area: mapElement.dataset.areaUrl,
    similar: mapElement.dataset.similarUrl,
    suggest: mapElement.dataset.suggestUrl,
    method: mapElement.dataset.methodUrl,
  },
  partnershipsBySlug: new Map(data.partnerships.map((p) => [p.slug, p])),
  areas: [],
  areaByCode: new Map(),
  layersByCode: new Map(),
  areaLayer: null,
  store: createStore(Object.keys(data.filters)),
  map: baseMap(mapElement, readJson("map-config"), { minZoom: 5, maxZoom: 16 }),
  selectPartnership(slug) {
    app.store.update({ p: slug, la: "", like: false }, { zoom: true });
    revealDetails();
  },
  /* options: zoom (fit the map to it), focus (move focus to its details). */
  selectArea(code, options) {
    const { zoom = false, focus = false } = options || {};
    const area = app.store.state.area;
    const keepFilter = !area || area === code || area.startsWith("E12");
    app.store.update({ la: code, p: "", like: false, area: keepFilter ? area : "" }, { zoom: zoom });
    if (focus) revealDetails();
  },
};

/* Selection details in view: on a phone they sit under the map, so scroll them up while
   leaving the bottom of the map (and the selected outline) visible; then move focus there. */
function revealDetails() {
  const details = renderer.details;
  if (isPhone()) {
    const top = details.getBoundingClientRect().top + window.scrollY - window.innerHeight * 0.3;
    window.scrollTo(0, Math.max(0, top));
  }
  details.focus({ preventScroll: isPhone() });
}

/* Start-up in pieces (the base map, the controls, the first drawing), each its own task,
   so a phone paints and answers between them. */
await yieldToMain();
const renderer = createRenderer(app);
const filters = bindFilters(app, document.getElementById("filters"), document.getElementById("f-area"));
app.store.subscribe((options) => renderer.render(options));
bindSearch(app, mapElement.dataset.searchUrl);

function onEachFeature(feature, layer) {
  const code = feature.properties.ons_code;
  app.layersByCode.set(code, layer);
  layer.bindTooltip(() => renderer.tooltip(code), { sticky: true });
  layer.on({
    mouseover: () => layer.setStyle({ weight: 3, color: "#1d3557" }),
    mouseout: () => layer.setStyle(renderer.styleFor(code)),
    click: () => app.selectArea(code, { focus: isPhone() }),
  });
}

/* On a phone the map and the selection come first: the filters (unless one is set) and the
   long list of partnerships start folded, so the page is a few screens long, not dozens.
   Below the map, so nothing in view moves. A wider screen always shows the list. */
function foldForPhone() {
  const filterBox = document.querySelector("#filters details");
  const listBox = document.getElementById("results-list");
  const state = app.store.state;
  const filtering = state.area || Object.keys(app.data.filters).some((name) => state[name].length);
  if (isPhone()) {
    listBox.open = false;
    if (!filtering) filterBox.open = false;
  }
  window.matchMedia("(max-width: 700px)").addEventListener("change", (event) => {
    if (!event.matches) listBox.open = true;
  });
}

foldForPhone();
await yieldToMain();
renderer.showView(app.store.state.view);
renderer.render({});

fetch(mapElement.dataset.geojsonUrl)
  .then(function (response) {
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    return response.json();
  })
  .then(async function (collection) {
    app.areas = collection.features.map((feature) => feature.properties);
    app.areaByCode = new Map(app.areas.map((area) => [area.ons_code, area]));
    filters.addAreaOptions();
    /* England in view before its boundaries are drawn (each is then drawn once), and the
       drawing in pieces, so a phone can answer a tap meanwhile. */
    fitView(app.map, boundsOf(collection.features), { padding: [10, 10], animate: false });
    await yieldToMain();
    const areaLayer = await addGeoJsonInPieces(app.map, collection, {
      onEachFeature: onEachFeature,
      style: (feature) => renderer.styleFor(feature.properties.ons_code),
    });
    areaLayer.eachLayer((layer) => {
      layer.getElement().dataset.code = layer.feature.properties.ons_code;
    });
    app.areaLayer = areaLayer;
    if (mapElement.classList.contains("no-basemap")) labelAreas(app.map, areaLayer);
    await yieldToMain();
    renderer.render({ zoom: true });
    mapElement.removeAttribute("aria-busy");
    document.getElementById("map-loading").hidden = true;
    mapElement.dataset.loaded = String(app.areas.length);
    performance.mark("map-interactive");
  })
  .catch(function (error) {
    document.getElementById("map-loading").hidden = true;
    renderer.details.innerHTML = `<p class="error" role="alert">The map data could not be loaded (${escapeHtml(error.message)}). Please reload the page.</p>`;
  });

/* Share and print the current view: the URL already holds it. */
const shareStatus = document.getElementById("share-status");
document.getElementById("copy-link").addEventListener("click", function () {
  const url = window.location.href;
  const done = () => (shareStatus.textContent = "Link copied. Paste it to share this view.");
  if (navigator.clipboard && window.isSecureContext) {
    navigator.clipboard.writeText(url).then(done, () => (shareStatus.textContent = `Copy this link: ${url}`));
  } else {
    shareStatus.textContent = `Copy this link: ${url}`;
  }
});
document.getElementById("print-view").addEventListener("click", () => window.print());
