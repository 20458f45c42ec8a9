/**
 * The contract half of the conformance suite: what every backend must do where the reference
 * (pymecompress 0.3.6) is undefined or unsafe, as docs/DEVIATIONS.md records it. Registered by
 * `registerConformanceSuite` (suite.ts) inside each backend's describe block.
 */
import { type Backend, coreBackend } from '@pymecompress/core-ts';
import { maxCompressedSize } from '@pymecompress/core-ts/internal';
import { syntheticCameraFrame } from '@pymecompress/core-ts/synthetic';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  assertBytesEqual,
  contractDequantize,
  contractQuantize,
  expectCode,
  fcRuns,
} from './util.js';

/** Every uint16 value once, in order (the quantizer vectors cover the whole input range). */
export const ALL_U16 = (() => {
  const a = new Uint16Array(65536);
  for (let i = 0; i < 65536; i++) a[i] = i;
  return a;
})();

export function registerContractTests(
  getB: () => Backend,
  withBackend: (fn: () => void | Promise<void>) => () => Promise<void>,
): void {
  describe('contract: where the reference is undefined or unsafe (docs/DEVIATIONS.md)', () => {
    it(
      'quantizer saturates at 255 instead of wrapping (offset 0, scale 1, x = 65535)',
      withBackend(() => {
        const q = getB().quantize(Uint16Array.of(65280, 65281, 65534, 65535), 0, 1);
        expect(Array.from(q)).toEqual([255, 255, 255, 255]);
      }),
    );

    it(
      'quantizer gives 0 for x < offset (the reference takes sqrt of a negative number)',
      withBackend(() => {
        const q = getB().quantize(Uint16Array.of(0, 99, 100, 101, 104), 100.5, 1);
        expect(Array.from(q)).toEqual([0, 0, 0, 1, 2]);
      }),
    );

    it(
      'quantizer uses the scalar float32 model, not the approximate AVX body',
      withBackend(() => {
        const b = getB();
        for (const [o, s] of [
          [0, 1],
          [100, 0.5],
          [37.25, 1.7],
          [0.1, 0.3],
        ] as const) {
          const q = b.quantize(ALL_U16, o, s);
          for (let x = 0; x < 65536; x += 1) {
            if (q[x] !== contractQuantize(x, o, s))
              throw new Error(`offset ${o} scale ${s} x ${x}: ${q[x]}`);
          }
        }
      }),
    );

    it(
      'quantize validates offset and scale',
      withBackend(() => {
        const b = getB();
        const x = Uint16Array.of(1, 2, 3);
        for (const s of [0, -1, Number.NaN, Number.POSITIVE_INFINITY, 1e-46, 1e39]) {
          expectCode(() => b.quantize(x, 0, s), 'ERR_INVALID_ARGUMENT', `scale ${s}`);
          expectCode(
            () => b.huffmanCompressQuant(x, 0, s),
            'ERR_INVALID_ARGUMENT',
            `compressQuant scale ${s}`,
          );
        }
        for (const o of [Number.NaN, Number.NEGATIVE_INFINITY, 1e39]) {
          expectCode(() => b.quantize(x, o, 1), 'ERR_INVALID_ARGUMENT', `offset ${o}`);
        }
        expectCode(
          () => b.quantize(new Uint8Array(3) as unknown as Uint16Array, 0, 1),
          'ERR_INVALID_ARGUMENT',
          'Uint8Array data',
        );
        expectCode(
          () => b.quantize(x, 0, 1, new Uint8Array(2)),
          'ERR_INVALID_ARGUMENT',
          'short out',
        );
      }),
    );

    it(
      'dequantize follows PYME PZFFormat.loads in float32, truncated and clamped',
      withBackend(() => {
        const b = getB();
        const q = new Uint8Array(256);
        for (let i = 0; i < 256; i++) q[i] = i;
        for (const [o, s] of [
          [100, 1],
          [0, 1],
          [100.5, 0.5],
          [0, 2],
          [-50, 0.75],
          [65000, 1],
          [0, 300],
        ] as const) {
          const d = b.dequantize(q, o, s);
          expect(d).toBeInstanceOf(Uint16Array);
          for (let i = 0; i < 256; i++) {
            if (d[i] !== contractDequantize(i, o, s))
              throw new Error(`offset ${o} scale ${s} q ${i}: ${d[i]}`);
          }
        }
      }),
    );

    it(
      'decoder rejects 200 zero bytes (the reference overflows its node array and crashes)',
      withBackend(() => {
        expectCode(
          () => getB().huffmanDecompress(new Uint8Array(200), 100),
          'ERR_CORRUPT_STREAM',
          '200 zero bytes',
        );
      }),
    );

    it(
      'in-place quantize and decoding over its own stream write what core-ts writes',
      withBackend(() => {
        // Only exact in-place quantize and decode-over-stream are compared: other overlaps of
        // `out` and the input are unspecified (the C core is element-sequential there).
        const frame = syntheticCameraFrame({ width: 200, height: 200, seed: 3 });
        const scenarios: Array<(api: Backend) => number[]> = [
          (api) => {
            const buf = new ArrayBuffer(frame.byteLength + 128);
            const data = new Uint16Array(buf, 0, frame.length);
            data.set(frame);
            api.quantize(data, 100, 0.9, new Uint8Array(buf, 0, frame.length));
            return Array.from(new Uint8Array(buf));
          },
          (api) => {
            const raw = new Uint8Array(frame.buffer);
            const s = coreBackend.huffmanCompress(raw);
            const buf = new Uint8Array(raw.length + 16);
            buf.set(s, 8);
            api.huffmanDecompress(
              buf.subarray(8, 8 + s.length),
              raw.length,
              buf.subarray(0, raw.length),
            );
            return Array.from(buf);
          },
        ];
        for (const run of scenarios) expect(run(getB())).toEqual(run(coreBackend));
      }),
    );

    it(
      'decoder rejects a tree with a repeated symbol',
      withBackend(() => {
        // 0 | 1 00000111 | 1 00000111 | data: an internal node whose two leaves are both symbol 7.
        const s = Uint8Array.of(0b01000001, 0b11100000, 0b11100000, 0);
        expectCode(() => getB().huffmanDecompress(s, 2), 'ERR_CORRUPT_STREAM', 'repeated leaf');
      }),
    );

    it(
      'decoder reports a stream that ends before outSize symbols (the reference reads past the input)',
      withBackend(() => {
        const b = getB();
        const input = new Uint8Array(4096);
        for (let i = 0; i < input.length; i++) input[i] = (i * 7919) & 0xff;
        const s = b.huffmanCompress(input);
        expectCode(
          () => b.huffmanDecompress(s.subarray(0, s.length >> 1), input.length),
          'ERR_TRUNCATED_STREAM',
          'half stream',
        );
        expectCode(
          () => b.huffmanDecompress(s.subarray(0, 20), 100),
          'ERR_TRUNCATED_STREAM',
          'cut inside the tree',
        );
      }),
    );

    it(
      'decoder refuses more symbols than 8 * length - 9 (a 2-byte single-leaf stream "decodes" to any size in the reference)',
      withBackend(() => {
        const b = getB();
        const s = b.huffmanCompress(new Uint8Array(7).fill(42));
        expect(s.length).toBe(2);
        assertBytesEqual(b.huffmanDecompress(s, 7), new Uint8Array(7).fill(42), 'single leaf');
        expectCode(() => b.huffmanDecompress(s, 8), 'ERR_OUTPUT_TOO_LARGE', '8 from 2 bytes');
        expectCode(
          () => b.huffmanDecompress(s, 1_000_000),
          'ERR_OUTPUT_TOO_LARGE',
          'million from 2 bytes',
        );
      }),
    );

    it(
      'empty input and empty streams',
      withBackend(() => {
        const b = getB();
        expect(b.huffmanCompress(new Uint8Array(0)).length).toBe(0);
        expect(b.huffmanDecompress(new Uint8Array(0), 0).length).toBe(0);
        expectCode(
          () => b.huffmanDecompress(new Uint8Array(0), 1),
          'ERR_OUTPUT_TOO_LARGE',
          'empty stream, 1 symbol',
        );
        // outSize 0 returns without parsing the stream.
        expect(b.huffmanDecompress(new Uint8Array(200), 0).length).toBe(0);
        expect(b.huffmanCompressQuant(new Uint16Array(0), 0, 1).length).toBe(0);
        expect(b.quantize(new Uint16Array(0), 0, 1).length).toBe(0);
      }),
    );

    it(
      'argument validation',
      withBackend(() => {
        const b = getB();
        const s = b.huffmanCompress(Uint8Array.of(1, 2, 3));
        expectCode(
          () => b.huffmanCompress(new Uint16Array(3) as unknown as Uint8Array),
          'ERR_INVALID_ARGUMENT',
          'Uint16Array',
        );
        expectCode(
          () => b.huffmanCompress([1, 2] as unknown as Uint8Array),
          'ERR_INVALID_ARGUMENT',
          'array',
        );
        for (const n of [-1, 1.5, Number.NaN, 2 ** 32, '3' as unknown as number]) {
          expectCode(
            () => b.huffmanDecompress(s, n),
            'ERR_INVALID_ARGUMENT',
            `outSize ${String(n)}`,
          );
        }
        expectCode(
          () => b.huffmanDecompress(s, 3, new Uint8Array(2)),
          'ERR_INVALID_ARGUMENT',
          'short out',
        );
        expect(b.huffmanCompress(Buffer.from([1, 2, 3]))).toEqual(s);
      }),
    );

    it(
      'bits after outSize symbols are ignored',
      withBackend(() => {
        const b = getB();
        const input = Uint8Array.of(1, 2, 3, 1, 1, 2);
        const s = b.huffmanCompress(input);
        const padded = new Uint8Array(s.length + 16).fill(0xff);
        padded.set(s);
        assertBytesEqual(b.huffmanDecompress(padded, input.length), input, 'padded');
      }),
    );

    it(
      'round trip and size bound n + 321 on arbitrary inputs',
      withBackend(() => {
        const b = getB();
        fc.assert(
          fc.property(
            fc.oneof(
              fc.uint8Array({ maxLength: 3000 }),
              fc.uint8Array({ min: 0, max: 3, maxLength: 3000 }),
              fc
                .array(fc.constantFrom(0, 255, 17), { maxLength: 500 })
                .map((a) => Uint8Array.from(a)),
            ),
            (input) => {
              const s = b.huffmanCompress(input);
              expect(s.length).toBeLessThanOrEqual(maxCompressedSize(input.length));
              assertBytesEqual(b.huffmanDecompress(s, input.length), input, 'round trip');
            },
          ),
          { numRuns: fcRuns() },
        );
      }),
    );
  });
}
