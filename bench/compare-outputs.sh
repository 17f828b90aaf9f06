#!/usr/bin/env bash
# Compare every output of hisp at BASE_REV with the working tree's, byte for
# byte: stdout, stderr, exit status and every file written (workbooks, --csv
# tables, upload files, mapping files), on all fixtures and on seeded
# synthetic exports (A-11 v1 and v2, CSV and .xlsx). Refactors must leave
# them identical.
#
#   bench/compare-outputs.sh BASE_REV           # e.g. main, HEAD~3, a sha
#   ROWS=10000 bench/compare-outputs.sh main     # smaller synthetic files
#   KEEP=1 bench/compare-outputs.sh main         # keep the outputs to inspect
#   XLSX_PARTS=1 bench/compare-outputs.sh main   # workbooks by their parts
#
# With XLSX_PARTS=1 a workbook whose bytes differ is compared part by part
# (the names and order of its zip entries, and each entry's bytes once
# inflated): for a change of the zip container alone, such as its
# compression level. Every other output is still compared byte for byte.
#
# Exit status: 0 identical, 1 some output differs (listed), 2 usage.
#
# Both builds run from the same scratch directory with the same relative
# paths, so file names in reports and workbooks agree. The base build and the
# synthetic files are cached under bench/data/compare (by commit).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ $# -lt 1 ]; then
  sed -n '2,20p' "$0" >&2
  exit 2
fi
BASE_SHA=$(git rev-parse --verify "$1^{commit}")
ROWS=${ROWS:-100000}
CACHE=bench/data/compare
mkdir -p "$CACHE"
ROOT=$(pwd)

# ---- builds
# Both binaries are named hisp: clap's usage lines show the name.
BASE_BIN="$CACHE/$BASE_SHA/hisp"
SYNTH="$CACHE/$BASE_SHA/synth"
if [ ! -x "$BASE_BIN" ] || [ ! -x "$SYNTH" ]; then
  echo "== building $1 ($BASE_SHA)" >&2
  SRC="$CACHE/src-$BASE_SHA"
  rm -rf "$SRC"
  git worktree add --quiet --detach "$SRC" "$BASE_SHA"
  (cd "$SRC" && cargo build --release --quiet --bin hisp --example synth)
  mkdir -p "$CACHE/$BASE_SHA"
  cp "$SRC/target/release/hisp" "$BASE_BIN"
  cp "$SRC/target/release/examples/synth" "$SYNTH"
  git worktree remove --force "$SRC"
fi
echo "== building the working tree" >&2
cargo build --release --quiet --bin hisp
HEAD_BIN="$ROOT/target/release/hisp"
BASE_BIN="$ROOT/$BASE_BIN"

# ---- synthetic exports (from the base's generator, so both read the same)
DATA="$CACHE/synth-$ROWS"
mkdir -p "$DATA"
for spec in v1:csv v2:csv v1:xlsx v2:xlsx; do
  t=${spec%:*} ext=${spec#*:}
  f="$DATA/$t.$ext"
  [ -s "$f" ] || { echo "== generating $f" >&2; "$ROOT/$SYNTH" --rows "$ROWS" --template "$t" -o "$f"; }
done

# ---- the cases: NAME then hisp's arguments; outputs go under out/
Q2=(--fiscal-year 2025 --quarter 2)
V2KEYS=(--set "service=Passport Renewal" --set transaction_point=post_interaction --set channel=computer)
TPKEYS=(--set "service=Tax Return Help" --set transaction_point=post_interaction --set channel=phone)
cases=()
add() { local IFS=$'\x1f'; cases+=("$*"); }

for c in "" validate aggregate report init; do
  add "help-${c:-main}" $c --help
done
add version --version
add no-arguments validate
for fmt in human json csv; do
  add "validate-$fmt" validate --format "$fmt" fixtures/responses-fy2025.csv
  add "validate-q2-$fmt" validate --format "$fmt" fixtures/responses-fy2025.csv "${Q2[@]}" --services fixtures/services.csv
  add "validate-v2-$fmt" validate --format "$fmt" fixtures/v2/responses-fy2025.csv "${Q2[@]}" --services fixtures/v2/services.csv
done
for f in fixtures/responses-fy2025.csv fixtures/responses-fy2025.xlsx fixtures/responses-fy2025.xls fixtures/responses-fy2025.ods; do
  n=$(basename "$f")
  add "report-$n" report "$f" --services fixtures/services.csv "${Q2[@]}" -o out/report.xlsx --csv out/csv
  add "aggregate-csv-$n" aggregate "$f" --services fixtures/services.csv "${Q2[@]}"
  add "aggregate-json-$n" aggregate --format json "$f" --services fixtures/services.csv "${Q2[@]}"
done
add report-v1-nomanifest report fixtures/responses-fy2025.csv "${Q2[@]}" -o out/report.xlsx
add report-v1-json report --format json fixtures/responses-fy2025.csv "${Q2[@]}" -o out/report.xlsx
add report-v1-strict report --strict fixtures/responses-fy2025.csv "${Q2[@]}" -o out/report.xlsx
add report-v1-q1 report fixtures/responses-fy2025.csv --fiscal-year 2025 --quarter 1 -o out/report.xlsx
add report-v1-upload-dir report fixtures/responses-fy2025.csv "${Q2[@]}" -o out/report.xlsx --upload-dir out/up
add report-v2 report fixtures/v2/responses-fy2025.csv --services fixtures/v2/services.csv "${Q2[@]}" -o out/report.xlsx --csv out/csv --upload-dir out/up
add report-v2-nomanifest report fixtures/v2/responses-fy2025.csv "${Q2[@]}" -o out/report.xlsx --upload-dir out/up
add aggregate-v2-csv aggregate fixtures/v2/responses-fy2025.csv --services fixtures/v2/services.csv "${Q2[@]}"
add aggregate-v2-json aggregate --format json fixtures/v2/responses-fy2025.csv --services fixtures/v2/services.csv "${Q2[@]}"
add upload-passport-json aggregate --format json fixtures/v2/upload-passport.csv "${V2KEYS[@]}" "${Q2[@]}"
add upload-passport-report report fixtures/v2/upload-passport.csv "${V2KEYS[@]}" "${Q2[@]}" -o out/report.xlsx --upload-dir out/up
add upload-passport-keyless validate --format json fixtures/v2/upload-passport.csv
add upload-as-v1 validate --template a11-v1 fixtures/v2/upload-passport.csv
for f in fixtures/v2/bad-upload.csv fixtures/v2/bad-upload-header.csv fixtures/broken/*.csv; do
  n=$(basename "$f")
  add "broken-$n" validate "$f"
  add "broken-json-$n" validate --format json "$f" "${V2KEYS[@]}"
done
add skip-invalid report fixtures/broken/bad-values.csv --skip-invalid "${Q2[@]}" -o out/report.xlsx
add skip-invalid-agg aggregate --format json fixtures/broken/bad-values.csv --skip-invalid "${Q2[@]}"
add max-errors validate --max-errors 2 fixtures/broken/bad-values.csv
add pooled report fixtures/responses-fy2025.csv fixtures/responses-fy2025.xlsx "${Q2[@]}" -o out/report.xlsx
for f in fixtures/exports/*.csv fixtures/exports/*.tsv fixtures/exports/*.txt fixtures/exports/*.xlsx; do
  n=$(basename "$f")
  add "export-validate-$n" validate --format json "$f" "${Q2[@]}"
  add "export-report-$n" report "$f" "${Q2[@]}" -o out/report.xlsx
  add "export-init-$n" init "$f" -o out/map.toml
done
add export-tp-v1 aggregate --format json fixtures/exports/touchpoints-v1.csv --set "service=Passport Renewal" --set "touchpoint=Online application" --set channel=computer "${Q2[@]}"
add export-tp-v2 report fixtures/exports/touchpoints-v2.csv "${TPKEYS[@]}" "${Q2[@]}" -o out/report.xlsx --upload-dir out/up
add export-tp-combined report fixtures/exports/touchpoints-combined-v2.csv "${TPKEYS[@]}" "${Q2[@]}" -o out/report.xlsx --upload-dir out/up
add export-preset-none validate --format json fixtures/exports/qualtrics-choice.csv --preset none
add export-header-row validate --format json fixtures/exports/titled.xlsx --header-row 3
add usage-bad-set validate --set colour=blue fixtures/v2/upload-passport.csv
add usage-missing-input validate fixtures/nope.csv
add stdin-twice validate - -
for spec in v1:csv v2:csv v1:xlsx v2:xlsx; do
  t=${spec%:*} ext=${spec#*:}
  f="synth/$t.$ext"
  add "synth-validate-$t-$ext" validate --format json "$f" "${Q2[@]}"
  add "synth-aggregate-$t-$ext" aggregate --format json "$f" "${Q2[@]}"
  add "synth-aggregate-csv-$t-$ext" aggregate "$f" "${Q2[@]}"
  add "synth-report-$t-$ext" report "$f" "${Q2[@]}" -o out/report.xlsx --csv out/csv --upload-dir out/up
done
add synth-skip-invalid report synth/v1.csv "${Q2[@]}" --skip-invalid -o out/report.xlsx
# Trends (charts with error bars, significant changes, drivers) and the
# self-assessment.
add trend-v1 trend fixtures/responses-fy2025.csv --from FY2025Q1 --to FY2025Q4 -o out/trend.xlsx
add trend-v2 trend fixtures/v2/responses-fy2025.csv --from FY2025Q1 --to FY2025Q4 -o out/trend.xlsx
add trend-v2-json trend --format json fixtures/v2/responses-fy2025.csv --from FY2025Q1 --to FY2025Q4
add trend-history trend fixtures/published/quarterly-data-fy2025-q1.csv synth/v1.csv --from FY2025Q1 --to FY2025Q3 -o out/trend.xlsx
for t in v1 v2; do
  add "synth-trend-$t" trend "synth/$t.csv" --from FY2025Q1 --to FY2025Q3 -o out/trend.xlsx
done
add assess assess fixtures/assess/passport-FY2026.csv fixtures/assess/tax-FY2026.csv --previous fixtures/assess/passport-FY2025.csv -o out/assess.xlsx
add assess-json assess --format json fixtures/assess/passport-FY2026.xlsx
add assess-init assess init -o out/form.xlsx --service "Passport Renewal" --fiscal-year 2026 --previous fixtures/assess/passport-FY2025.csv

# ---- run both builds in one scratch directory
SCRATCH=$(mktemp -d)
trap '[ -n "${KEEP-}" ] || rm -rf "$SCRATCH"' EXIT
RUN="$SCRATCH/run"
mkdir -p "$RUN"
ln -s "$ROOT/fixtures" "$RUN/fixtures"
ln -s "$ROOT/$DATA" "$RUN/synth"
run_all() { # run_all BIN DEST
  local bin=$1 dest=$2 c name
  mkdir -p "$dest"
  for c in "${cases[@]}"; do
    IFS=$'\x1f' read -r -a args <<<"$c"
    name=${args[0]}
    rm -rf "$RUN/out"
    mkdir "$RUN/out"
    set +e
    (cd "$RUN" && "$bin" "${args[@]:1}" >out/.stdout 2>out/.stderr </dev/null)
    echo $? >"$RUN/out/.status"
    set -e
    mv "$RUN/out" "$dest/$name"
  done
}
echo "== running ${#cases[@]} cases with $1" >&2
run_all "$BASE_BIN" "$SCRATCH/base"
echo "== running ${#cases[@]} cases with the working tree" >&2
run_all "$HEAD_BIN" "$SCRATCH/head"

if diff -r -q "$SCRATCH/base" "$SCRATCH/head" >"$SCRATCH/diff"; then
  files=$(find "$SCRATCH/head" -type f | wc -l)
  echo "identical: ${#cases[@]} cases, $files output files (stdout, stderr, status and files written)"
  exit 0
fi
if [ -n "${XLSX_PARTS-}" ]; then
  # Keep only the differences that are not workbooks with the same parts.
  python3 - "$SCRATCH/diff" <<'PY' >"$SCRATCH/diff-parts"
import re, sys, zipfile
def parts(path):
    with zipfile.ZipFile(path) as z:
        return [(i.filename, z.read(i)) for i in z.infolist()]
for line in open(sys.argv[1]):
    pair = re.fullmatch(r"Files (.+\.xlsx) and (.+\.xlsx) differ\n?", line)
    if pair and parts(pair[1]) == parts(pair[2]):
        continue
    sys.stdout.write(line)
PY
  if [ ! -s "$SCRATCH/diff-parts" ]; then
    files=$(find "$SCRATCH/head" -type f | wc -l)
    workbooks=$(grep -c '\.xlsx differ$' "$SCRATCH/diff" || true)
    echo "identical: ${#cases[@]} cases, $files output files; $workbooks workbooks differ in their zip container only, every part identical"
    exit 0
  fi
  mv "$SCRATCH/diff-parts" "$SCRATCH/diff"
fi
echo "DIFFERENT:"
sed "s|$SCRATCH/||g" "$SCRATCH/diff"
[ -n "${KEEP-}" ] && echo "outputs kept in $SCRATCH"
exit 1
