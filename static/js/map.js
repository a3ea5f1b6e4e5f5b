/* The national map: every local authority from the API, hover and select, and search. */
(function () {
  "use strict";

  const config = JSON.parse(document.getElementById("map-config").textContent);
  const mapElement = document.getElementById("map");
  const details = document.getElementById("area-details");
  const searchInput = document.getElementById("area-search");
  const resultsList = document.getElementById("area-search-results");
  const searchStatus = document.getElementById("area-search-status");

  const map = L.map(mapElement, { zoomSnap: 0.25, minZoom: 5, maxZoom: 16 });
  map.setView([52.8, -1.6], 6);
  map.attributionControl.setPrefix(false);
  if (config.tileUrl) {
    L.tileLayer(config.tileUrl, { attribution: config.tileAttribution, maxZoom: 19 }).addTo(map);
  } else {
    mapElement.classList.add("no-basemap");
  }

  const baseStyle = { color: "#34495e", weight: 1, fillColor: "#7fa7c9", fillOpacity: 0.35 };
  const hoverStyle = { weight: 3, color: "#1d3557", fillOpacity: 0.55 };
  const selectedStyle = { weight: 3, color: "#b3001b", fillColor: "#f4a261", fillOpacity: 0.6 };

  const layersByCode = new Map();
  let selected = null;
  let areas = [];

  function escapeHtml(text) {
    const span = document.createElement("span");
    span.textContent = text == null ? "" : String(text);
    return span.innerHTML;
  }

  function describe(properties) {
    return (
      `<h2>${escapeHtml(properties.name)}</h2>` +
      "<dl>" +
      `<dt>ONS code</dt><dd>${escapeHtml(properties.ons_code)}</dd>` +
      `<dt>DfE LA code</dt><dd>${escapeHtml(properties.dfe_code)}</dd>` +
      `<dt>Type</dt><dd>${escapeHtml(properties.la_type_name)}</dd>` +
      `<dt>Region</dt><dd>${escapeHtml(properties.region ? properties.region.name : "")}</dd>` +
      "</dl>"
    );
  }

  function showDetails(properties) {
    details.innerHTML = describe(properties);
  }

  function restoreDetails() {
    if (selected) {
      showDetails(selected.feature.properties);
    } else {
      details.innerHTML = '<p class="hint">Hover over or select an area on the map, or search above.</p>';
    }
  }

  function select(layer, zoom) {
    if (selected && selected !== layer) {
      selected.setStyle(baseStyle);
    }
    selected = layer;
    layer.setStyle(selectedStyle);
    layer.bringToFront();
    showDetails(layer.feature.properties);
    mapElement.dataset.selected = layer.feature.properties.ons_code;
    if (zoom) {
      map.fitBounds(layer.getBounds(), { maxZoom: 10, padding: [20, 20] });
    }
  }

  function onEachFeature(feature, layer) {
    layersByCode.set(feature.properties.ons_code, layer);
    layer.bindTooltip(escapeHtml(feature.properties.name), { sticky: true });
    layer.on({
      mouseover: function () {
        if (layer !== selected) {
          layer.setStyle(hoverStyle);
        }
        showDetails(feature.properties);
      },
      mouseout: function () {
        if (layer !== selected) {
          layer.setStyle(baseStyle);
        }
        restoreDetails();
      },
      click: function () {
        select(layer, false);
      },
    });
  }

  /* Search: a keyboard-operable combobox over names and both codes. */
  let matches = [];
  let active = -1;

  function normalise(text) {
    return text.toLowerCase().normalize("NFKD").replace(/[\u0300-\u036f]/g, "").replace(/[^a-z0-9]+/g, " ").trim();
  }

  function findAreas(query) {
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
      else if (properties.ons_code.toLowerCase().startsWith(q) || properties.dfe_code.startsWith(q)) score = 5;
      if (score >= 0) scored.push([score, properties]);
    }
    scored.sort((a, b) => a[0] - b[0] || a[1].name.localeCompare(b[1].name));
    return scored.slice(0, 10).map((item) => item[1]);
  }

  function renderResults() {
    resultsList.innerHTML = "";
    matches.forEach((properties, index) => {
      const item = document.createElement("li");
      item.id = `area-option-${index}`;
      item.setAttribute("role", "option");
      item.setAttribute("aria-selected", index === active ? "true" : "false");
      item.textContent = `${properties.name} (${properties.ons_code}, ${properties.dfe_code})`;
      item.addEventListener("mousedown", function (event) {
        event.preventDefault();
        choose(index);
      });
      resultsList.appendChild(item);
    });
    const open = matches.length > 0;
    resultsList.hidden = !open;
    searchInput.setAttribute("aria-expanded", open ? "true" : "false");
    if (active >= 0) searchInput.setAttribute("aria-activedescendant", `area-option-${active}`);
    else searchInput.removeAttribute("aria-activedescendant");
  }

  function closeResults() {
    matches = [];
    active = -1;
    renderResults();
  }

  function choose(index) {
    const properties = matches[index];
    if (!properties) return;
    searchInput.value = properties.name;
    closeResults();
    select(layersByCode.get(properties.ons_code), true);
    searchStatus.textContent = `Showing ${properties.name}.`;
  }

  searchInput.addEventListener("input", function () {
    matches = findAreas(searchInput.value);
    active = matches.length ? 0 : -1;
    renderResults();
    searchStatus.textContent = searchInput.value.trim()
      ? `${matches.length} matching ${matches.length === 1 ? "area" : "areas"}.`
      : "";
  });

  searchInput.addEventListener("keydown", function (event) {
    if (event.key === "ArrowDown" && matches.length) {
      active = (active + 1) % matches.length;
      renderResults();
      event.preventDefault();
    } else if (event.key === "ArrowUp" && matches.length) {
      active = (active - 1 + matches.length) % matches.length;
      renderResults();
      event.preventDefault();
    } else if (event.key === "Enter") {
      if (!matches.length) matches = findAreas(searchInput.value);
      if (matches.length) choose(active >= 0 ? active : 0);
      else searchStatus.textContent = "No local authority matches that name or code.";
      event.preventDefault();
    } else if (event.key === "Escape") {
      closeResults();
    }
  });

  searchInput.addEventListener("blur", closeResults);

  fetch(mapElement.dataset.geojsonUrl, { headers: { Accept: "application/geo+json" } })
    .then(function (response) {
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      return response.json();
    })
    .then(function (collection) {
      areas = collection.features.map((feature) => feature.properties);
      const layer = L.geoJSON(collection, { style: baseStyle, onEachFeature: onEachFeature }).addTo(map);
      layer.eachLayer(function (area) {
        area.getElement().dataset.code = area.feature.properties.ons_code;
      });
      map.fitBounds(layer.getBounds(), { padding: [10, 10] });
      mapElement.dataset.loaded = String(areas.length);
    })
    .catch(function (error) {
      details.innerHTML = `<p class="error" role="alert">The map data could not be loaded (${escapeHtml(error.message)}). Please reload the page.</p>`;
    });
})();
