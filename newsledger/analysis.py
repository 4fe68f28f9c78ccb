"""Views over consolidated events: dyad time series, story timelines, actor profiles.

Every function takes a :class:`newsledger.store.Ledger` and returns DuckDB relations (lazy;
call ``.arrow()`` / ``.to_arrow_table()`` for Arrow, ``.df()`` for pandas), computed from the
``clusters`` table that :func:`newsledger.consolidate.consolidate` maintains, so each real event
counts once however many articles reported it. On a writable ledger, reports not yet
consolidated are placed first.

>>> with Ledger("news.duckdb") as ledger:                                  # doctest: +SKIP
...     dyad(ledger, "IND", "PAK", by="week").df()
...     timeline(ledger, "Poonch").df()[["date", "type", "best_evidence"]]
...     actor_profile(ledger, "IND")["partners"].df()

Charts (:func:`dyad_chart`, :func:`timeline_chart`, :func:`actor_chart`) are drawn with
matplotlib's Agg backend into PNG, SVG or PDF files (by the file suffix).
"""
from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path
from typing import Any

from newsledger.consolidate import consolidate, has_tables, needs_update

# "BISHKEK, Sep 16 - " / "BATKEN, Kyrgyzstan, Sep 21 - ": where and when the reporter filed
DATELINE = r"^[A-Z][A-Z .'-]+,[^\n]{0,40}? [-–—] "
PERIODS = ("day", "week", "month", "quarter", "year")
QUADS = {1: "verbal cooperation", 2: "material cooperation", 3: "verbal conflict",
         4: "material conflict"}
QUAD_COLOURS = {1: "#8fd18f", 2: "#1b8a3a", 3: "#f4a259", 4: "#c0392b"}

__all__ = ["prepare", "dyad", "timeline", "actor_profile", "dyad_chart", "timeline_chart",
           "actor_chart", "PERIODS"]


class AnalysisError(ValueError):
    """A request the views cannot answer (unknown period, no consolidated events ...)."""


def prepare(ledger: Any) -> None:
    """Consolidate pending reports and drop deleted ones (writable ledgers); on a read-only
    ledger use the clusters as they are, and fail clearly if there are none."""
    if not getattr(ledger, "read_only", False):
        if needs_update(ledger):
            consolidate(ledger)
    elif not has_tables(ledger):
        raise AnalysisError(f"{ledger.path} has no consolidated events yet: open it writable "
                            "or run `newsledger consolidate` first")


def _code(value: str) -> str:
    return value.strip().upper()


# ------------------------------------------------------------------------------------ dyad

def dyad(ledger: Any, a: str, b: str, *, by: str = "week") -> Any:
    """Consolidated events between ``a`` and ``b`` (both directions) per period, type, quad.

    Columns: ``period`` (first day), ``direction`` (``"IND→PAK"`` or ``"PAK→IND"``),
    ``type``, ``quad``, ``quad_name``, ``events``, ``reports`` (articles reporting them),
    ``goldstein_sum``, ``goldstein_mean``. Undated events are left out.
    """
    if by not in PERIODS:
        raise AnalysisError(f"--by must be one of {', '.join(PERIODS)} (got {by!r})")
    prepare(ledger)
    a, b = _code(a), _code(b)
    return ledger.con.sql(f"""
        SELECT CAST(date_trunc('{by}', date_start) AS DATE) AS period,
               source_country || '→' || target_country AS direction,
               type, quad, {_quad_name('quad')} AS quad_name,
               count(*) AS events, sum(num_articles) AS reports,
               round(sum(goldstein), 2) AS goldstein_sum, round(avg(goldstein), 2) AS goldstein_mean
        FROM clusters
        WHERE date_start IS NOT NULL
          AND ((source_country = $a AND target_country = $b)
            OR (source_country = $b AND target_country = $a))
        GROUP BY ALL ORDER BY period, direction, quad, type""", params={"a": a, "b": b})


def _quad_name(column: str) -> str:
    cases = " ".join(f"WHEN {k} THEN '{v}'" for k, v in QUADS.items())
    return f"CASE {column} {cases} END"


# -------------------------------------------------------------------------------- timeline

def timeline(ledger: Any, query: str, *, limit: int | None = None) -> Any:
    """Consolidated events matching ``query``, in event-date order, with their best sentence.

    A cluster matches when any of its reports has the words in its trigger or evidence
    sentence, in an actor's name or mention text, or in its place; or when ``query`` is the
    actor code of either side. Columns: ``id``, ``date``, ``date_start``, ``type``, ``quad``,
    ``source``, ``target``, ``place``, ``num_articles``, ``num_sources``, ``first_report``,
    ``best_evidence``.
    """
    prepare(ledger)
    pattern = "%" + query.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    text_columns = ("evidence_text", "trigger_text", "source_name", "source_text", "target_name",
                    "target_text", "location_name", "location_text")
    matches = " OR ".join(f"e.{c} ILIKE $p ESCAPE '\\'" for c in text_columns)
    sql = f"""
        SELECT c.id, c."date", c.date_start, c.type, c.quad,
               coalesce(c.source_country, c.source_name) AS source,
               coalesce(c.target_country, c.target_name) AS target,
               c.location_name AS place, c.num_articles, c.num_sources, c.first_report,
               trim(regexp_replace(regexp_replace(c.best_evidence, $dateline, ''), '\\s+', ' ', 'g'))
                 AS best_evidence
        FROM clusters c
        WHERE c.id IN (SELECT m.cluster_id FROM cluster_members m JOIN events e ON e.id = m.event_id
                       WHERE {matches})
           OR upper(c.source_country) = upper($q) OR upper(c.target_country) = upper($q)
        ORDER BY c.date_start NULLS LAST, c.first_report, c.id"""
    if limit is not None:
        sql += f" LIMIT {int(limit)}"
    return ledger.con.sql(sql, params={"p": pattern, "q": query.strip(), "dateline": DATELINE})


# ----------------------------------------------------------------------------------- actor

def actor_profile(ledger: Any, code: str) -> dict[str, Any]:
    """Who an actor interacts with, how, and how that changed.

    Returns relations: ``partners`` (per partner and role: events, per quad class, Goldstein
    mean), ``types`` (per role and type), ``halves`` (per partner: events and Goldstein mean in
    the first and second half of the actor's dated period, and the change) and ``monthly``
    (per month and quad class). ``role`` is ``source`` when the actor acted, ``target`` when it
    was acted on.
    """
    prepare(ledger)
    code = _code(code)
    base = f"""
        WITH ev AS (
          SELECT *, 'source' AS role, coalesce(target_country, target_name, '?') AS partner
          FROM clusters WHERE upper(source_country) = $c
          UNION ALL
          SELECT *, 'target' AS role, coalesce(source_country, source_name, '?') AS partner
          FROM clusters WHERE upper(target_country) = $c AND upper(source_country) IS DISTINCT FROM $c
        ),
        span AS (SELECT min(date_start) AS lo, max(date_start) AS hi FROM ev),
        halves AS (
          SELECT ev.*, CASE WHEN date_start IS NULL THEN NULL
                            WHEN date_start <= lo + CAST((hi - lo) // 2 AS INTEGER) THEN 'first'
                            ELSE 'second' END AS half
          FROM ev, span
        )"""
    params = {"c": code}
    quads = ", ".join(f"count(*) FILTER (WHERE quad = {k}) AS q{k}" for k in QUADS)
    partners = ledger.con.sql(base + f"""
        SELECT partner, role, count(*) AS events, {quads},
               round(avg(goldstein), 2) AS goldstein_mean, sum(num_articles) AS reports
        FROM halves GROUP BY ALL ORDER BY events DESC, partner, role""", params=params)
    types = ledger.con.sql(base + """
        SELECT role, type, quad, count(*) AS events FROM halves GROUP BY ALL
        ORDER BY role, events DESC, type""", params=params)
    halves = ledger.con.sql(base + """
        SELECT partner,
               count(*) FILTER (WHERE half = 'first') AS events_first,
               count(*) FILTER (WHERE half = 'second') AS events_second,
               round(avg(goldstein) FILTER (WHERE half = 'first'), 2) AS goldstein_first,
               round(avg(goldstein) FILTER (WHERE half = 'second'), 2) AS goldstein_second,
               round(avg(goldstein) FILTER (WHERE half = 'second')
                     - avg(goldstein) FILTER (WHERE half = 'first'), 2) AS goldstein_change,
               min(lo) AS period_start, max(hi) AS period_end
        FROM halves, span GROUP BY partner ORDER BY count(*) DESC, partner""", params=params)
    monthly = ledger.con.sql(base + f"""
        SELECT CAST(date_trunc('month', date_start) AS DATE) AS month, quad,
               {_quad_name('quad')} AS quad_name, count(*) AS events,
               round(avg(goldstein), 2) AS goldstein_mean
        FROM halves WHERE date_start IS NOT NULL GROUP BY ALL ORDER BY month, quad""",
                                 params=params)
    return {"partners": partners, "types": types, "halves": halves, "monthly": monthly}


# ---------------------------------------------------------------------------------- charts

def _pyplot():
    import matplotlib
    matplotlib.use("Agg")  # files only, no display needed
    import matplotlib.pyplot as plt
    return plt


def _save(fig: Any, out: str | Path) -> Path:
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out, dpi=130, bbox_inches="tight")
    _pyplot().close(fig)
    return out


_WIDTHS = {"day": 0.8, "week": 5.5, "month": 24, "quarter": 70, "year": 300}


def _quad_handles(plt: Any, marker: str) -> list[Any]:
    return [plt.Line2D([], [], marker=marker, linestyle="", markersize=8, color=c, label=QUADS[q])
            for q, c in QUAD_COLOURS.items()]


def dyad_chart(frame: Any, out: str | Path, *, a: str, b: str, by: str = "week") -> Path:
    """Mirrored bars: events ``a→b`` above the axis, ``b→a`` below, stacked by quad class,
    each bar spanning its period; below them the Goldstein sum per period and direction."""
    plt = _pyplot()
    a, b = _code(a), _code(b)
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(10, 7), sharex=True,
                                      gridspec_kw={"height_ratios": [3, 2]})
    if frame.empty:
        top.text(0.5, 0.5, f"no consolidated events between {a} and {b}", ha="center",
                 va="center", transform=top.transAxes)
    width = _WIDTHS[by]
    periods = sorted(frame["period"].unique()) if not frame.empty else []
    for sign, direction in ((1, f"{a}→{b}"), (-1, f"{b}→{a}")):
        part = frame[frame["direction"] == direction]
        base = {p: 0 for p in periods}
        for quad in QUADS:
            counts = part[part["quad"] == quad].groupby("period")["events"].sum()
            if counts.empty:
                continue
            xs = list(counts.index)
            heights = [sign * int(counts[p]) for p in xs]
            top.bar(xs, heights, width=width, bottom=[base[p] for p in xs], align="edge",
                    color=QUAD_COLOURS[quad], edgecolor="white", linewidth=0.5)
            for p, h in zip(xs, heights):
                base[p] += h
        sums = part.groupby("period")["goldstein_sum"].sum()
        if not sums.empty:
            middle = [p + dt.timedelta(days=width / 2) for p in sums.index]  # under the bars
            bottom.plot(middle, list(sums.values), marker="o",
                        linestyle="-" if sign == 1 else "--", label=direction)
    top.axhline(0, color="black", linewidth=0.8)
    top.text(0.01, 0.97, f"▲ {a} → {b}", transform=top.transAxes, va="top", fontweight="bold")
    top.text(0.01, 0.03, f"▼ {b} → {a}", transform=top.transAxes, va="bottom", fontweight="bold")
    top.set_ylabel(f"events per {by}")
    lim = max([abs(v) for v in top.get_ylim()] + [1])
    top.set_ylim(-lim * 1.15, lim * 1.15)
    top.yaxis.set_major_locator(plt.MaxNLocator(integer=True))
    top.yaxis.set_major_formatter(plt.FuncFormatter(lambda v, _: f"{abs(int(v))}"))
    top.set_title(f"{a} and {b}: consolidated events per {by} by quad class")
    top.legend(handles=_quad_handles(plt, "s"), loc="upper left", bbox_to_anchor=(1.01, 1),
               fontsize=8, frameon=False, title="quad class", title_fontsize=8)
    if not frame.empty:
        bottom.legend(loc="upper left", bbox_to_anchor=(1.01, 1), fontsize=8, frameon=False,
                      title="direction", title_fontsize=8)
    bottom.axhline(0, color="grey", linewidth=0.6)
    bottom.set_ylabel("Goldstein sum\n(+ cooperation, − conflict)")
    bottom.set_xlabel(f"{by} (event date)")
    fig.autofmt_xdate()
    return _save(fig, out)


def timeline_chart(frame: Any, out: str | Path, *, title: str) -> Path:
    """One row per consolidated event: a dot on its date sized by the number of articles,
    coloured by quad class, labelled with type, actors and the start of its best sentence."""
    plt = _pyplot()
    dated = frame[frame["date_start"].notna()].reset_index(drop=True)
    rows = max(len(dated), 1)
    fig, ax = plt.subplots(figsize=(12, 1.6 + 0.42 * rows))
    if dated.empty:
        ax.text(0.5, 0.5, "no dated events match", ha="center", va="center",
                transform=ax.transAxes)
    ys = list(range(len(dated)))[::-1]
    for y, row in zip(ys, dated.itertuples()):
        quad = int(row.quad) if row.quad == row.quad and row.quad is not None else 3
        ax.scatter([row.date_start], [y], s=40 + 40 * int(row.num_articles),
                   color=QUAD_COLOURS.get(quad, "grey"), zorder=3, edgecolor="black",
                   linewidth=0.4)
        sentence = textwrap.shorten(row.best_evidence or "", 70, placeholder=" …")
        label = f"  {row.type} {row.source or '?'}→{row.target or '?'} " \
                f"({int(row.num_articles)} art.): {sentence}"
        ax.annotate(label, (row.date_start, y), xytext=(8, 0), textcoords="offset points",
                    va="center", fontsize=7.5)
    if not dated.empty:
        lo, hi = dated["date_start"].min(), dated["date_start"].max()
        span = max((hi - lo).days, 1)
        ax.set_xlim(lo - dt.timedelta(days=max(1, span * 0.05)),
                    hi + dt.timedelta(days=span * 1.6 + 2))  # room for the labels
    ax.set_yticks([])
    ax.set_ylim(-1, rows)
    ax.set_xlabel("event date")
    ax.legend(handles=_quad_handles(plt, "o"), loc="lower center", bbox_to_anchor=(0.5, 1.0),
              ncol=4, fontsize=8, frameon=False,
              title="dot size: number of articles reporting the event", title_fontsize=8)
    ax.set_title(title, pad=42)
    ax.grid(axis="x", alpha=0.3)
    import matplotlib.dates as mdates
    locator = mdates.AutoDateLocator()
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%d %b\n%Y"))
    return _save(fig, out)


def actor_chart(monthly: Any, partners: Any, out: str | Path, *, code: str) -> Path:
    """Left: the actor's events per month by quad class; right: its main partners."""
    plt = _pyplot()
    code = _code(code)
    fig, (left, right) = plt.subplots(1, 2, figsize=(12, 4.5), gridspec_kw={"width_ratios": [3, 2]})
    labels = sorted({m.strftime("%Y-%m") for m in monthly["month"]}) if not monthly.empty else []
    base = {m: 0 for m in labels}
    for quad, name in QUADS.items():
        part = monthly[monthly["quad"] == quad]
        if part.empty:
            continue
        xs = [m.strftime("%Y-%m") for m in part["month"]]
        left.bar(xs, list(part["events"]), width=0.6, bottom=[base[m] for m in xs],
                 color=QUAD_COLOURS[quad], label=name)
        for m, n in zip(xs, part["events"]):
            base[m] += int(n)
    left.yaxis.set_major_locator(plt.MaxNLocator(integer=True))
    left.set_title(f"{code}: consolidated events per month")
    left.set_ylabel("events")
    left.set_xlabel("month (event date)")
    if labels:
        left.legend(fontsize=8, frameon=False, loc="upper left")
    top = partners.groupby("partner")[["q1", "q2", "q3", "q4"]].sum()
    top = top.assign(total=top.sum(axis=1)).sort_values("total").tail(10)
    lefts = [0] * len(top)
    for quad in QUADS:
        values = list(top[f"q{quad}"])
        right.barh(list(top.index), values, left=lefts, color=QUAD_COLOURS[quad])
        lefts = [x + v for x, v in zip(lefts, values)]
    right.set_title(f"{code}: main partners (both directions)")
    right.set_xlabel("events")
    right.xaxis.set_major_locator(plt.MaxNLocator(integer=True))
    if len(labels) > 6:
        left.tick_params(axis="x", labelrotation=45)
    fig.tight_layout()
    return _save(fig, out)
