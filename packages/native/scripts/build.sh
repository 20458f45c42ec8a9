#!/usr/bin/env sh
# turbo's build task: the addon (node-gyp) and the ESM entry (tsc).
set -eu
cd "$(dirname "$0")/.."
PATH="$PWD/node_modules/.bin:$PATH"
sh scripts/build-native.sh
exec tsc -p tsconfig.build.json
