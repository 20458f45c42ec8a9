import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  buildQuantizeTable,
  dequantize,
  dequantizeValue,
  huffmanCompress,
  huffmanCompressQuant,
  huffmanDecompress,
  quantize,
} from '../src/index.js';
import { syntheticCameraFrame } from '../src/synthetic.js';
import { expectCode, expectSameBytes } from './helpers.js';
import { modelQuantize } from './model.js';

const runs = Number(process.env.PYMECOMPRESS_FC_RUNS ?? 200);
const everyValue = Uint16Array.from({ length: 65536 }, (_, i) => i);

function modelAll(offset: number, scale: number): Uint8Array {
  return Uint8Array.from(everyValue, (x) => modelQuantize(x, offset, scale));
}

describe('quantize: the float32 model over all 65,536 inputs', () => {
  const pairs: [number, number][] = [
    [0, 1],
    [100, 1],
    [100, 0.5],
    [99.5, 1.3],
    [0.25, 0.1],
    [1000, 4],
    [100, 2.5],
    [-20, 1],
    [100.123, 0.75],
    [65535, 1],
    [70000, 1],
  ];
  for (const [offset, scale] of pairs) {
    it(`offset ${offset}, scale ${scale}`, () => {
      expectSameBytes(quantize(everyValue, offset, scale), modelAll(offset, scale));
      // The table path and the per-value path must agree (short inputs use the latter).
      for (let start = 0; start < 65536; start += 4096) {
        const part = everyValue.subarray(start, start + 1000);
        expectSameBytes(
          quantize(part, offset, scale + 1e-3),
          Uint8Array.from(part, (x) => modelQuantize(x, offset, scale + 1e-3)),
        );
      }
    });
  }

  it('arbitrary (offset, scale) pairs', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -1000, max: 70000, noNaN: true }),
        fc.double({ min: 0.01, max: 100, noNaN: true }),
        (offset, scale) => {
          expectSameBytes(quantize(everyValue, offset, scale), modelAll(offset, scale));
        },
      ),
      { numRuns: Math.max(10, runs / 10) },
    );
  });

  it('saturates at 255 where the reference wraps (offset 0, scale 1, x = 65535)', () => {
    expectSameBytes(
      quantize(Uint16Array.of(65535, 65280, 65024), 0, 1),
      Uint8Array.of(255, 255, 255),
    );
    // 255.5^2 = 65280.25: 65280 rounds to 255 (r just below 255.5), 65281 is the first to reach it.
    expectSameBytes(
      quantize(Uint16Array.of(65025, 65280, 65281), 0, 1),
      Uint8Array.of(255, 255, 255),
    );
  });

  it('values below the offset quantize to 0', () => {
    expectSameBytes(
      quantize(Uint16Array.of(0, 50, 99, 100, 101), 100, 1),
      Uint8Array.of(0, 0, 0, 0, 1),
    );
  });

  it('rounds half away from zero', () => {
    // offset 0, scale 1: sqrt(x) = k + 0.5 exactly never happens for integers, so use scale 2:
    // r = sqrt(x) / 2; x = 9 -> 1.5 -> 2 (half-even would also give 2); x = 25 -> 2.5 -> 3.
    expectSameBytes(quantize(Uint16Array.of(9, 25, 1), 0, 2), Uint8Array.of(2, 3, 1));
  });

  it('rejects invalid parameters with ERR_INVALID_ARGUMENT', () => {
    const data = Uint16Array.of(1, 2, 3);
    for (const [offset, scale] of [
      [0, 0],
      [0, -1],
      [0, Number.NaN],
      [0, Number.POSITIVE_INFINITY],
      [Number.NaN, 1],
      [Number.NEGATIVE_INFINITY, 1],
      [1e39, 1],
      [0, 1e-46],
      [0, 1e39],
      [0, 1e-39],
      ['1', 1],
    ] as [number, number][]) {
      expectCode(() => quantize(data, offset, scale), 'ERR_INVALID_ARGUMENT');
      expectCode(() => dequantize(new Uint8Array(3), offset, scale), 'ERR_INVALID_ARGUMENT');
    }
    expectCode(() => quantize(new Uint8Array(3) as never, 0, 1), 'ERR_INVALID_ARGUMENT');
    expectCode(() => quantize(new Int16Array(3) as never, 0, 1), 'ERR_INVALID_ARGUMENT');
    expectCode(() => quantize(data, 0, 1, new Uint8Array(2)), 'ERR_INVALID_ARGUMENT');
  });

  it('the cached table follows parameter changes', () => {
    const a = buildQuantizeTable(100, 1);
    const b = buildQuantizeTable(100, 2);
    expect(a).not.toBe(b);
    expect(a[10100]).toBe(100);
    expect(b[10100]).toBe(50);
    expectSameBytes(quantize(Uint16Array.of(10100), 100, 1), Uint8Array.of(100));
  });
});

describe('dequantize: PYME PZF semantics', () => {
  it('(scale * q)^2 + offset in float32, truncated', () => {
    const q = Uint8Array.from({ length: 256 }, (_, i) => i);
    const expected = Uint16Array.from(q, (v) => {
      const f = new Float32Array(3);
      f[0] = v * Math.fround(0.7);
      f[1] = f[0]! * f[0]!;
      f[2] = f[1]! + Math.fround(99.9);
      return Math.min(65535, Math.trunc(f[2]!));
    });
    expectSameBytes(dequantize(q, 99.9, 0.7), expected);
  });

  it('clamps to the uint16 range', () => {
    expectSameBytes(dequantize(Uint8Array.of(0, 255), -10, 1), Uint16Array.of(0, 65015));
    expectSameBytes(dequantize(Uint8Array.of(255), 0, 2), Uint16Array.of(65535));
  });

  it('reconstructs within half a quantization step (in sqrt space) of the input', () => {
    const frame = syntheticCameraFrame({ width: 256, height: 256, seed: 9 });
    const offset = 100;
    const scale = 0.5;
    const q = quantize(frame, offset, scale);
    const back = dequantize(q, offset, scale);
    let checked = 0;
    for (let i = 0; i < frame.length; i++) {
      const x = frame[i]!;
      // Below the offset everything maps to 0; at 255 the quantizer saturates (hot pixels).
      if (x <= offset || q[i] === 255) continue;
      checked++;
      const noise = Math.sqrt(x - offset);
      // |sqrt(back) - sqrt(x)| <= scale/2 (+ truncation) => error <= about scale * noise.
      expect(Math.abs(back[i]! - x)).toBeLessThanOrEqual(scale * noise + (scale * scale) / 4 + 1);
    }
    expect(checked).toBeGreaterThan(frame.length / 2);
  });
});

describe('huffmanCompressQuant', () => {
  it('is quantize then compress', () => {
    const frame = syntheticCameraFrame({ width: 512, height: 512, seed: 2 });
    const stream = huffmanCompressQuant(frame, 100, 1);
    expectSameBytes(stream, huffmanCompress(quantize(frame, 100, 1)));
    expectSameBytes(huffmanDecompress(stream, frame.length), quantize(frame, 100, 1));
  });

  it('is quantize then compress for pair-counted lengths with an odd step count and a tail', () => {
    // Large inputs count pairs two 4-pixel steps at a time: lengths whose step count is odd,
    // or that leave 1-3 pixels after the steps, take the loops after the paired one.
    const frame = syntheticCameraFrame({ width: 520, height: 520, seed: 6 });
    for (const extra of [0, 4, 5, 7, 8]) {
      const view = frame.subarray(0, (1 << 18) + extra);
      expectSameBytes(huffmanCompressQuant(view, 100, 1), huffmanCompress(quantize(view, 100, 1)));
    }
  });
});

describe('quantize and dequantize: any alignment', () => {
  it('unaligned and odd-length views give the same values as aligned copies', () => {
    const frame = syntheticCameraFrame({ width: 101, height: 7, seed: 4 });
    const backing = new Uint8Array(frame.byteLength + 8);
    for (const inputShift of [0, 2, 4, 6]) {
      const input = new Uint16Array(backing.buffer, inputShift, frame.length);
      input.set(frame);
      for (const outShift of [0, 1, 2, 3]) {
        const outBacking = new Uint8Array(frame.length + 4);
        const out = outBacking.subarray(outShift, outShift + frame.length);
        const q = quantize(input, 100, 0.8, out);
        expectSameBytes(
          q,
          Uint8Array.from(frame, (x) => modelQuantize(x, 100, 0.8)),
        );
        const back = dequantize(
          q,
          100,
          0.8,
          new Uint16Array(new ArrayBuffer(2 * frame.length + 4), outShift & 2, frame.length),
        );
        expectSameBytes(back, dequantize(q.slice(), 100, 0.8));
        expectSameBytes(
          dequantize(q.slice(), 100, 0.8),
          Uint16Array.from(q, (v) => dequantizeValue(v, 100, Math.fround(0.8))),
        );
      }
    }
  });
});
