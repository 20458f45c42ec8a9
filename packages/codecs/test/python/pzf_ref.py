"""A small PZF writer/reader following the layout of PYME's PYME/IO/PZFFormat.py (the reference's fact sheet
../shared/reference/FACTS.md §5, not shipped; our deviations are docs/DEVIATIONS.md C6-C8).

Written for this project's tests (not PYME's code). `dumps` produces what PYME's `dumps` writes
(version 3, DataOffset 64, DimOrder 'C' or 'F' from numpy's F_CONTIGUOUS flag); `loads` decodes
versions 1-3 with PYME's `loads` arithmetic: float32 dequantization then astype(uint16).

Deliberate differences from PYME's writer, which are bugs there: the chunked mode splits the
*bytes* (PYME splits the first axis, which breaks for 2-D frames) and quantization is honoured
in the chunked mode. `version` may be 1 or 2 to produce older 48-byte headers for tests.
"""
import struct

import numpy as np
from pymecompress import bcl

FMTS = {np.dtype('uint8'): 0, np.dtype('uint16'): 1, np.dtype('float32'): 2}
FMT_NAMES = ['u1', 'u2', 'f4']
FMT_SIZES = [1, 2, 4]
RAW, HUFF, CHUNKED = 0, 1, 2


def _header(version, fmt, comp, quant, order, seq, frame, shape, ts, qoff, qscale):
    w, h = shape[0], shape[1]
    d = shape[2] if len(shape) > 2 else 1
    dim = order.encode() if version >= 2 else b'\0'
    head = struct.pack('<2sBBBBcBqIIIIQff', b'BD', version, fmt, comp, quant, dim, 0,
                       seq, frame, w, h, d, ts, qoff, qscale)
    if version >= 3:
        head += struct.pack('<I', 64) + b'\0' * 12
    return head


def dumps(data, sequenceID=0, frameNum=0, frameTimestamp=0, compression=HUFF,
          quantization=0, quantizationOffset=0, quantizationScale=1, version=3, chunks=2):
    fmt = FMTS[data.dtype]
    order = 'F' if data.flags['F_CONTIGUOUS'] else 'C'
    d1 = data if order == 'F' else np.ascontiguousarray(data)
    qoff, qscale = (quantizationOffset, quantizationScale) if quantization else (0, 0)
    head = _header(version, fmt, compression, 1 if quantization else 0, order, sequenceID,
                   frameNum, data.shape, frameTimestamp, qoff, qscale)
    if quantization:
        flat = np.ravel(d1, order='K')
        sym = bcl.HuffmanDecompress(bcl.HuffmanCompressQuant(flat, quantizationOffset, quantizationScale), flat.size)
        payload = sym
    else:
        payload = np.frombuffer(d1.tobytes(order=order), 'u1')
    if compression == RAW:
        body = payload.tobytes()
    elif compression == HUFF:
        if quantization:
            body = bcl.HuffmanCompressQuant(np.ravel(d1, order='K'), quantizationOffset, quantizationScale).tobytes()
        else:
            body = bcl.HuffmanCompress(d1).tobytes()
    else:
        n = len(payload)
        isz = 1 if quantization else FMT_SIZES[fmt]
        per = int(np.ceil(n / isz / chunks)) * isz
        body = struct.pack('<H', chunks)
        for j in range(chunks):
            raw = np.ascontiguousarray(payload[j * per:(j + 1) * per])
            c = bcl.HuffmanCompress(raw).tobytes() if len(raw) else b''
            body += struct.pack('<II', len(c), len(raw)) + c
    return head + body


def load_header(b):
    v = b[2]
    fields = struct.unpack('<2sBBBBcBqIIIIQff', b[:48])
    keys = ['ID', 'Version', 'DataFormat', 'DataCompression', 'DataQuantization', 'DimOrder',
            'RESERVED0', 'SequenceID', 'FrameNum', 'Width', 'Height', 'Depth', 'FrameTimestamp',
            'QuantOffset', 'QuantScale']
    h = dict(zip(keys, fields))
    h['DataOffset'] = struct.unpack('<I', b[48:52])[0] if v >= 3 else 48
    return h


def loads(b):
    h = load_header(b)
    assert h['ID'] == b'BD'
    order = h['DimOrder'].decode() if h['Version'] >= 2 else 'C'
    w, hh, d = h['Width'], h['Height'], h['Depth']
    fmt = h['DataFormat']
    out = w * hh * d if h['DataQuantization'] else w * hh * d * FMT_SIZES[fmt]
    s = b[h['DataOffset']:]
    if h['DataCompression'] == RAW:
        data = np.frombuffer(s, 'u1')
    elif h['DataCompression'] == HUFF:
        data = bcl.HuffmanDecompress(np.frombuffer(s, 'u1').copy(), out)
    else:
        (n,) = struct.unpack('<H', s[:2])
        p, parts = 2, []
        for _ in range(n):
            cl, rl = struct.unpack('<II', s[p:p + 8])
            p += 8
            parts.append(bcl.HuffmanDecompress(np.frombuffer(s[p:p + cl], 'u1').copy(), rl) if rl else np.zeros(0, 'u1'))
            p += cl
        data = np.hstack(parts)
    if h['DataQuantization']:
        # PYME's loads: float32 arithmetic with the header's float32 fields, then astype.
        data = data.astype('f') * np.float32(h['QuantScale'])
        data = (data * data + np.float32(h['QuantOffset'])).astype(FMT_NAMES[fmt])
    data = data.view(FMT_NAMES[fmt]).reshape([w, hh, d], order=order)
    return data, h
