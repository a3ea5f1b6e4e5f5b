/* The selection panel: what is known of the partnership or area chosen, the partnerships and
   regional bodies in an area and areas like it, and what its buttons do. */

import { escapeHtml, plural } from "../common.js";
import { localIn, regionalIn } from "./filters.js";
import { partnershipButtons } from "./names.js";

export function createPanel(app, names, similar) {
  const details = document.getElementById("details");
  const { labels } = app;
  const clearButton = '<button type="button" class="secondary" data-clear-selection>Clear selection</button>';

  function describePartnership(partnership) {
    return (
      `<h2>${escapeHtml(partnership.name)}</h2>` +
      (partnership.aka.length ? `<p class="meta">Also known as ${escapeHtml(partnership.aka.join(", "))}</p>` : "") +
      (partnership.regional
        ? '<p class="meta">A regional body: it includes these areas without being their local partnership.</p>'
        : "") +
      `<p>${escapeHtml(partnership.summary)}</p>` +
      "<dl>" +
      `<dt>Areas</dt><dd>${partnership.las.map((code) => `<a href="${escapeHtml(names.areaUrl(code))}">${escapeHtml(names.area(code))}</a>`).join(", ")}</dd>` +
      `<dt>Kind</dt><dd>${escapeHtml(labels.kind[partnership.kind] || "Not known")}</dd>` +
      `<dt>Role of the LA</dt><dd>${escapeHtml(labels.la_role[partnership.la_role] || "Not known")}</dd>` +
      `<dt>Legal form</dt><dd>${escapeHtml(labels.legal_form[partnership.legal_form] || "Not known")}</dd>` +
      `<dt>Status</dt><dd>${escapeHtml(labels.status[partnership.status])}</dd>` +
      "</dl>" +
      `<p><a href="${escapeHtml(partnership.url)}">Everything about ${escapeHtml(partnership.name)}</a></p>` +
      clearButton
    );
  }

  function describeArea(area, list) {
    const here = localIn(area.ons_code, list);
    const regional = regionalIn(area.ons_code, list);
    const research = names.research(area.ons_code);
    return (
      `<h2>${escapeHtml(area.name)}</h2><dl>` +
      `<dt>ONS code</dt><dd>${escapeHtml(area.ons_code)}</dd>` +
      `<dt>DfE LA code</dt><dd>${escapeHtml(area.dfe_code)}</dd>` +
      `<dt>Type</dt><dd>${escapeHtml(area.la_type_name)}</dd>` +
      `<dt>Region</dt><dd>${escapeHtml(area.region ? area.region.name : "")}</dd>` +
      (research ? `<dt>What we know</dt><dd>${escapeHtml(names.researchLabel(research))}</dd>` : "") +
      (names.councilRole(area.ons_code)
        ? `<dt>The council's school-improvement role</dt><dd>${escapeHtml(names.councilRoleLabel(names.councilRole(area.ons_code)))}</dd>`
        : "") +
      "</dl>" +
      `<h3>${here.length ? `${plural(here.length, "partnership")} here` : "No local partnership found here"}</h3>` +
      (here.length
        ? partnershipButtons(here) + `<p>${names.suggestLink([area.ons_code], `Know of another in ${escapeHtml(area.name)}? Tell us about it`)}</p>`
        : `<p>${names.suggestLink([area.ons_code], `Know of one in ${escapeHtml(area.name)}? Tell us about it`)}; moderators check every suggestion.</p>`) +
      (regional.length
        ? '<h3>Regional bodies that include this area</h3><p class="meta">Not counted as local partnerships.</p>' +
          partnershipButtons(regional)
        : "") +
      similar.section(list) +
      `<p><a href="${escapeHtml(names.areaUrl(area.ons_code))}">The local landscape of ${escapeHtml(area.name)}</a></p>` +
      clearButton
    );
  }

  function render(list) {
    const state = app.store.state;
    const partnership = state.p && app.partnershipsBySlug.get(state.p);
    if (partnership) {
      details.innerHTML = describePartnership(partnership);
    } else if (state.la) {
      const area = app.areaByCode.get(state.la);
      if (area) details.innerHTML = describeArea(area, list);
    } else {
      details.innerHTML = '<p class="hint">Select an area on the map or a partnership in the list.</p>';
    }
  }

  /* What the page's title names first: the partnership or area chosen. */
  function title() {
    const state = app.store.state;
    const partnership = state.p && app.partnershipsBySlug.get(state.p);
    if (partnership) return `${partnership.name}: `;
    if (state.la && app.areaByCode.get(state.la)) return `${names.area(state.la)}: `;
    return "";
  }

  details.addEventListener("click", function (event) {
    if (event.target.closest("[data-clear-selection]")) {
      const state = app.store.state;
      app.store.update({ p: "", la: "", like: false, area: state.area === state.la ? "" : state.area });
    }
    if (event.target.closest("[data-like]")) app.store.update({ like: true });
    const area = event.target.closest("[data-area]");
    if (area) app.selectArea(area.dataset.area, { zoom: true, focus: true });
    const choice = event.target.closest("[data-partnership]");
    if (choice) app.selectPartnership(choice.dataset.partnership);
  });

  return { details, render, title };
}
