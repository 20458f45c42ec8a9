#!/bin/sh
# Creates packages/codecs/.venv-zarr3 (zarr-python 3 + numcodecs, python/requirements-zarr3.txt)
# for the Zarr v3 interop test (test/zarr-v3-python.test.ts). pymecompress 0.3.6 is not built a
# second time: the reference venv's built package (packages/conformance/scripts/setup-python.sh,
# called first) is linked in alone, through a .pth file naming a directory that holds only a
# symlink to it, so the venv's own numpy / numcodecs / zarr 3 are the ones imported.
# - Idempotent: a stamp (requirements, this script, interpreter, reference path) makes a rerun a
#   no-op; serialised with flock.
# - stdout: the venv's python, nothing else (logs go to stderr).
# Env: PYMECOMPRESS_PYTHON / PYMECOMPRESS_VENV as for setup-python.sh (the interpreter must be
# 3.11: zarr 3 needs >= 3.11, the reference build <= 3.11).
set -eu
here=$(CDPATH= cd -- "$(dirname -- "$0")/.." && pwd)
venv="$here/.venv-zarr3"
req="$here/python/requirements-zarr3.txt"
log() { printf '[setup-zarr3] %s\n' "$*" >&2; }

refpy=$(sh "$here/../conformance/scripts/setup-python.sh")
ref_pkg=$("$refpy" -c 'import os, pymecompress; print(os.path.dirname(pymecompress.__file__))')
base=$("$refpy" -c 'import sys; print(sys._base_executable)')
pyver=$("$base" -c 'import sys; print("%d.%d.%d" % sys.version_info[:3])')
case "$pyver" in
  3.11.*) ;;
  *) log "the reference venv uses Python $pyver; zarr 3 with pymecompress 0.3.6 needs 3.11"; exit 1 ;;
esac
stamp_value=$(cat "$req" "$0" | sha256sum | cut -d' ' -f1)-py$pyver-$ref_pkg
stamp="$venv/.stamp"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$stamp_value" ]; then
  echo "$venv/bin/python"; exit 0
fi
exec 9>"$here/.venv-zarr3.lock"
flock 9
if ! { [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$stamp_value" ]; }; then
  start=$(date +%s)
  log "creating $venv with $base ($pyver)"
  rm -rf "$venv"
  "$base" -m venv "$venv"
  "$venv/bin/python" -m pip install -q --disable-pip-version-check --no-input --only-binary :all: \
    -r "$req" >&2
  mkdir -p "$venv/pymecompress-ref"
  ln -sfn "$ref_pkg" "$venv/pymecompress-ref/pymecompress"
  site=$("$venv/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
  echo "$venv/pymecompress-ref" >"$site/pymecompress-ref.pth"
  "$venv/bin/python" -c 'import zarr, numcodecs, pymecompress.codecs; print("zarr", zarr.__version__, "numcodecs", numcodecs.__version__)' >&2
  printf '%s' "$stamp_value" >"$stamp"
  log "done in $(($(date +%s) - start)) s"
fi
echo "$venv/bin/python"
