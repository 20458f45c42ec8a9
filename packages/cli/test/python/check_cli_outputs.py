"""Reads what the CLI wrote with zarr-python + pymecompress.codecs and a PYME-layout PZF reader,
and writes Python-made files for the CLI to read.

usage: python check_cli_outputs.py DIR
Reads DIR/stack.npy (the original), DIR/lossless.zarr, DIR/quant.zarr (offset 100, scale 1),
DIR/frame-q.pzf, DIR/frame-l.pzf (frame 0); prints one JSON report on stdout. Also writes
DIR/py-huffman-u16.zarr, DIR/py-quant.zarr and DIR/py-frame.pzf (frame 1) for the reverse direction.
"""
import json
import os
import sys

# The reference's C quantizer prints "Using AVX optimsed code" to fd 1 (buffered by C stdio, so
# it can land after our report). Keep the report on a private copy of stdout and send fd 1 to
# stderr before the reference is imported.
sys.stdout.flush()
_report = os.fdopen(os.dup(1), 'w')
os.dup2(2, 1)

import numpy as np
import zarr
from pymecompress.codecs import Huffman, HuffmanQuant16  # registers the codecs with numcodecs

sys.path.insert(0, os.path.join(os.path.dirname(__file__), '..', '..', '..', 'codecs', 'test', 'python'))
import pzf_ref  # noqa: E402  (the PYME-layout reader/writer of the codecs package's tests)

d = sys.argv[1]
orig = np.load(os.path.join(d, 'stack.npy'))
report = {}

z = zarr.open(os.path.join(d, 'lossless.zarr'), mode='r')
report['lossless_shape'] = list(z.shape)
report['lossless_dtype'] = str(z.dtype)
report['lossless_equal'] = bool(np.array_equal(z[...], orig))

q = zarr.open(os.path.join(d, 'quant.zarr'), mode='r')
# Python's HuffmanQuant16.decode cannot fill a whole multi-dimensional chunk (docs/DEVIATIONS.md C5): read
# each frame row by row (partial-chunk reads), which decodes with numcodecs' q^2/scale + offset.
got = np.stack([np.stack([q[i, r, :] for r in range(q.shape[1])]) for i in range(q.shape[0])])
err = np.abs(got.astype(np.int64) - orig.astype(np.int64))
v = orig.astype(np.float64) - 100
ok = v >= 0
report['quant_shape'] = list(q.shape)
report['quant_max_err_over_bound'] = float(np.max(err[ok] / (np.sqrt(v[ok]) + 0.25 + 1)))
report['quant_below_offset_is_offset'] = bool(np.all(got[~ok] == 100))
report['quant_config'] = q.compressor.get_config()

for name in ('frame-l', 'frame-q'):
    data, h = pzf_ref.loads(open(os.path.join(d, name + '.pzf'), 'rb').read())
    data = data[:, :, 0]
    report[name] = {
        'shape': list(data.shape),
        'version': int(h['Version']),
        'quantized': int(h['DataQuantization']),
        'max_abs_diff': int(np.max(np.abs(data.astype(np.int64) - orig[0].astype(np.int64)))),
        'equal_to_cli_decompress': bool(np.array_equal(data, np.load(os.path.join(d, name + '.npy')))),
    }

# reverse direction: Python writes, the CLI reads
zarr.open(os.path.join(d, 'py-huffman-u16.zarr'), mode='w', shape=orig.shape, chunks=(1,) + orig.shape[1:],
          dtype=orig.dtype, compressor=Huffman())[...] = orig
zarr.open(os.path.join(d, 'py-quant.zarr'), mode='w', shape=orig.shape, chunks=(1,) + orig.shape[1:],
          dtype=orig.dtype, compressor=HuffmanQuant16(offset=100, scale=1))[...] = orig
open(os.path.join(d, 'py-frame.pzf'), 'wb').write(
    pzf_ref.dumps(orig[1], quantization=1, quantizationOffset=100, quantizationScale=1))
pyme, _ = pzf_ref.loads(open(os.path.join(d, 'py-frame.pzf'), 'rb').read())
np.save(os.path.join(d, 'py-frame-expected.npy'), np.ascontiguousarray(pyme[:, :, 0]))
_report.write(json.dumps(report) + '\n')
_report.flush()
