"""Long-lived reference worker for differential tests and benchmarks.

Protocol (both directions, on the worker's stdin / private stdout; all integers little-endian):

    u32 header_length | header (UTF-8 JSON) | payload (header["payloadLength"] bytes, may be 0)

Request header: {"id": n, "op": "...", "params": {...}, "payloadLength": k}
Response header: {"id": n, "ok": true, "payloadLength": k, ...extra}
             or  {"id": n, "ok": false, "error": "...", "payloadLength": 0}

Ops (payload in -> payload out):
    info                                          -> {} + header "info"
    huffmanCompress        bytes                  -> stream (bcl.HuffmanCompress)
    huffmanDecompress      stream, {outSize}      -> bytes (bcl.HuffmanDecompress)
    quantize               u16 LE, {offset, scale, path?}  -> u8   (path: scalar|avx|dispatch)
    huffmanCompressQuant   u16 LE, {offset, scale, path?}  -> stream (path default: dispatch)
    codecEncode            bytes, {codec, config, dtype}   -> encoded buffer (numcodecs codec)
    codecDecode            encoded, {codec, config}        -> decoded bytes
    time                   payload, {op, params, repeats}  -> {} + header "seconds" (best of repeats,
                                                              time.perf_counter around the call only)
    exit                                          -> worker exits after replying

The reference decoder trusts its input (it can crash on corrupt streams): only send it streams a
correct encoder produced. The C quantizer prints to stdout: refcommon.protect_stdout() keeps
that off the protocol channel.
"""

import json
import os
import struct
import sys
import time
import traceback

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import refcommon  # noqa: E402

out = refcommon.protect_stdout()
np = refcommon.np
inp = sys.stdin.buffer

CODECS = {
    "huffman": lambda cfg: refcommon.pcodecs.Huffman.from_config(cfg or {}),
    "quant16": lambda cfg: refcommon.pcodecs.HuffmanQuant16.from_config(cfg or {}),
}


def read_exact(n):
    chunks = []
    while n > 0:
        b = inp.read(n)
        if not b:
            return None
        chunks.append(b)
        n -= len(b)
    return b"".join(chunks)


def u16(payload):
    return np.frombuffer(payload, dtype="<u2")


def make_call(op, params, payload):
    """Return a zero-argument callable running the reference on pre-converted input, and a
    function turning its result into response bytes."""
    if op == "huffmanCompress":
        a = np.frombuffer(payload, dtype=np.uint8).copy()
        return (lambda: refcommon.bcl.HuffmanCompress(a)), lambda r: r.tobytes()
    if op == "huffmanDecompress":
        a = np.frombuffer(payload, dtype=np.uint8).copy()
        n = int(params["outSize"])
        return (lambda: refcommon.bcl.HuffmanDecompress(a, n)), lambda r: r.tobytes()
    if op == "quantize":
        x = u16(payload)
        path = params.get("path", "scalar")
        return (lambda: refcommon.quantize(x, params["offset"], params["scale"], path)), lambda r: r.tobytes()
    if op == "huffmanCompressQuant":
        x = refcommon._aligned_u16(u16(payload))
        path = params.get("path", "dispatch")
        off, sc = float(params["offset"]), float(params["scale"])
        if path == "dispatch":
            return (lambda: refcommon.bcl.HuffmanCompressQuant(x, off, sc)), lambda r: r.tobytes()
        return (lambda: refcommon.huffman_compress_quant(x, off, sc, path)), lambda r: bytes(r)
    if op == "codecEncode":
        codec = CODECS[params["codec"]](params.get("config"))
        src = np.frombuffer(payload, dtype=params.get("dtype", "u1"))
        if params["codec"] == "quant16":
            # HuffmanQuant16.encode quantizes twice as many values as it is given (it passes the
            # byte length as the count), reading past the input: give it zeros there, not a crash.
            buf = refcommon._aligned_u16(np.concatenate([src.astype("<u2"), np.zeros(src.size, "<u2")]))
            a = buf[: src.size]
        else:
            a = src.copy()
        return (lambda: codec.encode(a)), lambda r: np.asarray(r).tobytes()
    if op == "codecDecode":
        codec = CODECS[params["codec"]](params.get("config"))
        a = np.frombuffer(payload, dtype=np.uint8).copy()
        return (lambda: codec.decode(a)), lambda r: np.asarray(r).tobytes()
    raise ValueError("unknown op %r" % op)


def handle(header, payload):
    op = header["op"]
    params = header.get("params") or {}
    if op == "info":
        return {"info": refcommon.info()}, b""
    if op == "time":
        call, _ = make_call(params["op"], params.get("params") or {}, payload)
        repeats = max(1, int(params.get("repeats", 5)))
        best = float("inf")
        for _ in range(repeats):
            t0 = time.perf_counter()
            call()
            t1 = time.perf_counter()
            best = min(best, t1 - t0)
        return {"seconds": best}, b""
    call, conv = make_call(op, params, payload)
    return {}, conv(call())


def send(header, payload=b""):
    header = dict(header)
    header["payloadLength"] = len(payload)
    h = json.dumps(header).encode()
    out.write(struct.pack("<I", len(h)) + h)
    if payload:
        out.write(payload)


def main():
    while True:
        raw = read_exact(4)
        if raw is None:
            return
        (hlen,) = struct.unpack("<I", raw)
        header = json.loads(read_exact(hlen))
        payload = read_exact(int(header.get("payloadLength", 0))) or b""
        rid = header.get("id")
        if header.get("op") == "exit":
            send({"id": rid, "ok": True})
            return
        try:
            extra, result = handle(header, payload)
            send(dict(extra, id=rid, ok=True), result)
        except Exception as e:  # reported to the client, the worker lives on
            traceback.print_exc(file=sys.stderr)
            send({"id": rid, "ok": False, "error": "%s: %s" % (type(e).__name__, e)})
        sys.stderr.flush()


if __name__ == "__main__":
    main()
