#!/bin/sh
# Installs Debian's headless-capable Chromium for the browser test (idempotent).
# Needs root (or sudo). Does nothing when /usr/bin/chromium already exists.
set -eu
if [ -x /usr/bin/chromium ]; then
  echo "chromium already installed: $(/usr/bin/chromium --version 2>/dev/null || echo unknown version)"
  exit 0
fi
sh "$(dirname "$0")/../../../scripts/apt-install.sh" chromium fonts-liberation
/usr/bin/chromium --version || true
