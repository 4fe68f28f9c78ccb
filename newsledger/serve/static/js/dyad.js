// Dyad view: for a pair of actors, cooperation above the axis and conflict below, per period,
// one panel per direction (A → B, B → A), with the mean Goldstein score as a line.
import { h, s, QUADS, fmt } from "./dom.js";
import { get } from "./api.js";
import { go } from "./main.js";
import { linear, time, nextPeriod, xAxis, keys, QUAD_COLORS } from "./chart.js";

export async function render(root, params) {
  const a = h("input", { id: "dyad-a", value: params.a || "", placeholder: "e.g. KGZ" });
  const b = h("input", { id: "dyad-b", value: params.b || "", placeholder: "e.g. TJK" });
  const interval = h("select", { id: "dyad-interval" },
    ["auto", "day", "week", "month", "year"].map((v) => h("option", { value: v, selected: (params.interval || "auto") === v }, v)));
  const form = h("form", { class: "filters" },
    h("label", {}, h("span", {}, "Actor A"), a), h("label", {}, h("span", {}, "Actor B"), b),
    h("label", {}, h("span", {}, "Interval"), interval),
    h("div", { class: "actions" }, h("button", { type: "submit", id: "dyad-go" }, "Show")));
  form.addEventListener("submit", (e) => { e.preventDefault(); go("dyad", { a: a.value.trim(), b: b.value.trim(), interval: interval.value }); });
  root.append(h("h1", {}, "Dyad"), form);
  if (!params.a || !params.b) {
    root.append(h("p", { class: "muted" }, "Pick two actors (country codes such as IND and PAK, or names)."), await suggestions());
    return;
  }
  const data = await get("/dyad", { a: params.a, b: params.b, interval: params.interval || "auto" });
  root.append(chart(data));
}

async function suggestions() {
  const net = await get("/network", { max_edges: 12 });
  const seen = new Set();
  const pairs = net.edges.filter((e) => { const k = [e.source, e.target].sort().join("|"); if (seen.has(k)) return false; seen.add(k); return true; });
  return h("ul", { class: "pairs" }, pairs.map((e) => h("li", {}, h("a", { href: `#/dyad?a=${encodeURIComponent(e.source)}&b=${encodeURIComponent(e.target)}` }, `${e.source} ↔ ${e.target}`))));
}

function chart(data) {
  if (!data.series.length) return h("p", { class: "muted", id: "dyad-empty" }, `No dated events between ${data.a} and ${data.b}.`);
  const W = 960, L = 50, R = 20, PANEL = 170, GAP = 40;
  const periods = [...new Set(data.series.map((r) => r.period))].sort();
  const t0 = time(periods[0]), t1 = time(nextPeriod(periods[periods.length - 1], data.interval));
  const x = linear([t0, t1], [L, W - R]);
  const totals = new Map();
  for (const r of data.series) {
    const key = `${r.direction}|${r.period}|${r.quad <= 2 ? "up" : "down"}`;
    totals.set(key, (totals.get(key) || 0) + r.n);
  }
  const max = Math.max(1, ...totals.values());
  const panels = [["ab", `${data.a} → ${data.b}`], ["ba", `${data.b} → ${data.a}`]].map(([dir, title], i) => {
    const top = 20 + i * (PANEL + GAP);
    const mid = top + PANEL / 2;
    const y = linear([0, max], [0, PANEL / 2 - 4]);
    const filled = new Map();
    const bars = data.series.filter((r) => r.direction === dir).sort((p, q) => p.quad - q.quad).map((r) => {
      const a = x(time(r.period)), b = x(time(nextPeriod(r.period, data.interval)));
      const up = r.quad <= 2;
      const key = `${r.period}|${up}`;
      const base = filled.get(key) || 0;
      filled.set(key, base + r.n);
      const w = Math.max(2, (b - a) * 0.7);
      return s("rect", { x: a + (b - a - w) / 2, y: up ? mid - y(base + r.n) : mid + y(base), width: w, height: y(r.n),
        fill: QUAD_COLORS[r.quad] || "#888", class: "bar" },
        s("title", {}, `${title}, ${r.period}: ${r.n} ${QUADS[r.quad] || "?"}; mean Goldstein ${r.goldstein?.toFixed(1) ?? "–"}`));
    });
    return s("g", { class: "panel", dataset: { direction: dir } },
      s("text", { x: L, y: top - 4, class: "panel-title" }, title),
      s("line", { x1: L, x2: W - R, y1: mid, y2: mid, class: "zero" }),
      s("text", { x: L - 6, y: top + 12, "text-anchor": "end", class: "muted" }, "coop."),
      s("text", { x: L - 6, y: top + PANEL - 4, "text-anchor": "end", class: "muted" }, "conflict"),
      bars);
  });
  const H = 20 + 2 * PANEL + GAP + 30;
  const count = data.series.reduce((n, r) => n + r.n, 0);
  return h("figure", { class: "chart", id: "dyad-chart" },
    s("svg", { viewBox: `0 0 ${W} ${H}`, width: "100%", role: "img", "aria-label": "dyad" },
      panels, xAxis(x, t0, t1, H - 30)),
    h("figcaption", { class: "muted" }, keys(Object.entries(QUADS).map(([q, t]) => [t, QUAD_COLORS[q]])), h("br"), `${fmt(count)} ${data.level === "consolidated" ? "consolidated events (each real event once)" : "event reports"} between ${data.a} and ${data.b}, per ${data.interval}; cooperation above the line, conflict below (scale: ${max} per bar).`));
}
