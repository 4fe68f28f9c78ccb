// Timeline of a story: events stacked by quad class at their event date; the band behind is
// the report volume (articles published per period).
import { h, s, QUADS, fmt } from "./dom.js";
import { get } from "./api.js";
import { go } from "./main.js";
import { filterForm, pick } from "./filters.js";
import { linear, time, nextPeriod, xAxis, yAxis, keys, QUAD_COLORS } from "./chart.js";

export async function render(root, params) {
  const stories = await get("/stories", { limit: 100 });
  const storySelect = h("select", { name: "story", id: "f-story" }, h("option", { value: "" }, "(all events)"),
    stories.items.map((st) => h("option", { value: st.story, selected: params.story === st.story }, `${st.story} (${st.articles})`)));
  const interval = h("select", { name: "interval", id: "f-interval" },
    ["auto", "day", "week", "month", "year"].map((v) => h("option", { value: v, selected: (params.interval || "auto") === v }, v)));
  const form = await filterForm(params, (values) => go("timeline", values),
    { extra: [["story", "Story", storySelect], ["interval", "Interval", interval]] });
  root.append(h("h1", {}, "Timeline"), form);
  const data = await get("/timeline", { ...pick(params), interval: params.interval || "auto", cluster: params.cluster });
  root.append(chart(data), markers(data));
}

function chart(data) {
  const W = 960, H = 320, L = 50, R = 20, T = 20, B = 40;
  const periods = new Set([...data.events.map((e) => e.period), ...data.reports.map((r) => r.period)]);
  if (!periods.size) return h("p", { class: "muted", id: "timeline-empty" }, "No dated events match.");
  const sorted = [...periods].sort();
  const t0 = time(sorted[0]);
  const t1 = time(nextPeriod(sorted[sorted.length - 1], data.interval));
  const x = linear([t0, t1], [L, W - R]);
  const stacks = new Map();
  for (const e of data.events) stacks.set(e.period, (stacks.get(e.period) || 0) + e.n);
  const maxEvents = Math.max(1, ...stacks.values());
  const maxReports = Math.max(1, ...data.reports.map((r) => r.articles));
  const y = linear([0, maxEvents], [H - B, T]);
  const yr = linear([0, maxReports], [H - B, T]);

  // report volume: a step band over publication periods
  let d = `M${x(t0)},${yr(0)}`;
  for (const r of data.reports) {
    const a = x(time(r.period)), b = x(time(nextPeriod(r.period, data.interval)));
    d += `L${a},${yr(0)}L${a},${yr(r.articles)}L${b},${yr(r.articles)}L${b},${yr(0)}`;
  }
  d += `L${x(t1)},${yr(0)}Z`;
  const band = s("path", { d, class: "band", id: "report-band" }, s("title", {}, "articles published per period"));

  const bars = [];
  const filled = new Map();
  for (const e of [...data.events].sort((p, q) => p.period.localeCompare(q.period) || p.quad - q.quad)) {
    const a = x(time(e.period)), b = x(time(nextPeriod(e.period, data.interval)));
    const base = filled.get(e.period) || 0;
    const w = Math.max(2, (b - a) * 0.7);
    bars.push(s("rect", { x: a + (b - a - w) / 2, y: y(base + e.n), width: w, height: y(base) - y(base + e.n),
      fill: QUAD_COLORS[e.quad] || "#888", class: "bar" },
      s("title", {}, `${e.period}: ${e.n} ${QUADS[e.quad] || "unknown"} event(s)`)));
    filled.set(e.period, base + e.n);
  }
  return h("figure", { class: "chart", id: "timeline-chart" },
    s("svg", { viewBox: `0 0 ${W} ${H}`, width: "100%", role: "img", "aria-label": "timeline" },
      band, bars, xAxis(x, t0, t1, H - B), yAxis(y, maxEvents, L)),
    h("figcaption", { class: "muted" }, keys([["report volume (articles)", "#cfd8e3"], ...Object.entries(QUADS).map(([q, t]) => [t, QUAD_COLORS[q]])]), h("br"),
      `Bars: ${data.level === "consolidated" ? "consolidated events (each real event once)" : "event reports"} by event date (per ${data.interval}); band: articles published per ${data.interval} (scale ${fmt(maxReports)} at the top).`));
}

function markers(data) {
  if (!data.markers.length) return h("div");
  const consolidated = data.level === "consolidated";
  return h("table", { class: "events", id: "timeline-events" },
    h("thead", {}, h("tr", {}, ["Event date", "Type", "Source", "Target", consolidated ? "Best sentence" : "Trigger", "Articles"].map((t) => h("th", {}, t)))),
    h("tbody", {}, data.markers.map((m) => h("tr", {},
      h("td", {}, m.date), h("td", {}, h("span", { class: `tag quad${m.quad}` }, m.type)),
      h("td", {}, m.source_country || m.source_name || "–"), h("td", {}, m.target_country || m.target_name || "–"),
      h("td", {}, h("a", { href: `#/article/${encodeURIComponent(m.article_id)}?event=${encodeURIComponent(m.event_id)}` }, m.text || "open")),
      h("td", {}, fmt(m.reports))))));
}
