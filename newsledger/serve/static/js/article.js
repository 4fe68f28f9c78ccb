// Article view: the text with every event trigger, quote, date and place marked at its
// offsets; selecting a record (in the list or in the text) highlights its evidence.
import { h, QUADS, actorLabel } from "./dom.js";
import { get } from "./api.js";

const KINDS = { event: "m-event", quote: "m-quote", attribution: "m-attr", date: "m-date", place: "m-place" };

/** Records of the article as {key, kind, start, end, focus: [start, end], label}.
 * Offsets count code points (Python string indices), so `chars` is the text as an array of
 * code points, not UTF-16 units: an emoji before a mark must not shift it. */
function records(art, chars) {
  const out = [];
  art.events.forEach((ev, i) => {
    const mark = ev.trigger || ev.evidence;
    const focus = ev.evidence || ev.trigger;
    out.push({ key: `event-${i}`, id: ev.id, kind: "event", start: mark?.start, end: mark?.end,
      focus: focus ? [focus.start, focus.end] : null, item: ev,
      label: [h("span", { class: `tag quad${ev.quad}` }, ev.type), " ",
        `${actorLabel(ev.source)} → ${actorLabel(ev.target)}`, ev.date ? ` · ${ev.date}` : "",
        ev.location?.name ? ` · ${ev.location.name}` : ""] });
  });
  art.quotes.forEach((q, i) => out.push({ key: `quote-${i}`, id: q.id, kind: "quote", start: q.start, end: q.end,
    focus: [q.start, q.end], item: q,
    label: [h("b", {}, q.speaker?.name || q.speaker?.text || "unknown speaker"), `: “${clip(q.text, 90)}”`] }));
  (art.attributions || []).forEach((q, i) => out.push({ key: `attribution-${i}`, id: q.id, kind: "attribution",
    start: q.start, end: q.end, focus: [q.start, q.end], item: q,
    label: [h("b", {}, q.speaker?.name || q.speaker?.text || "unknown speaker"), `, ${q.cue || "said"}: ${clip(q.text, 90)}`] }));
  art.dates.forEach((d, i) => out.push({ key: `date-${i}`, kind: "date", start: d.start, end: d.end,
    focus: [d.start, d.end], item: d, label: [`${d.text} → `, h("b", {}, d.value)] }));
  art.places.forEach((p, i) => out.push({ key: `place-${i}`, kind: "place", start: p.start, end: p.end,
    focus: [p.start, p.end], item: p, label: [`${p.text} → `, h("b", {}, [p.name, p.country].filter(Boolean).join(", "))] }));
  for (const r of out) {  // evidence spans may end in blank lines: highlight the words only
    if (r.focus) while (r.focus[1] > r.focus[0] && /\s/.test(chars[r.focus[1] - 1])) r.focus[1]--;
  }
  return out.filter((r) => Number.isInteger(r.start) && Number.isInteger(r.end) && r.end > r.start);
}

function clip(text, n) {
  return text.length > n ? text.slice(0, n - 1) + "…" : text;
}

/** Split the text at every mark and evidence boundary; each piece knows what covers it. */
function segments(chars, recs) {
  const cuts = new Set([0, chars.length]);
  for (const r of recs) {
    for (const x of [r.start, r.end, ...(r.focus || [])]) if (x >= 0 && x <= chars.length) cuts.add(x);
  }
  const points = [...cuts].sort((a, b) => a - b);
  const segs = [];
  for (let i = 0; i + 1 < points.length; i++) {
    const [start, end] = [points[i], points[i + 1]];
    const covering = recs.filter((r) => r.start <= start && r.end >= end);
    const classes = ["seg", ...new Set(covering.map((r) => KINDS[r.kind]))];
    const el = h("span", { class: classes, dataset: covering.length ? { keys: covering.map((r) => r.key).join(" ") } : {} },
      chars.slice(start, end).join(""));
    segs.push({ start, end, el });
  }
  return segs;
}

export async function render(root, params, articleId) {
  const id = articleId || params.id;
  const art = await get(`/articles/${encodeURIComponent(id)}`);
  const chars = Array.from(art.text);
  const recs = records(art, chars);
  const segs = segments(chars, recs);
  const byKey = new Map(recs.map((r) => [r.key, r]));
  const items = new Map();

  const select = (key, scroll = true) => {
    const rec = byKey.get(key);
    if (!rec) return;
    for (const s of segs) s.el.classList.remove("focus");
    for (const li of items.values()) li.classList.remove("selected");
    items.get(key)?.classList.add("selected");
    const [a, b] = rec.focus || [rec.start, rec.end];
    const hit = segs.filter((s) => s.start >= a && s.end <= b);
    for (const s of hit) s.el.classList.add("focus");
    if (scroll && hit.length) hit[0].el.scrollIntoView({ block: "center" });
    document.getElementById("selection").replaceChildren(detail(rec));
  };

  const textBox = h("div", { class: "article-text", id: "article-text" }, segs.map((s) => s.el));
  textBox.addEventListener("click", (event) => {
    const keys = event.target.dataset?.keys;
    if (keys) select(keys.split(" ")[0], false);
  });

  const list = (title, kind) => {
    const mine = recs.filter((r) => r.kind === kind);
    return h("section", { class: `records records-${kind}` }, h("h3", {}, `${title} (${mine.length})`),
      h("ol", {}, mine.map((r) => {
        const li = h("li", { class: KINDS[r.kind], dataset: { key: r.key, id: r.id || "" }, tabindex: 0,
          onclick: () => select(r.key), onkeydown: (e) => { if (e.key === "Enter") select(r.key); } }, r.label);
        items.set(r.key, li);
        return li;
      })));
  };

  root.append(
    h("p", {}, h("a", { href: "#/search", class: "back", onclick: (e) => { if (history.length > 1) { e.preventDefault(); history.back(); } } }, "← back")),
    h("h1", { id: "article-title" }, art.title || art.id),
    h("p", { class: "muted" }, [art.source, art.published, art.url ? h("a", { href: art.url, rel: "noopener noreferrer", target: "_blank" }, "original") : null]
      .filter(Boolean).flatMap((x, i) => (i ? [" · ", x] : [x]))),
    h("p", { class: "legend" }, "Marked: ", h("span", { class: "seg m-event" }, "event trigger"), " ",
      h("span", { class: "seg m-quote" }, "quotation"), " ", h("span", { class: "seg m-attr" }, "reported speech"), " ",
      h("span", { class: "seg m-date" }, "date"), " ",
      h("span", { class: "seg m-place" }, "place"), " ", h("span", { class: "seg focus" }, "selected evidence")),
    h("div", { class: "article" }, textBox,
      h("aside", { class: "side" }, h("div", { id: "selection", class: "selection muted" }, "Select a record to see its evidence."),
        list("Events", "event"), list("Quotes", "quote"), list("Reported speech", "attribution"),
        list("Dates", "date"), list("Places", "place"))));

  const wanted = params.event ? recs.find((r) => r.id === params.event) : params.quote ? recs.find((r) => r.id === params.quote) : null;
  if (wanted) select(wanted.key);
}

function detail(rec) {
  const it = rec.item;
  if (rec.kind === "event") {
    return h("dl", { class: "detail" },
      row("Type", `${it.type} (CAMEO ${it.cameo || "–"}, ${QUADS[it.quad] || "–"})`),
      row("Source", it.source ? `${it.source.name || it.source.text} [${it.source.country || "?"}${it.source.sector ? " " + it.source.sector : ""}]` : "–"),
      row("Target", it.target ? `${it.target.name || it.target.text} [${it.target.country || "?"}${it.target.sector ? " " + it.target.sector : ""}]` : "–"),
      row("Date", `${it.date || "–"} (${it.date_basis})`),
      row("Place", it.location ? `${it.location.name || it.location.text} ${it.location.country || ""}` : "–"),
      row("Trigger", it.trigger?.text || "–"),
      row("Counts", [it.dead != null ? `${it.dead} dead` : "", it.injured != null ? `${it.injured} injured` : "", it.size != null ? `size ${it.size}` : ""].filter(Boolean).join(", ") || "–"),
      row("Modality", `${it.modality}, confidence ${it.confidence}`),
      row("Evidence", it.evidence ? `characters ${it.evidence.start}–${it.evidence.end}` : "–"));
  }
  if (rec.kind === "quote" || rec.kind === "attribution") {
    return h("dl", { class: "detail" }, row("Speaker", it.speaker ? `${it.speaker.name || it.speaker.text} [${it.speaker.country || "?"}]` : "–"),
      row("Cue", it.cue || "–"), row("Offsets", `${it.start}–${it.end}`));
  }
  return h("dl", { class: "detail" }, Object.entries(it).filter(([, v]) => v !== null && v !== "").map(([k, v]) => row(k, String(v))));
}

function row(term, value) {
  return [h("dt", {}, term), h("dd", {}, value)];
}
