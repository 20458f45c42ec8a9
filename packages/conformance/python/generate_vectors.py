"""Generate the committed conformance vectors from the real reference (pymecompress 0.3.6).

Usage: python generate_vectors.py [OUT_DIR]   (default: ../vectors next to this directory)

Deterministic: fixed seeds, gzip without timestamps, no dates in the manifest, so regenerating on
the same reference build reproduces the same files. Everything is described in manifest.json;
payload files are raw bytes (`.bin`) or gzip-compressed raw bytes (`.bin.gz`).

Vector groups (manifest "vectors" entries, field "kind"):
  huffman      an input and the reference's HuffmanCompress stream. Large inputs are not stored:
               the input is the stream decoded (checked against inputSha256). Where the reference
               fails (codes > 25 bits) the input is stored and the stream is kept for its tree.
  quantize     all 65,536 uint16 values through the reference's scalar C body (_quantize_u16) and
               its AVX body (what HuffmanCompressQuant dispatches to on AVX CPUs), per (offset,
               scale); definedLo..definedHi is the x range where the reference is defined.
  quantStream  HuffmanCompressQuant streams: forced-scalar (bytes-comparable) and as dispatched.
  codec        numcodecs pymecompress.codecs buffers as Python writes them, and its decode results.
"""

import gzip
import hashlib
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import refcommon  # noqa: E402

refcommon.protect_stdout(discard=True)  # the reference's per-call printf is noise here
np = refcommon.np

SEED = 20261124
HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "..", "vectors"))
STORE_INPUT_MAX = 4097  # inputs up to this size are stored; larger ones are recovered by decoding
GZIP_MIN = 2048

files_written = set()


def sha(b):
    return hashlib.sha256(bytes(b)).hexdigest()


def write(relname, data, compress=None):
    data = bytes(data)
    if compress is None:
        compress = len(data) >= GZIP_MIN
    if compress:
        relname += ".gz"
        data = gzip.compress(data, compresslevel=9, mtime=0)
    path = os.path.join(OUT, relname)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)
    files_written.add(relname)
    return relname


def tree_info(stream):
    """Parse the pre-order tree at the head of a BCL stream: (tree bit length, max code length)."""
    bits = np.unpackbits(np.frombuffer(stream, dtype=np.uint8))
    pos = 0
    maxdepth = 0
    stack = [0]  # depths of pending nodes
    while stack:
        d = stack.pop()
        flag = bits[pos]
        pos += 1
        if flag:
            pos += 8
            maxdepth = max(maxdepth, d)
        else:
            stack.append(d + 1)
            stack.append(d + 1)
    return pos, maxdepth


# ---------------------------------------------------------------------------------------------
# input distributions

def dist(name, n, rng):
    if n == 0:
        return np.zeros(0, dtype=np.uint8)
    if name == "uniform":
        return rng.integers(0, 256, n, dtype=np.uint8)
    if name == "skewed":  # p ~ 1/(i+1)^2 over a random symbol order
        p = 1.0 / (np.arange(256) + 1.0) ** 2
        perm = rng.permutation(256)
        return perm[rng.choice(256, n, p=p / p.sum())].astype(np.uint8)
    if name == "geometric":
        g = np.minimum(rng.geometric(0.3, n) - 1, 255)
        return g.astype(np.uint8)
    if name == "single":
        return np.full(n, 42, dtype=np.uint8)
    if name == "two":
        return np.where(rng.random(n) < 0.9, 0, 255).astype(np.uint8)
    if name == "all256":  # every symbol at least once when n >= 256, then random
        base = rng.permutation(256).astype(np.uint8)
        if n <= 256:
            return base[:n].copy()
        rest = rng.integers(0, 256, n - 256, dtype=np.uint8)
        x = np.concatenate([base, rest])
        return x[rng.permutation(n)]
    raise ValueError(name)


def fibonacci_input(k, rng):
    """Shuffled bytes whose histogram is F1..Fk (1, 1, 2, 3, 5, ...) over k symbols: the Huffman
    tree is a chain of depth k - 1 (the deepest code is k - 1 bits)."""
    f = [1, 1]
    while len(f) < k:
        f.append(f[-1] + f[-2])
    syms = rng.permutation(256)[:k]
    x = np.concatenate([np.full(c, s, dtype=np.uint8) for c, s in zip(f[:k], syms)])
    return x[rng.permutation(x.size)]


def camera_frame(h, w, rng):
    """A synthetic sCMOS frame: dark level 100, Poisson photons (background + spots), read noise."""
    yy, xx = np.mgrid[0:h, 0:w]
    lam = np.full((h, w), 4.0)
    for _ in range(max(1, h * w // 2000)):
        cy, cx = rng.uniform(0, h), rng.uniform(0, w)
        amp, sig = rng.uniform(50, 2000), rng.uniform(1.0, 3.0)
        lam += amp * np.exp(-((yy - cy) ** 2 + (xx - cx) ** 2) / (2 * sig * sig))
    frame = 100 + rng.poisson(lam) + np.round(rng.normal(0, 1.5, (h, w)))
    return np.clip(frame, 0, 65535).astype("<u2")


def float32_model(x, off, sc):
    """The quantizer's float32 arithmetic (docs/FORMAT.md §2), written once: `v32 = x - offset32`
    and `r = float32(1 / scale32) * sqrt(v32)` (NaN where v32 < 0)."""
    o32, s32 = np.float32(off), np.float32(sc)
    qs = np.float32(1.0 / np.float64(s32))
    v32 = np.asarray(x).astype(np.float32) - o32
    with np.errstate(invalid="ignore"):
        r = qs * np.sqrt(v32)
    return v32, r


def contract_quantize(x, off, sc):
    """Our documented quantizer (docs/FORMAT.md §2): float32 model, 0 below offset,
    saturating at 255."""
    v32, r = float32_model(x, off, sc)
    with np.errstate(invalid="ignore"):
        q = np.where(r >= np.float32(255.5), 255.0, np.floor(r.astype(np.float64) + 0.5))
    return np.where(v32 < 0, 0, q).astype(np.uint8)


# ---------------------------------------------------------------------------------------------

def huffman_vector(vectors, name, data, note=None):
    data = np.ascontiguousarray(data, dtype=np.uint8)
    raw = data.tobytes()
    stream = refcommon.huffman_compress(raw)
    decoded = refcommon.huffman_decompress(stream, len(raw))
    roundtrips = decoded == raw
    tree_bits, depth = tree_info(stream) if stream else (0, 0)
    defined = depth <= 25
    assert roundtrips == defined or len(raw) == 0, (name, depth, roundtrips)
    v = {
        "kind": "huffman",
        "name": name,
        "size": len(raw),
        "inputSha256": sha(raw),
        "distinctSymbols": int(np.unique(data).size),
        "maxCodeLength": int(depth),
        "treeBits": int(tree_bits),
        "streamLength": len(stream),
        "streamSha256": sha(stream),
        "stream": write("huffman/%s.stream.bin" % name, stream),
        "referenceDefined": bool(defined),
        "referenceRoundTrips": bool(roundtrips),
    }
    if not defined or len(raw) <= STORE_INPUT_MAX:
        v["input"] = write("huffman/%s.input.bin" % name, raw)
    if note:
        v["note"] = note
    vectors.append(v)


def main():
    os.makedirs(OUT, exist_ok=True)
    for root, _, names in os.walk(OUT):
        for n in names:
            if n != ".gitattributes":
                os.remove(os.path.join(root, n))
    rng = np.random.default_rng(SEED)
    vectors = []

    # 1. HuffmanCompress / HuffmanDecompress
    sizes = [0, 1, 2, 3, 7, 8, 9, 255, 256, 257, 4095, 4096, 4097, 65536]
    for d in ["uniform", "skewed", "geometric", "single", "two", "all256"]:
        for n in sizes:
            huffman_vector(vectors, "%s-%d" % (d, n), dist(d, n, rng))
    for d in ["skewed", "geometric", "single"]:
        huffman_vector(vectors, "%s-1048576" % d, dist(d, 1 << 20, rng))
    huffman_vector(vectors, "uniform-262144", dist("uniform", 1 << 18, rng))
    for k in [3, 5, 10, 15, 20, 24, 25, 26]:
        huffman_vector(vectors, "fibonacci-%d" % k, fibonacci_input(k, rng),
                       note="Fibonacci histogram over %d symbols: deepest code %d bits" % (k, k - 1))
    huffman_vector(vectors, "fibonacci-27", fibonacci_input(27, rng),
                   note="26-bit codes: the reference's encoder output does not decode back (docs/DEVIATIONS.md §5)")
    frames = {
        "64x64": camera_frame(64, 64, rng),
        "512x512": camera_frame(512, 512, rng),
    }
    for fname, fr in frames.items():
        huffman_vector(vectors, "camera-%s-u16" % fname, fr.view(np.uint8).reshape(-1),
                       note="uint16 camera frame (dark level 100, Poisson), little-endian bytes")

    # 2. Quantizer: all 65,536 uint16 values
    xs = np.arange(65536, dtype="<u2")
    grid = [(0, 1), (100, 1), (100, 0.5), (100, 2), (0, 0.25), (0, 0.1), (0, 8), (100.25, 1.7),
            (37.5, 0.37), (1000, 1.3), (0.5, 0.999), (65000, 1), (99.9, 3.0), (-5.5, 1)]
    for off, sc in grid:
        qscalar = refcommon.quantize(xs, off, sc, "scalar")
        qavx = refcommon.quantize(xs, off, sc, "avx")
        v32, r = float32_model(xs, off, sc)
        defined = (v32 >= 0) & (r < np.float32(255.5))
        idx = np.nonzero(defined)[0]
        lo, hi = (int(idx[0]), int(idx[-1])) if idx.size else (-1, -2)
        assert idx.size == 0 or idx.size == hi - lo + 1
        model = np.floor(r[defined].astype(np.float64) + 0.5)
        assert np.array_equal(model, qscalar[defined]), (off, sc)
        tag = "o%s-s%s" % (off, sc)
        vectors.append({
            "kind": "quantize",
            "name": "quantize-%s" % tag,
            "offset": off,
            "scale": sc,
            "definedLo": lo,
            "definedHi": hi,
            "scalar": write("quantize/%s.scalar.bin" % tag, qscalar, True),
            "avx": write("quantize/%s.avx.bin" % tag, qavx, True),
            "avxDiffersInDefined": int(np.sum(qavx[defined] != qscalar[defined])),
            "avxMaxAbsDiffInDefined": int(np.max(np.abs(qavx[defined].astype(int) - qscalar[defined])))
            if idx.size else 0,
        })

    # 2b. Dequantization as PYME's PZFFormat.loads computes it (float32 throughout, astype(uint16)).
    qall = np.arange(256, dtype=np.uint8)
    for off, sc in [(100, 1), (0, 1), (100.5, 0.5), (0, 2), (37.25, 1.7), (1000, 0.37), (-50, 0.75), (65000, 1)]:
        with np.errstate(invalid="ignore", over="ignore"):
            f = (qall.astype(np.float32) * np.float32(sc)) ** 2 + np.float32(off)
        assert f.dtype == np.float32
        in_range = (f >= 0) & (f < 65536)
        d = np.where(in_range, f, 0).astype(np.uint16)
        tag = "o%s-s%s" % (off, sc)
        vectors.append({
            "kind": "dequantize",
            "name": "dequantize-%s" % tag,
            "offset": off,
            "scale": sc,
            "formula": "PYME PZFFormat.loads: ((q.astype(float32) * float32(scale))**2 + float32(offset)).astype(uint16)",
            # numpy's float -> uint16 cast is undefined outside [0, 65536); those entries are 0 here
            "inRange": [bool(v) for v in in_range],
            "values": write("dequantize/%s.u16.bin" % tag, d.astype("<u2").tobytes(), False),
        })

    # 3. HuffmanCompressQuant streams
    qframe = frames["512x512"][:256, :256].copy()
    qin = write("quantstream/camera-256x256.u16.bin", qframe.tobytes())
    ramp = np.arange(65536, dtype="<u2")
    rin = write("quantstream/ramp.u16.bin", ramp.tobytes())
    for src, arr, params in [("camera-256x256", qframe, [(100, 1), (100, 0.5), (100, 2), (99.5, 0.7), (0, 1)]),
                             ("ramp", ramp, [(0, 16), (0, 1), (100, 1)])]:
        for off, sc in params:
            flat = arr.reshape(-1)
            tag = "%s-o%s-s%s" % (src, off, sc)
            s_scalar = refcommon.huffman_compress_quant(flat, off, sc, "scalar")
            s_disp = refcommon.huffman_compress_quant(flat, off, sc, "dispatch")
            q_disp = refcommon.quantize(flat, off, sc, "dispatch")
            q_scalar = refcommon.quantize(flat, off, sc, "scalar")
            v32, r = float32_model(flat, off, sc)
            all_defined = bool(np.all((v32 >= 0) & (r < np.float32(255.5))))
            contract = contract_quantize(flat, off, sc)
            vectors.append({
                "kind": "quantStream",
                "name": "quantstream-%s" % tag,
                "input": rin if src == "ramp" else qin,
                "count": int(flat.size),
                "offset": off,
                "scale": sc,
                "referenceDefined": all_defined,
                # the reference's scalar body gave what our contract specifies for every input
                # (also where it is formally undefined: x < offset gives 0 on x86)
                "scalarEqualsContract": bool(np.array_equal(contract, q_scalar)),
                "contractQuantizedSha256": sha(contract.tobytes()),
                "scalarStream": write("quantstream/%s.scalar.stream.bin" % tag, s_scalar),
                "scalarQuantizedSha256": sha(q_scalar.tobytes()),
                "dispatchPath": refcommon.detect_dispatch_path(),
                "dispatchStream": write("quantstream/%s.dispatch.stream.bin" % tag, s_disp),
                "dispatchQuantizedSha256": sha(q_disp.tobytes()),
            })

    # 4. numcodecs codecs, as Python writes and reads them
    H = refcommon.pcodecs.Huffman()
    small = frames["64x64"]
    u8data = dist("geometric", 5000, rng)
    for cname, arr in [("huffman-u8-5000", u8data), ("huffman-u16-64x64", small.reshape(-1)),
                       ("huffman-u8-empty", np.zeros(0, np.uint8))]:
        enc = np.asarray(H.encode(arr)).tobytes()
        try:
            dec = np.asarray(H.decode(np.frombuffer(enc, np.uint8))).tobytes()
            dec_note = None
        except Exception as e:  # record what Python does
            dec, dec_note = None, "%s: %s" % (type(e).__name__, e)
        v = {
            "kind": "codec",
            "name": "codec-%s" % cname,
            "codec": "huffman",
            "config": H.get_config(),
            "dtype": str(arr.dtype.str),
            "elements": int(arr.size),
            "input": write("codec/%s.input.bin" % cname, arr.tobytes()),
            "encoded": write("codec/%s.encoded.bin" % cname, enc),
            "trailer": int(np.frombuffer(enc[-4:], "<u4")[0]),
            "deterministic": True,
        }
        if dec is not None:
            v["pythonDecoded"] = write("codec/%s.pydecoded.bin" % cname, dec)
        else:
            v["pythonDecodeError"] = dec_note
        vectors.append(v)
    for off, sc in [(100, 1), (100, 0.5), (0, 1), (100, 2)]:
        Q = refcommon.pcodecs.HuffmanQuant16(offset=off, scale=sc)
        arr = small.reshape(-1)
        cname = "quant16-64x64-o%s-s%s" % (off, sc)
        # The encoder reads N values past the input; give it zeros there so that regenerating the
        # vectors is reproducible (in normal use those bytes are whatever follows in memory).
        padded = refcommon._aligned_u16(np.concatenate([arr, np.zeros_like(arr)]))
        enc = np.asarray(Q.encode(padded[: arr.size])).tobytes()
        dec = np.asarray(Q.decode(np.frombuffer(enc, np.uint8))).astype("<u2").tobytes()
        n = int(np.frombuffer(enc[-4:], "<u4")[0])
        first = refcommon.huffman_decompress(enc[:-4], n)
        vectors.append({
            "kind": "codec",
            "name": "codec-%s" % cname,
            "codec": "quant16",
            "config": Q.get_config(),
            "dtype": "<u2",
            "elements": int(arr.size),
            "input": write("codec/%s.input.bin" % cname, arr.tobytes()),
            "encoded": write("codec/%s.encoded.bin" % cname, enc),
            "trailer": n,
            "deterministic": False,
            "note": "the stream holds 2N symbols (the encoder quantizes the byte length); only the "
                    "first N are meaningful and the rest depend on memory past the input (zeros "
                    "when these vectors were generated)",
            "quantizedSha256": sha(first),
            "quantizedMatchesDispatch": first == refcommon.quantize(arr, off, sc, "dispatch").tobytes(),
            "pythonDecoded": write("codec/%s.pydecoded.bin" % cname, dec),
        })

    info = refcommon.info()
    manifest = {
        "format": 1,
        "generator": "packages/conformance/python/generate_vectors.py",
        "seed": SEED,
        "reference": {
            "package": "pymecompress",
            "version": info["pymecompress"],
            "numpy": info["numpy"],
            "numcodecs": info["numcodecs"],
            "zarr": info["zarr"],
            "python": info["python"],
            "platform": info["platform"],
            "machine": info["machine"],
            "quantizerDispatchPath": info["quantizer_dispatch_path"],
            "quantizerBodies": info["quantizer_bodies"],
            "build": "pip install --no-build-isolation --no-binary pymecompress pymecompress==0.3.6 "
                     "(numpy.distutils; -O3 -ffast-math; CPU dispatch baseline + AVX)",
        },
        "vectors": vectors,
    }
    with open(os.path.join(OUT, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1)
        f.write("\n")
    total = sum(os.path.getsize(os.path.join(OUT, p)) for p in files_written)
    print("wrote %d vectors, %d files, %.2f MB to %s" % (len(vectors), len(files_written), total / 1e6, OUT),
          file=sys.stderr)


if __name__ == "__main__":
    main()
