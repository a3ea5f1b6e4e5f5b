/* What colour an area is under each shading, and the key that says what the colours mean:
   each scale is written once, its colours beside their meanings, and both read it. */

import { localIn, regionalIn } from "./filters.js";

/* Three states are told apart by pattern as well as colour (the key shows the same
   marks): no local partnership found (dots), a regional body only (hatching) and not
   researched (cross-hatching). `pattern` is the id of the SVG pattern the map fills them
   with (layers.js draws each from `PATTERNED`); `mark` names the marks, for the key. */
const NONE_FOUND = { colour: "#f2f2f2", label: "No local partnership found", pattern: "shade-none-found", mark: "dots" };
const REGIONAL_ONLY = {
  colour: "#f2f2f2",
  label: "Regional body only (no local partnership found)",
  pattern: "shade-regional-only",
  mark: "hatch",
};

/* Local partnerships in an area: none, one, two, three, four or more. */
const COUNT = [
  NONE_FOUND,
  { colour: "#c6dbef", label: "1 partnership" },
  { colour: "#6baed6", label: "2 partnerships" },
  { colour: "#2171b5", label: "3 partnerships" },
  { colour: "#08306b", label: "4 or more" },
];

/* The share of an area's open state-funded schools that local partnerships reach, in
   fifths: each bucket holds the shares from the one before's bound up to (not including)
   its own. */
const COVERAGE = [
  { below: 0.2, colour: "#e5f5e0", label: "Under 20% of open state-funded schools in a partnership" },
  { below: 0.4, colour: "#a1d99b", label: "20–40%" },
  { below: 0.6, colour: "#41ab5d", label: "40–60%" },
  { below: 0.8, colour: "#006d2c", label: "60–80%" },
  { below: Infinity, colour: "#00441b", label: "80% or more" },
];
/* No figures: grey, never a shade of the scale's lowest class. */
const NO_COVERAGE = { colour: "#bdbdbd", label: "No open state-funded school in the register" };

/* The LA's role in an area's local partnerships (labels from the page), and two more. */
const ROLE = {
  schools_led_council_partner: "#56B4E9",
  schools_led: "#009E73",
  schools_and_la: "#0072B2",
  la_coordinating: "#E69F00",
};
const MIXED_ROLES = { colour: "#CC79A7", label: "Partnerships with different LA roles" };
const ROLE_UNKNOWN = { colour: "#bdbdbd", label: "LA role not known" };

/* The council's school-improvement role, as research found it (labels from the page). */
const COUNCIL = {
  in_house_team: "#0072B2",
  council_company: "#E69F00",
  commissioned_partnership: "#009E73",
  statutory_minimum: "#CC79A7",
  unknown: "#bdbdbd",
};

/* What research found (labels from the page). */
const RESEARCH = {
  documented: { colour: "#009E73" },
  none_found: { colour: "#E69F00", pattern: "shade-research-none-found", mark: "dots" },
  researched: { colour: "#56B4E9" },
  not_researched: { colour: "#bdbdbd", pattern: "shade-not-researched", mark: "cross" },
};
const NO_RECORD = { colour: "#ffffff", label: "No research record yet" };

/* Every fill drawn with marks, for layers.js to define as SVG patterns. */
export const PATTERNED = [NONE_FOUND, REGIONAL_ONLY, RESEARCH.none_found, RESEARCH.not_researched];

/* The palettes each key shows at once (tests/test_colour_vision.py checks that their
   colours stay distinct under the common colour-vision deficiencies). */
export const PALETTES = {
  count: [...COUNT, REGIONAL_ONLY],
  coverage: [...COVERAGE, NO_COVERAGE],
  role: [...Object.values(ROLE).map((colour) => ({ colour })), MIXED_ROLES, ROLE_UNKNOWN, NONE_FOUND, REGIONAL_ONLY],
  council: [...Object.values(COUNCIL).map((colour) => ({ colour })), NO_RECORD],
  research: [...Object.values(RESEARCH), NO_RECORD],
};

function fill(item) {
  return item.pattern ? `url(#${item.pattern})` : item.colour;
}

function noLocal(code, list) {
  return regionalIn(code, list).length ? REGIONAL_ONLY : NONE_FOUND;
}

export function coverageBucket(share) {
  return COVERAGE.find((bucket) => share < bucket.below);
}

export function fillFor(app, names, code, list) {
  const { shade } = app.store.state;
  if (shade === "research") return fill(RESEARCH[names.research(code)] || NO_RECORD);
  if (shade === "council") return COUNCIL[names.councilRole(code)] || NO_RECORD.colour;
  if (shade === "coverage") {
    const coverage = app.data.coverage && app.data.coverage[code];
    return coverage ? coverageBucket(coverage.share).colour : NO_COVERAGE.colour;
  }
  const here = localIn(code, list);
  if (shade === "role") {
    const roles = new Set(here.map((p) => p.la_role).filter(Boolean));
    if (!roles.size) return here.length ? ROLE_UNKNOWN.colour : fill(noLocal(code, list));
    return roles.size > 1 ? MIXED_ROLES.colour : ROLE[[...roles][0]];
  }
  return here.length ? COUNT[Math.min(here.length, COUNT.length - 1)].colour : fill(noLocal(code, list));
}

/* [{colour, label}] for the key of the shading chosen; null when there is nothing to shade
   by (coverage without the school register). */
export function keyFor(app, names) {
  const { shade } = app.store.state;
  if (shade === "role") {
    const roles = Object.entries(ROLE).map(([role, colour]) => ({ colour, label: app.labels.la_role[role] }));
    return [...roles, MIXED_ROLES, ROLE_UNKNOWN, NONE_FOUND, REGIONAL_ONLY];
  }
  if (shade === "coverage") return app.data.coverage ? [...COVERAGE, NO_COVERAGE] : null;
  if (shade === "council") {
    return Object.entries(COUNCIL).map(([role, colour]) => ({ colour, label: names.councilRoleLabel(role) }));
  }
  if (shade === "research") {
    const found = Object.entries(RESEARCH).map(([status, item]) => ({ ...item, label: names.researchLabel(status) }));
    const unrecorded = app.areas.some((area) => !names.research(area.ons_code));
    return unrecorded ? [...found, NO_RECORD] : found;
  }
  return [NONE_FOUND, REGIONAL_ONLY, ...COUNT.slice(1)];
}
