/* The comparison being built, remembered for this tab only (sessionStorage, never sent to
   the server), so "Add to comparison" on an area page adds to it. The set itself is the
   address: this only helps build it. */

export const MAX_AREAS = 4;
const KEY = "comparison-areas";

export function rememberedAreas() {
  try {
    return (sessionStorage.getItem(KEY) || "").split(",").filter(Boolean);
  } catch (error) {
    return [];
  }
}

export function remember(codes) {
  try {
    sessionStorage.setItem(KEY, codes.join(","));
  } catch (error) {
    /* storage refused: the links still work, from this area alone */
  }
}

export function comparisonUrl(base, codes) {
  return codes.length ? `${base}?areas=${codes.map(encodeURIComponent).join(",")}` : base;
}

const here = new URLSearchParams(location.search).get("areas");
if (document.getElementById("compare-add") || document.getElementById("compare-full")) {
  remember(here ? here.split(",") : []);
}
