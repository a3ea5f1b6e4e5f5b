/* A small map on a page: the local authorities named in data-codes, highlighted, and an
   optional point (a school). Boundaries come from the same cached API as the main map. */
(function () {
  "use strict";
  const element = document.getElementById("area-map");
  if (!element) return;
  const config = JSON.parse(document.getElementById("map-config").textContent);
  const codes = new Set(JSON.parse(element.dataset.codes || "[]"));
  const map = L.map(element, { zoomSnap: 0.25, scrollWheelZoom: false });
  map.setView([52.8, -1.6], 6);
  map.attributionControl.setPrefix(false);
  if (config.tileUrl) {
    L.tileLayer(config.tileUrl, { attribution: config.tileAttribution, maxZoom: 19 }).addTo(map);
  }
  fetch(element.dataset.geojsonUrl, { headers: { Accept: "application/geo+json" } })
    .then((response) => response.json())
    .then(function (collection) {
      const highlighted = L.featureGroup();
      L.geoJSON(collection, {
        style: (feature) =>
          codes.has(feature.properties.ons_code)
            ? { color: "#b3001b", weight: 2, fillColor: "#f4a261", fillOpacity: 0.6 }
            : { color: "#7a7a7a", weight: 0.5, fillColor: "#e6e6e6", fillOpacity: 0.5 },
        onEachFeature: function (feature, layer) {
          layer.bindTooltip(feature.properties.name, { sticky: true });
          if (codes.has(feature.properties.ons_code)) highlighted.addLayer(layer);
        },
      }).addTo(map);
      if (element.dataset.point) {
        const [lng, lat] = JSON.parse(element.dataset.point);
        const marker = L.circleMarker([lat, lng], { radius: 7, color: "#000", fillColor: "#ffbf47", fillOpacity: 1 });
        marker.addTo(map);
        highlighted.addLayer(marker);
      }
      if (highlighted.getLayers().length) map.fitBounds(highlighted.getBounds(), { maxZoom: 11, padding: [15, 15] });
      element.dataset.loaded = String(highlighted.getLayers().length);
    });
})();
