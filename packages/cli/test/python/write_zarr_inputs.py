"""Writes Zarr inputs for the CLI's readers with zarr-python 2 (+ pymecompress.codecs, numcodecs),
each beside a .npy of the pixels numpy holds, for zarr-input.test.ts. Seeded: reruns write the
same pixels.

usage: python write_zarr_inputs.py DIR
  chunked.zarr   uint16 (5, 300, 260), chunks (1, 128, 128) (edge chunks), pymecompress-huffman
  blosc.zarr     uint16 (7, 90, 70), chunks (3, 32, 32), blosc zstd, fill 7, two chunks missing
  float.zarr     float32 (2, 3, 50, 40), chunks (1, 2, 16, 40), zlib, order F
  frame.zarr     uint8 (70, 90) one 2-D frame, chunks (16, 32), gzip
  ome.zarr       OME-NGFF 0.4 group, axes t c z y x, levels 0 and 1 (2x binned in y, x), uint16
"""
import json
import os
import sys

sys.stdout.flush()
os.dup2(2, 1)  # the reference's C code prints to fd 1

import numcodecs
import numpy as np
import zarr
from pymecompress.codecs import Huffman, HuffmanQuant16  # noqa: F401  (registers the codecs)

d = sys.argv[1]
rng = np.random.default_rng(7)


def camera(shape):
    return (rng.poisson(30.0, size=shape) + 100).astype('uint16')


def save(name, a, **kw):
    # The expected pixels are what zarr-python was given (lossless codecs): pymecompress 0.3.6's
    # own decode cannot read back multi-dimensional chunks whole (docs/DEVIATIONS.md C5).
    z = zarr.open_array(os.path.join(d, name), mode='w', shape=a.shape, dtype=a.dtype, **kw)
    z[...] = a
    np.save(os.path.join(d, name.replace('.zarr', '.npy')), a)
    return z


save('chunked.zarr', camera((5, 300, 260)), chunks=(1, 128, 128), compressor=Huffman())
b = camera((7, 90, 70))
bz = zarr.open_array(os.path.join(d, 'blosc.zarr'), mode='w', shape=b.shape, dtype=b.dtype,
                     chunks=(3, 32, 32), fill_value=7,
                     compressor=numcodecs.Blosc(cname='zstd', clevel=3, shuffle=numcodecs.Blosc.BITSHUFFLE))
bz[...] = b
for k in ['0.1.1', '2.2.0']:  # absent chunks read as the fill value
    os.remove(os.path.join(d, 'blosc.zarr', k))
np.save(os.path.join(d, 'blosc.npy'), bz[...])
f = rng.normal(size=(2, 3, 50, 40)).astype('float32')
save('float.zarr', f, chunks=(1, 2, 16, 40), compressor=numcodecs.Zlib(level=5), order='F')
save('frame.zarr', rng.integers(0, 256, size=(70, 90)).astype('uint8'), chunks=(16, 32),
     compressor=numcodecs.GZip(level=6))

g = zarr.open_group(os.path.join(d, 'ome.zarr'), mode='w')
full = camera((1, 2, 3, 64, 48))
half = full.reshape(1, 2, 3, 32, 2, 24, 2).mean(axis=(4, 6)).astype('uint16')
for path, a in [('0', full), ('1', half)]:
    g.create_dataset(path, data=a, chunks=(1, 1, 1, 32, 32), compressor=Huffman())
    np.save(os.path.join(d, 'ome-%s.npy' % path), a)
g.attrs['multiscales'] = [{
    'version': '0.4',
    'name': 'ome',
    'axes': [{'name': 't', 'type': 'time'}, {'name': 'c', 'type': 'channel'},
             {'name': 'z', 'type': 'space', 'unit': 'micrometer'},
             {'name': 'y', 'type': 'space', 'unit': 'micrometer'},
             {'name': 'x', 'type': 'space', 'unit': 'micrometer'}],
    'datasets': [
        {'path': '0', 'coordinateTransformations': [{'type': 'scale', 'scale': [1, 1, 0.5, 0.1, 0.1]}]},
        {'path': '1', 'coordinateTransformations': [{'type': 'scale', 'scale': [1, 1, 0.5, 0.2, 0.2]}]},
    ],
}]
print(json.dumps({'zarr': zarr.__version__, 'numcodecs': numcodecs.__version__}), file=sys.stderr)
