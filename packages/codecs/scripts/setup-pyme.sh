#!/bin/sh
# Creates packages/codecs/.venv-pyme (numpy, six, pyyaml, fsspec, scipy; python/requirements-pyme.txt)
# and unpacks PYME's sdist (python-microscopy==26.9.3, `pip download --no-deps`) into the
# git-ignored packages/codecs/.pyme-cache. Idempotent (stamp), serialised with flock.
# stdout: two lines, the venv's python and the directory to put on PYTHONPATH (holds PYME/).
set -eu
here=$(CDPATH= cd -- "$(dirname -- "$0")/.." && pwd)
venv="$here/.venv-pyme"
cache="$here/.pyme-cache"
req="$here/python/requirements-pyme.txt"
pyme_version=26.9.3
log() { printf '[setup-pyme] %s\n' "$*" >&2; }
py=${PYMECOMPRESS_PYTHON:-python3}
stamp_value=$(cat "$req" "$0" | sha256sum | cut -d' ' -f1)-$("$py" -c 'import sys; print(sys.version.split()[0])')
stamp="$venv/.stamp"
src="$cache/python-microscopy-$pyme_version"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$stamp_value" ] && [ -d "$src/PYME" ]; then
  echo "$venv/bin/python"; echo "$src"; exit 0
fi
mkdir -p "$cache"
exec 9>"$cache/.lock"
flock 9
if ! { [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$stamp_value" ]; }; then
  log "creating $venv"
  rm -rf "$venv"
  "$py" -m venv "$venv"
  "$venv/bin/python" -m pip install -q --disable-pip-version-check -r "$req" >&2
  echo "$stamp_value" >"$stamp"
fi
if [ ! -d "$src/PYME" ]; then
  log "downloading python-microscopy==$pyme_version (sdist, no deps)"
  # --no-build-isolation: pip only needs the sdist's metadata, not PYME's build toolchain.
  [ -f "$cache/python_microscopy-$pyme_version.tar.gz" ] ||
    "$venv/bin/python" -m pip download -q --disable-pip-version-check --no-deps \
      --no-build-isolation --no-binary :all: "python-microscopy==$pyme_version" -d "$cache" >&2
  tar -xzf "$cache/python_microscopy-$pyme_version.tar.gz" -C "$cache" \
    "python_microscopy-$pyme_version/PYME" 2>/dev/null ||
    tar -xzf "$cache/python_microscopy-$pyme_version.tar.gz" -C "$cache"
  [ -d "$cache/python_microscopy-$pyme_version" ] && mv "$cache/python_microscopy-$pyme_version" "$src"
fi
echo "$venv/bin/python"; echo "$src"
