// A synchronous loop of calls must not hold every result until the event loop turns: results of
// the sync calls are V8's memory, which the GC frees inside the loop (src/binding_common.cc,
// NewResult). With results as external buffers, whose finalizers Node runs only from the event
// loop, a loop of 4 MB encodes grew by 4 MB a call.
import { describe, expect, it } from 'vitest';
import * as native from '../src/index.js';

function noise(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed >>> 0;
  for (let i = 0; i < n; i++) {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

const MB = 1 << 20;
/** Holding every result of one loop would take at least this much. */
const HELD_IF_LEAKED = 480 * MB;

describe('synchronous loops of calls', () => {
  it('keep memory bounded (results are freed by the GC inside the loop)', () => {
    const bytes = noise(4 * MB, 7);
    const pixels = new Uint16Array(noise(8 * MB, 8).buffer);
    const stream = native.huffmanCompress(bytes);
    const calls: Array<[string, () => ArrayBufferView]> = [
      ['huffmanCompress', () => native.huffmanCompress(bytes)],
      ['huffmanDecompress', () => native.huffmanDecompress(stream, bytes.length)],
      ['huffmanCompressQuant', () => native.huffmanCompressQuant(pixels, 0, 0.25)],
      ['quantize', () => native.quantize(pixels, 0, 1)],
      ['dequantize', () => native.dequantize(bytes, 0, 1)],
    ];
    for (const [name, call] of calls) {
      const calls = Math.ceil(HELD_IF_LEAKED / call().byteLength);
      const before = process.memoryUsage().rss;
      let peak = before;
      for (let i = 0; i < calls; i++) {
        call();
        peak = Math.max(peak, process.memoryUsage().rss);
      }
      expect(peak - before, name).toBeLessThan(160 * MB);
    }
  });
});
