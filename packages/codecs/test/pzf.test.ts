import { describe, expect, it } from 'vitest';
import {
  decodePzf,
  decodePzfAsync,
  encodePzf,
  encodePzfAsync,
  type PzfCompression,
  type PzfTypedArray,
  readPzfHeader,
  transpose,
} from '../src/index.js';
import { cameraFrame, errorCodeOf, rng } from './helpers.js';

const code = errorCodeOf;

const COMPRESSIONS: PzfCompression[] = ['raw', 'huffman', 'huffman-chunked'];

function sample(dtype: 'uint8' | 'uint16' | 'float32', n: number): PzfTypedArray {
  const r = rng(n);
  if (dtype === 'uint8') return Uint8Array.from({ length: n }, () => Math.floor(r() * 256));
  if (dtype === 'uint16') return cameraFrame(n, n);
  return Float32Array.from({ length: n }, () => (r() - 0.5) * 1e4);
}

describe('PZF round trips', () => {
  for (const dtype of ['uint8', 'uint16', 'float32'] as const) {
    for (const compression of COMPRESSIONS) {
      it(`${dtype} ${compression}, C and F order, 2-D and 3-D`, async () => {
        for (const shape of [
          [13, 7],
          [5, 4, 3],
          [1, 9],
          [0, 4],
        ] as number[][]) {
          const n = shape.reduce((a, b) => a * b, 1);
          const data = sample(dtype, n);
          for (const order of ['C', 'F'] as const) {
            const options = {
              shape,
              order,
              compression,
              frameNum: 9,
              sequenceId: -5n,
              frameTimestamp: 123n,
            };
            const bytes = encodePzf(data, options);
            const f = decodePzf(bytes);
            expect(f.version).toBe(3);
            expect(f.dataOffset).toBe(64);
            expect(f.dtype).toBe(dtype);
            expect(f.compression).toBe(compression);
            expect(f.quantization).toBeNull();
            expect(f.shape).toEqual([shape[0], shape[1], shape[2] ?? 1]);
            expect(f.frameNum).toBe(9);
            expect(f.sequenceId).toBe(-5n);
            expect(f.frameTimestamp).toBe(123n);
            // Arrays with at most one non-unit dimension, or empty, are flagged 'F', as numpy/PYME do.
            const nonUnit = shape.filter((s) => s !== 1).length;
            expect(f.dimOrder).toBe(nonUnit <= 1 || n === 0 ? 'F' : order);
            expect(Array.from(f.data)).toEqual(Array.from(data));
            const a = await decodePzfAsync(bytes);
            expect(Array.from(a.data)).toEqual(Array.from(data));
            expect(
              Buffer.from(await encodePzfAsync(data, options)).equals(Buffer.from(bytes)),
            ).toBe(true);
          }
        }
      });
    }
  }

  it('quantized uint16: raw, Huffman and chunked decode to the dequantized values', () => {
    const data = cameraFrame(40 * 30, 7, 100, 60000);
    const ref = decodePzf(
      encodePzf(data, { shape: [40, 30], quantization: { offset: 100, scale: 1 } }),
    );
    expect(ref.quantization).toEqual({ offset: 100, scale: 1 });
    for (const compression of COMPRESSIONS) {
      for (const chunks of [1, 2, 3, 7]) {
        const f = decodePzf(
          encodePzf(data, {
            shape: [40, 30],
            compression,
            chunks,
            quantization: { offset: 100, scale: 1 },
          }),
        );
        expect(Array.from(f.data)).toEqual(Array.from(ref.data));
      }
    }
    // Quantization error bound.
    for (let i = 0; i < data.length; i++) {
      if (data[i]! >= 100)
        expect(Math.abs(ref.data[i]! - data[i]!)).toBeLessThanOrEqual(
          Math.sqrt(data[i]! - 100) + 1,
        );
    }
    // Float32 header fields are stored as float32.
    const q = decodePzf(
      encodePzf(data, { shape: [40, 30], quantization: { offset: 100.1, scale: 0.3 } }),
    ).quantization!;
    expect(q.offset).toBe(Math.fround(100.1));
    expect(q.scale).toBe(Math.fround(0.3));
  });

  it('order option transposes between C and F', () => {
    const data = sample('uint16', 4 * 3 * 2) as Uint16Array;
    const c = decodePzf(encodePzf(data, { shape: [4, 3, 2], order: 'C' }), { order: 'F' });
    expect(c.dimOrder).toBe('F');
    expect(Array.from(transpose(c.data, [4, 3, 2], 'F'))).toEqual(Array.from(data));
    const f = decodePzf(encodePzf(c.data, { shape: [4, 3, 2], order: 'F' }), { order: 'C' });
    expect(Array.from(f.data)).toEqual(Array.from(data));
  });

  it('chunked frames split on element boundaries, 2 chunks by default', () => {
    const data = sample('uint16', 101) as Uint16Array;
    const bytes = encodePzf(data, { shape: [101, 1], compression: 'huffman-chunked' });
    const dv = new DataView(bytes.buffer, 64);
    expect(dv.getUint16(0, true)).toBe(2);
    expect(dv.getUint32(6, true)).toBe(102); // ceil(101 / 2) elements * 2 bytes
  });
});

/** Builds a header by hand (versions 1-3). */
function header(
  o: Partial<{
    version: number;
    fmt: number;
    comp: number;
    quant: number;
    dim: number;
    w: number;
    h: number;
    d: number;
    qo: number;
    qs: number;
    offset: number;
  }> = {},
): Uint8Array {
  const v = o.version ?? 3;
  const b = new Uint8Array(v >= 3 ? 64 : 48);
  const dv = new DataView(b.buffer);
  b.set([0x42, 0x44, v, o.fmt ?? 1, o.comp ?? 0, o.quant ?? 0, o.dim ?? 0x43]);
  dv.setUint32(20, o.w ?? 2, true);
  dv.setUint32(24, o.h ?? 2, true);
  dv.setUint32(28, o.d ?? 1, true);
  dv.setFloat32(40, o.qo ?? 0, true);
  dv.setFloat32(44, o.qs ?? 0, true);
  if (v >= 3) dv.setUint32(48, o.offset ?? 64, true);
  return b;
}

function frame(h: Uint8Array, data: number[] | Uint8Array): Uint8Array {
  const out = new Uint8Array(h.length + data.length);
  out.set(h);
  out.set(data, h.length);
  return out;
}

describe('PZF header validation', () => {
  it('reads versions 1 and 2 (48-byte header; v1 DimOrder reserved, read as C)', () => {
    const px = [1, 0, 2, 0, 3, 0, 4, 0];
    const v1 = decodePzf(frame(header({ version: 1, dim: 0x00 }), px));
    expect(v1.version).toBe(1);
    expect(v1.dimOrder).toBe('C');
    expect(Array.from(v1.data)).toEqual([1, 2, 3, 4]);
    const v2 = decodePzf(frame(header({ version: 2, dim: 0x46 }), px));
    expect(v2.dimOrder).toBe('F');
    expect(v2.dataOffset).toBe(48);
    // v3 with a DataOffset past the header (padding is allowed).
    const h = header({ offset: 70 });
    const v3 = decodePzf(frame(h, [0, 0, 0, 0, 0, 0, ...px]));
    expect(Array.from(v3.data)).toEqual([1, 2, 3, 4]);
  });

  it('readPzfHeader reports every field without decoding', () => {
    const data = cameraFrame(6, 1);
    const h = readPzfHeader(
      encodePzf(data, {
        shape: [3, 2],
        compression: 'huffman',
        quantization: { offset: 1, scale: 2 },
        frameNum: 4,
      }),
    );
    expect(h).toMatchObject({
      version: 3,
      dtype: 'uint16',
      compression: 'huffman',
      quantization: { offset: 1, scale: 2 },
      dimOrder: 'C',
      width: 3,
      height: 2,
      depth: 1,
      frameNum: 4,
      headerLength: 64,
      dataOffset: 64,
      payloadBytes: 6,
    });
  });

  const px = new Array(8).fill(0);
  const cases: Array<[string, Uint8Array, string]> = [
    ['too short', new Uint8Array([0x42, 0x44]), 'ERR_INVALID_PZF'],
    ['bad ID', frame(Object.assign(header(), { 0: 0x41 }), px), 'ERR_INVALID_PZF'],
    ['version 0', frame(header({ version: 0 }), px), 'ERR_INVALID_PZF'],
    ['version 4', frame(header({ version: 4 }), px), 'ERR_INVALID_PZF'],
    ['truncated v3 header', header().subarray(0, 60), 'ERR_INVALID_PZF'],
    ['DataFormat 3', frame(header({ fmt: 3 }), px), 'ERR_INVALID_PZF'],
    ['DataCompression 3', frame(header({ comp: 3 }), px), 'ERR_INVALID_PZF'],
    ['DataQuantization 2', frame(header({ quant: 2 }), px), 'ERR_INVALID_PZF'],
    ['DimOrder X', frame(header({ dim: 0x58 }), px), 'ERR_INVALID_PZF'],
    ['DataOffset inside header', frame(header({ offset: 10 }), px), 'ERR_INVALID_PZF'],
    ['DataOffset past end', frame(header({ offset: 1000 }), px), 'ERR_INVALID_PZF'],
    ['raw too short', frame(header(), px.slice(1)), 'ERR_INVALID_PZF'],
    ['raw too long', frame(header(), [...px, 0]), 'ERR_INVALID_PZF'],
    ['quantized uint8', frame(header({ fmt: 0, quant: 1, qs: 1 }), px.slice(4)), 'ERR_INVALID_PZF'],
    ['quant scale 0', frame(header({ quant: 1, qs: 0 }), px.slice(4)), 'ERR_INVALID_PZF'],
    [
      'quant scale NaN',
      frame(header({ quant: 1, qs: Number.NaN }), px.slice(4)),
      'ERR_INVALID_PZF',
    ],
    [
      'huge frame, tiny Huffman stream',
      frame(header({ comp: 1, w: 0xffffffff, h: 0xffffffff, d: 0xffffffff }), [1, 2]),
      'ERR_INVALID_PZF',
    ],
    [
      'Huffman payload > 2^32',
      frame(header({ comp: 1, w: 65536, h: 65536 }), [1, 2]),
      'ERR_INVALID_PZF',
    ],
    [
      'Huffman stream too short for payload',
      frame(header({ comp: 1, w: 100, h: 100 }), [1, 2, 3]),
      'ERR_INVALID_PZF',
    ],
    ['chunked, no count', frame(header({ comp: 2 }), [1]), 'ERR_INVALID_PZF'],
    ['chunked, table past end', frame(header({ comp: 2 }), [1, 0, 8, 0, 0]), 'ERR_INVALID_PZF'],
    [
      'chunked, stream past end',
      frame(header({ comp: 2 }), [1, 0, 100, 0, 0, 0, 8, 0, 0, 0, 1]),
      'ERR_INVALID_PZF',
    ],
    [
      'chunked, raw lengths short',
      frame(header({ comp: 2 }), [1, 0, 3, 0, 0, 0, 4, 0, 0, 0, 0x83, 0x80, 0]),
      'ERR_INVALID_PZF',
    ],
    [
      'chunked, raw lengths long',
      frame(header({ comp: 2 }), [1, 0, 3, 0, 0, 0, 12, 0, 0, 0, 0x83, 0x80, 0]),
      'ERR_INVALID_PZF',
    ],
    ['chunked, zero chunks', frame(header({ comp: 2 }), [0, 0]), 'ERR_INVALID_PZF'],
    [
      'corrupt Huffman stream',
      frame(header({ comp: 1, w: 10, h: 10 }), new Uint8Array(200)),
      'ERR_CORRUPT_STREAM',
    ],
  ];
  for (const [name, bytes, expected] of cases) {
    it(`rejects: ${name}`, () => {
      expect(code(() => decodePzf(bytes))).toBe(expected);
    });
  }

  it('accepts a well-formed chunked frame', () => {
    // one chunk of 8 bytes of value 7: stream 83 80 00 ... (10 x 7 example has 3 bytes; 8 x 7 too)
    const f = decodePzf(frame(header({ comp: 2 }), [1, 0, 3, 0, 0, 0, 8, 0, 0, 0, 0x83, 0x80, 0]));
    expect(Array.from(f.data)).toEqual([0x707, 0x707, 0x707, 0x707]);
  });

  it('rejects bad encoder options', () => {
    const d = new Uint16Array(4);
    expect(code(() => encodePzf(d, { shape: [3, 2] }))).toBe('ERR_INVALID_ARGUMENT');
    expect(code(() => encodePzf(d, { shape: [4] }))).toBe('ERR_INVALID_ARGUMENT');
    expect(code(() => encodePzf(new Int16Array(4) as never, { shape: [2, 2] }))).toBe(
      'ERR_INVALID_ARGUMENT',
    );
    expect(
      code(() =>
        encodePzf(new Uint8Array(4), { shape: [2, 2], quantization: { offset: 0, scale: 1 } }),
      ),
    ).toBe('ERR_INVALID_ARGUMENT');
    expect(code(() => encodePzf(d, { shape: [2, 2], quantization: { offset: 0, scale: 0 } }))).toBe(
      'ERR_INVALID_ARGUMENT',
    );
    expect(
      code(() => encodePzf(d, { shape: [2, 2], chunks: 0, compression: 'huffman-chunked' })),
    ).toBe('ERR_INVALID_ARGUMENT');
    expect(code(() => encodePzf(d, { shape: [2, 2], sequenceId: 2n ** 63n }))).toBe(
      'ERR_INVALID_ARGUMENT',
    );
    expect(code(() => encodePzf(d, { shape: [2, 2], frameTimestamp: -1 }))).toBe(
      'ERR_INVALID_ARGUMENT',
    );
    expect(code(() => encodePzf(d, { shape: [2, 2], compression: 'zip' as never }))).toBe(
      'ERR_INVALID_ARGUMENT',
    );
    expect(code(() => decodePzf('BD' as never))).toBe('ERR_INVALID_ARGUMENT');
  });
});
