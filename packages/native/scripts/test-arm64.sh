#!/bin/sh
# The C core's test program cross-compiled for aarch64 (Debian's gcc-aarch64-linux-gnu) and run
# under qemu-user with the cross sysroot: the arm64 prebuild's core (scalar quantizer body) on
# an arm64 CPU model. Uses csrc/Makefile's own source list, so new C files are picked up.
# Then checks the shipped arm64 prebuild really is an aarch64 shared object.
set -eu
cd "$(dirname "$0")/.."
CROSS=aarch64-linux-gnu
SYSROOT=${PYMECOMPRESS_ARM64_SYSROOT:-/usr/$CROSS}
for tool in "$CROSS-gcc" qemu-aarch64 file; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "test-arm64: $tool not found; run sh scripts/install-cross-deps.sh" >&2
    exit 1
  fi
done
OUT=../csrc-build/arm64
make -s -C csrc CC="$CROSS-gcc" OUT="$OUT" "$OUT/test_main"
file -b "csrc/$OUT/test_main" | grep -q 'ARM aarch64' || {
  echo "test-arm64: csrc/$OUT/test_main is not an aarch64 executable: $(file -b "csrc/$OUT/test_main")" >&2
  exit 1
}
echo "test-arm64: running the C core's tests under qemu-aarch64 -L $SYSROOT"
(cd csrc && qemu-aarch64 -L "$SYSROOT" "$OUT/test_main" test/regressions)
for f in prebuilds/linux-arm64/*.node; do
  [ -f "$f" ] || { echo "test-arm64: no linux-arm64 prebuild (node scripts/prebuild.mjs)" >&2; exit 1; }
  desc=$(file -b "$f")
  echo "test-arm64: $f: $desc"
  echo "$desc" | grep -q 'ARM aarch64' || { echo "test-arm64: $f is not aarch64" >&2; exit 1; }
done
