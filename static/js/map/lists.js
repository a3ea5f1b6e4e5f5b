/* The partnerships that match, as a list beside the map and as tables (with every area) in
   the table view, and the switch between map and table. */

import { escapeHtml, makeSortable, sortRows } from "../common.js";
import { localIn, regionalIn } from "./filters.js";

export function createLists(app, names) {
  const mapElement = document.getElementById("map");
  const legend = document.getElementById("legend");
  const resultsList = document.getElementById("results");
  const resultsCount = document.getElementById("results-count");
  const resultsHeading = document.getElementById("results-heading");
  const tableView = document.getElementById("table-view");
  const partnershipTable = document.getElementById("partnership-table");
  const areaTable = document.getElementById("area-table");
  const { labels } = app;
  const link = (p) => `<a href="${escapeHtml(p.url)}">${escapeHtml(p.name)}</a>`;

  function renderResults(list) {
    const state = app.store.state;
    if (state.la && app.areaByCode.get(state.la)) {
      list = localIn(state.la, list);
      resultsHeading.textContent = `Partnerships in ${names.area(state.la)}`;
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
      where.textContent = `${partnership.regional ? " Regional body:" : ""} ${partnership.las.map(names.area).join(", ")}`;
      item.append(button, where);
      resultsList.appendChild(item);
    }
  }

  function renderTables(list) {
    const state = app.store.state;
    partnershipTable.tBodies[0].innerHTML = list
      .map(
        (p) =>
          `<tr${p.slug === state.p ? ' class="selected"' : ""}><th scope="row" data-sort="${escapeHtml(p.name)}">${link(p)} ` +
          `<button type="button" class="link-button small" data-select="${escapeHtml(p.slug)}">Show <span class="visually-hidden">${escapeHtml(p.name)} </span>on map</button></th>` +
          `<td>${escapeHtml(p.las.map(names.area).join(", "))}</td>` +
          `<td>${escapeHtml(labels.la_role[p.la_role] || "Not known")}</td>` +
          `<td>${escapeHtml(labels.scope[p.scope] || "")}</td>` +
          `<td>${escapeHtml(labels.legal_form[p.legal_form] || "Not known")}</td>` +
          `<td>${escapeHtml(p.focus.map((f) => labels.focus[f]).join(", "))}</td>` +
          `<td>${escapeHtml(labels.status[p.status] || "")}</td></tr>`
      )
      .join("");
    areaTable.tBodies[0].innerHTML = app.areas
      .map((a) => {
        const here = localIn(a.ons_code, list);
        const regional = regionalIn(a.ons_code, list);
        return (
          `<tr><th scope="row" data-sort="${escapeHtml(a.name)}"><a href="${escapeHtml(names.areaUrl(a.ons_code))}">${escapeHtml(a.name)}</a> ` +
          `<button type="button" class="link-button small" data-select-area="${escapeHtml(a.ons_code)}">Show <span class="visually-hidden">${escapeHtml(a.name)} </span>on map</button></th>` +
          `<td>${escapeHtml(a.region ? a.region.name : "")}</td>` +
          `<td data-sort="${here.length}">${
            here.length
              ? here.map(link).join(", ")
              : names.suggestLink([a.ons_code], `None known: suggest one<span class="visually-hidden"> in ${escapeHtml(a.name)}</span>`)
          }</td>` +
          `<td data-sort="${regional.length}">${regional.map(link).join(", ")}</td></tr>`
        );
      })
      .join("");
    sortRows(partnershipTable);
    sortRows(areaTable);
  }

  /* The tables (every partnership, every area) are drawn when they are shown: drawn while
     hidden, they were a third of the map page's start-up on a phone, for a view most
     visitors never open. `tablesFor`: the list they still have to be drawn for. */
  let tablesFor = null;
  function drawTablesIfShown() {
    if (tablesFor && !tableView.hidden) {
      renderTables(tablesFor);
      tablesFor = null;
    }
  }

  function showView(view) {
    const table = view === "table";
    tableView.hidden = !table;
    drawTablesIfShown();
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
  document.getElementById("show-map").addEventListener("click", () => showViewAndRecord("map"));
  document.getElementById("show-table").addEventListener("click", () => showViewAndRecord("table"));

  return {
    render(list) {
      renderResults(list);
      tablesFor = list;
      drawTablesIfShown();
    },
    showView,
  };
}
