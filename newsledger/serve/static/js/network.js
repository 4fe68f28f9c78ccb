// Network of actors: a force layout written here (repulsion between all nodes, springs on
// edges, a pull to the centre), run for a fixed number of steps from a deterministic start.
import { h, s, QUADS, fmt } from "./dom.js";
import { get } from "./api.js";
import { go } from "./main.js";
import { filterForm, pick } from "./filters.js";
import { QUAD_COLORS } from "./chart.js";

export async function render(root, params) {
  const by = h("select", { id: "f-by" }, ["quad", "type"].map((v) => h("option", { value: v, selected: (params.by || "quad") === v }, `edges by ${v}`)));
  const form = await filterForm(params, (values) => go("network", values), { extra: [["by", "Edges", by]] });
  root.append(h("h1", {}, "Network"), form);
  const data = await get("/network", { ...pick(params), by: params.by || "quad", max_edges: 150 });
  root.append(draw(data, params));
}

export function layout(nodes, edges, { width = 900, height = 600, steps = 300 } = {}) {
  // Fruchterman-Reingold with gravity, in a unit square; then fitted to the drawing box.
  const n = nodes.length;
  const index = new Map(nodes.map((node, i) => [node.id, i]));
  const pos = nodes.map((_, i) => ({ x: Math.cos((2 * Math.PI * i) / n) * 0.5, y: Math.sin((2 * Math.PI * i) / n) * 0.5, dx: 0, dy: 0 }));
  const k = Math.sqrt(1 / Math.max(n, 1));
  const links = edges.map((e) => [index.get(e.source), index.get(e.target), Math.min(3, Math.log2(1 + e.n))]);
  let temp = 0.1;
  for (let step = 0; step < steps; step++) {
    for (const p of pos) { p.dx = 0; p.dy = 0; }
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++) {
        const dx = pos[i].x - pos[j].x, dy = pos[i].y - pos[j].y;
        const d2 = Math.max(dx * dx + dy * dy, 1e-6);
        const f = (1.5 * k * k) / d2;  // repulsion ∝ 1/d along the unit vector
        pos[i].dx += dx * f; pos[i].dy += dy * f; pos[j].dx -= dx * f; pos[j].dy -= dy * f;
      }
    }
    for (const [a, b, w] of links) {
      const dx = pos[a].x - pos[b].x, dy = pos[a].y - pos[b].y;
      const f = (Math.sqrt(dx * dx + dy * dy) / k) * w;  // attraction d²/k, heavier edges pull more
      pos[a].dx -= dx * f; pos[a].dy -= dy * f; pos[b].dx += dx * f; pos[b].dy += dy * f;
    }
    for (const p of pos) {
      p.dx -= p.x * 2; p.dy -= p.y * 2;  // gravity keeps separate components near the centre
      const len = Math.sqrt(p.dx * p.dx + p.dy * p.dy) || 1;
      p.x += (p.dx / len) * Math.min(len, temp);
      p.y += (p.dy / len) * Math.min(len, temp);
    }
    temp = Math.max(0.002, temp * 0.985);
  }
  const xs = pos.map((p) => p.x), ys = pos.map((p) => p.y);
  const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  const mx = 50, my = 30;
  return pos.map((p) => ({ x: mx + ((p.x - x0) / (x1 - x0 || 1)) * (width - 2 * mx), y: my + ((p.y - y0) / (y1 - y0 || 1)) * (height - 2 * my) }));
}

const TYPE_COLORS = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf", "#393b79", "#637939", "#8c6d31", "#843c39", "#7b4173", "#3182bd"];

function color(link, by) {
  if (by === "quad") return QUAD_COLORS[link] || "#888";
  let hash = 0;
  for (const c of link) hash = (hash * 31 + c.charCodeAt(0)) >>> 0;
  return TYPE_COLORS[hash % TYPE_COLORS.length];
}

function draw(data, params) {
  if (!data.nodes.length) return h("p", { class: "muted", id: "network-empty" }, "No actor pairs match.");
  const W = 900, H = 600;
  const pos = layout(data.nodes, data.edges, { width: W, height: H });
  const index = new Map(data.nodes.map((n, i) => [n.id, i]));
  const maxN = Math.max(...data.nodes.map((n) => n.n));
  const pairs = new Map();
  const edges = data.edges.map((e) => {
    const a = pos[index.get(e.source)], b = pos[index.get(e.target)];
    const key = [e.source, e.target].join("|");
    const nth = pairs.get(key) || 0;
    pairs.set(key, nth + 1);
    // parallel edges of one pair bend by different amounts so each stays visible
    const mx = (a.x + b.x) / 2, my = (a.y + b.y) / 2;
    const nx = -(b.y - a.y), ny = b.x - a.x, len = Math.sqrt(nx * nx + ny * ny) || 1;
    const bend = 12 + nth * 14;
    const cx = mx + (nx / len) * bend, cy = my + (ny / len) * bend;
    return s("path", { d: `M${a.x},${a.y}Q${cx},${cy} ${b.x},${b.y}`, class: "edge", stroke: color(String(e.link), data.by),
      "stroke-width": 1 + 1.5 * Math.log2(1 + e.n), "marker-end": "url(#arrow)" },
      s("title", {}, `${e.source} → ${e.target}: ${e.n} × ${data.by === "quad" ? QUADS[e.link] || e.link : e.link}`));
  });
  const nodes = data.nodes.map((n, i) => s("g", { class: "node", transform: `translate(${pos[i].x},${pos[i].y})`,
    onclick: () => go("search", { actor: n.id }) },
    s("circle", { r: 5 + 12 * Math.sqrt(n.n / maxN) }),
    s("title", {}, `${n.id}: ${fmt(n.n)} events (click to search)`)));
  // labels in their own layer above every circle, with a halo, so none hides under a node
  const labels = data.nodes.map((n, i) => s("text", { class: "label", x: pos[i].x, y: pos[i].y - 8 - 12 * Math.sqrt(n.n / maxN), "text-anchor": "middle" }, n.id));
  const links = [...new Set(data.edges.map((e) => String(e.link)))].sort();
  return h("figure", { class: "chart", id: "network-chart" },
    s("svg", { viewBox: `0 0 ${W} ${H}`, width: "100%", role: "img", "aria-label": "actor network" },
      s("defs", {}, s("marker", { id: "arrow", viewBox: "0 0 10 10", refX: 10, refY: 5, markerWidth: 5, markerHeight: 5, orient: "auto-start-reverse" },
        s("path", { d: "M0,0L10,5L0,10Z", class: "arrowhead" }))),
      s("g", {}, edges), s("g", {}, nodes), s("g", { class: "labels" }, labels)),
    h("figcaption", { class: "muted" }, `${data.nodes.length} actors, ${data.edges.length} edges (by ${data.by}; width: event count). Colours: `,
      links.map((l) => h("span", { class: "key" }, s("svg", { width: 10, height: 10 }, s("rect", { width: 10, height: 10, fill: color(l, data.by) })), ` ${data.by === "quad" ? QUADS[l] || l : l} `))));
}
