/* Areas like the selected one, when asked for: fetched from the API once per area, outlined
   on the map, and listed in the panel with the partnerships found in them. */

import { escapeHtml, fillUrl } from "../common.js";
import { partnershipButtons } from "./names.js";

/* `onFound`: called when the areas like the one still selected arrive. */
export function createSimilar(app, names, onFound) {
  let codes = new Set();
  let foundFor = "";

  function load(code) {
    fetch(fillUrl(app.urls.similar, code))
      .then((response) => (response.ok ? response.json() : Promise.reject(response.status)))
      .then((body) => {
        foundFor = code;
        codes = new Set(body.results.map((r) => r.local_authority.ons_code));
        if (app.store.state.la === code) onFound();
      })
      .catch(() => {
        foundFor = code;
        codes = new Set();
      });
  }

  /* The panel's part: a button to ask, a wait, or the areas and their partnerships. */
  function section(list) {
    const state = app.store.state;
    if (!state.like) {
      return '<p><button type="button" class="secondary" data-like>Show areas like this</button></p>';
    }
    if (foundFor !== state.la) {
      load(state.la);
      return '<p class="meta">Finding areas like this…</p>';
    }
    const alike = [...codes];
    const there = list.filter((p) => !p.regional && p.las.some((code) => codes.has(code)));
    return (
      '<h3>Areas like this</h3><p class="meta">The areas closest on deprivation, language, density and pupil outcomes, outlined in dashed blue on the map. ' +
      `<a href="${escapeHtml(app.urls.method)}">How similar areas are found</a>; compare them on the area page.</p><ol>` +
      alike.map((code) => `<li><button type="button" class="link-button" data-area="${escapeHtml(code)}">${escapeHtml(names.area(code))}</button></li>`).join("") +
      "</ol><h3>Partnerships in areas like this</h3>" +
      (there.length ? partnershipButtons(there) : `<p>None recorded yet. ${names.suggestLink(alike, "Know of one? Tell us about it")}.</p>`)
    );
  }

  return {
    section,
    codes: () => [...codes],
    /* Whether the map outlines this area as like the selected one. */
    outlines: (code) => app.store.state.like && codes.has(code),
    /* Whether areas like the selected one are on the map now. */
    shown: () => app.store.state.like && foundFor === app.store.state.la && codes.size > 0,
  };
}
