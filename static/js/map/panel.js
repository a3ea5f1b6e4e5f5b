/* The selection panel: what is known of the partnership or area chosen, the partnerships and
   regional bodies in an area and areas like it, and what its buttons do. */

import { escapeHtml, plural } from "../common.js";
import { localIn, regionalIn } from "./filters.js";
import { partnershipButtons } from "./names.js";
import { whyNoneHere } from "./shading.js";

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
      `<dt>Status</dt><dd>${escapeHtml(partnership.status === "unknown" ? "Not known whether it is active" : labels.status[partnership.status])}</dd>` +
      "</dl>" +
      `<p><a href="${escapeHtml(partnership.url)}">Everything about ${escapeHtml(partnership.name)}</a></p>` +
      clearButton
    );
  }

  /* Why no local partnership shows here, saying "none found" only where research found none. */
  function noneHereHeading(code, list) {
    const why = whyNoneHere(app, names, code, list);
    if (why === "filtered") return "No partnership here matches the filters";
    if (why === "none_found") {
      const on = (app.data.none_found_on || {})[code];
      return `Researched: no local partnership found${on ? ` (${on})` : ""}`;
    }
    if (why === "researched") return "Researched: no local partnership published yet";
    return "Not researched yet: no local partnership is recorded here";
  }

  /* The share of open state-funded schools reached, or why it is not known. */
  function coverageText(code) {
    if (!app.data.coverage) return "Not known: the school register is not loaded";
    const coverage = app.data.coverage[code];
    if (!coverage || !coverage.open_state_funded_schools) return "No open state-funded schools recorded";
    if (coverage.reach_known === false) return "Not known: a partnership here does not say which schools it reaches";
    return `${Math.round(coverage.share * 100)}% of open state-funded schools (${coverage.reached} of ${coverage.open_state_funded_schools})`;
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
      `<dt>Reached by a local partnership</dt><dd>${escapeHtml(coverageText(area.ons_code))}</dd>` +
      "</dl>" +
      `<h3>${here.length ? `${plural(here.length, "partnership")} here` : escapeHtml(noneHereHeading(area.ons_code, list))}</h3>` +
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
