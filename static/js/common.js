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
