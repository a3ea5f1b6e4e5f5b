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
  if (filter.legal && partnership.legal_form !== filter.legal) return false;
  if (filter.status && partnership.status !== filter.status) return false;
  return true;
}

export function partnershipsIn(code, list) {
  return list.filter((p) => p.las.includes(code));
}

export function filtered(app) {
  const regionOf = (code) => {
    const area = app.areaByCode.get(code);
    return area && area.region ? area.region.code : "";
  };
  return app.data.partnerships.filter((p) => matches(p, app.store.state, regionOf));
}

export function bindFilters(app, form, areaSelect) {
  function writeForm() {
    const state = app.store.state;
    areaSelect.value = state.area;
    for (const box of form.querySelectorAll('input[name="role"]')) box.checked = state.role.includes(box.value);
    for (const name of ["focus", "phase", "scope", "legal", "status"]) form.elements[name].value = state[name];
    for (const radio of form.querySelectorAll('input[name="shade"]')) radio.checked = radio.value === state.shade;
  }

  function readForm() {
    return {
      area: areaSelect.value,
      role: Array.from(form.querySelectorAll('input[name="role"]:checked')).map((box) => box.value),
      focus: form.elements.focus.value,
      phase: form.elements.phase.value,
      scope: form.elements.scope.value,
      legal: form.elements.legal.value,
      status: form.elements.status.value,
      shade: form.querySelector('input[name="shade"]:checked').value,
    };
  }

  form.addEventListener("change", () => app.store.update(readForm()));
  form.addEventListener("submit", (event) => event.preventDefault());
  document.getElementById("clear-filters").addEventListener("click", function () {
    app.store.update({ area: "", role: [], focus: "", phase: "", scope: "", legal: "", status: "" });
    writeForm();
  });
  app.store.subscribe((options) => {
    if (options.fromHistory) writeForm();
  });

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
