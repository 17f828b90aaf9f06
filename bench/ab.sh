#!/usr/bin/env bash
# Speed and memory of the working tree against BASE_REV, side by side:
# `hisp report` and `hisp aggregate` on seeded 1M-row A-11 v1 and v2 CSV
# exports, the two builds alternated run by run (this machine is shared and
# noisy: only ratios measured together mean anything); medians of wall time
# and peak RSS, and callgrind's instruction count per row on 20,000 rows.
#
#   bench/ab.sh BASE_REV            # RUNS=5 ROWS=1000000 by default
#   RUNS=9 bench/ab.sh main
#
# Uses the base build and generator cached by bench/compare-outputs.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -ge 1 ] || { sed -n '2,12p' "$0" >&2; exit 2; }
BASE_SHA=$(git rev-parse --verify "$1^{commit}")
RUNS=${RUNS:-5}
ROWS=${ROWS:-1000000}
CACHE=bench/data/compare
BASE_BIN="$CACHE/$BASE_SHA/hisp"
SYNTH="$CACHE/$BASE_SHA/synth"
if [ ! -x "$BASE_BIN" ]; then
  echo "no base build: run bench/compare-outputs.sh $1 first" >&2
  exit 2
fi
cargo build --release --quiet --bin hisp
HEAD_BIN=target/release/hisp
DATA=bench/data/ab
mkdir -p "$DATA"
for t in v1 v2; do
  f="$DATA/$t-$ROWS.csv"
  [ -s "$f" ] || "$SYNTH" --rows "$ROWS" --template "$t" -o "$f"
done
small="$DATA/v1-20000.csv"
[ -s "$small" ] || "$SYNTH" --rows 20000 --template v1 -o "$small"
Q=(--fiscal-year 2025 --quarter 2)
TIMES="$DATA/times.tsv"
: >"$TIMES"

measure() { # measure BUILD CASE ARGS...
  local build=$1 name=$2
  shift 2
  /usr/bin/time -f "%e %M" -o "$DATA/.time" "$@" >/dev/null 2>"$DATA/.err" || {
    echo "FAILED: $build $name" >&2
    cat "$DATA/.err" >&2
    exit 1
  }
  printf '%s\t%s\t%s\n' "$build" "$name" "$(tail -1 "$DATA/.time" | tr ' ' '\t')" >>"$TIMES"
}

for run in $(seq "$RUNS"); do
  echo "== run $run of $RUNS" >&2
  for t in v1 v2; do
    f="$DATA/$t-$ROWS.csv"
    for build in base head; do
      bin=$BASE_BIN
      [ "$build" = head ] && bin=$HEAD_BIN
      measure "$build" "report $t" "$bin" report -q "${Q[@]}" "$f" -o "$DATA/out-$build.xlsx"
      measure "$build" "aggregate $t" "$bin" aggregate -q --format json "${Q[@]}" "$f"
    done
  done
done

python3 - "$TIMES" "$ROWS" <<'EOF'
import sys, statistics, collections
rows = collections.defaultdict(list)
for line in open(sys.argv[1]):
    build, name, wall, rss = line.rstrip("\n").split("\t")
    rows[(build, name)].append((float(wall), int(rss)))
print(f"{int(sys.argv[2]):,} rows, medians of {len(next(iter(rows.values())))} alternated runs")
print(f"{'case':<14} {'base s':>8} {'head s':>8} {'head/base':>10} {'base MB':>8} {'head MB':>8}")
for name in sorted({n for _, n in rows}):
    b, h = rows[("base", name)], rows[("head", name)]
    bw, hw = statistics.median(w for w, _ in b), statistics.median(w for w, _ in h)
    bm, hm = statistics.median(m for _, m in b) / 1024, statistics.median(m for _, m in h) / 1024
    print(f"{name:<14} {bw:>8.2f} {hw:>8.2f} {hw / bw:>10.3f} {bm:>8.0f} {hm:>8.0f}")
EOF

if command -v valgrind >/dev/null; then
  for build in base head; do
    bin=$BASE_BIN
    [ "$build" = head ] && bin=$HEAD_BIN
    valgrind --tool=callgrind --callgrind-out-file="$DATA/callgrind-$build.out" \
      "$bin" report -q "${Q[@]}" "$small" -o "$DATA/out-cg.xlsx" 2>"$DATA/.cg" >/dev/null
    ir=$(grep -o 'Collected : [0-9]*' "$DATA/.cg" | grep -o '[0-9]*')
    echo "callgrind $build: report on 20,000 rows: $ir instructions ($((ir / 20000)) per row)"
  done
fi
