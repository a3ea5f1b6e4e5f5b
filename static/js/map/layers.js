/* The map's layers and their key: each area's style, the chosen partnership's drawn
   footprint, the regional bodies' hatching, zooming to what is chosen, and the legend. */

import { escapeHtml, fitView } from "../common.js";
import { PATTERNED, fillFor, keyFor } from "./shading.js";

const REGIONAL_COLOUR = "#5e3c99";
/* What the key says of each patterned swatch, so the pattern is named, not only seen. */
const MARK_WORDS = { dots: "dotted", hatch: "hatched", cross: "cross-hatched" };

export function createLayers(app, names, similar) {
  const legend = document.getElementById("legend");
  let footprintLayer = null;
  let regionalLayer = null;
  let regionalKey = "";

  function styleFor(code, list) {
    const state = app.store.state;
    const selectedPartnership = state.p && app.partnershipsBySlug.get(state.p);
    const inSelection = selectedPartnership && selectedPartnership.las.includes(code);
    const selectedArea = state.la === code;
    const alike = similar.outlines(code);
    return {
      color: selectedArea ? "#b3001b" : inSelection ? "#000000" : alike ? "#0072B2" : "#4d4d4d",
      weight: selectedArea || inSelection ? 3 : alike ? 2.5 : 0.8,
      dashArray: alike ? "5 3" : null,
      fillColor: fillFor(app, names, code, list),
      fillOpacity: 0.8,
    };
  }

  function render(list, options) {
    renderLegend(list);
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
    addShadingPatterns();
    for (const [code, layer] of app.layersByCode) layer.setStyle(styleFor(code, list));
    renderRegionalLayer(list);
    const selected = state.la && app.layersByCode.get(state.la);
    if (selected) selected.bringToFront();
    if (options.zoomSimilar) zoomTo([state.la, ...similar.codes()]);
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
    const line = document.createElementNS(ns, "line");
    const attributes = (element, values) => Object.entries(values).forEach(([name, value]) => element.setAttribute(name, value));
    attributes(pattern, { id: "regional-hatch", patternUnits: "userSpaceOnUse", width: "8", height: "8", patternTransform: "rotate(45)" });
    attributes(line, { x1: "0", y1: "0", x2: "0", y2: "8", stroke: REGIONAL_COLOUR, "stroke-width": "2" });
    pattern.appendChild(line);
    defs.appendChild(pattern);
  }

  /* The marks that tell the patterned states apart (shading.js `PATTERNED`): dots, hatching
     or cross-hatching over the state's colour, in the map's SVG, once. */
  function addShadingPatterns() {
    const svg = app.map.getPanes().overlayPane.querySelector("svg");
    if (!svg || svg.querySelector("#" + PATTERNED[0].pattern)) return;
    const ns = "http://www.w3.org/2000/svg";
    const defs = svg.querySelector("defs") || svg.insertBefore(document.createElementNS(ns, "defs"), svg.firstChild);
    const make = (name, values) => {
      const element = document.createElementNS(ns, name);
      Object.entries(values).forEach(([key, value]) => element.setAttribute(key, value));
      return element;
    };
    for (const item of PATTERNED) {
      const pattern = make("pattern", { id: item.pattern, patternUnits: "userSpaceOnUse", width: "8", height: "8" });
      pattern.appendChild(make("rect", { width: "8", height: "8", fill: item.colour }));
      const ink = item.mark === "hatch" ? REGIONAL_COLOUR : "#3d3d3d";
      if (item.mark === "dots") pattern.appendChild(make("circle", { cx: "4", cy: "4", r: "1.3", fill: ink }));
      if (item.mark === "hatch" || item.mark === "cross") {
        pattern.appendChild(make("path", { d: "M0 8L8 0M-2 2L2 -2M6 10L10 6", stroke: ink, "stroke-width": "1.5" }));
      }
      if (item.mark === "cross") {
        pattern.appendChild(make("path", { d: "M0 0L8 8M-2 6L2 10M6 -2L10 2", stroke: ink, "stroke-width": "1" }));
      }
      defs.appendChild(pattern);
    }
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

  /* The key: the shading's colours, then the outlines drawn over it. */
  function renderLegend(list) {
    const state = app.store.state;
    const items = keyFor(app, names, list);
    if (!items) {
      legend.innerHTML = "<p>Coverage needs the school register, which is not loaded yet.</p>";
      return;
    }
    const outlines = [];
    if (state.la) outlines.push(["selected", `Selected area: ${names.area(state.la)}`]);
    if (state.p && app.partnershipsBySlug.get(state.p)) {
      outlines.push(["partnership", `Areas of ${app.partnershipsBySlug.get(state.p).name}`]);
    }
    if (similar.shown()) outlines.push(["alike", "Areas like the selected one"]);
    if (state.regional) outlines.push(["regional", "Included in a regional body (not counted as local)"]);
    const note =
      state.shade === "research" || state.shade === "council"
        ? '<p class="legend-note">What research has found in each area; the filters do not change it.</p>'
        : state.shade === "coverage"
          ? ""
          : '<p class="legend-note">Regional bodies are not counted.</p>';
    legend.innerHTML =
      '<h2 class="legend-title">Key</h2><ul>' +
      items
        .map(({ colour, label, mark }) =>
          mark
            ? `<li><span class="swatch swatch-${mark}" style="background-color:${colour}"></span>${escapeHtml(label)} <span class="legend-mark">(${MARK_WORDS[mark]})</span></li>`
            : `<li><span class="swatch" style="background:${colour}"></span>${escapeHtml(label)}</li>`,
        )
        .join("") +
      outlines.map(([kind, text]) => `<li><span class="outline outline-${kind}"></span>${escapeHtml(text)}</li>`).join("") +
      "</ul>" +
      note;
  }

  return { render, styleFor };
}
