#!/usr/bin/env bash
# Benchmark hisp side by side with the floor (a bare csv-crate or calamine
# read), a pandas script, DuckDB (SQL over the CSV, all cores), polars' lazy
# streaming engine and `frictionless validate`, on the same seeded
# synthetic exports, alternating the commands; print medians and ratios, and
# fail if pandas and hisp count differently. See README "Performance".
#
#   bench/run.sh                                # everything (about half an hour)
#   SIZES="100000" XLSX_SIZES="" RUNS=1 bench/run.sh   # a quick look
#
# Settings (environment):
#   SIZES                  CSV row counts            (100000 1000000 10000000)
#   XLSX_SIZES             .xlsx row counts          (100000 1000000)
#   RUNS                   runs of each command      (3; medians are reported)
#   FRICTIONLESS_MAX_ROWS  largest file frictionless validates (1000000: at
#                          about 20,000 rows/s, 10M rows take 8 minutes a run)
#   DATA                   where the generated files go (bench/data)
set -euo pipefail
cd "$(dirname "$0")/.."
SIZES=${SIZES-"100000 1000000 10000000"}
XLSX_SIZES=${XLSX_SIZES-"100000 1000000"}
RUNS=${RUNS:-3}
FRICTIONLESS_MAX_ROWS=${FRICTIONLESS_MAX_ROWS:-1000000}
DATA=${DATA:-bench/data}
QUARTER=(--fiscal-year 2025 --quarter 2)
mkdir -p "$DATA"
RESULTS="$DATA/results.tsv"
: >"$RESULTS"
failed=0

echo "== building (release)" >&2
cargo build --release --quiet --bin hisp --example synth --example floor
HISP=target/release/hisp
SYNTH=target/release/examples/synth
FLOOR=target/release/examples/floor

echo "== Python tools (pandas, openpyxl, frictionless, duckdb, polars) in bench/.venv" >&2
PY=bench/.venv/bin/python
if ! "$PY" -c 'import pandas, openpyxl, frictionless, duckdb, polars' 2>/dev/null; then
  [ -x "$PY" ] || python3 -m venv bench/.venv
  bench/.venv/bin/pip install --quiet --disable-pip-version-check \
    'pandas>=2' 'openpyxl>=3' 'frictionless>=5' 'duckdb>=1' 'polars>=1' || true
fi
if ! "$PY" -c 'import pandas, openpyxl, frictionless, duckdb, polars' 2>/dev/null; then
  echo "the Python tools could not be installed: they are left out of the table" >&2
  PY=""
fi

# time_it LABEL SIZE COMMAND...: run once under /usr/bin/time, record
# wall seconds, user+sys seconds and peak RSS (KB).
time_it() {
  local label=$1 size=$2
  shift 2
  local t="$DATA/.time"
  if ! /usr/bin/time -f "%e %U %S %M" -o "$t" "$@" >"$DATA/.out" 2>"$DATA/.err"; then
    echo "FAILED: $label ($size rows): $*" >&2
    tail -5 "$DATA/.err" >&2
    failed=1
  fi
  # The last line: a failing command's status line comes first.
  read -r wall user sys rss < <(tail -1 "$t")
  printf '%s\t%s\t%s\t%s\t%s\n' "$label" "$size" "$wall" \
    "$(awk -v u="$user" -v s="$sys" 'BEGIN { print u + s }')" "$rss" >>"$RESULTS"
}

generate() { # generate FILE ROWS TEMPLATE
  [ -s "$1" ] || { echo "== generating $1" >&2; "$SYNTH" --rows "$2" --template "$3" -o "$1"; }
}

# same_counts NAME HISP_JSON PANDAS_JSON TEMPLATE
same_counts() {
  [ -n "$PY" ] || return 0
  "$PY" bench/counts.py hisp "$2" --template "$4" >"$DATA/.hisp-counts"
  if cmp -s "$DATA/.hisp-counts" "$3"; then
    echo "counts agree: $1" >&2
  else
    echo "COUNTS DIFFER: $1 (hisp $DATA/.hisp-counts, pandas $3)" >&2
    failed=1
  fi
}

PANDAS=(bench/counts.py pandas)
RANGE=(--start 2025-01-01 --end 2025-03-31)

for size in $SIZES; do
  v1="$DATA/v1-$size.csv"
  v2="$DATA/v2-$size.csv"
  all_time="$DATA/v1-alltime-$size.csv"
  generate "$v1" "$size" v1
  generate "$v2" "$size" v2
  [ -s "$all_time" ] || { echo "== generating $all_time" >&2; "$SYNTH" --rows "$size" --all-time -o "$all_time"; }
  for run in $(seq "$RUNS"); do
    echo "== CSV, $size rows, run $run" >&2
    time_it "floor: csv read (v1)" "$size" "$FLOOR" "$v1"
    time_it "hisp validate (v1)" "$size" "$HISP" validate -q "$v1"
    time_it "hisp report (v1)" "$size" "$HISP" report -q "${QUARTER[@]}" "$v1" -o "$DATA/out-v1.xlsx"
    # An all-time export of eight quarters: the trend checks and counts
    # every row; the report of its last quarter checks that quarter's rows
    # and the previous quarter's (for its comparison) and only dates the rest.
    time_it "hisp report (v1 all-time, FY2025 Q4)" "$size" "$HISP" report -q --fiscal-year 2025 --quarter 4 "$all_time" -o "$DATA/out-all-time.xlsx"
    time_it "hisp trend (v1 all-time, 8 quarters)" "$size" "$HISP" trend -q --from FY2024Q1 --to FY2025Q4 "$all_time" -o "$DATA/out-trend.xlsx"
    if [ -n "$PY" ]; then
      time_it "pandas counts (v1)" "$size" "$PY" "${PANDAS[@]}" "$v1" --template v1 "${RANGE[@]}"
      cp "$DATA/.out" "$DATA/pandas-v1.json"
      time_it "duckdb counts (v1)" "$size" "$PY" bench/counts.py duckdb "$v1" --template v1 "${RANGE[@]}"
      cp "$DATA/.out" "$DATA/duckdb-v1.json"
      time_it "polars counts (v1)" "$size" "$PY" bench/counts.py polars "$v1" --template v1 "${RANGE[@]}"
      cp "$DATA/.out" "$DATA/polars-v1.json"
      if [ "$size" -le "$FRICTIONLESS_MAX_ROWS" ]; then
        time_it "frictionless validate (v1)" "$size" bench/.venv/bin/frictionless validate \
          --trusted --schema bench/a11-v1.frictionless.json "$v1"
      fi
    fi
    time_it "floor: csv read (v2)" "$size" "$FLOOR" "$v2"
    time_it "hisp aggregate (v2)" "$size" "$HISP" aggregate -q "${QUARTER[@]}" --format json "$v2"
    cp "$DATA/.out" "$DATA/hisp-v2.json"
    time_it "hisp report (v2, with Responses sheet)" "$size" "$HISP" report -q "${QUARTER[@]}" "$v2" -o "$DATA/out-v2.xlsx"
    time_it "hisp report (v2, --no-responses)" "$size" "$HISP" report -q --no-responses "${QUARTER[@]}" "$v2" -o "$DATA/out-v2-nr.xlsx" --upload-dir "$DATA/upload-v2"
    if [ -n "$PY" ]; then
      time_it "pandas counts (v2)" "$size" "$PY" "${PANDAS[@]}" "$v2" --template v2 "${RANGE[@]}"
      cp "$DATA/.out" "$DATA/pandas-v2.json"
    fi
  done
  "$HISP" aggregate -q "${QUARTER[@]}" --format json "$v1" >"$DATA/hisp-v1.json"
  same_counts "v1 CSV, $size rows" "$DATA/hisp-v1.json" "$DATA/pandas-v1.json" v1
  same_counts "v1 CSV, $size rows (DuckDB)" "$DATA/hisp-v1.json" "$DATA/duckdb-v1.json" v1
  same_counts "v1 CSV, $size rows (polars)" "$DATA/hisp-v1.json" "$DATA/polars-v1.json" v1
  same_counts "v2 CSV, $size rows" "$DATA/hisp-v2.json" "$DATA/pandas-v2.json" v2
done

for size in $XLSX_SIZES; do
  x="$DATA/v1-$size.xlsx"
  generate "$x" "$size" v1
  for run in $(seq "$RUNS"); do
    echo "== .xlsx, $size rows, run $run" >&2
    time_it "floor: calamine read (xlsx)" "$size" "$FLOOR" "$x"
    time_it "hisp report (xlsx)" "$size" "$HISP" report -q "${QUARTER[@]}" "$x" -o "$DATA/out-x.xlsx"
    if [ -n "$PY" ]; then
      time_it "pandas read_excel counts (xlsx)" "$size" "$PY" "${PANDAS[@]}" "$x" --template v1 "${RANGE[@]}"
      cp "$DATA/.out" "$DATA/pandas-x.json"
    fi
  done
  "$HISP" aggregate -q "${QUARTER[@]}" --format json "$x" >"$DATA/hisp-x.json"
  same_counts "v1 xlsx, $size rows" "$DATA/hisp-x.json" "$DATA/pandas-x.json" v1
done

# A stable instruction count of the hot path, so a regression shows even on
# a noisy machine.
if command -v valgrind >/dev/null; then
  small="$DATA/v1-20000.csv"
  generate "$small" 20000 v1
  valgrind --tool=callgrind --callgrind-out-file="$DATA/callgrind.out" \
    "$HISP" report -q "${QUARTER[@]}" "$small" -o "$DATA/out-cg.xlsx" 2>"$DATA/.cg" >/dev/null || true
  ir=$(grep -o 'Collected : [0-9]*' "$DATA/.cg" | grep -o '[0-9]*' || true)
  if [ -n "$ir" ]; then
    echo "callgrind: hisp report on 20,000 rows: $ir instructions ($((ir / 20000)) per row)"
  fi
fi

python3 bench/summarize.py "$RESULTS" "$(nproc)" "$(uname -sr)"
exit "$failed"
