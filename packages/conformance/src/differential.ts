/**
 * Live differential properties: a backend against the real pymecompress 0.3.6 running in a Python
 * worker (python/worker.py). Bounded case counts (PYMECOMPRESS_FC_RUNS, default 100).
 */
import type { Backend } from '@pymecompress/core-ts';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ReferenceWorker, startReferenceWorker } from './reference-worker.js';
import type { SuiteTarget } from './suite.js';
import {
  assertBytesEqual,
  bytesEqual,
  contractQuantize,
  fcRuns,
  fibonacciInput,
  prefixBitsEqual,
  referenceQuantModel,
  treeInfo,
} from './util.js';

/** Byte inputs with varied statistics (uniform, small alphabets, runs, skew). */
export function arbitraryBytes(maxLength = 4000): fc.Arbitrary<Uint8Array> {
  return fc.oneof(
    fc.uint8Array({ maxLength }),
    fc.uint8Array({ min: 0, max: 1, maxLength }),
    fc.uint8Array({ min: 250, max: 255, maxLength }),
    fc
      .tuple(
        fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 1, maxLength: 12 }),
        fc.array(fc.nat(), { maxLength }),
      )
      .map(([alphabet, picks]) =>
        Uint8Array.from(
          picks,
          (p) =>
            alphabet[
              Math.min(alphabet.length - 1, Math.floor(Math.log2(1 + (p % 4096))))
            ] as number,
        ),
      ),
    fc
      .array(fc.tuple(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 1, max: 300 })), {
        maxLength: 40,
      })
      .map((runs) => {
        const parts = runs.map(([v, n]) => new Uint8Array(n).fill(v));
        const out = new Uint8Array(parts.reduce((a, p) => a + p.length, 0));
        let o = 0;
        for (const p of parts) {
          out.set(p, o);
          o += p.length;
        }
        return out;
      }),
  );
}

/** Quantizer parameters incl. fractional offsets and scales below and above 1. */
export const arbitraryOffset: fc.Arbitrary<number> = fc.oneof(
  fc.constantFrom(0, 100, 100.5, 99.9, 1000),
  fc.double({ min: -200, max: 70000, noNaN: true }),
  fc.integer({ min: 0, max: 65535 }),
);
export const arbitraryScale: fc.Arbitrary<number> = fc.oneof(
  fc.constantFrom(1, 0.5, 2, 0.1, 8, 0.37, 1.7),
  fc.double({ min: 0.01, max: 64, noNaN: true }),
);
export function arbitraryU16(maxLength = 2000): fc.Arbitrary<Uint16Array> {
  return fc.oneof(
    fc.array(fc.integer({ min: 0, max: 65535 }), { maxLength }).map((a) => Uint16Array.from(a)),
    fc.array(fc.integer({ min: 80, max: 400 }), { maxLength }).map((a) => Uint16Array.from(a)),
  );
}

/** Register the differential properties of one backend against a shared reference worker. */
export function registerDifferentialSuite(
  target: SuiteTarget,
  worker: () => ReferenceWorker,
): void {
  let b: Backend;
  const runs = fcRuns();
  const wrap = (fn: () => Promise<void>) => async () => {
    target.beforeEach?.();
    await fn();
  };
  interface PropertyOptions {
    maxLength?: number;
    numRuns?: number;
  }
  // Every property runs `target.beforeEach` before each case too (it may select a dispatch body).
  const bytesProperty = (
    body: (input: Uint8Array) => Promise<void>,
    o: PropertyOptions = {},
  ): (() => Promise<void>) =>
    wrap(() =>
      fc.assert(
        fc.asyncProperty(arbitraryBytes(o.maxLength), async (input) => {
          target.beforeEach?.();
          await body(input);
        }),
        { numRuns: o.numRuns ?? runs },
      ),
    );
  const quantProperty = (
    body: (x: Uint16Array, offset: number, scale: number) => Promise<void>,
    o: PropertyOptions = {},
  ): (() => Promise<void>) =>
    wrap(() =>
      fc.assert(
        fc.asyncProperty(
          arbitraryU16(o.maxLength),
          arbitraryOffset,
          arbitraryScale,
          async (x, offset, scale) => {
            target.beforeEach?.();
            await body(x, offset, scale);
          },
        ),
        { numRuns: o.numRuns ?? runs },
      ),
    );

  describe(`differential vs pymecompress 0.3.6 [${target.name}]`, () => {
    beforeAll(async () => {
      b = await target.backend();
    });

    it(
      'reference HuffmanCompress equals ours byte for byte (codes <= 25 bits)',
      bytesProperty(async (input) => {
        const ours = b.huffmanCompress(input);
        if (input.length && treeInfo(ours).maxCodeLength > 25) return; // cannot happen below ~300 kB
        assertBytesEqual(ours, await worker().huffmanCompress(input), 'stream');
      }),
    );

    it(
      "the reference's HuffmanDecompress decodes our streams",
      bytesProperty(async (input) => {
        if (input.length === 0) return; // the reference parses a tree even for 0 symbols
        const ours = b.huffmanCompress(input);
        assertBytesEqual(
          await worker().huffmanDecompress(ours, input.length),
          input,
          'reference decode',
        );
      }),
    );

    it(
      'our decoder reads the reference streams',
      bytesProperty(async (input) => {
        const ref = await worker().huffmanCompress(input);
        assertBytesEqual(b.huffmanDecompress(ref, input.length), input, 'our decode');
      }),
    );

    for (const k of [26, 27, 28]) {
      it(
        `deep trees: Fibonacci histogram over ${k} symbols (${k - 1}-bit codes) round-trips through the reference decoder`,
        wrap(async () => {
          const input = fibonacciInput(k, 1000 + k);
          const ours = b.huffmanCompress(input);
          expect(treeInfo(ours).maxCodeLength).toBe(k - 1);
          assertBytesEqual(
            await worker().huffmanDecompress(ours, input.length),
            input,
            'reference decode of ours',
          );
          const ref = await worker().huffmanCompress(input);
          if (k - 1 <= 25) assertBytesEqual(ours, ref, 'reference stream');
          else if (!bytesEqual(ours, ref)) {
            // The reference's encoder mis-places codes longer than 25 bits depending on their bit
            // offset (docs/DEVIATIONS.md §5): when its stream differs, the tree is the same and the data is wrong.
            const t = treeInfo(ours);
            expect(prefixBitsEqual(ours, ref, t.treeBits)).toBe(true);
            expect(bytesEqual(await worker().huffmanDecompress(ref, input.length), input)).toBe(
              false,
            );
          }
        }),
      );
    }

    it(
      'reference quantize (scalar body) equals ours wherever it is defined',
      quantProperty(async (x, offset, scale) => {
        const ours = b.quantize(x, offset, scale);
        const ref = await worker().quantize(x, offset, scale, 'scalar');
        for (let i = 0; i < x.length; i++) {
          const m = referenceQuantModel(x[i] as number, offset, scale);
          if (m.defined) expect(ours[i]).toBe(ref[i]);
          else expect(ours[i]).toBe(contractQuantize(x[i] as number, offset, scale));
        }
      }),
    );

    it(
      'reference HuffmanCompressQuant (scalar body) equals ours where the quantizer is defined',
      quantProperty(async (x, offset, scale) => {
        let defined = true;
        for (let i = 0; i < x.length && defined; i++)
          defined = referenceQuantModel(x[i] as number, offset, scale).defined;
        if (!defined) return;
        assertBytesEqual(
          b.huffmanCompressQuant(x, offset, scale),
          await worker().huffmanCompressQuant(x, offset, scale, 'scalar'),
          'stream',
        );
      }),
    );

    it(
      'numcodecs Huffman buffers: raw stream + element-count trailer',
      bytesProperty(
        async (input) => {
          const enc = await worker().codecEncode('huffman', input);
          assertBytesEqual(
            enc.subarray(0, enc.length - 4),
            b.huffmanCompress(input),
            'codec stream',
          );
          expect(new DataView(enc.buffer, enc.byteOffset + enc.length - 4).getUint32(0, true)).toBe(
            input.length,
          );
          if (input.length)
            assertBytesEqual(
              await worker().codecDecode('huffman', enc),
              input,
              'python codec decode',
            );
        },
        { maxLength: 2000, numRuns: Math.max(10, runs >> 1) },
      ),
    );

    it(
      'numcodecs HuffmanQuant16 buffers: the first N symbols are the reference quantization',
      quantProperty(
        async (x, offset, scale) => {
          if (x.length === 0) return;
          const o = Math.fround(offset);
          const s = Math.fround(scale);
          const enc = await worker().codecEncode('quant16', x, {
            id: 'pymecompress-quant16',
            offset: o,
            scale: s,
          });
          const n = new DataView(enc.buffer, enc.byteOffset + enc.length - 4).getUint32(0, true);
          expect(n).toBe(x.length);
          const q = b.huffmanDecompress(enc.subarray(0, enc.length - 4), n);
          // Python's codec quantizes 2N values (x, then what follows in memory: zeros here)
          // with the dispatched body. On AVX CPUs that body saturates in full 16-value blocks
          // but wraps in the last (2N mod 16) values, so compare the same layout.
          const padded = new Uint16Array(2 * x.length);
          padded.set(x);
          const ref = (await worker().quantize(padded, o, s, 'dispatch')).subarray(0, x.length);
          assertBytesEqual(q, ref, 'quant16 symbols');
        },
        { maxLength: 1500, numRuns: Math.max(10, runs >> 1) },
      ),
    );
  });
}

/** One reference worker per test file, started in beforeAll and closed in afterAll. */
export function useReferenceWorker(): () => ReferenceWorker {
  let w: ReferenceWorker | undefined;
  beforeAll(async () => {
    w = await startReferenceWorker();
  });
  afterAll(async () => {
    await w?.close();
  });
  return () => {
    if (!w) throw new Error('reference worker not started');
    return w;
  };
}
