/* Which partnerships the filters let through, and the filter form kept in step with the state. */

export function matches(partnership, filter, regionOf) {
  if (filter.area) {
    const inArea = filter.area.startsWith("E12")
      ? partnership.las.some((code) => regionOf(code) === filter.area)
      : partnership.las.includes(filter.area);
    if (!inArea) return false;
  }
  if (filter.role.length && !filter.role.includes(partnership.la_role)) return false;
  if (filter.focus && !partnership.focus.includes(filter.focus)) return false;
  if (filter.phase && !partnership.phases.includes(filter.phase)) return false;
  if (filter.scope && partnership.scope !== filter.scope) return false;
  if (filter.reach && partnership.reach !== filter.reach) return false;
  if (filter.kind && partnership.kind !== filter.kind) return false;
  if (filter.legal && partnership.legal_form !== filter.legal) return false;
  if (filter.status && partnership.status !== filter.status) return false;
  return true;
}

/* Regional bodies include an area without being its local partnership (issue 11): they
   never shade or count as local coverage, and are shown apart. */
export function localIn(code, list) {
  return list.filter((p) => !p.regional && p.las.includes(code));
}

export function regionalIn(code, list) {
  return list.filter((p) => p.regional && p.las.includes(code));
}

function regionOf(app, code) {
  const area = app.areaByCode.get(code);
  return area && area.region ? area.region.code : "";
}

export function filtered(app) {
  return app.data.partnerships.filter((p) => matches(p, app.store.state, (code) => regionOf(app, code)));
}

/* The filters chosen from a drop-down list, by their names in the form and the URL. */
const SELECTS = ["focus", "phase", "scope", "reach", "kind", "legal", "status"];

export function bindFilters(app, form, areaSelect) {
  function writeForm() {
    const state = app.store.state;
    areaSelect.value = state.area;
    for (const box of form.querySelectorAll('input[name="role"]')) box.checked = state.role.includes(box.value);
    for (const name of SELECTS) form.elements[name].value = state[name];
    for (const radio of form.querySelectorAll('input[name="shade"]')) radio.checked = radio.value === state.shade;
    form.elements.regional.checked = state.regional;
  }

  function readForm() {
    return {
      area: areaSelect.value,
      role: Array.from(form.querySelectorAll('input[name="role"]:checked')).map((box) => box.value),
      ...Object.fromEntries(SELECTS.map((name) => [name, form.elements[name].value])),
      shade: form.querySelector('input[name="shade"]:checked').value,
      regional: form.elements.regional.checked,
    };
  }

  /* Choosing an LA in the Area filter selects and zooms to it, as a click on the map does;
     choosing a region zooms to the region. */
  form.addEventListener("change", function (event) {
    const values = readForm();
    if (event.target === areaSelect) {
      const code = values.area;
      const isArea = code && !code.startsWith("E12");
      const state = app.store.state;
      let la = state.la;
      if (isArea) la = code;
      else if (!code && state.la === state.area) la = ""; // it was chosen with the filter
      else if (code && state.la && regionOf(app, state.la) !== code) la = ""; // outside the region
      app.store.update(Object.assign(values, { la: la, p: isArea ? "" : state.p, like: false }), { zoom: Boolean(code) });
    } else {
      app.store.update(values);
    }
  });
  form.addEventListener("submit", (event) => event.preventDefault());
  document.getElementById("clear-filters").addEventListener("click", function () {
    const state = app.store.state;
    // An LA chosen in the Area filter was selected with it: clearing the filter clears both.
    const la = state.la && state.la === state.area ? "" : state.la;
    const cleared = Object.fromEntries(SELECTS.map((name) => [name, ""]));
    app.store.update(Object.assign(cleared, { area: "", la: la, role: [] }));
  });
  app.store.subscribe(writeForm);

  function addAreaOptions() {
    for (const area of app.areas) areaSelect.add(new Option(area.name, area.ons_code));
    areaSelect.value = app.store.state.area;
  }

  for (const region of app.data.regions.slice().sort((a, b) => a.name.localeCompare(b.name))) {
    areaSelect.add(new Option(`${region.name} (region)`, region.code));
  }
  writeForm();
  return { writeForm, addAreaOptions };
}
