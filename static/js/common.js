/* Helpers every map script shares: one escapeHtml, one default view of England, one way to
   read what the server put in the page, and one base map. */

export const ENGLAND = { centre: [52.8, -1.6], zoom: 6 };

export function escapeHtml(text) {
  const span = document.createElement("span");
  span.textContent = text == null ? "" : String(text);
  return span.innerHTML;
}

export function readJson(id) {
  const element = document.getElementById(id);
  return element ? JSON.parse(element.textContent) : null;
}

/* A URL from a server-made pattern holding a placeholder, e.g. "/areas/CODE/". */
export function fillUrl(pattern, code) {
  return pattern.replace("CODE", encodeURIComponent(code));
}

export function plural(count, one, many) {
  return `${count} ${count === 1 ? one : many || `${one}s`}`;
}

/* A Leaflet map on England with the configured basemap (none in tests) and a scale bar. */
export function baseMap(element, config, options) {
  const map = L.map(element, Object.assign({ zoomSnap: 0.25 }, options || {}));
  map.setView(ENGLAND.centre, ENGLAND.zoom);
  map.attributionControl.setPrefix(false);
  /* Shapes are not Tab stops (Chromium makes every interactive SVG path one: 153 of them,
     many off-screen): the map itself is one stop, and areas are chosen by search or list. */
  map.on("layeradd", function (event) {
    const element = event.layer.getElement && event.layer.getElement();
    if (element instanceof SVGElement) element.setAttribute("tabindex", "-1");
  });
  L.control.scale({ metric: true, imperial: true, position: "bottomleft" }).addTo(map);
  if (config && config.tileUrl) {
    L.tileLayer(config.tileUrl, { attribution: config.tileAttribution, maxZoom: 19 }).addTo(map);
  } else {
    element.classList.add("no-basemap");
  }
  return map;
}

/* Give the browser the main thread back for a moment (to paint, or answer a tap). */
export function yieldToMain() {
  if (globalThis.scheduler && typeof scheduler.yield === "function") return scheduler.yield();
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/* A GeoJSON layer added to the map a few features at a time, yielding between pieces: drawn
   in one go, England's 153 boundaries are one task of 300 ms on a mid-range phone, during
   which a tap waits. Each piece stops after `budget` ms (8: under the 50 ms of a "long
   task" even on a CPU four times slower). Set the view first: a zoom after the boundaries
   are drawn projects every one again, in one task. Resolves to the layer when complete. */
export async function addGeoJsonInPieces(map, collection, options, budget = 8) {
  const layer = L.geoJSON(null, options).addTo(map);
  let started = performance.now();
  for (const feature of collection.features) {
    layer.addData(feature);
    if (performance.now() - started > budget) {
      await yieldToMain();
      started = performance.now();
    }
  }
  return layer;
}

/* The bounds of some features of a collection, without drawing them. */
export function boundsOf(features) {
  return L.geoJSON({ type: "FeatureCollection", features: features }).getBounds();
}

/* Where there is no basemap, the areas' names on the map, so a place can be found by eye.
   A name shows from zoom 7 up, only where its area is wide enough on screen to hold it,
   and never over another name (larger areas are named first), so England-wide none crowd
   the shading. Names are drawn in a pane of their own that takes no pointer events and is
   hidden from assistive technology: each area's name is already its shape's tooltip and is
   in the page's lists; no name is a Tab stop. */
const LABELS_FROM_ZOOM = 7;
const LABEL_HEIGHT = 16;
const labelWidth = (name) => name.length * 7.5 + 8; // 12px bold, with room to spare
export function labelAreas(map, layer) {
  const pane = map.getPane("area-labels") || map.createPane("area-labels");
  pane.setAttribute("aria-hidden", "true");
  const labels = [];
  layer.eachLayer(function (shape) {
    const name = shape.feature.properties.name;
    const bounds = shape.getBounds();
    const west = map.project(bounds.getSouthWest(), 0);
    const east = map.project(bounds.getNorthEast(), 0);
    const marker = L.marker(labelPoint(shape.feature.geometry), {
      pane: "area-labels",
      interactive: false,
      keyboard: false,
      icon: L.divIcon({ className: "area-label", html: `<span>${escapeHtml(name)}</span>`, iconSize: null }),
    });
    labels.push({ marker, width: Math.abs(east.x - west.x), needs: labelWidth(name) });
  });
  labels.sort((a, b) => b.width - a.width);
  function show() {
    const zoom = map.getZoom();
    const scale = Math.pow(2, zoom);
    const placed = [];
    for (const label of labels) {
      let fits = zoom >= LABELS_FROM_ZOOM && label.width * scale >= label.needs;
      if (fits) {
        const centre = map.project(label.marker.getLatLng(), zoom);
        const box = { left: centre.x - label.needs / 2, right: centre.x + label.needs / 2, top: centre.y - LABEL_HEIGHT / 2, bottom: centre.y + LABEL_HEIGHT / 2 };
        fits = !placed.some((other) => box.left < other.right && other.left < box.right && box.top < other.bottom && other.top < box.bottom);
        if (fits) placed.push(box);
      }
      if (fits && !map.hasLayer(label.marker)) label.marker.addTo(map);
      else if (!fits && map.hasLayer(label.marker)) label.marker.remove();
    }
  }
  map.on("zoomend", show);
  show();
  return labels.length;
}

/* A point inside an area for its name: the centroid of its largest polygon's outer ring
   (an area's islands and detached parts do not pull the name off its land). */
function labelPoint(geometry) {
  const polygons = geometry.type === "Polygon" ? [geometry.coordinates] : geometry.coordinates;
  let best = null;
  for (const polygon of polygons) {
    const ring = polygon[0];
    let area = 0;
    let x = 0;
    let y = 0;
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const cross = ring[j][0] * ring[i][1] - ring[i][0] * ring[j][1];
      area += cross;
      x += (ring[j][0] + ring[i][0]) * cross;
      y += (ring[j][1] + ring[i][1]) * cross;
    }
    if (area && (!best || Math.abs(area) > Math.abs(best.area))) best = { area, x: x / (3 * area), y: y / (3 * area) };
  }
  return best ? [best.y, best.x] : [0, 0];
}

/* Fit the map to bounds, the latest request winning. Leaflet drops a zoom asked for while a
   zoom animation runs (it only checks its private _animatingZoom), so a choice made just
   after the page's first fit, or quickly one after another, would leave the map elsewhere. */
const pendingFits = new WeakMap();
export function fitView(map, bounds, options) {
  const pending = pendingFits.get(map);
  if (pending) map.off("zoomend", pending);
  pendingFits.delete(map);
  if (!map._animatingZoom) return map.fitBounds(bounds, options);
  const fit = () => {
    pendingFits.delete(map);
    map.fitBounds(bounds, options);
  };
  pendingFits.set(map, fit);
  map.once("zoomend", fit);
}

/* A link to the suggestion form, pre-filled with the given areas. */
export function suggestUrl(base, codes) {
  const params = new URLSearchParams();
  for (const code of codes || []) params.append("la", code);
  const query = params.toString();
  return query ? `${base}?${query}` : base;
}

export function isPhone() {
  return window.matchMedia("(max-width: 700px)").matches;
}

/* Sortable tables: each column header gets a button; the order survives re-rendering of the
   body because sortRows is called again after every render. Numbers sort as numbers. */
export function makeSortable(table, onSort) {
  const headers = Array.from(table.querySelectorAll("thead th"));
  headers.forEach((th, index) => {
    if (th.dataset.sortable === "false" || th.querySelector("button")) return;
    const button = document.createElement("button");
    button.type = "button";
    button.className = "sort-button";
    button.innerHTML = th.innerHTML;
    th.innerHTML = "";
    th.appendChild(button);
    button.addEventListener("click", function () {
      const ascending = !(table.dataset.sortColumn === String(index) && table.dataset.sortDir === "ascending");
      table.dataset.sortColumn = String(index);
      table.dataset.sortDir = ascending ? "ascending" : "descending";
      sortRows(table);
      if (onSort) onSort();
    });
  });
}

export function sortRows(table) {
  const column = table.dataset.sortColumn;
  if (column == null) return;
  const index = Number(column);
  const direction = table.dataset.sortDir === "descending" ? -1 : 1;
  table.querySelectorAll("thead th").forEach((th, i) => {
    if (i === index) th.setAttribute("aria-sort", table.dataset.sortDir);
    else th.removeAttribute("aria-sort");
  });
  const body = table.tBodies[0];
  const keyOf = (row) => {
    const cell = row.cells[index];
    return cell ? (cell.dataset.sort != null ? cell.dataset.sort : cell.textContent.trim()) : "";
  };
  const rows = Array.from(body.rows);
  rows.sort((a, b) => {
    const x = keyOf(a);
    const y = keyOf(b);
    const nx = parseFloat(x);
    const ny = parseFloat(y);
    const numeric = !Number.isNaN(nx) && !Number.isNaN(ny) && /^[-\d.]/.test(x) && /^[-\d.]/.test(y);
    return direction * (numeric ? nx - ny : x.localeCompare(y, "en-GB"));
  });
  for (const row of rows) body.appendChild(row);
}
