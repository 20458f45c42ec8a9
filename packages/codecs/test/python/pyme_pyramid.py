"""Writes PYME tile pyramids with PYME's own ImagePyramid + save_zarr_metadata and, next to each,
the expected pixels of every level assembled from PYME's tiles read by PZFFormat.loads.

usage: pyme_pyramid.py OUT_DIR   (PYME/ from the python-microscopy 26.9.3 sdist on PYTHONPATH)
Seeded: reruns write the same pixels.
"""
import json
import os
import sys

import numpy as np
from PYME.Analysis.tile_pyramid import ImagePyramid
from PYME.IO import PZFFormat
from PYME.IO.zarr_compat import PYMEZarrFileSystem  # noqa: F401  (the mapping we mirror)

LEGACY = '{level:d}/{x:03d}/{x:03d}_{y:03d}_{suff}{ext}'


def build(out, name, mdh, tile):
    root = os.path.join(out, name)
    rng = np.random.default_rng(12)
    p = ImagePyramid(root, pyramid_tile_size=tile, mdh=mdh)
    # Three overlapping frames over a 2.5 x 2 tile area, leaving some tiles empty.
    for x, y in [(0, 0), (tile + 7, 3), (3, tile + 11)]:
        frame = (rng.poisson(40.0, size=(tile + 20, tile + 5)) + 100).astype('float32')
        p.update_base_tiles_from_frame(x, y, frame)
    p.update_pyramid()
    p.save_zarr_metadata()
    zattrs = json.load(open(os.path.join(root, '.zattrs')))
    spec = zattrs['pyme']
    levels = []
    for ds in zattrs['multiscales'][0]['datasets']:
        level = int(ds['path'])
        zarray = json.load(open(os.path.join(root, ds['path'], '.zarray')))
        shape = zarray['shape']
        t = zarray['chunks'][1]
        full = np.zeros(shape, dtype='float32')
        tiles = 0
        for x in range(shape[1] // t):
            for y in range(shape[2] // t):
                fn = os.path.join(root, *spec['key_schema'].format(
                    level=level, z=0, x=x, y=y, suff=spec['suffix'], ext=spec['extension']).split('/'))
                if os.path.exists(fn):
                    data, _ = PZFFormat.loads(open(fn, 'rb').read())
                    full[0, x * t:(x + 1) * t, y * t:(y + 1) * t] = data.squeeze()
                    tiles += 1
        full.tofile(os.path.join(out, '%s-level%d.f32' % (name, level)))
        levels.append({'level': level, 'shape': shape, 'tiles': tiles})
    return {'name': name, 'key_schema': spec['key_schema'], 'levels': levels}


def main():
    out = sys.argv[1]
    manifest = [
        build(out, 'current', None, 64),
        build(out, 'legacy', {'Pyramid.KeySchema': LEGACY}, 32),
    ]
    json.dump(manifest, open(os.path.join(out, 'manifest.json'), 'w'), indent=1)


if __name__ == '__main__':
    main()
