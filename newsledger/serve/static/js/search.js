// Search: filters, facets (type, quad, country) and a paged results table.
import { h, clear, QUADS, actorLabel, fmt } from "./dom.js";
import { get, post } from "./api.js";
import { go } from "./main.js";
import { filterForm, pick } from "./filters.js";

const PAGE = 50;

export async function render(root, params) {
  const filters = pick(params);
  const offset = Math.max(0, parseInt(params.offset || "0", 10) || 0);
  const form = await filterForm(params, (values) => go("search", values));
  const facetBox = h("aside", { class: "facets", id: "facets" });
  const results = h("section", { class: "results", id: "results" });
  root.append(h("h1", {}, "Events"), form, h("div", { class: "split" }, facetBox, results));

  const [page, facets] = await Promise.all([
    get("/events", { ...filters, limit: PAGE, offset }),
    get("/events/facets", filters),
  ]);
  renderFacets(facetBox, facets, params);
  renderTable(results, page, params, filters);
}

function renderFacets(box, facets, params) {
  const group = (title, key, items, label) => h("div", { class: "facet", dataset: { facet: key } },
    h("h3", {}, title),
    h("ul", {}, items.map((item) => h("li", {},
      h("a", { href: "#", onclick: (e) => { e.preventDefault(); go("search", { ...params, [key]: item.key, offset: 0 }); } },
        label(item.key)),
      h("span", { class: "count" }, fmt(item.n))))));
  box.append(
    group("Type", "type", facets.type.filter((x) => x.key), (k) => k),
    group("Quad class", "quad", facets.quad.filter((x) => x.key), (k) => `${k} ${QUADS[k]}`),
    group("Country", "country", facets.country, (k) => k));
}

function renderTable(box, page, params, filters) {
  const { total, items, offset, limit } = page;
  const choice = h("select", { id: "export-format" },
    h("option", { value: "events/csv" }, "these events, CSV"),
    h("option", { value: "events/jsonl" }, "these events, JSON lines"),
    window.newsledger?.health?.consolidated ? [
      h("option", { value: "consolidated/csv" }, "consolidated events, CSV"),
      h("option", { value: "consolidated/plover" }, "consolidated events, PLOVER JSON"),
      h("option", { value: "consolidated/gdelt" }, "consolidated events, GDELT TSV")] : null,
    h("option", { value: "articles/jsonl" }, "article records, JSON lines"));
  const note = h("span", { class: "muted", id: "export-note" });
  const exportButton = h("button", { class: "secondary", id: "export", onclick: async () => {
    const [what, format] = choice.value.split("/");
    // consolidated and article exports filter by dates, country and type only
    const keep = what === "events" ? filters : Object.fromEntries(Object.entries(filters)
      .filter(([k]) => ["since", "until", "country", "type"].includes(k)));
    try {
      const made = await post("/exports", { ...keep, what, format });
      note.textContent = `${fmt(made.rows)} records${made.truncated ? " (truncated)" : ""}`;
      location.href = made.url;
    } catch (err) {
      note.textContent = String(err.message || err);
    }
  } }, "Export");
  box.append(h("div", { class: "bar" },
    h("span", { id: "total" }, `${fmt(total)} events`),
    offset > 0 ? h("a", { href: "#", id: "prev", onclick: (e) => { e.preventDefault(); go("search", { ...params, offset: Math.max(0, offset - limit) }); } }, "← previous") : null,
    offset + limit < total ? h("a", { href: "#", id: "next", onclick: (e) => { e.preventDefault(); go("search", { ...params, offset: offset + limit }); } }, "next →") : null,
    choice, exportButton, note));
  if (!items.length) {
    box.append(h("p", { class: "muted" }, "No events match."));
    return;
  }
  const rows = items.map((ev) => h("tr", { class: `quad${ev.quad}`, dataset: { event: ev.id } },
    h("td", {}, ev.date || "–"),
    h("td", {}, h("span", { class: `tag quad${ev.quad}` }, ev.type)),
    h("td", { title: ev.source?.name || "" }, actorLabel(ev.source)),
    h("td", { title: ev.target?.name || "" }, actorLabel(ev.target)),
    h("td", {}, ev.location?.name || "–"),
    h("td", { class: "evidence" },
      h("a", { href: `#/article/${encodeURIComponent(ev.article_id)}?event=${encodeURIComponent(ev.id)}`, class: "open-event" },
        ev.evidence?.text?.trim() || ev.trigger?.text || "(no evidence)")),
    h("td", { class: "muted" }, ev.article_source || "", h("br"), ev.article_published || "")));
  box.append(h("table", { class: "events", id: "events-table" },
    h("thead", {}, h("tr", {}, ["Date", "Type", "Source", "Target", "Place", "Evidence", "Report"].map((t) => h("th", {}, t)))),
    h("tbody", {}, rows)));
}
