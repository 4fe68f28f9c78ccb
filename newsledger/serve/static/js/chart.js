// Small SVG chart helpers: time scales, linear scales, axes.
import { h, s } from "./dom.js";

export const DAY = 86400000;
export const QUAD_COLORS = { 1: "#4c9a6a", 2: "#1f6f8b", 3: "#e0a03a", 4: "#c0392b" };

export function linear([d0, d1], [r0, r1]) {
  const k = d1 === d0 ? 0 : (r1 - r0) / (d1 - d0);
  return (x) => r0 + (x - d0) * k;
}

export const time = (iso) => Date.parse(iso + "T00:00:00Z");

/** The period after `iso` for a date_trunc interval. */
export function nextPeriod(iso, interval) {
  const d = new Date(time(iso));
  if (interval === "day") d.setUTCDate(d.getUTCDate() + 1);
  else if (interval === "week") d.setUTCDate(d.getUTCDate() + 7);
  else if (interval === "month") d.setUTCMonth(d.getUTCMonth() + 1);
  else d.setUTCFullYear(d.getUTCFullYear() + 1);
  return d.toISOString().slice(0, 10);
}

/** ~n nice ticks between two timestamps, labelled by the interval's precision. */
export function timeTicks(t0, t1, n = 6) {
  const out = [];
  const step = Math.max(DAY, Math.ceil((t1 - t0) / n / DAY) * DAY);
  for (let t = t0; t <= t1 + 1; t += step) out.push(t);
  return out;
}

export function label(t, span) {
  const iso = new Date(t).toISOString();
  return span > 400 * DAY ? iso.slice(0, 7) : iso.slice(0, 10);
}

export function xAxis(x, t0, t1, y) {
  const span = t1 - t0;
  return s("g", { class: "axis x" }, s("line", { x1: x(t0), x2: x(t1), y1: y, y2: y }),
    timeTicks(t0, t1).filter((t) => x(t) <= x(t1) - 35 || t === t0).map((t) => s("g", {}, s("line", { x1: x(t), x2: x(t), y1: y, y2: y + 4 }),
      s("text", { x: x(t), y: y + 16, "text-anchor": "middle" }, label(t, span)))));
}

export function yAxis(y, max, x, ticks = 4) {
  const out = [];
  for (let i = 0; i <= ticks; i++) {
    const v = Math.round((max * i) / ticks);
    out.push(s("g", {}, s("line", { x1: x - 4, x2: x, y1: y(v), y2: y(v) }),
      s("text", { x: x - 6, y: y(v) + 4, "text-anchor": "end" }, v)));
  }
  return s("g", { class: "axis y" }, s("line", { x1: x, x2: x, y1: y(0), y2: y(max) }), out);
}

/** HTML colour keys for a figcaption: [[text, color, cls], ...] */
export function keys(items) {
  return items.map(([text, color, cls]) => h("span", { class: "key" },
    s("svg", { width: 10, height: 10 }, s("rect", { width: 10, height: 10, fill: color, class: cls || null })), ` ${text}`));
}

export function legend(items, x, y) {
  return s("g", { class: "legend" }, items.map(([text, color, cls], i) => s("g", {},
    s("rect", { x, y: y + i * 16, width: 10, height: 10, fill: color, class: cls || null }),
    s("text", { x: x + 14, y: y + i * 16 + 9 }, text))));
}
