"""Writes Zarr v3 arrays with zarr-python 3 (packages/codecs/.venv-zarr3) for zarr-input.test.ts,
each beside a .npy of the pixels it was given; pymecompress's codecs are registered for v3 by the
codecs package's zarr3_codecs.py (the registration docs/FORMAT.md tells Python users to copy).
Seeded.

usage: python write_zarr3_inputs.py DIR
  v3-tiles.zarr    uint16 (3, 300, 260), chunks (1, 128, 128), numcodecs.pymecompress-huffman + crc32c
  v3-sharded.zarr  uint16 (2, 256, 200), shards (1, 256, 200) of (1, 128, 100) chunks, same codecs
  v3-zstd.zarr     float32 (4, 40, 30), chunks (2, 16, 16), zarr-python's default codecs (zstd)
"""
import os
import sys
import warnings

sys.path.insert(0, os.path.join(os.path.dirname(__file__), '..', '..', '..', 'codecs', 'test', 'python'))
sys.stdout.flush()
os.dup2(2, 1)  # the reference's C code prints to fd 1

import numpy as np  # noqa: E402
import zarr  # noqa: E402
import zarr3_codecs as v3  # noqa: E402

warnings.filterwarnings('ignore')  # numcodecs.* codecs are not in the v3 spec
d = sys.argv[1]
rng = np.random.default_rng(5)


def save(name, data, **kw):
    z = zarr.create_array(os.path.join(d, name), shape=data.shape, dtype=data.dtype, fill_value=0,
                          overwrite=True, **kw)
    z[...] = data
    np.save(os.path.join(d, name.replace('.zarr', '.npy')), data)


ours = [v3.PymecompressHuffman(), zarr.codecs.Crc32cCodec()]
save('v3-tiles.zarr', (rng.poisson(30.0, (3, 300, 260)) + 100).astype('uint16'),
     chunks=(1, 128, 128), compressors=ours)
save('v3-sharded.zarr', (rng.poisson(30.0, (2, 256, 200)) + 100).astype('uint16'),
     chunks=(1, 128, 100), shards=(1, 256, 200), compressors=ours)
save('v3-zstd.zarr', rng.normal(size=(4, 40, 30)).astype('float32'), chunks=(2, 16, 16))
