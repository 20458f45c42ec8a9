#!/bin/sh
# An arm64 Node to load the linux-arm64 prebuild in: Debian bookworm's arm64 `nodejs` (Node 18,
# N-API 9), fetched with `debootstrap --foreign` (download + unpack only, nothing arm64 runs)
# into a cache folder and run with `qemu-aarch64 -L <root> <root>/usr/bin/node`.
# Idempotent; prints the root folder on stdout. Needs debootstrap (scripts/install-cross-deps.sh).
set -eu
root=${PYMECOMPRESS_ARM64_ROOT:-${XDG_CACHE_HOME:-$HOME/.cache}/pymecompress-arm64-node}
if [ ! -x "$root/usr/bin/node" ]; then
  echo "setup-arm64-node: debootstrap --arch=arm64 --foreign bookworm $root (nodejs)" >&2
  rm -rf "$root"
  debootstrap --arch=arm64 --foreign --variant=minbase --include=nodejs bookworm "$root" \
    http://deb.debian.org/debian >&2
  for deb in "$root"/var/cache/apt/archives/*.deb; do dpkg -x "$deb" "$root"; done
fi
qemu-aarch64 -L "$root" "$root/usr/bin/node" -e "if (process.arch !== 'arm64') process.exit(1)"
echo "$root"
