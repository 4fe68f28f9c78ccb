// The event filter form shared by search, timeline, network and map.
import { h } from "./dom.js";
import { get } from "./api.js";

export const FIELDS = [
  ["text", "Words", "in the evidence sentence"],
  ["actor", "Actor", "code or name, either side"],
  ["source", "Source actor", "who acts"],
  ["target", "Target actor", "acted upon"],
  ["country", "Country", "ISO3: actor or location"],
  ["place", "Place", "location code or name"],
  ["outlet", "Outlet", "news source"],
  ["since", "From", "YYYY-MM-DD"],
  ["until", "To", "YYYY-MM-DD"],
];

let typesCache = null;
async function types() {
  typesCache = typesCache || get("/types");
  return typesCache;
}

/** A filter form; onSubmit gets {name: value} for the non-empty fields. */
export async function filterForm(params, onSubmit, { extra = [] } = {}) {
  const inputs = {};
  const fields = FIELDS.map(([name, label, hint]) => {
    inputs[name] = h("input", { name, value: params[name] || "", placeholder: hint, id: `f-${name}` });
    return h("label", { for: `f-${name}` }, h("span", {}, label), inputs[name]);
  });
  const typeSelect = h("select", { name: "type", id: "f-type" },
    h("option", { value: "" }, "any type"),
    (await types()).map((t) => h("option", { value: t.type, selected: params.type === t.type }, t.type)));
  const quadSelect = h("select", { name: "quad", id: "f-quad" },
    h("option", { value: "" }, "any quad"),
    [1, 2, 3, 4].map((q) => h("option", { value: q, selected: String(params.quad) === String(q) },
      `${q} ${["", "verbal coop.", "material coop.", "verbal conflict", "material conflict"][q]}`)));
  inputs.type = typeSelect;
  inputs.quad = quadSelect;
  const health = window.newsledger?.health;
  if (health?.consolidated) {
    inputs.min_sources = h("input", { name: "min_sources", type: "number", min: 1, value: params.min_sources || "", id: "f-min_sources" });
    fields.push(h("label", { for: "f-min_sources" }, h("span", {}, "Min. outlets"), inputs.min_sources));
  }
  for (const [name, label, node] of extra) {
    inputs[name] = node;
    fields.push(h("label", {}, h("span", {}, label), node));
  }
  const form = h("form", { class: "filters", id: "filters" },
    fields,
    h("label", { for: "f-type" }, h("span", {}, "Type"), typeSelect),
    h("label", { for: "f-quad" }, h("span", {}, "Quad"), quadSelect),
    h("div", { class: "actions" },
      h("button", { type: "submit", id: "f-go" }, "Search"),
      h("button", { type: "reset", class: "secondary" }, "Clear")));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const values = {};
    for (const [name, input] of Object.entries(inputs)) if (input.value.trim()) values[name] = input.value.trim();
    onSubmit(values);
  });
  form.addEventListener("reset", () => setTimeout(() => onSubmit({}), 0));
  return form;
}

/** The event filters present in params (for API calls). */
export function pick(params) {
  const names = [...FIELDS.map((f) => f[0]), "type", "quad", "min_sources", "story", "article_id"];
  return Object.fromEntries(names.filter((n) => params[n]).map((n) => [n, params[n]]));
}
