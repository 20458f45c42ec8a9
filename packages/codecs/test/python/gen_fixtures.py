"""Generates the Python-written fixtures the Node tests read (fixed seeds).

usage: python gen_fixtures.py OUTDIR

OUTDIR/zarr/<name>/       Zarr v2 arrays written by zarr-python with pymecompress.codecs
OUTDIR/pzf/<name>.pzf     PZF frames written by pzf_ref.dumps (PYME's layout)
OUTDIR/<name>.*.bin       inputs / expected values, little-endian, C order
OUTDIR/manifest.json      what is where
"""
import json
import os
import sys

import numpy as np
import zarr
from pymecompress import bcl
from pymecompress.codecs import Huffman, HuffmanQuant16

sys.path.insert(0, os.path.dirname(__file__))
import pzf_ref  # noqa: E402

out = sys.argv[1]
os.makedirs(os.path.join(out, 'zarr'), exist_ok=True)
os.makedirs(os.path.join(out, 'pzf'), exist_ok=True)
manifest = {'zarr': [], 'pzf': []}


def save(name, arr):
    path = os.path.join(out, name)
    np.ascontiguousarray(arr).astype(arr.dtype.newbyteorder('<')).tofile(path)
    return name


def camera(rng, shape, offset, scale, dtype='u2'):
    """Poisson-ish frame on a dark level, kept where the reference quantizer is defined."""
    top = offset + (255.4 * scale) ** 2 if scale else 65535
    top = min(top, 60000)
    lam = max(1.0, (top - offset) / 8)
    a = offset + rng.poisson(lam, size=shape).astype('f8') - 3
    a[rng.random(shape) < 0.01] = top - 1  # a few bright pixels
    return np.clip(a, 0, top - 1).astype(dtype)


def quantized(data, offset, scale):
    flat = np.ascontiguousarray(data).ravel()
    return bcl.HuffmanDecompress(bcl.HuffmanCompressQuant(flat, offset, scale), flat.size).reshape(data.shape)


def pyme_dequant(q, offset, scale):
    t = q.astype('f') * np.float32(scale)
    return (t * t + np.float32(offset)).astype('u2')


def numcodecs_dequant(q, offset, scale):
    r = q.astype('uint16')
    return ((r * r) / scale + offset).astype('uint16')


rng = np.random.default_rng(20261124)

# --- Zarr v2 arrays written by zarr-python ---------------------------------------------------
def zarr_case(name, data, chunks, codec, expected):
    path = os.path.join(out, 'zarr', name)
    z = zarr.open(path, mode='w', shape=data.shape, chunks=chunks, dtype=data.dtype, compressor=codec)
    z[...] = data
    entry = {'name': name, 'shape': list(data.shape), 'chunks': list(chunks), 'dtype': str(data.dtype),
             'config': codec.get_config(), 'input': save(name + '.input.bin', data)}
    entry.update({k: save('%s.%s.bin' % (name, k), v) for k, v in expected.items()})
    manifest['zarr'].append(entry)


u8 = rng.integers(0, 40, size=(37, 53)).astype('u1')
u8[5:9, :] = 255
zarr_case('py_u8_huffman', u8, (16, 20), Huffman(), {'expected': u8})
u16 = camera(rng, (41, 29), 100, 1)
zarr_case('py_u16_huffman', u16, (16, 16), Huffman(), {'expected': u16})
u16_3d = camera(rng, (5, 12, 9), 100, 1)
zarr_case('py_u16_huffman_3d', u16_3d, (2, 5, 9), Huffman(), {'expected': u16_3d})

for offset, scale in [(0, 1), (100, 1), (100, 0.5), (50.5, 2.25), (0, 4)]:
    data = camera(rng, (33, 47), offset, scale)
    q = quantized(data, offset, scale)
    tag = ('%s_%s' % (offset, scale)).replace('.', 'p')
    name = 'py_quant16_' + tag
    zarr_case(name, data, (16, 24), HuffmanQuant16(offset=offset, scale=scale),
              {'pyme': pyme_dequant(q, offset, scale), 'numcodecs': numcodecs_dequant(q, offset, scale)})
    # Cross-check: numcodecs_dequant is exactly what the Python codec's decode returns.
    z = zarr.open(os.path.join(out, 'zarr', name), mode='r')
    first = z.store['0.0']
    dec = HuffmanQuant16(offset=offset, scale=scale).decode(first)
    chunk = np.zeros((16, 24), 'u2')
    chunk[:16, :24] = data[:16, :24]
    assert np.array_equal(dec[:16 * 24], numcodecs_dequant(quantized(chunk, offset, scale), offset, scale).ravel())

# --- PZF frames written following PYME's dumps ----------------------------------------------
def pzf_case(name, data, **kw):
    blob = pzf_ref.dumps(data, **kw)
    with open(os.path.join(out, 'pzf', name + '.pzf'), 'wb') as f:
        f.write(blob)
    loaded, header = pzf_ref.loads(blob)
    order = 'F' if data.flags['F_CONTIGUOUS'] else 'C'
    entry = {'name': name, 'shape': list(data.shape), 'dtype': str(data.dtype), 'order': order,
             'input': save(name + '.pzfin.bin', np.asarray(data)),
             'expected': save(name + '.pzfexp.bin', loaded),
             'options': {k: v for k, v in kw.items()}}
    manifest['pzf'].append(entry)


f_u8 = rng.integers(0, 256, size=(24, 17)).astype('u1')
f_u16 = camera(rng, (32, 20), 100, 1)
f_f32 = (rng.standard_normal((16, 12)) * 1000).astype('f4')
f_u16_3d = camera(rng, (8, 6, 3), 100, 1)
for comp, cname in [(0, 'raw'), (1, 'huffman'), (2, 'chunked')]:
    pzf_case('u8_%s' % cname, f_u8, compression=comp, sequenceID=-1234567890123, frameNum=7, frameTimestamp=2**63 + 5)
    pzf_case('u16_%s' % cname, f_u16, compression=comp, sequenceID=42, frameNum=1)
    pzf_case('f32_%s' % cname, f_f32, compression=comp)
    pzf_case('u16_3d_%s' % cname, f_u16_3d, compression=comp)
    pzf_case('u16_F_%s' % cname, np.asfortranarray(f_u16), compression=comp)
for offset, scale in [(0, 1), (100, 1), (100, 0.5), (50.5, 2.25)]:
    data = camera(rng, (40, 24), offset, scale)
    tag = ('%s_%s' % (offset, scale)).replace('.', 'p')
    for comp, cname in [(0, 'raw'), (1, 'huffman'), (2, 'chunked')]:
        pzf_case('u16_quant_%s_%s' % (tag, cname), data, compression=comp, quantization=1,
                 quantizationOffset=offset, quantizationScale=scale, frameNum=3)
pzf_case('u16_quant_F_huffman', np.asfortranarray(camera(rng, (20, 12), 100, 1)), compression=1,
         quantization=1, quantizationOffset=100, quantizationScale=1)
pzf_case('u16_v1_huffman', f_u16, compression=1, version=1)
pzf_case('u16_v2_F_raw', np.asfortranarray(f_u16), compression=0, version=2)
pzf_case('u16_quant_v2_huffman', f_u16, compression=1, version=2, quantization=1,
         quantizationOffset=100, quantizationScale=1)
pzf_case('u16_row_huffman', camera(rng, (1, 9), 100, 1), compression=1)  # numpy flags it F too

with open(os.path.join(out, 'manifest.json'), 'w') as f:
    json.dump(manifest, f, indent=1)
