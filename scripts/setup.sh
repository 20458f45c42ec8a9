#!/usr/bin/env bash
# Installs everything a fresh machine lacks for this repository: the pinned pnpm (from npm),
# the system packages the native addon's sanitizer/fuzz runs and the browser test need (from
# Debian), and the workspace's dependencies. Idempotent; safe to rerun.
set -euo pipefail
cd "$(dirname "$0")/.."

# node-gyp cannot download Node's headers here: build against the ones installed with node.
NODE_PREFIX="$(dirname "$(dirname "$(command -v node)")")"
export npm_config_nodedir="${npm_config_nodedir:-$NODE_PREFIX}"

PNPM_VERSION="$(node -p "require('./package.json').packageManager.split('@')[1]")"
if [ "$(pnpm --version 2>/dev/null || true)" != "$PNPM_VERSION" ]; then
  echo "setup: installing pnpm $PNPM_VERSION from npm"
  npm install --global "pnpm@$PNPM_VERSION" --no-fund --no-audit
fi

# System packages, each only if missing (apt needs root, which the build machines give us).
need_apt=()
while read -r command package; do
  [ -z "$command" ] && continue
  command -v "$command" >/dev/null 2>&1 || need_apt+=("$package")
done < scripts/system-packages.txt
if [ "${#need_apt[@]}" -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "setup: installing Debian packages: ${need_apt[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need_apt[@]}"
  else
    echo "setup: missing system packages (run as root to install): ${need_apt[*]}" >&2
  fi
fi

pnpm install --frozen-lockfile
