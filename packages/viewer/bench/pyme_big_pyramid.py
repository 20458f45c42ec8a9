"""Writes a PYME tile pyramid large enough to pan (base about 2048 x 2048, 256-pixel tiles) with
PYME's own ImagePyramid, for bench/open-bench.mjs. Seeded: reruns write the same pixels.

usage: pyme_big_pyramid.py OUT_DIR   (PYME/ from the python-microscopy sdist on PYTHONPATH, as
packages/codecs/scripts/setup-pyme.sh sets it up)
"""
import os
import sys

import numpy as np
from PYME.Analysis.tile_pyramid import ImagePyramid

TILE = 256
FRAME = 512
GRID = 4


def main():
    root = os.path.join(sys.argv[1], 'pyramid')
    rng = np.random.default_rng(3)
    p = ImagePyramid(root, pyramid_tile_size=TILE)
    yy, xx = np.mgrid[0:FRAME, 0:FRAME]
    for i in range(GRID):
        for j in range(GRID):
            # Poisson noise over a smooth pattern, so a pan shows structure at every level.
            mean = 60 + 40 * np.sin((xx + i * FRAME) / 97.0) * np.cos((yy + j * FRAME) / 61.0)
            frame = (rng.poisson(np.maximum(mean, 1)) + 100).astype('float32')
            p.update_base_tiles_from_frame(i * FRAME, j * FRAME, frame)
    p.update_pyramid()
    p.save_zarr_metadata()


if __name__ == '__main__':
    main()
