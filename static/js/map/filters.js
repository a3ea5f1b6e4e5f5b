/* Which partnerships the filters let through, and the filter form kept in step with the state. */

/* `filters`: {parameter: the key of its field in each partnership}, from the page. Each
   filter matches when the partnership has any of its values, as the API's filters do. */
function matches(partnership, state, filters, regionOf) {
  if (state.area) {
    const inArea = state.area.startsWith("E12")
      ? partnership.las.some((code) => regionOf(code) === state.area)
      : partnership.las.includes(state.area);
    if (!inArea) return false;
  }
  for (const [name, key] of Object.entries(filters)) {
    const wanted = state[name];
    if (!wanted.length) continue;
    const value = partnership[key];
    if (!wanted.some((one) => (Array.isArray(value) ? value.includes(one) : value === one))) return false;
  }
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
  const { state } = app.store;
  return app.data.partnerships.filter((p) => matches(p, state, app.data.filters, (code) => regionOf(app, code)));
}

/* The form's fields for the filters are named as the filters are: a drop-down list gives one
   value or none, a group of check boxes any number. */
function writeField(form, name, values) {
  for (const control of form.querySelectorAll(`[name="${name}"]`)) {
    if (control.type === "checkbox") control.checked = values.includes(control.value);
    else control.value = values[0] || "";
  }
}

export function bindFilters(app, form, areaSelect) {
  const names = Object.keys(app.data.filters);

  function writeForm() {
    const state = app.store.state;
    areaSelect.value = state.area;
    for (const name of names) writeField(form, name, state[name]);
    for (const radio of form.querySelectorAll('input[name="shade"]')) radio.checked = radio.value === state.shade;
    form.elements.regional.checked = state.regional;
  }

  function readForm() {
    const fields = new FormData(form);
    return {
      area: areaSelect.value,
      ...Object.fromEntries(names.map((name) => [name, fields.getAll(name).filter(Boolean)])),
      shade: fields.get("shade"),
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
    const cleared = Object.fromEntries(names.map((name) => [name, []]));
    app.store.update(Object.assign(cleared, { area: "", la: la }));
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
