import * as core from '@pymecompress/core-ts';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import * as native from '../src/index.js';
import { outcome } from './helpers.js';

const numRuns = Number(process.env.FC_NUM_RUNS ?? 300);
const bodies: native.Dispatch[] = [
  'scalar',
  ...(native.hasAvx2 ? (['avx2'] as const) : []),
  ...(native.hasAvx512 ? (['avx512'] as const) : []),
];
const body = fc.constantFrom(...bodies);

afterAll(() => {
  native.setDispatch('auto');
});

/** Bytes with a random alphabet size and skew, so trees of every shape appear. */
const bytes = fc
  .record({
    alphabet: fc.integer({ min: 1, max: 256 }),
    skew: fc.integer({ min: 0, max: 6 }),
    length: fc.integer({ min: 0, max: 3000 }),
    seed: fc.integer({ min: 1, max: 2 ** 31 - 1 }),
  })
  .map(({ alphabet, skew, length, seed }) => {
    let s = seed;
    const out = new Uint8Array(length);
    for (let i = 0; i < length; i++) {
      s ^= s << 13;
      s >>>= 0;
      s ^= s >>> 17;
      s ^= s << 5;
      s >>>= 0;
      let v = s % alphabet;
      for (let k = 0; k < skew; k++) v = Math.floor(v / 2);
      out[i] = v;
    }
    return out;
  });

/** Places `data` at byte offset `offset` of a fresh (possibly shared) buffer. */
function placeU8(data: Uint8Array, offset: number, shared: boolean): Uint8Array {
  const buf = shared
    ? new SharedArrayBuffer(data.length + offset + 3)
    : new ArrayBuffer(data.length + offset + 3);
  const v = new Uint8Array(buf, offset, data.length);
  v.set(data);
  return v;
}

function placeU16(data: Uint16Array, offset: number, shared: boolean): Uint16Array {
  const buf = shared
    ? new SharedArrayBuffer(2 * (data.length + offset + 3))
    : new ArrayBuffer(2 * (data.length + offset + 3));
  const v = new Uint16Array(buf, 2 * offset, data.length);
  v.set(data);
  return v;
}

const placement = fc.record({ offset: fc.integer({ min: 0, max: 40 }), shared: fc.boolean() });

const anyNumber = fc.oneof(
  fc.double(),
  fc.float().map((x) => x),
  fc.integer({ min: -200, max: 70_000 }),
  fc.constantFrom(0, -0, 1, 0.5, 1e-45, 1e-38, 3e38, 3.5e38, 1e39, Number.NaN, Infinity, -Infinity),
);
const goodOffset = fc.oneof(
  fc.integer({ min: -100, max: 70_000 }),
  fc.double({ min: -1e6, max: 1e6, noNaN: true }),
);
const goodScale = fc.oneof(
  fc.double({ min: 1e-3, max: 100, noNaN: true }),
  fc.constantFrom(1, 0.5, 2, 0.37, 1e-30, 3e38),
);

describe('native and core-ts agree (fast-check)', () => {
  it('huffmanCompress: identical bytes at any offset, and the stream round-trips', () => {
    fc.assert(
      fc.property(body, bytes, placement, (b, data, { offset, shared }) => {
        native.setDispatch(b);
        const view = placeU8(data, offset, shared);
        const a = native.huffmanCompress(view);
        expect(outcome(() => a)).toEqual(outcome(() => core.huffmanCompress(data)));
        expect(Array.from(native.huffmanDecompress(a, data.length))).toEqual(Array.from(data));
      }),
      { numRuns },
    );
  });

  it('huffmanDecompress: identical bytes or error codes on random, truncated and bit-flipped streams', () => {
    const mutation = fc.oneof(
      fc.record({ kind: fc.constant('none' as const) }),
      fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
      fc.record({
        kind: fc.constant('flip' as const),
        bits: fc.array(fc.nat(), { minLength: 1, maxLength: 4 }),
      }),
      fc.record({ kind: fc.constant('random' as const), data: fc.uint8Array({ maxLength: 200 }) }),
    );
    const size = fc.oneof(
      fc.constant('exact' as const),
      fc.integer({ min: 0, max: 30_000 }),
      fc.constantFrom(-1, 0.5, 2 ** 32, Number.NaN, 2 ** 32 - 1),
    );
    fc.assert(
      fc.property(body, bytes, mutation, size, placement, (b, data, m, sz, { offset, shared }) => {
        native.setDispatch(b);
        let stream = core.huffmanCompress(data);
        if (m.kind === 'truncate')
          stream = stream.slice(0, stream.length ? m.at % (stream.length + 1) : 0);
        if (m.kind === 'flip' && stream.length) {
          stream = stream.slice();
          for (const bit of m.bits) stream[(bit >> 3) % stream.length]! ^= 1 << (bit & 7);
        }
        if (m.kind === 'random') stream = m.data;
        const outSize = sz === 'exact' ? data.length : sz;
        const view = placeU8(stream, offset, shared);
        expect(outcome(() => native.huffmanDecompress(view, outSize))).toEqual(
          outcome(() => core.huffmanDecompress(stream, outSize)),
        );
      }),
      { numRuns: numRuns * 3 },
    );
  });

  it('quantize / dequantize / huffmanCompressQuant: identical results and errors', () => {
    fc.assert(
      fc.property(
        body,
        fc.uint16Array({ maxLength: 2000 }),
        fc.oneof(goodOffset, anyNumber),
        fc.oneof(goodScale, anyNumber),
        placement,
        (b, data, offset, scale, { offset: at, shared }) => {
          native.setDispatch(b);
          const view = placeU16(data, at, shared);
          expect(outcome(() => native.quantize(view, offset, scale))).toEqual(
            outcome(() => core.quantize(data, offset, scale)),
          );
          expect(outcome(() => native.huffmanCompressQuant(view, offset, scale))).toEqual(
            outcome(() => core.huffmanCompressQuant(data, offset, scale)),
          );
          const q = new Uint8Array(data.buffer, data.byteOffset, Math.min(data.byteLength, 777));
          expect(outcome(() => native.dequantize(placeU8(q, at, shared), offset, scale))).toEqual(
            outcome(() => core.dequantize(q, offset, scale)),
          );
        },
      ),
      { numRuns },
    );
  });

  it('quantize agrees on the whole uint16 range for arbitrary valid parameters', () => {
    const all = new Uint16Array(65536).map((_, i) => i);
    fc.assert(
      fc.property(body, goodOffset, goodScale, (b, offset, scale) => {
        native.setDispatch(b);
        const x = native.quantize(all, offset, scale);
        const y = core.quantize(all, offset, scale);
        expect(Buffer.from(x).equals(Buffer.from(y))).toBe(true);
      }),
      { numRuns: Math.max(20, numRuns / 10) },
    );
  });
});
