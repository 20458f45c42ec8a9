#!/bin/sh
# Installs what `pnpm --filter @pymecompress/wasm build` needs: clang (any version with the
# wasm32 target, Debian's 14 here) and wasm-ld from lld. Idempotent: does nothing when clang can
# already compile and link a wasm32 module. Needs root (or sudo) when something is missing.
set -eu

probe() {
  command -v clang >/dev/null 2>&1 || return 1
  ld=""
  for c in wasm-ld wasm-ld-14 /usr/lib/llvm-14/bin/wasm-ld; do
    if command -v "$c" >/dev/null 2>&1; then ld="$c"; break; fi
  done
  [ -n "$ld" ] || return 1
  tmp=$(mktemp -d)
  printf '%s\n' '__attribute__((export_name("f"))) int f(int x) { return x + 1; }' > "$tmp/p.c"
  if clang --target=wasm32 -nostdlib -O2 -c "$tmp/p.c" -o "$tmp/p.o" >/dev/null 2>&1 &&
    "$ld" --no-entry -o "$tmp/p.wasm" "$tmp/p.o" >/dev/null 2>&1; then
    rm -rf "$tmp"; return 0
  fi
  rm -rf "$tmp"; return 1
}

if probe; then
  echo "install-wasm-deps: clang and wasm-ld already available ($(clang --version | head -n1))"
  exit 0
fi

apt="$(dirname "$0")/../../../scripts/apt-install.sh"
sh "$apt" clang
sh "$apt" --for-clang 'lld-{major}' lld

if probe; then
  echo "install-wasm-deps: ok ($(clang --version | head -n1))"
else
  echo "install-wasm-deps: clang/lld installed but cannot link a wasm32 module" >&2
  exit 1
fi
