/* "Areas like this" on the area page: our indicators (adjustable) or DfE's neighbours,
   values side by side with small bars, the overlap between the two methods, and the
   partnerships in those areas. Similar areas are also outlined on the page's map. The method,
   indicators and weights chosen are kept in the page's query string, so a comparison can be
   shared and survives a reload. */

import { escapeHtml, fillUrl, readJson, suggestUrl } from "./common.js";

const config = readJson("similar-config");
if (config) start(config);

function start(config) {
  const section = document.getElementById("similar");
  const form = document.getElementById("similar-form");
  const weightsBody = form.querySelector(".weights tbody");
  const summary = document.getElementById("similar-summary");
  const results = document.getElementById("similar-results");
  const partnershipList = document.getElementById("similar-partnerships");
  const weightControls = document.getElementById("similar-weights");
  const dfeNote = document.getElementById("similar-dfe-note");
  const WEIGHTS = [0.5, 1, 2, 3];

  /* The choice recorded in the URL, if any: ?method=dfe&indicators=a,b&weights=2,1 */
  function weightsFromUrl() {
    const params = new URLSearchParams(window.location.search);
    if (params.get("method") === "dfe" || params.get("method") === "indicators") {
      form.elements.method.value = params.get("method");
    }
    const codes = (params.get("indicators") || "").split(",").filter(Boolean);
    const values = (params.get("weights") || "").split(",");
    const known = new Set(config.indicators.map((i) => i.code));
    const weights = {};
    codes.forEach((code, index) => {
      const weight = Number(values[index]);
      if (known.has(code)) weights[code] = WEIGHTS.includes(weight) ? weight : 1;
    });
    return Object.keys(weights).length ? weights : config.defaults;
  }

  /* The choice goes in the query string, replacing the current entry: no fragment, which
     would make the browser scroll the page to this section when it loads (the answers at
     the top of the page would be passed over), and no new history entry per change. */
  function recordInUrl(params) {
    const url = new URL(window.location.href);
    for (const key of ["method", "indicators", "weights"]) url.searchParams.set(key, params.get(key));
    window.history.replaceState(window.history.state, "", url);
  }

  /* DfE's list is published as it is: our indicators and weights do not change it. */
  function reflectMethod() {
    const dfe = form.elements.method.value === "dfe";
    weightControls.disabled = dfe;
    dfeNote.hidden = !dfe;
  }

  /* One formatter each, made once: toLocaleString makes one per call, and forty of them
     were a long task on a phone. */
  const whole = new Intl.NumberFormat("en-GB", { maximumFractionDigits: 0 });
  const oneDecimal = new Intl.NumberFormat("en-GB", { maximumFractionDigits: 1 });
  function format(value, unit) {
    if (value == null) return "not available";
    if (unit === "share") return `${(value * 100).toFixed(1)}%`;
    if (unit === "%") return `${value.toFixed(1)}%`;
    if (unit === "people" || unit === "schools") return whole.format(Math.round(value));
    return oneDecimal.format(value);
  }

  function renderWeights(weights) {
    weightsBody.innerHTML = config.indicators
      .map((indicator) => {
        const weight = weights[indicator.code];
        const options = WEIGHTS.map(
          (w) => `<option value="${w}"${w === Number(weight || 1) ? " selected" : ""}>${w}</option>`
        ).join("");
        const id = `use-${indicator.code}`;
        return (
          `<tr><td><input type="checkbox" id="${id}" name="use" value="${indicator.code}"${weight ? " checked" : ""}></td>` +
          `<td><label for="${id}">${escapeHtml(indicator.name)}</label></td>` +
          `<td><select name="weight-${indicator.code}" aria-label="Weight of ${escapeHtml(indicator.name)}">${options}</select></td></tr>`
        );
      })
      .join("");
  }

  function chosenWeights() {
    const weights = {};
    for (const box of form.querySelectorAll('input[name="use"]:checked')) {
      weights[box.value] = form.elements[`weight-${box.value}`].value;
    }
    return weights;
  }

  function bar(value, max) {
    if (value == null || !max) return "";
    const width = Math.max(2, Math.round((Math.abs(value) / max) * 100));
    return `<span class="mini-bar" aria-hidden="true"><span style="width:${width}%"></span></span>`;
  }

  function render(body) {
    const dfe = body.method === "dfe";
    const shown = body.indicators.slice().sort((a, b) => b.weight - a.weight).slice(0, 4);
    const max = {};
    for (const indicator of shown) {
      const values = body.results
        .map((r) => (r.comparison.find((c) => c.indicator === indicator.code) || {}).value)
        .concat([indicator.value])
        .filter((v) => v != null)
        .map(Math.abs);
      max[indicator.code] = Math.max(...values, 0);
    }
    const head =
      `<tr><th scope="col">Area</th><th scope="col">${dfe ? "DfE closeness" : 'Distance <span class="meta">(0 = identical)</span>'}</th>` +
      shown.map((i) => `<th scope="col">${escapeHtml(i.name)}<br><span class="meta">here: ${escapeHtml(format(i.value, i.unit))}</span></th>`).join("") +
      "</tr>";
    const rows = body.results
      .map((result) => {
        const cells = shown
          .map((indicator) => {
            const entry = result.comparison.find((c) => c.indicator === indicator.code) || {};
            return `<td>${escapeHtml(format(entry.value, indicator.unit))} ${bar(entry.value, max[indicator.code])}</td>`;
          })
          .join("");
        return (
          `<tr><th scope="row"><a href="${escapeHtml(fillUrl(section.dataset.areaUrl, result.local_authority.ons_code))}">${escapeHtml(result.local_authority.name)}</a></th>` +
          `<td>${escapeHtml(dfe ? result.closeness : result.distance.toFixed(2))}</td>${cells}</tr>`
        );
      })
      .join("");
    const explanation = dfe
      ? "DfE's closeness band says how close DfE judges each neighbour, from “Extremely close” to “Not close”. The figures beside it are ours, for comparison."
      : `Distance is the typical difference between the two areas across the indicators chosen, in units of the usual spread between areas (each indicator “standardised”): 0 means identical; smaller means more alike. <a href="${escapeHtml(section.dataset.methodUrl)}">How similar areas are found</a>.`;
    results.innerHTML =
      `<p class="hint">${explanation}</p>` +
      '<div class="table-scroll" role="region" aria-labelledby="similar-caption" tabindex="0">' +
      `<table class="similar-table"><caption id="similar-caption">${body.results.length} areas most like ${escapeHtml(body.local_authority.name)}` +
      (dfe ? ", as DfE's statistical neighbours" : ", by the indicators chosen (smaller distance = more alike)") +
      `</caption><thead>${head}</thead><tbody>${rows}</tbody></table></div>`;
    summary.textContent = dfe
      ? `${body.overlap.count} of DfE's ${body.overlap.of} neighbours are also among the ${body.overlap.of} areas our indicators find.`
      : `${body.overlap.count} of these ${body.overlap.of} areas are also among DfE's statistical neighbours.`;
    const codes = new Set(body.results.map((r) => r.local_authority.ons_code));
    const found = config.partnerships.filter((p) => p.las.some((code) => codes.has(code)));
    partnershipList.innerHTML = found.length
      ? found.map((p) => `<li><a href="${escapeHtml(p.url)}">${escapeHtml(p.name)}</a></li>`).join("")
      : `<li>No partnership is recorded in these areas yet. <a href="${escapeHtml(suggestUrl(section.dataset.suggestUrl, [...codes]))}">Know of one? Tell us about it</a>.</li>`;
    document.dispatchEvent(new CustomEvent("similar-areas", { detail: [...codes] }));
    results.dataset.loaded = String(body.results.length);
  }

  /* No areas like this one to show (the page's map, waiting for them, draws without). */
  function unknown() {
    document.dispatchEvent(new CustomEvent("similar-areas-unknown"));
  }

  function load() {
    const method = form.elements.method.value;
    const weights = chosenWeights();
    const params = new URLSearchParams({ method: method });
    const codes = Object.keys(weights);
    if (!codes.length) {
      summary.textContent = "Tick at least one indicator.";
      unknown();
      return;
    }
    params.set("indicators", codes.join(","));
    params.set("weights", codes.map((code) => weights[code]).join(","));
    recordInUrl(params);
    summary.textContent = "Finding similar areas…";
    fetch(`${config.url}?${params}`)
      .then((response) => response.json().then((body) => ({ ok: response.ok, body: body })))
      .then(({ ok, body }) => {
        if (!ok) {
          summary.textContent = Object.entries(body).map(([field, messages]) => `${field}: ${messages.join(" ")}`).join("; ");
          unknown();
          return;
        }
        render(body);
      })
      .catch(() => {
        summary.textContent = "Similar areas could not be loaded. Please try again.";
        unknown();
      });
  }

  form.addEventListener("change", function () {
    reflectMethod();
    load();
  });
  document.getElementById("similar-reset").addEventListener("click", function () {
    renderWeights(config.defaults);
    load();
  });
  renderWeights(weightsFromUrl());
  reflectMethod();
  load();
}
