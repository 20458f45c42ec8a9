"""Shared helpers for the conformance scripts: a clean protocol stdout and the reference's entry
points (including its scalar quantizer body, which its own dispatch never selects on AVX CPUs).

Import this module FIRST: `protect_stdout()` must run before anything can print.
"""

import ctypes
import os
import platform
import sys

_proto = None


def protect_stdout(discard=False):
    """Move the real stdout to a private fd and point fd 1 at stderr (or /dev/null if discard).

    The reference's C quantizer printf()s on every call ("Using AVX optimsed code"), which would
    corrupt any protocol or JSON written to stdout. After this, C and Python writes to fd 1 land
    on stderr; the returned binary file writes to the original stdout.
    """
    global _proto
    if _proto is not None:
        return _proto
    sys.stdout.flush()
    private = os.dup(1)
    if discard:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)
        os.close(devnull)
    else:
        os.dup2(2, 1)
    _proto = os.fdopen(private, "wb", buffering=0)
    sys.stdout = sys.stderr
    return _proto


import numpy as np  # noqa: E402
import pymecompress  # noqa: E402
from pymecompress import bcl  # noqa: E402
import pymecompress.codecs as pcodecs  # noqa: E402

_lib = ctypes.CDLL(bcl.__file__)
_scalar = _lib._quantize_u16
_scalar.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int, ctypes.c_float, ctypes.c_float]
_scalar.restype = None
_dispatch = _lib.quantize_u16
_dispatch.argtypes = _scalar.argtypes
_dispatch.restype = None
try:
    _avx = _lib._quantize_u16_AVX
    _avx.argtypes = _scalar.argtypes
    _avx.restype = None
except AttributeError:  # pragma: no cover - non-x86 builds
    _avx = None


def _aligned_u16(x):
    """A 32-byte-aligned contiguous copy (the AVX body uses aligned 16-byte loads)."""
    x = np.ascontiguousarray(x, dtype="<u2")
    raw = np.zeros(x.size * 2 + 64, dtype=np.uint8)
    start = (-raw.ctypes.data) % 32
    a = raw[start : start + x.size * 2].view("<u2")
    a[:] = x
    return a


def _aligned_u8(n):
    raw = np.zeros(n + 64, dtype=np.uint8)
    start = (-raw.ctypes.data) % 32
    return raw[start : start + n]


def quantize(x, offset, scale, path="scalar"):
    """The reference's quantizer. path: 'scalar' (its portable C body, _quantize_u16),
    'avx' (_quantize_u16_AVX) or 'dispatch' (quantize_u16, what HuffmanCompressQuant calls)."""
    fn = {"scalar": _scalar, "avx": _avx, "dispatch": _dispatch}[path]
    if fn is None:
        raise ValueError("this build has no %s quantizer body" % path)
    a = _aligned_u16(x)
    out = _aligned_u8(a.size)
    if a.size:
        fn(a.ctypes.data, out.ctypes.data, a.size, float(offset), float(scale))
    return out.copy()


def huffman_compress(data):
    data = np.ascontiguousarray(np.frombuffer(bytes(data), dtype=np.uint8))
    return bcl.HuffmanCompress(data).tobytes()


def huffman_decompress(stream, n):
    # An empty stream is fine (the C code returns at once, leaving zeros); note that the reference
    # parses the tree even for n == 0, so only pass streams a correct encoder produced.
    s = np.frombuffer(bytes(stream), dtype=np.uint8).copy()
    return bcl.HuffmanDecompress(s, int(n)).tobytes()


def huffman_compress_quant(x, offset, scale, path="dispatch"):
    """path 'dispatch' is bcl.HuffmanCompressQuant itself; 'scalar'/'avx' run the same two steps
    (quantize, then Huffman_Compress) with that quantizer body forced."""
    if path == "dispatch":
        a = _aligned_u16(x)
        return bcl.HuffmanCompressQuant(a, float(offset), float(scale)).tobytes()
    return huffman_compress(quantize(x, offset, scale, path).tobytes())


def detect_dispatch_path():
    """Which body quantize_u16 (and so HuffmanCompressQuant) uses here, told by behaviour:
    offset 0, scale 1, x = 65535 -> 0 in the scalar body (wraps), 255 in the AVX body."""
    x = np.full(32, 65535, dtype=np.uint16)
    q = quantize(x, 0.0, 1.0, "dispatch")
    return "avx" if int(q[0]) == 255 else "scalar" if int(q[0]) == 0 else "unknown(%d)" % q[0]


def info():
    import numcodecs
    import zarr

    return {
        "pymecompress": pymecompress.version.version,
        "numpy": np.__version__,
        "numcodecs": numcodecs.__version__,
        "zarr": zarr.__version__,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "machine": platform.machine(),
        "bcl_module": os.path.basename(bcl.__file__),
        "quantizer_dispatch_path": detect_dispatch_path(),
        "quantizer_bodies": ["scalar"] + (["avx"] if _avx is not None else []),
    }
