// Upload JSONL articles (only when the server runs with --allow-ingest; needs its token).
import { h } from "./dom.js";
import { post } from "./api.js";

export async function render(root) {
  const token = h("input", { type: "password", id: "ingest-token", autocomplete: "off", placeholder: "server token" });
  const file = h("input", { type: "file", id: "ingest-file", accept: ".jsonl,.json,application/x-ndjson" });
  const out = h("pre", { id: "ingest-result", class: "result" });
  const form = h("form", { class: "filters" },
    h("label", {}, h("span", {}, "Token"), token), h("label", {}, h("span", {}, "JSONL file"), file),
    h("div", { class: "actions" }, h("button", { type: "submit" }, "Upload and ingest")));
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    if (!file.files.length) { out.textContent = "Choose a file first."; return; }
    out.textContent = "Ingesting…";
    try {
      const report = await post("/ingest", {}, { body: await file.files[0].arrayBuffer(),
        headers: { Authorization: `Bearer ${token.value}`, "Content-Type": "application/x-ndjson" } });
      out.textContent = JSON.stringify(report, null, 2);
    } catch (err) {
      out.textContent = String(err.message || err);
    }
  });
  root.append(h("h1", {}, "Upload articles"),
    h("p", { class: "muted" }, "One JSON object per line with at least text and published (see the input formats documentation)."), form, out);
}
