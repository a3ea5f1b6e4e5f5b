/* The map's state lives in the URL: shareable, and the back button works. The filters are
   the API's, under its parameter names (the page names them), each a list of values any of
   which matches, written with commas as the API takes them: ?la_role=schools_led,mixed. */

export const SHADES = ["count", "role", "coverage", "research", "council"];

export function readState(search, filterNames) {
  const params = new URLSearchParams(search);
  const values = (name) => params.getAll(name).flatMap((value) => value.split(",")).filter(Boolean);
  return {
    area: params.get("area") || "",
    ...Object.fromEntries(filterNames.map((name) => [name, values(name)])),
    shade: SHADES.includes(params.get("shade")) ? params.get("shade") : "count",
    regional: params.get("regional") === "1",
    view: params.get("view") || "map",
    p: params.get("p") || "",
    la: params.get("la") || "",
    like: params.get("like") === "1",
  };
}

export function stateToQuery(state, pathname, filterNames) {
  const params = new URLSearchParams();
  if (state.area) params.set("area", state.area);
  for (const name of filterNames) {
    if (state[name].length) params.set(name, state[name].join(","));
  }
  if (state.shade !== "count") params.set("shade", state.shade);
  if (state.regional) params.set("regional", "1");
  if (state.view !== "map") params.set("view", state.view);
  if (state.p) params.set("p", state.p);
  if (state.la) params.set("la", state.la);
  if (state.la && state.like) params.set("like", "1");
  // Only the filters' lists hold commas (codes and slugs have none): keep them readable.
  const query = params.toString().replaceAll("%2C", ",");
  return query ? `?${query}` : pathname;
}

/* One place that changes the state: it records the URL and tells the listeners. */
export function createStore(filterNames) {
  const listeners = [];
  const store = {
    state: readState(window.location.search, filterNames),
    subscribe(listener) {
      listeners.push(listener);
    },
    update(changes, options) {
      store.state = Object.assign({}, store.state, changes);
      const url = stateToQuery(store.state, window.location.pathname, filterNames);
      if (options && options.replace) window.history.replaceState(store.state, "", url);
      else window.history.pushState(store.state, "", url);
      for (const listener of listeners) listener(options || {});
    },
  };
  window.addEventListener("popstate", function () {
    store.state = readState(window.location.search, filterNames);
    for (const listener of listeners) listener({ zoom: true, fromHistory: true });
  });
  return store;
}
