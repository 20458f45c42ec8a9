// Memory: calls reuse the heap (nothing leaks, success or failure), and inputs the wasm heap
// cannot hold (a configured limit here; memory.grow failing or the 4 GiB address space in the
// wild, the same code path) give typed errors, never a trap, and leave the backend usable.
import * as core from '@pymecompress/core-ts';
import { syntheticCameraFrame } from '@pymecompress/core-ts/synthetic';
import { describe, expect, it } from 'vitest';
import { init, wasmBackend as wasm, wasmHeapStats, wasmInfo } from '../src/index.js';

const NO_MEMORY_CODE = 'ERR_NO_MEMORY';

const LIMIT = 24 << 20;

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    expect(core.isPymecompressError(error)).toBe(true);
    return (error as core.PymecompressError).code;
  }
  return undefined;
}

describe('wasm heap', () => {
  it('reuses its memory across calls: repeated calls neither grow the memory nor leak', async () => {
    await init({ build: 'simd' });
    const frame = syntheticCameraFrame({ width: 512, height: 512, seed: 9 });
    const bytes = new Uint8Array(frame.buffer);
    const s = wasm.huffmanCompress(bytes);
    wasm.huffmanDecompress(s, bytes.length);
    wasm.huffmanCompressQuant(frame, 100, 1);
    const before = wasmHeapStats();
    for (let i = 0; i < 5; i++) {
      wasm.huffmanCompress(bytes);
      wasm.huffmanDecompress(s, bytes.length);
      wasm.huffmanCompressQuant(frame, 100, 1);
      wasm.quantize(frame, 100, 1);
      wasm.dequantize(new Uint8Array(1000), 100, 1);
      expect(() => wasm.huffmanDecompress(s.subarray(0, 100), bytes.length)).toThrow();
    }
    expect(wasmHeapStats()).toEqual(before);
  });

  it('inputs beyond the heap limit: typed errors, no trap, nothing leaked, still usable', async () => {
    await init({ build: 'baseline', maxMemoryBytes: LIMIT });
    expect(wasmInfo().build).toBe('baseline');
    const big = new Uint8Array(LIMIT); // input alone fills the limit
    for (let i = 0; i < big.length; i += 4096) big[i] = i & 0xff;
    const small = core.huffmanCompress(Uint8Array.of(1, 2, 3, 1));
    const before = wasmHeapStats();
    expect(codeOf(() => wasm.huffmanCompress(big))).toBe(NO_MEMORY_CODE);
    expect(codeOf(() => wasm.quantize(new Uint16Array(LIMIT / 2), 0, 1))).toBe(NO_MEMORY_CODE);
    // quantize+encode copies its input in blocks: the symbols alone fill the limit here.
    expect(codeOf(() => wasm.huffmanCompressQuant(new Uint16Array(LIMIT), 0, 1))).toBe(
      NO_MEMORY_CODE,
    );
    expect(codeOf(() => wasm.dequantize(new Uint8Array(LIMIT / 2), 0, 1))).toBe(NO_MEMORY_CODE);
    // The decoder writes its output in chunks (src/chunked.ts): an output as large as the heap
    // limit decodes, since only the stream and one chunk live in the heap...
    const stream = core.huffmanCompress(big);
    const decoded = wasm.huffmanDecompress(stream, big.length);
    expect(decoded.length === big.length && decoded.every((v, i) => v === big[i])).toBe(true);
    // ...and a stream that does not fit cannot be copied in.
    const noise = new Uint8Array(LIMIT);
    for (let i = 0, x = 7; i < noise.length; i++) {
      x = (Math.imul(x, 1103515245) + 12345) >>> 0;
      noise[i] = x >>> 24;
    }
    const noisy = core.huffmanCompress(noise);
    expect(codeOf(() => wasm.huffmanDecompress(noisy, noise.length))).toBe(NO_MEMORY_CODE);
    // The input fits but the encoder's own buffers (plan, stream) do not: the C core's
    // PMC_ERR_NO_MEMORY is reported with the same code.
    // (incompressible bytes: input + stream exceed the limit, the input alone does not)
    const half = new Uint8Array((LIMIT >> 1) + (LIMIT >> 3));
    let x = 1;
    for (let i = 0; i < half.length; i++) {
      x = (Math.imul(x, 1103515245) + 12345) >>> 0;
      half[i] = x >>> 24;
    }
    expect(codeOf(() => wasm.huffmanCompress(half))).toBe(NO_MEMORY_CODE);
    expect(wasmHeapStats().freeBytes).toBeGreaterThanOrEqual(before.freeBytes);
    expect(wasmInfo().memoryBytes).toBeLessThanOrEqual(LIMIT);
    expect(Array.from(wasm.huffmanDecompress(small, 4))).toEqual([1, 2, 3, 1]);
  });

  it('the size check comes before any allocation: impossible outSize is ERR_OUTPUT_TOO_LARGE', async () => {
    await init({ build: 'baseline', maxMemoryBytes: LIMIT });
    const s = core.huffmanCompress(new Uint8Array(1000).fill(3));
    expect(() => wasm.huffmanDecompress(s, 2 ** 32 - 1)).toThrow(
      expect.objectContaining({ code: 'ERR_OUTPUT_TOO_LARGE' }),
    );
  });

  it('rejects a bad maxMemoryBytes and an unknown build', async () => {
    await expect(init({ maxMemoryBytes: -1 })).rejects.toMatchObject({
      code: 'ERR_INVALID_ARGUMENT',
    });
    await expect(init({ build: 'avx' as 'simd' })).rejects.toMatchObject({
      code: 'ERR_INVALID_ARGUMENT',
    });
  });
});
