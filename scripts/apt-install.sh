#!/bin/sh
# The one apt helper of the install scripts (packages/*/scripts/install-*.sh, scripts/setup.sh):
#
#   sh scripts/apt-install.sh PKG...
#       installs Debian packages non-interactively, without recommends, after refreshing the
#       package index; as root, or through sudo otherwise.
#   sh scripts/apt-install.sh --for-clang PATTERN [FALLBACK]
#       installs PATTERN with {major} replaced by the installed clang's major version (the
#       compiler-rt and lld packages are versioned with clang, e.g. libclang-rt-{major}-dev,
#       lld-{major}) when the archive has it, else FALLBACK when given and available.
set -eu

SUDO=""
if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive

install() {
  $SUDO apt-get update -qq >&2
  # shellcheck disable=SC2086
  $SUDO apt-get install -y -qq --no-install-recommends "$@" >&2
}

available() {
  apt-cache show "$1" >/dev/null 2>&1
}

if [ "${1:-}" = "--for-clang" ]; then
  [ $# -ge 2 ] || { echo "apt-install: --for-clang needs a PATTERN" >&2; exit 2; }
  major=$(clang --version | sed -n 's/.*clang version \([0-9][0-9]*\).*/\1/p' | head -n1)
  want=$(printf '%s' "$2" | sed "s/{major}/$major/g")
  if available "$want"; then
    install "$want"
  elif [ $# -ge 3 ] && available "$3"; then
    install "$3"
  else
    echo "apt-install: neither $want nor ${3:-a fallback} is in the package archive" >&2
  fi
  exit 0
fi

[ $# -ge 1 ] || { echo "usage: apt-install.sh PKG... | --for-clang PATTERN [FALLBACK]" >&2; exit 2; }
echo "apt-install: installing $* from Debian" >&2
install "$@"
