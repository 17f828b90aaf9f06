#!/usr/bin/env bash
# Check the Dockerfile's two stages without a Docker engine, as far as a
# machine without one can:
#
#  1. the build stage: its build context (what .dockerignore lets through)
#     is copied to a scratch folder and built with the Dockerfile's own
#     commands (the stub step, then `cargo build --locked --profile dist`);
#  2. the image: the binary must need no shared library beyond what the
#     distroless cc image holds (glibc and libgcc_s);
#  3. the run: in a Debian bookworm root made by debootstrap (ROOTFS, or
#     made here when debootstrap is installed), the binary runs as the
#     image's non-root user (65532) against a mounted folder, writes its
#     workbook there and cannot write outside it.
#
#   docker/check.sh                  # everything (debootstrap: a few minutes)
#   ROOTFS=/tmp/rootfs docker/check.sh
#
# Where a Docker engine runs, `docker build -t hisp .` and the README's
# `docker run` line are the real test.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
work=$(mktemp -d)
trap 'umount "$work/root/data" 2>/dev/null || true; rm -rf "$work"' EXIT

echo "== 1. the build stage, on the build context alone" >&2
context="$work/context"
mkdir -p "$context"
# .dockerignore lets through exactly these.
grep '^!' .dockerignore | sed 's/^!//; s#/$##' | while read -r kept; do
  cp -r "$kept" "$context/"
done
(
  cd "$context"
  export CARGO_TARGET_DIR="$work/target"
  # The Dockerfile's dependency step, on a stub crate, then the real build
  # in the same target folder (so a stale stub build would show).
  mv src src.real
  mkdir src && echo 'fn main() {}' >src/main.rs && touch src/lib.rs
  cargo build --locked --profile dist --bin hisp --quiet
  rm -r src && mv src.real src
  touch src/main.rs src/lib.rs
  cargo build --locked --profile dist --bin hisp --quiet
  # The stub's binary prints nothing; hisp's prints its version.
  "$CARGO_TARGET_DIR/dist/hisp" --version | grep -q '^hisp '
)
binary="$work/target/dist/hisp"
ls -l "$binary" >&2

echo "== 2. shared libraries the image must hold" >&2
needed=$(readelf -d "$binary" | sed -n 's/.*Shared library: \[\(.*\)\]/\1/p' | sort)
echo "$needed" >&2
# distroless/cc-debian12: glibc 2.36 (libc, libm, libdl, libpthread, librt,
# the loader) and libgcc_s.
extra=$(echo "$needed" | grep -v -E '^(libc|libm|libdl|libpthread|librt|libgcc_s)\.so\.[0-9]+$|^ld-linux' || true)
if [ -n "$extra" ]; then
  echo "the binary needs libraries the image lacks: $extra" >&2
  exit 1
fi
glibc=$(objdump -T "$binary" | grep -o 'GLIBC_[0-9.]*' | sort -uV | tail -1)
echo "newest glibc symbol: $glibc (bookworm has 2.36)" >&2
[ "$(printf '%s\nGLIBC_2.36\n' "$glibc" | sort -V | tail -1)" = GLIBC_2.36 ] || {
  echo "the binary needs a glibc newer than the image's" >&2
  exit 1
}

echo "== 3. a run as the image's user, against a mounted folder" >&2
root="$work/root"
if [ -n "${ROOTFS:-}" ]; then
  cp -a "$ROOTFS" "$root"
elif command -v debootstrap >/dev/null; then
  debootstrap --variant=minbase bookworm "$root" http://deb.debian.org/debian >"$work/debootstrap.log"
else
  echo "no ROOTFS and no debootstrap: step 3 left out" >&2
  exit 0
fi
install -m 0755 "$binary" "$root/usr/local/bin/hisp"
mkdir -p "$root/data" "$work/mounted"
cp fixtures/responses-fy2025.csv fixtures/services.csv "$work/mounted/"
chown -R 65532:65532 "$work/mounted"
mount --bind "$work/mounted" "$root/data"
run() { chroot --userspec=65532:65532 "$root" /bin/sh -c "cd /data && $*"; }
run /usr/local/bin/hisp report responses-fy2025.csv --services services.csv --fiscal-year 2025 --quarter 2 -o hisp-report.xlsx
test -s "$work/mounted/hisp-report.xlsx"
[ "$(stat -c %u "$work/mounted/hisp-report.xlsx")" = 65532 ]
if run /usr/local/bin/hisp report responses-fy2025.csv --services services.csv --fiscal-year 2025 --quarter 2 -o /usr/out.xlsx 2>/dev/null; then
  echo "the non-root user could write outside the mounted folder" >&2
  exit 1
fi
run /usr/local/bin/hisp --version
echo "the image's binary builds from the context, needs only glibc and libgcc_s, and runs as 65532 against a mounted folder" >&2
cd "$repo"
