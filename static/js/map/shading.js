/* What colour an area is under each shading, and the key that says what the colours mean:
   each scale is written once, its colours beside their meanings, and both read it. */

import { localIn, regionalIn } from "./filters.js";

/* Some states are told apart by pattern as well as colour (the key shows the same marks):
   no local partnership found (dots), a regional body only (hatching) and not researched
   (cross-hatching). `pattern` is the id of the SVG pattern the map fills them with
   (layers.js draws each from `PATTERNED`); `mark` names the marks, for the key. */

/* Local partnerships in an area: one, two, three, four or more. */
const COUNT = [
  { colour: "#c6dbef", label: "1 partnership" },
  { colour: "#6baed6", label: "2 partnerships" },
  { colour: "#2171b5", label: "3 partnerships" },
  { colour: "#08306b", label: "4 or more" },
];

/* An area with no local partnership on the map says why, as far as we know it: the filters
   leave none of its partnerships, or research found none (only then "none found"), or
   research has not found one published yet, or nobody has looked. */
const NONE_HERE = {
  filtered: { colour: "#737373", label: "None matching the filters" },
  regional_only: {
    colour: "#f2f2f2",
    label: "Regional body only: no local partnership on the map",
    pattern: "shade-regional-only",
    mark: "hatch",
  },
  none_found: {
    colour: "#fdd49e",
    label: "Researched: no local partnership found",
    pattern: "shade-none-found",
    mark: "dots",
  },
  researched: { colour: "#ffffff", label: "Researched: no local partnership published yet" },
  not_researched: { colour: "#ffffff", label: "Not researched yet", pattern: "shade-not-researched", mark: "cross" },
};

/* Why an area has no local partnership in `list`, or "" if it has one: the filters, or
   what research found. */
export function whyNoneHere(app, names, code, list) {
  if (localIn(code, list).length) return "";
  if (localIn(code, app.data.partnerships).length) return "filtered";
  const status = names.research(code);
  return status === "none_found" || status === "researched" ? status : "not_researched";
}

/* How an area with no local partnership is shaded (a key of NONE_HERE): a regional body
   that includes it is shown first (hatched), then why there is none. */
function noneHereShade(app, names, code, list) {
  const why = whyNoneHere(app, names, code, list);
  return why !== "filtered" && regionalIn(code, list).length ? "regional_only" : why;
}

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
/* A partnership here does not say which schools it reaches: the share is not known. Greys,
   never a shade of the scale's lowest class. */
const COVERAGE_NOT_KNOWN = { colour: "#bdbdbd", label: "Not known: a partnership here does not say which schools it reaches" };
const NO_SCHOOLS = { colour: "#525252", label: "No open state-funded schools recorded" };

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
  not_researched: { colour: "#bdbdbd", pattern: "shade-research-not-researched", mark: "cross" },
};
const NO_RECORD = { colour: "#ffffff", label: "No research record yet" };

/* Every fill drawn with marks, for layers.js to define as SVG patterns. */
export const PATTERNED = [
  ...Object.values(NONE_HERE).filter((item) => item.pattern),
  RESEARCH.none_found,
  RESEARCH.not_researched,
];

/* The palettes each key shows at once (tests/browser/test_colour_vision.py checks that
   their colours stay distinct under the common colour-vision deficiencies). */
export const PALETTES = {
  count: [...COUNT, ...Object.values(NONE_HERE)],
  coverage: [...COVERAGE, COVERAGE_NOT_KNOWN, NO_SCHOOLS],
  role: [...Object.values(ROLE).map((colour) => ({ colour })), MIXED_ROLES, ROLE_UNKNOWN, ...Object.values(NONE_HERE)],
  council: [...Object.values(COUNCIL).map((colour) => ({ colour })), NO_RECORD],
  research: [...Object.values(RESEARCH), NO_RECORD],
};

function fill(item) {
  return item.pattern ? `url(#${item.pattern})` : item.colour;
}

export function coverageBucket(share) {
  return COVERAGE.find((bucket) => share < bucket.below);
}

export function fillFor(app, names, code, list) {
  const { shade } = app.store.state;
  if (shade === "research") return fill(RESEARCH[names.research(code)] || NO_RECORD);
  if (shade === "council") return COUNCIL[names.councilRole(code)] || NO_RECORD.colour;
  if (shade === "coverage") return fill(coverageShade(app.data.coverage && app.data.coverage[code]));
  const here = localIn(code, list);
  if (!here.length) return fill(NONE_HERE[noneHereShade(app, names, code, list)]);
  if (shade === "role") {
    const roles = new Set(here.map((p) => p.la_role).filter(Boolean));
    if (!roles.size) return ROLE_UNKNOWN.colour;
    return roles.size > 1 ? MIXED_ROLES.colour : ROLE[[...roles][0]];
  }
  return COUNT[Math.min(here.length, COUNT.length) - 1].colour;
}

/* The coverage bucket of an area's figures (from the page): its fifth, "not known", or
   no schools. */
export function coverageShade(coverage) {
  if (coverage && coverage.reach_known === false) return COVERAGE_NOT_KNOWN;
  if (!coverage || coverage.share === null || coverage.share === undefined) return NO_SCHOOLS;
  return coverageBucket(coverage.share);
}

/* The "none here" entries of the key, for the reasons that occur on the map now. */
function noneHereKey(app, names, list) {
  const reasons = new Set(app.areas.map((area) => noneHereShade(app, names, area.ons_code, list)));
  return Object.entries(NONE_HERE)
    .filter(([reason]) => reasons.has(reason))
    .map(([, item]) => item);
}

/* [{colour, label}] for the key of the shading chosen; null when there is nothing to shade
   by (coverage without the school register). */
export function keyFor(app, names, list) {
  const { shade } = app.store.state;
  if (shade === "role") {
    const roles = Object.entries(ROLE).map(([role, colour]) => ({ colour, label: app.labels.la_role[role] }));
    return [...roles, MIXED_ROLES, ROLE_UNKNOWN, ...noneHereKey(app, names, list)];
  }
  if (shade === "coverage") {
    if (!app.data.coverage) return null;
    const shades = new Set(app.areas.map((area) => coverageShade(app.data.coverage[area.ons_code])));
    return [...COVERAGE, COVERAGE_NOT_KNOWN, NO_SCHOOLS].filter((item) => COVERAGE.includes(item) || shades.has(item));
  }
  if (shade === "council") {
    return Object.entries(COUNCIL).map(([role, colour]) => ({ colour, label: names.councilRoleLabel(role) }));
  }
  if (shade === "research") {
    const found = Object.entries(RESEARCH).map(([status, item]) => ({ ...item, label: names.researchLabel(status) }));
    const unrecorded = app.areas.some((area) => !names.research(area.ons_code));
    return unrecorded ? [...found, NO_RECORD] : found;
  }
  return [...COUNT, ...noneHereKey(app, names, list)];
}
