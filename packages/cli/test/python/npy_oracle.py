"""Loads every .npy in a directory with numpy (the oracle for the CLI's header parser).

Prints one JSON object: file name -> {"shape", "dtype", "fortran"} or {"error"}.
allow_pickle=True only lifts numpy's 10000-byte header limit; no case holds objects.
"""
import json
import os
import sys

import numpy as np

out = {}
d = sys.argv[1]
for name in sorted(os.listdir(d)):
    if not name.endswith(".npy"):
        continue
    try:
        a = np.load(os.path.join(d, name), allow_pickle=True)
        out[name] = {
            "shape": list(a.shape),
            "dtype": a.dtype.str,
            "fortran": bool(a.flags.f_contiguous and not a.flags.c_contiguous),
        }
    except Exception as e:  # numpy rejects the header (or the data)
        out[name] = {"error": type(e).__name__ + ": " + str(e)[:120]}
print(json.dumps(out))
