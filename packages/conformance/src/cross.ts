/**
 * Cross-implementation properties: two backends agree on everything, including errors. Same bytes
 * or the same PymecompressError code, on arbitrary inputs, sizes, offsets, scales, and on random,
 * truncated and bit-flipped streams.
 */
import type { Backend } from '@pymecompress/core-ts';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { arbitraryBytes, arbitraryOffset, arbitraryScale, arbitraryU16 } from './differential.js';
import type { SuiteTarget } from './suite.js';
import { fcRuns, outcome } from './util.js';

function same<T extends Uint8Array | Uint16Array>(fa: () => T, fb: () => T, what: string): void {
  const ra = outcome(fa);
  const rb = outcome(fb);
  if (ra.ok !== rb.ok) {
    throw new Error(
      `${what}: ${ra.ok ? 'a returned' : `a threw ${(ra as { code: string }).code}`}, ${rb.ok ? 'b returned' : `b threw ${(rb as { code: string }).code}`}`,
    );
  }
  if (ra.ok && rb.ok) {
    expect(ra.value.constructor).toBe(rb.value.constructor);
    expect(
      Buffer.from(ra.value.buffer, ra.value.byteOffset, ra.value.byteLength).equals(
        Buffer.from(rb.value.buffer, rb.value.byteOffset, rb.value.byteLength),
      ),
      `${what}: different results`,
    ).toBe(true);
  } else if (!ra.ok && !rb.ok) {
    expect(ra.code, `${what}: error codes`).toBe(rb.code);
  }
}

/** Streams to feed decoders: valid, truncated, bit-flipped, extended, or random. */
function arbitraryStreamCase(a: Backend): fc.Arbitrary<{ stream: Uint8Array; outSize: number }> {
  const valid = arbitraryBytes(3000).map((input) => ({ input, stream: a.huffmanCompress(input) }));
  return fc.oneof(
    valid.map(({ input, stream }) => ({ stream, outSize: input.length })),
    fc.tuple(valid, fc.nat(), fc.nat()).map(([{ input, stream }, cut, extra]) => ({
      stream: stream.subarray(0, stream.length ? cut % stream.length : 0),
      outSize: input.length + (extra % 3),
    })),
    fc
      .tuple(valid, fc.array(fc.nat(), { minLength: 1, maxLength: 8 }))
      .map(([{ input, stream }, flips]) => {
        const s = stream.slice();
        if (s.length)
          for (const f of flips)
            s[(f >> 3) % s.length] = (s[(f >> 3) % s.length] as number) ^ (1 << (f & 7));
        return { stream: s, outSize: input.length };
      }),
    fc
      .tuple(fc.uint8Array({ maxLength: 600 }), fc.integer({ min: 0, max: 5000 }))
      .map(([stream, outSize]) => ({ stream, outSize })),
    fc
      .tuple(fc.uint8Array({ min: 0, max: 3, maxLength: 400 }), fc.integer({ min: 0, max: 3000 }))
      .map(([stream, outSize]) => ({ stream, outSize })),
  );
}

export function registerCrossSuite(ta: SuiteTarget, tb: SuiteTarget): void {
  let a: Backend;
  let b: Backend;
  const runs = fcRuns();
  describe(`cross-implementation [${ta.name} == ${tb.name}]`, () => {
    beforeAll(async () => {
      a = await ta.backend();
      b = await tb.backend();
    });
    // Both targets may be the same module in different dispatch modes: select before each call.
    const A =
      <T>(f: () => T) =>
      () => {
        ta.beforeEach?.();
        return f();
      };
    const B =
      <T>(f: () => T) =>
      () => {
        tb.beforeEach?.();
        return f();
      };

    it('huffmanCompress', () => {
      fc.assert(
        fc.property(arbitraryBytes(6000), (x) =>
          same(
            A(() => a.huffmanCompress(x)),
            B(() => b.huffmanCompress(x)),
            'compress',
          ),
        ),
        { numRuns: runs },
      );
    });

    it('huffmanDecompress on valid, truncated, bit-flipped and random streams', () => {
      fc.assert(
        fc.property(
          arbitraryStreamCase({
            huffmanCompress: (x: Uint8Array) => A(() => a.huffmanCompress(x))(),
          } as Backend),
          ({ stream, outSize }) =>
            same(
              A(() => a.huffmanDecompress(stream, outSize)),
              B(() => b.huffmanDecompress(stream, outSize)),
              'decompress',
            ),
        ),
        { numRuns: runs * 3 },
      );
    });

    it('quantize and huffmanCompressQuant on arbitrary values, offsets and scales (incl. invalid ones)', () => {
      const anyOffset = fc.oneof(
        arbitraryOffset,
        fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, -1e39, 3.4e38),
      );
      const anyScale = fc.oneof(
        arbitraryScale,
        fc.constantFrom(0, -1, Number.NaN, 1e-45, 1e-39, 3.4e38, Number.POSITIVE_INFINITY),
      );
      fc.assert(
        fc.property(arbitraryU16(3000), anyOffset, anyScale, (x, o, s) => {
          same(
            A(() => a.quantize(x, o, s)),
            B(() => b.quantize(x, o, s)),
            `quantize(${o}, ${s})`,
          );
          same(
            A(() => a.huffmanCompressQuant(x, o, s)),
            B(() => b.huffmanCompressQuant(x, o, s)),
            `compressQuant(${o}, ${s})`,
          );
        }),
        { numRuns: runs },
      );
    });

    it('all 65,536 values on random (offset, scale)', () => {
      const all = new Uint16Array(65536);
      for (let i = 0; i < 65536; i++) all[i] = i;
      fc.assert(
        fc.property(arbitraryOffset, arbitraryScale, (o, s) =>
          same(
            A(() => a.quantize(all, o, s)),
            B(() => b.quantize(all, o, s)),
            `quantize all (${o}, ${s})`,
          ),
        ),
        { numRuns: Math.max(10, runs >> 2) },
      );
    });

    it('dequantize', () => {
      const q = new Uint8Array(256);
      for (let i = 0; i < 256; i++) q[i] = i;
      fc.assert(
        fc.property(
          fc.oneof(arbitraryOffset, fc.constant(Number.NaN)),
          fc.oneof(arbitraryScale, fc.constantFrom(0, -2, 1e30)),
          (o, s) =>
            same(
              A(() => a.dequantize(q, o, s)),
              B(() => b.dequantize(q, o, s)),
              `dequantize(${o}, ${s})`,
            ),
        ),
        { numRuns: runs },
      );
    });

    it('unaligned and odd-length views', () => {
      fc.assert(
        fc.property(
          arbitraryU16(500),
          fc.nat(7),
          arbitraryOffset,
          arbitraryScale,
          (x, shift, o, s) => {
            const buf = new ArrayBuffer(x.byteLength + 16);
            const v = new Uint16Array(buf, 2 * (shift % 8), x.length);
            v.set(x);
            same(
              A(() => a.quantize(v, o, s)),
              B(() => b.quantize(v, o, s)),
              'quantize view',
            );
            const bytes = new Uint8Array(buf, 1 + shift, x.byteLength);
            same(
              A(() => a.huffmanCompress(bytes)),
              B(() => b.huffmanCompress(bytes)),
              'compress view',
            );
          },
        ),
        { numRuns: runs },
      );
    });
  });
}
