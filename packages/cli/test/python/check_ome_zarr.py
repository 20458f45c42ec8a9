"""Reads an .ome.zarr the CLI wrote with zarr-python 2 + pymecompress.codecs, the way OME-Zarr
readers do: open the group, take multiscales[0].datasets[].path, open each array. Compares level 0
with the original stack and every level below with an independent numpy 2x2 mean binning
(existing pixels of each block, rounded half up). Prints one JSON report on stdout.

usage: python check_ome_zarr.py GROUP ORIGINAL.npy
"""
import json
import os
import sys

sys.stdout.flush()
_report = os.fdopen(os.dup(1), 'w')
os.dup2(2, 1)  # the reference's C code prints to fd 1 (see check_cli_outputs.py)

import numpy as np
import zarr
import pymecompress.codecs  # noqa: F401  (registers the codecs with numcodecs)


def bin2(a):
    """2x2 mean over the last two axes; edge blocks average the pixels they have."""
    h, w = a.shape[-2:]
    h2, w2 = -(-h // 2), -(-w // 2)
    pad = [(0, 0)] * (a.ndim - 2) + [(0, 2 * h2 - h), (0, 2 * w2 - w)]
    s = np.pad(a.astype(np.int64), pad)
    n = np.pad(np.ones((h, w), np.int64), pad[-2:])
    blocks = s.reshape(a.shape[:-2] + (h2, 2, w2, 2)).sum(axis=(-3, -1))
    count = n.reshape(h2, 2, w2, 2).sum(axis=(-3, -1))
    return np.floor(blocks / count + 0.5).astype(a.dtype)


group_path, orig_path = sys.argv[1], sys.argv[2]
orig = np.load(orig_path)
g = zarr.open_group(group_path, mode='r')
ms = g.attrs['multiscales'][0]
report = {'version': ms['version'], 'axes': [a['name'] for a in ms['axes']], 'levels': []}
expected = orig
for i, ds in enumerate(ms['datasets']):
    if i > 0:
        expected = bin2(expected)
    arr = g[ds['path']]
    got = arr[...]
    report['levels'].append({
        'path': ds['path'],
        'shape': list(arr.shape),
        'chunks': list(arr.chunks),
        'dtype': str(arr.dtype),
        'compressor': arr.compressor.get_config()['id'],
        'equal': bool(got.shape == expected.shape and np.array_equal(got, expected)),
        'scale': ds['coordinateTransformations'][0]['scale'],
    })
_report.write(json.dumps(report) + '\n')
_report.flush()
