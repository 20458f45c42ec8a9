#!/bin/sh
# Creates packages/codecs/.venv-pyme (numpy, six, pyyaml, fsspec, scipy; python/requirements-pyme.txt)
# and unpacks PYME's sdist (python-microscopy==26.9.3, scripts/fetch-sdist.py) into the
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
  # Not `pip download`: it would run PYME's meson build backend just to read the metadata.
  [ -f "$cache/python_microscopy-$pyme_version.tar.gz" ] ||
    "$py" "$here/scripts/fetch-sdist.py" python-microscopy "$pyme_version" "$cache" \
      e01b6f69b7fd53c031cef04f050c8edc8d8ef273b8f931d5f75d7234ec702041 >&2
  tar -xzf "$cache/python_microscopy-$pyme_version.tar.gz" -C "$cache" \
    "python_microscopy-$pyme_version/PYME" 2>/dev/null ||
    tar -xzf "$cache/python_microscopy-$pyme_version.tar.gz" -C "$cache"
  [ -d "$cache/python_microscopy-$pyme_version" ] && mv "$cache/python_microscopy-$pyme_version" "$src"
fi
echo "$venv/bin/python"; echo "$src"
