#!/bin/sh
# Installs ome-zarr-py (pinned in test/python/requirements-ome-zarr.txt) into
# packages/cli/.venv/ome-zarr-py with `pip install --target`, for the reference venv's Python
# (packages/conformance/.venv, made by its setup-python.sh) to import through PYTHONPATH.
# Idempotent (a stamp of the requirements file); output on stderr; prints the target directory.
set -eu
here=$(CDPATH= cd -- "$(dirname -- "$0")/.." && pwd)
py=$(sh "$here/../conformance/scripts/setup-python.sh")
req="$here/test/python/requirements-ome-zarr.txt"
target="$here/.venv/ome-zarr-py"
stamp="$target/.stamp"
want=$(cat "$req" "$0" | sha256sum | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  rm -rf "$target"
  mkdir -p "$target"
  "$py" -m pip install --quiet --disable-pip-version-check --no-deps --target "$target" -r "$req" >&2
  echo "$want" > "$stamp"
fi
echo "$target"
