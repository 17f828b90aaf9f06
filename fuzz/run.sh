#!/usr/bin/env bash
# Fuzz hisp's readers: each target for SECONDS (default 60), seeded with
# the fixtures; what libFuzzer finds goes to fuzz/artifacts/TARGET/.
#
#   fuzz/run.sh                  # csv, xlsx and xls, a minute each
#   fuzz/run.sh 1800 csv         # half an hour of the CSV reader
#
# Needs the nightly toolchain and cargo-fuzz:
#   rustup toolchain install nightly && cargo install cargo-fuzz
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_EACH=${1:-60}
shift || true
TARGETS=("${@:-csv xlsx xls}")
# shellcheck disable=SC2068
for target in ${TARGETS[@]}; do
  corpus="fuzz/corpus/$target"
  mkdir -p "$corpus"
  case "$target" in
    csv) seeds=(fixtures/responses-fy2025.csv fixtures/services.csv fixtures/broken fixtures/exports fixtures/v2) ;;
    xlsx) seeds=(fixtures/responses-fy2025.xlsx fixtures/exports/titled.xlsx) ;;
    xls) seeds=(fixtures/responses-fy2025.xls) ;;
  esac
  for s in "${seeds[@]}"; do
    find "$s" -maxdepth 1 -type f \( -name '*.csv' -o -name '*.tsv' -o -name '*.txt' -o -name '*.xlsx' -o -name '*.xls' \) \
      -exec cp -n {} "$corpus/" \;
  done
  # The workbook targets run without overflow checks (-O), as users' builds do:
  # calamine 0.38 overflows u32 on cell references of 10+ digits, which
  # release builds wrap and hisp then rejects (see fuzz/regressions).
  flags=()
  [ "$target" != csv ] && flags=(-O)
  echo "== fuzzing $target for ${SECONDS_EACH}s" >&2
  cargo +nightly fuzz run "${flags[@]}" "$target" "$corpus" -- \
    -max_total_time="$SECONDS_EACH" -rss_limit_mb=2048 -timeout=10 -max_len=1048576
done
