#!/bin/sh
# Debian packages for the linux-arm64 prebuild and its check: the aarch64 cross compilers
# (scripts/prebuild.mjs) and qemu-user (scripts/test-arm64.sh runs the C core's tests under
# qemu-aarch64). A no-op when they are present. Needs root or sudo.
set -eu
need=""
command -v aarch64-linux-gnu-gcc >/dev/null 2>&1 || need="$need gcc-aarch64-linux-gnu"
command -v aarch64-linux-gnu-g++ >/dev/null 2>&1 || need="$need g++-aarch64-linux-gnu"
command -v qemu-aarch64 >/dev/null 2>&1 || need="$need qemu-user"
command -v file >/dev/null 2>&1 || need="$need file"
command -v debootstrap >/dev/null 2>&1 || need="$need debootstrap"
[ -z "$need" ] && exit 0
# shellcheck disable=SC2086
sh "$(dirname "$0")/../../../scripts/apt-install.sh" $need
