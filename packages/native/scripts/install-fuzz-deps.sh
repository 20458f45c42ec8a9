#!/usr/bin/env sh
# Installs clang + the compiler-rt runtimes (libFuzzer, ASan, UBSan) from Debian/Ubuntu.
# Idempotent: does nothing when clang can already link a libFuzzer target.
set -eu

probe() {
  command -v clang >/dev/null 2>&1 || return 1
  tmp=$(mktemp -d)
  printf '%s\n' '#include <stdint.h>' '#include <stddef.h>' \
    'int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) { (void)d; (void)n; return 0; }' \
    > "$tmp/p.c"
  if clang -fsanitize=fuzzer,address,undefined "$tmp/p.c" -o "$tmp/p" >/dev/null 2>&1; then
    rm -rf "$tmp"; return 0
  fi
  rm -rf "$tmp"; return 1
}

if probe; then
  echo "install-fuzz-deps: clang with libFuzzer/ASan/UBSan already available ($(clang --version | head -n1))"
  exit 0
fi

apt="$(dirname "$0")/../../../scripts/apt-install.sh"
# The default clang of the distribution; the matching compiler-rt package is libclang-rt-<major>-dev
# (Debian 12: clang 14). Fall back to the unversioned name on distributions that ship one.
sh "$apt" clang
sh "$apt" --for-clang 'libclang-rt-{major}-dev' libclang-rt-dev

if probe; then
  echo "install-fuzz-deps: ok ($(clang --version | head -n1))"
else
  echo "install-fuzz-deps: clang installed but cannot link -fsanitize=fuzzer" >&2
  exit 1
fi
