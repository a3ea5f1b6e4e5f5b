/* How the map names and links what it shows: areas, their pages, the suggestion form and
   what research found, said once for the layers, lists, panel and tooltips. */

import { escapeHtml, fillUrl, suggestUrl } from "../common.js";

export function namesFor(app) {
  const researchLabels = Object.fromEntries(app.data.research_statuses || []);
  const research = (code) => (app.data.research || {})[code] || "";
  const councilRoleLabels = Object.fromEntries(app.data.council_role_labels || []);
  const councilRole = (code) => (app.data.council_roles || {})[code] || "";
  return {
    area: (code) => (app.areaByCode.get(code) || { name: code }).name,
    areaUrl: (code) => fillUrl(app.urls.area, code),
    /* A link to suggest a partnership in these areas; `html` is already escaped. */
    suggestLink: (codes, html) => `<a href="${escapeHtml(suggestUrl(app.urls.suggest, codes))}">${html}</a>`,
    /* What research found in an area (a status), and how to say it. */
    research,
    researchLabel: (status) => researchLabels[status] || status,
    /* The council's school-improvement role in an area, and how to say it. */
    councilRole,
    councilRoleLabel: (role) => councilRoleLabels[role] || role,
  };
}

/* Buttons that select partnerships (the panel's listener acts on data-partnership). */
export function partnershipButtons(list) {
  return (
    "<ul>" +
    list
      .map((p) => `<li><button type="button" class="link-button" data-partnership="${escapeHtml(p.slug)}">${escapeHtml(p.name)}</button></li>`)
      .join("") +
    "</ul>"
  );
}
