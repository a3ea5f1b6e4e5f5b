/* The area page's ways into a comparison: "Add to comparison" adds this area to the one
   being built in this tab; "Compare with the most alike" takes the areas like this. Without
   script both links still work (this area alone). */

import { MAX_AREAS, comparisonUrl, rememberedAreas } from "./compare.js";

const add = document.getElementById("add-to-comparison");
if (add) {
  const code = add.dataset.code;
  const codes = rememberedAreas().filter((c) => c !== code);
  if (codes.length && codes.length < MAX_AREAS) {
    add.href = comparisonUrl(add.dataset.compareUrl, [...codes, code]);
    add.textContent = `Add ${add.dataset.name} to your comparison (${codes.length + 1} areas)`;
  }
}

const alike = document.getElementById("compare-similar");
if (alike) {
  document.addEventListener("similar-areas", function (event) {
    const codes = [alike.dataset.code, ...event.detail.slice(0, MAX_AREAS - 1)];
    alike.href = comparisonUrl(alike.dataset.compareUrl, codes);
    alike.hidden = false;
  });
}
