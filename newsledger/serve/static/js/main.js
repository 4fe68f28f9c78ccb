// Hash routing: #/view?key=value. Each view module exports render(container, params).
import { h, clear } from "./dom.js";
import { get } from "./api.js";

const VIEWS = {
  search: () => import("./search.js"),
  article: () => import("./article.js"),
  timeline: () => import("./timeline.js"),
  dyad: () => import("./dyad.js"),
  network: () => import("./network.js"),
  map: () => import("./map.js"),
  ingest: () => import("./ingest.js"),
};

export function parseHash() {
  const raw = location.hash.replace(/^#\/?/, "");
  const [path, q = ""] = raw.split("?");
  const [view, ...rest] = path.split("/");
  return { view: VIEWS[view] ? view : "search", arg: rest.map(decodeURIComponent).join("/"),
           params: Object.fromEntries(new URLSearchParams(q)) };
}

/** go("search", {type: "ASSAULT"}) or go("article", {event: id}, articleId) */
export function go(view, params = {}, arg = "") {
  const q = new URLSearchParams(Object.entries(params).filter(([, v]) => v !== "" && v != null));
  const text = q.toString();
  location.hash = `#/${view}${arg ? "/" + encodeURIComponent(arg) : ""}${text ? "?" + text : ""}`;
}

async function route() {
  const { view, arg, params } = parseHash();
  const container = document.getElementById("view");
  delete container.dataset.ready;  // set again once this view has rendered (tests wait on it)
  for (const a of document.querySelectorAll("#nav a")) a.classList.toggle("active", a.dataset.view === view);
  document.body.dataset.view = view;
  const started = performance.now();
  try {
    const module = await VIEWS[view]();
    clear(container);
    await module.render(container, params, arg);
    container.dataset.ready = view;
  } catch (err) {
    clear(container).append(h("p", { class: "error" }, String(err.message || err)));
    container.dataset.ready = "error";
  }
  document.getElementById("status").textContent = `${Math.round(performance.now() - started)} ms`;
}

async function init() {
  try {
    const health = await get("/health");
    document.getElementById("nav-ingest").hidden = !health.ingest;
    window.newsledger = { health };
  } catch { /* the view shows the error */ }
  window.addEventListener("hashchange", route);
  route();
}

init();
