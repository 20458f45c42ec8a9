"""Zarr v3 interop with zarr-python 3 (run by test/zarr-v3-python.test.ts in .venv-zarr3).

usage: python zarr3_interop.py write DIR   zarr-python writes DIR/py/<name> (v3 arrays with our
                                           codecs) + DIR/py/<name>.bin (what zarr-python reads
                                           back, C order, little-endian) + DIR/py-manifest.json
       python zarr3_interop.py check DIR   reads the arrays DIR/node-manifest.json lists, written
                                           by zarrita; writes DIR/python-report.json

The codecs are registered by zarr3_codecs.py (the registration docs/FORMAT.md tells Python users
to copy). "pyme-pzf" needs a numcodecs codec of that id: `write` registers one here, for the test
only, on pzf_ref.py (PYME's is read-only); `check` uses PYME's own (PYME/IO/zarr_compat.py) when
PYME_SRC names a directory holding PYME's sources (scripts/setup-pyme.sh), as a user would.
"""
import json
import os
import shutil
import sys
import warnings

import numcodecs
import numpy as np
import zarr
from numcodecs.abc import Codec

sys.path.insert(0, os.path.dirname(__file__))
import pzf_ref  # noqa: E402
import zarr3_codecs as v3  # noqa: E402

warnings.filterwarnings("ignore")  # zarr warns that numcodecs.* codecs are not in the v3 spec


class TestPzf(Codec):
    """numcodecs "pyme-pzf" for this test: a chunk [1, w, h] is one PZF frame [w, h]."""

    codec_id = "pyme-pzf"

    def encode(self, buf):
        a = np.asarray(buf)
        if a.ndim == 3 and a.shape[0] == 1:
            a = a.reshape(a.shape[1:])
        return pzf_ref.dumps(np.ascontiguousarray(a))

    def decode(self, buf, out=None):
        return pzf_ref.loads(bytes(np.asarray(buf).view(np.uint8)))[0]


numcodecs.register_codec(TestPzf)


def rng_frame(shape, seed, dtype):
    r = np.random.default_rng(seed)
    a = 100 + r.exponential(40, size=shape)
    a[r.random(shape) < 0.01] = 50000
    return a.astype(dtype)


def write(d):
    out = os.path.join(d, "py")
    os.makedirs(out, exist_ok=True)
    cases = [
        ("u16_huffman_crc", (40, 30), (16, 16), "uint16", [v3.PymecompressHuffman()], True, None),
        ("u8_huffman", (33, 17), (16, 16), "uint8", [v3.PymecompressHuffman()], False, None),
        ("q16_crc", (40, 20), (16, 16), "uint16",
         [v3.PymecompressQuant16(offset=100, scale=1)], True, None),
        ("f32_pzf_crc", (2, 16, 16), (1, 16, 16), "float32", [v3.PymePzf()], True, None),
        ("u16_sharded_crc", (64, 48), (16, 16), "uint16", [v3.PymecompressHuffman()], True,
         (32, 48)),
    ]
    manifest = []
    for i, (name, shape, chunks, dtype, comps, crc, shards) in enumerate(cases):
        data = rng_frame(shape, i + 1, dtype)
        if dtype == "float32":
            data = data / np.float32(7)
        compressors = comps + ([zarr.codecs.Crc32cCodec()] if crc else [])
        z = zarr.create_array(os.path.join(out, name), shape=shape, chunks=chunks, shards=shards,
                              dtype=dtype, compressors=compressors, fill_value=0, overwrite=True)
        z[...] = data
        back = zarr.open_array(os.path.join(out, name), mode="r")[...]
        np.ascontiguousarray(back).astype(back.dtype.newbyteorder("<")).tofile(
            os.path.join(out, name + ".bin"))
        meta = json.load(open(os.path.join(out, name, "zarr.json")))
        manifest.append({"name": name, "shape": list(shape), "dtype": dtype,
                         "lossless": bool(np.array_equal(back, data)), "codecs": meta["codecs"]})
    json.dump(manifest, open(os.path.join(d, "py-manifest.json"), "w"), indent=1)


def check(d):
    if os.environ.get("PYME_SRC"):
        sys.path.append(os.environ["PYME_SRC"])
        import PYME.IO.zarr_compat  # noqa: F401  (registers PYME's read-only "pyme-pzf")
    pzf_codec = type(numcodecs.get_codec({"id": "pyme-pzf"})).__module__
    man = json.load(open(os.path.join(d, "node-manifest.json")))
    report = []
    for e in man:
        path = os.path.join(d, e["path"])
        res = {"name": e["path"], "ok": False, "detail": {}}
        try:
            z = zarr.open_array(path, mode="r")
            want = np.fromfile(os.path.join(d, e["expected"]),
                               dtype=np.dtype(e["dtype"]).newbyteorder("<")).reshape(e["shape"])
            got = z[...]
            res["detail"]["codecs"] = [c.to_dict() for c in z.metadata.codecs]
            res["detail"]["pzf_codec"] = pzf_codec
            res["ok"] = bool(got.dtype == want.dtype and np.array_equal(got, want))
            if not res["ok"]:
                res["detail"]["mismatches"] = int(np.count_nonzero(got != want))
            if e.get("flip"):
                # A changed byte in a crc32c chunk must make zarr-python fail, not decode.
                bad = path + ".flipped"
                shutil.rmtree(bad, ignore_errors=True)
                shutil.copytree(path, bad)
                chunk = os.path.join(bad, *e["flip"].split("/"))
                b = bytearray(open(chunk, "rb").read())
                b[len(b) // 2] ^= 1
                open(chunk, "wb").write(bytes(b))
                try:
                    zarr.open_array(bad, mode="r")[...]
                    res["detail"]["flip"] = "read without error"
                    res["ok"] = False
                except Exception as err:  # noqa: BLE001  (zarr raises ValueError today)
                    res["detail"]["flip"] = type(err).__name__ + ": " + str(err)[:200]
        except Exception as err:  # noqa: BLE001
            res["detail"]["error"] = type(err).__name__ + ": " + str(err)[:500]
        report.append(res)
    json.dump(report, open(os.path.join(d, "python-report.json"), "w"), indent=1)


if __name__ == "__main__":
    {"write": write, "check": check}[sys.argv[1]](sys.argv[2])
