"""Reads what the Node tests wrote, with zarr-python + pymecompress.codecs and the PZF reader.

usage: python check_node_outputs.py DIR       (DIR/node-manifest.json lists the cases)
Writes DIR/python-report.json: one {name, ok, detail} per case; PZF frames decoded by
pzf_ref.loads are also written to DIR/pzf/<name>.pyout.bin (C order) for Node to compare.
"""
import json
import os
import sys

import numpy as np
import zarr
from pymecompress import bcl
from pymecompress.codecs import HuffmanQuant16  # noqa: F401  (registers the codecs)

sys.path.insert(0, os.path.dirname(__file__))
import pzf_ref  # noqa: E402

d = sys.argv[1]
man = json.load(open(os.path.join(d, 'node-manifest.json')))
report = []


def load(name, dtype, shape):
    return np.fromfile(os.path.join(d, name), dtype=np.dtype(dtype).newbyteorder('<')).reshape(shape)


for e in man['zarr']:
    path = os.path.join(d, 'zarr', e['name'])
    z = zarr.open(path, mode='r')
    inp = load(e['input'], e['dtype'], e['shape'])
    res = {'name': e['name'], 'ok': True, 'detail': {}}
    try:
        if e['config']['id'] == 'pymecompress-huffman':
            res['ok'] = bool(np.array_equal(z[...], inp))
            if e.get('compare_chunks_with'):
                other = os.path.join(d, e['compare_chunks_with'])
                same = [open(os.path.join(path, k), 'rb').read() == open(os.path.join(other, k), 'rb').read()
                        for k in sorted(os.listdir(path)) if not k.startswith('.')]
                res['detail']['identical_chunk_files'] = sum(same)
                res['detail']['chunk_files'] = len(same)
                res['ok'] = res['ok'] and all(same)
        else:
            exp = load(e['numcodecs'], 'u2', e['shape'])
            if len(e['shape']) == 1:
                got = z[...]  # whole-chunk reads only work for 1-D arrays in Python
            else:
                got = np.stack([z[r, :] for r in range(e['shape'][0])])  # partial-chunk reads
            res['ok'] = bool(np.array_equal(got, exp))
            # Our quantizer against the reference's, chunk by chunk.
            cfg = e['config']
            diffs, total = 0, 0
            for key in sorted(k for k in os.listdir(path) if not k.startswith('.')):
                idx = [int(x) for x in key.split('.')]
                sl = tuple(slice(i * c, (i + 1) * c) for i, c in zip(idx, e['chunks']))
                chunk = np.zeros(e['chunks'], 'u2')
                part = inp[sl]
                chunk[tuple(slice(0, s) for s in part.shape)] = part
                q_ours = bcl.huffman_decompress_buffer(np.frombuffer(open(os.path.join(path, key), 'rb').read(), 'u1'), None)
                flat = chunk.ravel()
                q_ref = bcl.HuffmanDecompress(bcl.HuffmanCompressQuant(flat, cfg['offset'], cfg['scale']), flat.size)
                dq = np.abs(q_ours.astype(int) - q_ref.astype(int))
                diffs += int((dq > 0).sum())
                total += flat.size
                if dq.max() > 1:
                    res['ok'] = False
            res['detail'] = {'symbols': total, 'symbols_differing_by_1_from_reference_quantizer': diffs}
    except Exception as ex:  # report, don't crash: the Node side prints it
        res = {'name': e['name'], 'ok': False, 'detail': repr(ex)}
    report.append(res)

for e in man['pzf']:
    res = {'name': e['name'], 'ok': True}
    try:
        blob = open(os.path.join(d, 'pzf', e['name'] + '.pzf'), 'rb').read()
        data, h = pzf_ref.loads(blob)
        np.ascontiguousarray(data).astype(data.dtype.newbyteorder('<')).tofile(os.path.join(d, 'pzf', e['name'] + '.pyout.bin'))
        res['detail'] = {'shape': list(data.shape), 'dtype': str(data.dtype), 'version': int(h['Version']),
                         'DataOffset': int(h['DataOffset']), 'DimOrder': h['DimOrder'].decode()}
    except Exception as ex:
        res = {'name': e['name'], 'ok': False, 'detail': repr(ex)}
    report.append(res)

json.dump(report, open(os.path.join(d, 'python-report.json'), 'w'), indent=1)
