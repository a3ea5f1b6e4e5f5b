/* The map's state lives in the URL: shareable, and the back button works. */

const LIST_KEYS = ["area", "focus", "phase", "scope", "reach", "kind", "legal", "status"];
export const SHADES = ["count", "role", "coverage", "research"];

export function readState(search) {
  const params = new URLSearchParams(search);
  return {
    area: params.get("area") || "",
    role: params.getAll("role"),
    focus: params.get("focus") || "",
    phase: params.get("phase") || "",
    scope: params.get("scope") || "",
    reach: params.get("reach") || "",
    kind: params.get("kind") || "",
    legal: params.get("legal") || "",
    status: params.get("status") || "",
    shade: SHADES.includes(params.get("shade")) ? params.get("shade") : "count",
    regional: params.get("regional") === "1",
    view: params.get("view") || "map",
    p: params.get("p") || "",
    la: params.get("la") || "",
    like: params.get("like") === "1",
  };
}

export function stateToQuery(state, pathname) {
  const params = new URLSearchParams();
  for (const key of LIST_KEYS) {
    if (state[key]) params.set(key, state[key]);
  }
  for (const role of state.role) params.append("role", role);
  if (state.shade !== "count") params.set("shade", state.shade);
  if (state.regional) params.set("regional", "1");
  if (state.view !== "map") params.set("view", state.view);
  if (state.p) params.set("p", state.p);
  if (state.la) params.set("la", state.la);
  if (state.la && state.like) params.set("like", "1");
  const query = params.toString();
  return query ? `?${query}` : pathname;
}

/* One place that changes the state: it records the URL and tells the listeners. */
export function createStore() {
  const listeners = [];
  const store = {
    state: readState(window.location.search),
    subscribe(listener) {
      listeners.push(listener);
    },
    update(changes, options) {
      store.state = Object.assign({}, store.state, changes);
      const url = stateToQuery(store.state, window.location.pathname);
      if (options && options.replace) window.history.replaceState(store.state, "", url);
      else window.history.pushState(store.state, "", url);
      for (const listener of listeners) listener(options || {});
    },
  };
  window.addEventListener("popstate", function () {
    store.state = readState(window.location.search);
    for (const listener of listeners) listener({ zoom: true, fromHistory: true });
  });
  return store;
}
