#!/usr/bin/env sh
# Builds build/Release/pymecompress_native.node from source with node-gyp against the headers of
# the running Node (never downloads headers). Override with npm_config_nodedir.
set -eu
cd "$(dirname "$0")/.."
PATH="$PWD/node_modules/.bin:$PATH"
NODEDIR="$(node scripts/nodedir.mjs)"
exec node-gyp rebuild --nodedir="$NODEDIR" -j 2
