// Map: countries from the bundled Natural Earth 110m file (offline), shaded by how many events
// happened there; events drawn at their location's coordinates.
import { h, s, fmt } from "./dom.js";
import { get } from "./api.js";
import { go } from "./main.js";
import { filterForm, pick } from "./filters.js";
import { features, path } from "./topo.js";

let world = null;
async function loadWorld() {
  world = world || fetch("/static/world-110m.json").then((r) => r.json()).then((t) => features(t, "countries"));
  return world;
}

const W = 960, H = 480;
// equirectangular, cropped to 84°S..84°N
const project = ([lon, lat]) => [((lon + 180) / 360) * W, ((84 - Math.max(-84, Math.min(84, lat))) / 168) * H];
const SHADES = ["#eef2f6", "#fde0c5", "#facba6", "#f8b58b", "#f59e72", "#f2855d", "#ef6a4c", "#d8503f", "#b83c35"];

export async function render(root, params) {
  const form = await filterForm(params, (values) => go("map", values));
  root.append(h("h1", {}, "Map"), form);
  const [countries, data] = await Promise.all([loadWorld(), get("/map", pick(params))]);
  const counts = new Map(data.countries.filter((c) => c.numeric).map((c) => [c.numeric, c]));
  const max = Math.max(1, ...data.countries.map((c) => c.n));
  const shade = (n) => (n ? SHADES[Math.min(SHADES.length - 1, 1 + Math.floor((Math.log(n) / Math.log(max + 1)) * (SHADES.length - 1)))] : SHADES[0]);
  const shapes = countries.map((c) => {
    const hit = counts.get(c.id);
    return s("path", { d: path(c.rings, project), fill: shade(hit?.n || 0), class: hit ? "country has-events" : "country",
      dataset: { id: c.id || "", code: hit?.country || "" },
      onclick: hit ? () => go("search", { ...pick(params), place: hit.country }) : null },
      s("title", {}, `${c.name}${hit ? `: ${fmt(hit.n)} events` : ""}`));
  });
  const drawn = new Set(countries.map((c) => c.id));
  const missing = data.countries.filter((c) => !drawn.has(c.numeric)).map((c) => `${c.country} (${fmt(c.n)})`);
  const dots = data.points.map((p) => {
    const [x, y] = project([p.lon, p.lat]);
    return s("circle", { cx: x.toFixed(1), cy: y.toFixed(1), r: Math.min(14, 1.5 + 2.2 * Math.log2(1 + p.n)).toFixed(1), class: "point",
      onclick: () => go("search", { ...pick(params), place: p.name || p.country }) },
      s("title", {}, `${p.name || "?"} (${p.country || "?"}): ${fmt(p.n)} events`));
  });
  root.append(h("figure", { class: "chart", id: "map-chart" },
    s("svg", { viewBox: `0 0 ${W} ${H}`, width: "100%", role: "img", "aria-label": "map of events" },
      s("rect", { width: W, height: H, class: "sea" }), s("g", { id: "countries" }, shapes), s("g", { id: "points" }, dots)),
    h("figcaption", { class: "muted" }, `${fmt(data.points.length)} places, ${fmt(data.countries.length)} countries; shade: events located in the country (max ${fmt(max)}); circles: events at a place (radius grows with the log of the count). Boundaries: Natural Earth 1:110m.`,
      missing.length ? h("span", { id: "map-missing" }, ` Too small to draw at this scale: ${missing.join(", ")}.`) : null)));
}
