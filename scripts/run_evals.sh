#!/usr/bin/env bash
# Run every evaluation, one at a time (the machine is shared), and write a dated summary.
#
#   scripts/run_evals.sh [OUT_DIR]        # default OUT_DIR: artifacts/evals (git-ignored)
#   ONLY="conflibert case2021" scripts/run_evals.sh   # a subset, by the names below
#
# Each evaluation's full output goes to OUT_DIR/<stamp>/<name>.log; OUT_DIR/<stamp>.md collects
# each one's closing figures (its JSON lines, or the tail of its output) with the wall time, then
# the results table of docs/evaluation.md built from those logs.
# The data sets are read from ../shared; a missing one is reported and the run goes on.
set -u
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
OUT=${1:-artifacts/evals}
STAMP=$(date -u +%Y-%m-%dT%H%MZ)
LOGS="$OUT/$STAMP"
SUMMARY="$OUT/$STAMP.md"
mkdir -p "$LOGS"

EVALS=(
  "gold_dev|.venv/bin/newsledger eval ../shared/gold/dev.jsonl"
  "gold_seed|.venv/bin/newsledger eval ../shared/gold/seed.jsonl"
  "gold_dev_reference|.venv/bin/newsledger extract ../shared/gold/dev.jsonl > $LOGS/dev.pred.jsonl && python3 ../shared/eval/score.py ../shared/gold/dev.jsonl $LOGS/dev.pred.jsonl"
  "plover|$PY scripts/eval_plover.py --split both"
  "plover_all|$PY scripts/eval_plover.py --split all"
  "conflibert|$PY scripts/eval_conflibert.py"
  "case2021|$PY scripts/eval_case2021.py"
  "wikievents|$PY scripts/eval_wikievents.py"
  "tempeval|$PY scripts/eval_tempeval.py"
  "polnear|$PY scripts/eval_polnear.py"
  "models|$PY scripts/compare_models.py"
)

{
  echo "# newsledger evaluation run $STAMP"
  echo
  echo "commit $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- newsledger || echo ' + uncommitted changes in newsledger/')"
  echo
} > "$SUMMARY"

for entry in "${EVALS[@]}"; do
  name=${entry%%|*}
  cmd=${entry#*|}
  if [[ -n "${ONLY:-}" && " $ONLY " != *" $name "* ]]; then
    continue
  fi
  echo "== $name: $cmd" >&2
  started=$(date +%s)
  bash -c "$cmd" > "$LOGS/$name.log" 2>&1
  rc=$?
  seconds=$(( $(date +%s) - started ))
  {
    echo "## $name (exit $rc, ${seconds} s)"
    echo
    echo '```'
    echo "$cmd"
    # the closing figures: JSON lines if the script prints them, else the last lines
    if grep -q '^{.*}$' "$LOGS/$name.log"; then
      grep '^{.*}$' "$LOGS/$name.log"
    else
      tail -n 11 "$LOGS/$name.log"
    fi
    echo '```'
    echo
  } >> "$SUMMARY"
done
{
  echo "## Results table (as in docs/evaluation.md)"
  echo
  "$PY" - "$LOGS" <<'PYTHON'
# The results table of docs/evaluation.md, from the logs of this run (rows whose log is missing
# or unreadable are left out).
import json, re, sys
from pathlib import Path

logs = Path(sys.argv[1])


def text(name):
    return (logs / f"{name}.log").read_text(encoding="utf-8")


def jsons(name):
    return [json.loads(line) for line in text(name).splitlines()
            if line.startswith("{") and line.endswith("}")]


def pretty(name):  # newsledger eval prints its summary as indented JSON at the end
    t = text(name)
    return json.loads(t[t.rindex("\n{\n") + 1:])


def f(x):
    return "-" if x is None else f"{x:.3f}"


def some(d, keys):
    return " / ".join(f(d.get(k)) for k in keys)


def tempeval(label):
    m = re.search(re.escape(label) + r".*?F1 ([\d.]+)", text("tempeval"))
    return m.group(1)


SCORER = ("event_f1", "event_date_acc", "quote_f1", "speaker_acc", "date_f1")
PLOVER = ("type_accuracy", "placed_type_accuracy", "macro_f1", "source_accuracy",
          "target_accuracy")
QUOTES = ("precision", "recall", "f1", "source_acc")
rows = {
    "gold_seed": lambda: [("Gold seed (1 article)", "event F1 / event-date acc / quote F1 / "
                           "speaker acc / date F1", some(pretty("gold_seed"), SCORER),
                           "target: every event, ≤ 1 spurious; date F1 1.0")],
    "gold_dev": lambda: [
        ("Gold dev (40 articles)", "event P / R / F1",
         some(pretty("gold_dev"), ("event_p", "event_r", "event_f1")), "target: F1 ≥ 0.75"),
        ("", "event-date accuracy", f(pretty("gold_dev")["event_date_acc"]), "target: ≥ 0.85"),
        ("", "quote F1 / speaker accuracy", some(pretty("gold_dev"), ("quote_f1", "speaker_acc")),
         ""),
        ("", "date F1", f(pretty("gold_dev")["date_f1"]), "target: ≥ 0.85")],
    "gold_dev_reference": lambda: [
        ("", "the same with ../shared/eval/score.py: event F1 / event-date acc / date F1",
         some(jsons("gold_dev_reference")[-1], ("event_f1", "event_date_acc", "date_f1")), "")],
    "plover": lambda: [
        (f"PLOVER gold, {r['split']} part ({r['sentences']})",
         "type acc / placed type acc / macro-F1 / source acc / target acc", some(r, PLOVER),
         "target: type ≥ 0.75, source ≥ 0.85" if r["split"] == "test" else "")
        for r in jsons("plover")],
    "plover_all": lambda: [(f"PLOVER gold, all ({jsons('plover_all')[-1]['sentences']})",
                            "type acc / placed type acc / macro-F1 / source acc / target acc",
                            some(jsons("plover_all")[-1], PLOVER), "no published figure")],
    "conflibert": lambda: [
        (f"ConfliBERT CAMEO test ({jsons('conflibert')[-1]['n']})",
         "accuracy / macro-F1 (cameo rule)", some(jsons("conflibert")[-1], ("accuracy", "macro_f1")),
         "ConfliBERT: not stated in the data set's docs"),
        ("", "accuracy / macro-F1 (quad rule)",
         some(jsons("conflibert")[-1]["quad_rule"], ("accuracy", "macro_f1")), "")],
    "case2021": lambda: [
        (f"CASE 2021 task 2 test ({jsons('case2021')[-1]['n']} mapped)",
         "accuracy / macro-F1, 25 seen subtypes", some(jsons("case2021")[-1], ("accuracy", "macro_f1")),
         "shared task: 25-way, not comparable"),
        ("", f"with the unseen types ({jsons('case2021')[-1]['with_unseen']['n']})",
         some(jsons("case2021")[-1]["with_unseen"], ("accuracy", "macro_f1")), "")],
    "wikievents": lambda: [
        (f"WikiEvents test (20 docs, {jsons('wikievents')[-1]['trigger']['gold']} mapped triggers)",
         "trigger P / R / F1", some(jsons("wikievents")[-1]["trigger"], ("p", "r", "f1")),
         "none comparable (KAIROS task)"),
        ("", "sentence-level P / R / F1", some(jsons("wikievents")[-1]["sentence"], ("p", "r", "f1")),
         "")],
    "tempeval": lambda: [
        ("TempEval-3 platinum, DATE", "value F1 (strict)", tempeval("value (strict)"),
         "HeidelTime ≈ 0.78, SUTime ≈ 0.67 (all types)"),
        ("", "extent F1 / in-scope value F1",
         f"{tempeval('extent (overlap)')} / {tempeval('value, in-scope gold')}", "")],
    "polnear": lambda: [
        ("PolNeAR test (84), direct quotes", "P / R / F1 / source acc",
         some(jsons("polnear")[-1]["newsledger"], QUOTES),
         "textacy " + some(jsons("polnear")[-1]["textacy"], QUOTES)
         if jsons("polnear")[-1].get("textacy") else "textacy not installed")],
}
print("| set | figure | newsledger | anchor / target |\n|---|---|---|---|")
for name, make in rows.items():
    try:
        for row in make():
            print("| " + " | ".join(row) + " |")
    except (OSError, ValueError, KeyError, IndexError, AttributeError):
        continue
try:
    results = jsons("models")[-1]["results"]
except (OSError, IndexError, KeyError):
    sys.exit(0)
sm, md = list(results)[:2]
print(f"\n| model comparison (dev + seed) | {sm} | {md} | md − sm |\n|---|---|---|---|")
for key in ("event_f1", "event_date_acc", "quote_f1", "speaker_acc", "date_f1", "speakers_found",
            "speaker_actors_found", "countries_found", "articles_per_s", "load_s"):
    a, b = results[sm][key], results[md][key]
    print(f"| {key} | {a} | {b} | {round(b - a, 3):+} |")
PYTHON
} >> "$SUMMARY"
echo "summary: $SUMMARY" >&2
