"""Downloads one sdist from PyPI's simple index without preparing its metadata.

`pip download` of an sdist runs the package's build backend to read its metadata; PYME's needs
meson-python and its whole build toolchain, none of which the tests need (they only put the
sdist's PYME/ folder on PYTHONPATH). This reads the same index pip uses, checks the sha256 the
index publishes and, when given, the pinned one.

usage: fetch-sdist.py NAME VERSION DEST_DIR [SHA256]
"""
import hashlib
import re
import sys
import urllib.parse
import urllib.request

name, version, dest = sys.argv[1:4]
pinned = sys.argv[4] if len(sys.argv) > 4 else None
index = f"https://pypi.org/simple/{name}/"
html = urllib.request.urlopen(index, timeout=120).read().decode()
wanted = {f"{n}-{version}.tar.gz" for n in (name, name.replace("-", "_"))}
for href in re.findall(r'href="([^"]+)"', html):
    url, _, fragment = urllib.parse.urljoin(index, href).partition("#")
    filename = url.rsplit("/", 1)[-1]
    if filename in wanted:
        break
else:
    sys.exit(f"fetch-sdist: no sdist {sorted(wanted)} in {index}")
data = urllib.request.urlopen(url, timeout=900).read()
digest = hashlib.sha256(data).hexdigest()
published = fragment[len("sha256="):] if fragment.startswith("sha256=") else None
for expected in (published, pinned):
    if expected and digest != expected:
        sys.exit(f"fetch-sdist: sha256 of {filename} is {digest}, expected {expected}")
with open(f"{dest}/{filename}", "wb") as f:
    f.write(data)
print(f"{dest}/{filename}")
