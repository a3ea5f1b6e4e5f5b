/* Drawing the state: each part draws its own (the map's layers and key, the lists and
   tables, the selection panel with areas like the one chosen); this asks them all. */

import { escapeHtml, plural } from "../common.js";
import { filtered, localIn, regionalIn } from "./filters.js";
import { createLayers } from "./layers.js";
import { createLists } from "./lists.js";
import { namesFor } from "./names.js";
import { createPanel } from "./panel.js";
import { createSimilar } from "./similar.js";

export function createRenderer(app) {
  const mapElement = document.getElementById("map");
  const siteTitle = document.title;
  const names = namesFor(app);
  const similar = createSimilar(app, names, () => render({ zoomSimilar: true }));
  const layers = createLayers(app, names, similar);
  const lists = createLists(app, names);
  const panel = createPanel(app, names, similar);

  function render(options) {
    const list = filtered(app);
    layers.render(list, options);
    lists.render(list);
    panel.render(list);
    if (options.fromHistory) lists.showView(app.store.state.view);
    document.title = panel.title() + siteTitle;
    mapElement.dataset.selected = app.store.state.la;
    mapElement.dataset.partnership = app.store.state.p;
    mapElement.dataset.matching = String(list.length);
  }

  function tooltip(code) {
    const list = filtered(app);
    const regional = regionalIn(code, list).length;
    const { shade } = app.store.state;
    const research =
      (shade === "research" && names.researchLabel(names.research(code))) ||
      (shade === "council" && names.councilRoleLabel(names.councilRole(code)));
    return (
      `${escapeHtml(names.area(code))}: ${plural(localIn(code, list).length, "partnership")}` +
      (regional ? `, ${plural(regional, "regional body", "regional bodies")}` : "") +
      (research ? `. ${escapeHtml(research)}` : "")
    );
  }

  return {
    render,
    tooltip,
    showView: lists.showView,
    styleFor: (code) => layers.styleFor(code, filtered(app)),
    details: panel.details,
  };
}
