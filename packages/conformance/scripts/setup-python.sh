#!/bin/sh
# Creates packages/conformance/.venv with the real Python reference (pymecompress 0.3.6, built
# from its PyPI sdist) plus numpy, numcodecs and zarr 2.x, all pinned in python/requirements*.txt.
#
# - Idempotent: a stamp (sha256 of the requirement files, this script and the interpreter
#   version) makes a second run a fast no-op.
# - Concurrency-safe: callers serialise on an flock, so tests and helpers may call it at once.
# - Output goes to stderr only (stdout stays clean for callers that parse it), except that the
#   venv's python path is printed on stdout at the end, so `PY=$(sh setup-python.sh)` works.
#
# Env:
#   PYMECOMPRESS_PYTHON   interpreter to build the venv with (must be 3.8 .. 3.11: the reference's
#                         sdist is a numpy.distutils build, which does not exist on Python 3.12+).
#   PYMECOMPRESS_VENV     venv directory (default: packages/conformance/.venv).
set -eu

here=$(CDPATH= cd -- "$(dirname -- "$0")/.." && pwd)
venv=${PYMECOMPRESS_VENV:-"$here/.venv"}
lock="$here/.venv.lock"
req_build="$here/python/requirements-build.txt"
req="$here/python/requirements.txt"

log() { printf '[setup-python] %s\n' "$*" >&2; }

pick_python() {
  if [ -n "${PYMECOMPRESS_PYTHON:-}" ]; then
    echo "$PYMECOMPRESS_PYTHON"
    return
  fi
  for c in python3.11 python3.10 python3.9 python3; do
    if command -v "$c" >/dev/null 2>&1 &&
      "$c" -c 'import sys; sys.exit(0 if (3, 8) <= sys.version_info[:2] < (3, 12) else 1)' 2>/dev/null; then
      echo "$c"
      return
    fi
  done
  log "no Python 3.8..3.11 found (pymecompress 0.3.6 builds with numpy.distutils, gone in 3.12);"
  log "set PYMECOMPRESS_PYTHON to one."
  exit 1
}

py=$(pick_python)
pyver=$("$py" -c 'import sys; print("%d.%d.%d" % sys.version_info[:3])')
stamp_value=$(cat "$req_build" "$req" "$0" | sha256sum | cut -d' ' -f1)-py$pyver
stamp="$venv/.pymecompress-stamp"

# Fast path, no lock: an up-to-date venv is only ever replaced under the lock, and the stamp is
# written last.
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$stamp_value" ]; then
  echo "$venv/bin/python"
  exit 0
fi

exec 9>"$lock"
if ! flock -n 9; then
  log "another process is setting up $venv; waiting for it"
  flock 9
fi

# Re-check under the lock: the process we waited for may have done the work.
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$stamp_value" ]; then
  echo "$venv/bin/python"
  exit 0
fi

start=$(date +%s)
log "creating $venv with $py ($pyver)"
rm -rf "$venv"
"$py" -m venv "$venv"
vpy="$venv/bin/python"
pipq() { "$vpy" -m pip --disable-pip-version-check --no-input "$@" 1>&2; }

log "installing build requirements ($req_build)"
pipq install -r "$req_build"
log "building pymecompress from its sdist and installing the rest ($req)"
# --no-build-isolation: the sdist's setup.py imports numpy.distutils at build time and does not
# declare it; it must see the pinned numpy/setuptools/Cython installed above.
# --no-binary: always build the reference from source, as its users on Linux do.
pipq install --no-build-isolation --no-binary pymecompress -c "$req_build" -r "$req"

log "verifying the reference"
"$vpy" "$here/python/refinfo.py" >"$venv/reference-info.json"
cat "$venv/reference-info.json" >&2

printf '%s' "$stamp_value" >"$stamp"
log "done in $(($(date +%s) - start)) s"
echo "$vpy"
