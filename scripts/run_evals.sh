#!/usr/bin/env bash
# Run every evaluation, one at a time (the machine is shared), and write a dated summary.
#
#   scripts/run_evals.sh [OUT_DIR]        # default OUT_DIR: artifacts/evals (git-ignored)
#   ONLY="conflibert case2021" scripts/run_evals.sh   # a subset, by the names below
#
# Each evaluation's full output goes to OUT_DIR/<stamp>/<name>.log; OUT_DIR/<stamp>.md collects
# each one's closing figures (its last JSON line, or the tail of its output) with the wall time.
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
echo "summary: $SUMMARY" >&2
