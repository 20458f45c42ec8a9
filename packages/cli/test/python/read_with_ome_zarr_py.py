"""Opens an .ome.zarr with ome-zarr-py's reader (parse_url + Reader, as napari-ome-zarr does) and
prints one JSON report: the node's specs, each level's shape, the axes, and whether every level
equals the zarr-python read of the same dataset path.

usage: PYTHONPATH=<ome-zarr-py target> python read_with_ome_zarr_py.py GROUP
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
from ome_zarr.io import parse_url
from ome_zarr.reader import Multiscales, Reader

group = sys.argv[1]
nodes = list(Reader(parse_url(group))())
image = nodes[0]
g = zarr.open_group(group, mode='r')
paths = [d['path'] for d in g.attrs['multiscales'][0]['datasets']]
_report.write(json.dumps({
    'multiscales': any(isinstance(s, Multiscales) for s in image.specs),
    'shapes': [list(d.shape) for d in image.data],
    'axes': [a['name'] for a in image.metadata['axes']],
    'equal': [bool(np.array_equal(np.asarray(d), g[p][...])) for d, p in zip(image.data, paths)],
}) + '\n')
_report.flush()
