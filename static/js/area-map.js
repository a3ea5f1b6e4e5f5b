/* A small map on a page: the local authorities named in data-codes, highlighted, and an
   optional point (a school). Boundaries come from the same cached API as the main map.
   Areas announced by a "similar-areas" event are outlined too. */

import { addGeoJsonInPieces, baseMap, boundsOf, fitView, labelAreas, readJson } from "./common.js";

const element = document.getElementById("area-map");
if (element) start(element);

function start(element) {
  const codes = new Set(JSON.parse(element.dataset.codes || "[]"));
  const map = baseMap(element, readJson("map-config"), { scrollWheelZoom: false });
  let layers = null;
  let similar = new Set();

  function style(feature) {
    const code = feature.properties.ons_code;
    if (codes.has(code)) return { color: "#b3001b", weight: 2, fillColor: "#f4a261", fillOpacity: 0.6 };
    if (similar.has(code)) {
      return { color: "#0072B2", weight: 2, dashArray: "4 3", fillColor: "#9ecae1", fillOpacity: 0.6 };
    }
    return { color: "#7a7a7a", weight: 0.5, dashArray: null, fillColor: "#e6e6e6", fillOpacity: 0.5 };
  }

  document.addEventListener("similar-areas", function (event) {
    similar = new Set(event.detail);
    if (!layers) return;
    layers.setStyle(style);
    const shown = L.featureGroup();
    layers.eachLayer((layer) => {
      const code = layer.feature.properties.ons_code;
      if (codes.has(code) || similar.has(code)) shown.addLayer(layer);
    });
    if (shown.getLayers().length) fitView(map, shown.getBounds(), { padding: [15, 15] });
    element.dataset.similar = String(similar.size);
  });

  /* On a page with areas like this one (similar.js), the map is drawn once they are known
     (or known not to be, or after 3 s), at the view that shows them: drawn before, every boundary
     was drawn again at the new view, one long task on a phone. */
  const similarKnown = readJson("similar-config")
    ? new Promise((resolve) => {
        document.addEventListener("similar-areas", resolve, { once: true });
        document.addEventListener("similar-areas-unknown", resolve, { once: true });
        setTimeout(resolve, 3000);
      })
    : null;

  fetch(element.dataset.geojsonUrl)
    .then((response) => response.json())
    .then(async function (collection) {
      if (similarKnown) await similarKnown;
      const inView = (feature) => {
        const code = feature.properties.ons_code;
        return codes.has(code) || similar.has(code);
      };
      const chosen = collection.features.filter((feature) => codes.has(feature.properties.ons_code));
      const shown = collection.features.filter(inView);
      let point = null;
      if (element.dataset.point) {
        const [lng, lat] = JSON.parse(element.dataset.point);
        point = L.circleMarker([lat, lng], { radius: 7, color: "#000", fillColor: "#ffbf47", fillOpacity: 1 });
      }
      /* The view is set before the boundaries are drawn, so each is drawn once, there. */
      const view = shown.length ? boundsOf(shown) : point ? L.latLngBounds([]) : null;
      if (point) view.extend(point.getLatLng());
      if (view) fitView(map, view, { maxZoom: similar.size ? undefined : 11, padding: [15, 15], animate: false });
      const drawn = await addGeoJsonInPieces(map, collection, {
        style: style,
        onEachFeature: function (feature, layer) {
          layer.bindTooltip(feature.properties.name, { sticky: true });
        },
      });
      if (point) point.addTo(map);
      if (element.classList.contains("no-basemap")) labelAreas(map, drawn);
      layers = drawn;
      element.dataset.loaded = String(chosen.length + (point ? 1 : 0));
      element.dataset.similar = String(similar.size);
    });
}
