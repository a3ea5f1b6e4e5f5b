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
  L.control.scale({ metric: true, imperial: true, position: "bottomleft" }).addTo(map);
  if (config && config.tileUrl) {
    L.tileLayer(config.tileUrl, { attribution: config.tileAttribution, maxZoom: 19 }).addTo(map);
  } else {
    element.classList.add("no-basemap");
  }
  return map;
}
