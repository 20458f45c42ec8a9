#!/usr/bin/env bash
# Installs everything a fresh machine lacks for this repository: the pinned pnpm (from npm),
# the system packages the native addon's sanitizer/fuzz runs and the browser test need (from
# Debian), and the workspace's dependencies. Idempotent; safe to rerun.
set -euo pipefail
cd "$(dirname "$0")/.."

# node-gyp cannot download Node's headers here: build against the ones installed with node.
export npm_config_nodedir="$(node packages/native/scripts/nodedir.mjs)"

PNPM_VERSION="$(node -p "require('./package.json').packageManager.split('@')[1]")"
if [ "$(pnpm --version 2>/dev/null || true)" != "$PNPM_VERSION" ]; then
  echo "setup: installing pnpm $PNPM_VERSION from npm"
  npm install --global "pnpm@$PNPM_VERSION" --no-fund --no-audit
fi

# System packages from Debian, each script a no-op when its tools are already there:
# clang + compiler-rt for the native core's sanitizer and libFuzzer runs, Chromium for the
# codecs' browser test, lld (wasm-ld) for the wasm build. They need root (the build machines give it) or sudo.
sh packages/native/scripts/install-fuzz-deps.sh
sh packages/native/scripts/install-cross-deps.sh
sh packages/codecs/scripts/install-chromium.sh
sh packages/wasm/scripts/install-wasm-deps.sh

pnpm install --frozen-lockfile

# The Python reference (pymecompress 0.3.6 built from PyPI in a git-ignored venv); the test
# launchers also call this, it is idempotent and quick once done.
sh packages/conformance/scripts/setup-python.sh >/dev/null
# zarr-python 3 for the codecs' Zarr v3 interop test (a second small venv, pinned wheels only).
sh packages/codecs/scripts/setup-zarr3.sh >/dev/null
# ome-zarr-py 0.9.0 for the CLI's OME-Zarr reading check (pinned, --no-deps, on the reference venv).
sh packages/cli/scripts/setup-ome-zarr-py.sh >/dev/null
