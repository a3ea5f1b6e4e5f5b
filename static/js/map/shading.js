/* What colour an area is under each shading, and the key that says what the colours mean:
   each scale is written once, its colours beside their meanings, and both read it. */

import { localIn } from "./filters.js";

/* Local partnerships in an area: none, one, two, three, four or more. */
const COUNT = [
  { colour: "#f2f2f2", label: "No local partnership found" },
  { colour: "#c6dbef", label: "1 partnership" },
  { colour: "#6baed6", label: "2 partnerships" },
  { colour: "#2171b5", label: "3 partnerships" },
  { colour: "#08306b", label: "4 or more" },
];
const NONE_FOUND = COUNT[0];

/* The share of an area's open state-funded schools that local partnerships reach, in
   fifths: each bucket holds the shares from the one before's bound up to (not including)
   its own. */
const COVERAGE = [
  { below: 0.2, colour: "#f7fcf5", label: "Under 20% of open state-funded schools in a partnership" },
  { below: 0.4, colour: "#c7e9c0", label: "20–40%" },
  { below: 0.6, colour: "#74c476", label: "40–60%" },
  { below: 0.8, colour: "#238b45", label: "60–80%" },
  { below: Infinity, colour: "#00441b", label: "80% or more" },
];

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
  unknown: "#d9d9d9",
};

/* What research found (labels from the page). */
const RESEARCH = {
  documented: "#009E73",
  none_found: "#E69F00",
  researched: "#56B4E9",
  not_researched: "#d9d9d9",
};
const NO_RECORD = { colour: "#ffffff", label: "No research record yet" };

export function coverageBucket(share) {
  return COVERAGE.find((bucket) => share < bucket.below);
}

export function fillFor(app, names, code, list) {
  const { shade } = app.store.state;
  if (shade === "research") return RESEARCH[names.research(code)] || NO_RECORD.colour;
  if (shade === "council") return COUNCIL[names.councilRole(code)] || NO_RECORD.colour;
  if (shade === "coverage") {
    const coverage = app.data.coverage && app.data.coverage[code];
    return coverage ? coverageBucket(coverage.share).colour : NO_RECORD.colour;
  }
  const here = localIn(code, list);
  if (shade === "role") {
    const roles = new Set(here.map((p) => p.la_role).filter(Boolean));
    if (!roles.size) return here.length ? ROLE_UNKNOWN.colour : NONE_FOUND.colour;
    return roles.size > 1 ? MIXED_ROLES.colour : ROLE[[...roles][0]];
  }
  return COUNT[Math.min(here.length, COUNT.length - 1)].colour;
}

/* [{colour, label}] for the key of the shading chosen; null when there is nothing to shade
   by (coverage without the school register). */
export function keyFor(app, names) {
  const { shade } = app.store.state;
  if (shade === "role") {
    const roles = Object.entries(ROLE).map(([role, colour]) => ({ colour, label: app.labels.la_role[role] }));
    return [...roles, MIXED_ROLES, ROLE_UNKNOWN, NONE_FOUND];
  }
  if (shade === "coverage") return app.data.coverage ? COVERAGE : null;
  if (shade === "council") {
    return Object.entries(COUNCIL).map(([role, colour]) => ({ colour, label: names.councilRoleLabel(role) }));
  }
  if (shade === "research") {
    const found = Object.entries(RESEARCH).map(([status, colour]) => ({ colour, label: names.researchLabel(status) }));
    const unrecorded = app.areas.some((area) => !names.research(area.ons_code));
    return unrecorded ? [...found, NO_RECORD] : found;
  }
  return COUNT;
}
