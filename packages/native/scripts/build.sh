#!/usr/bin/env sh
# turbo's build task: the prebuilt addons the package ships (scripts/prebuild.mjs: linux-arm64
# cross-compiled when the aarch64 toolchain is present, then the host, which also leaves
# build/Release for this checkout), then the ESM entry (tsc).
set -eu
cd "$(dirname "$0")/.."
PATH="$PWD/node_modules/.bin:$PATH"
node scripts/prebuild.mjs
exec tsc -p tsconfig.build.json
