import { Worker } from 'node:worker_threads';
import * as core from '@pymecompress/core-ts';
import { describe, expect, it } from 'vitest';
import * as native from '../src/index.js';
import { cameraFrame, outcome, outcomeAsync, randomBytes } from './helpers.js';

describe('async API (libuv pool)', () => {
  it('produces the same results as the sync API', async () => {
    const frame = cameraFrame(70_001, 11);
    const bytes = new Uint8Array(frame.buffer);
    const s = native.huffmanCompress(bytes);
    const [enc, dec, q, dq, cq] = await Promise.all([
      native.huffmanCompressAsync(bytes),
      native.huffmanDecompressAsync(s, bytes.length),
      native.quantizeAsync(frame, 100, 0.5),
      native.dequantizeAsync(bytes, 100, 0.5),
      native.huffmanCompressQuantAsync(frame, 100, 0.5),
    ]);
    expect(enc).toBeInstanceOf(Uint8Array);
    expect(Buffer.from(enc).equals(Buffer.from(s))).toBe(true);
    expect(Buffer.from(dec).equals(Buffer.from(bytes))).toBe(true);
    expect(Buffer.from(q).equals(Buffer.from(core.quantize(frame, 100, 0.5)))).toBe(true);
    expect(dq).toBeInstanceOf(Uint16Array);
    expect(Array.from(dq)).toEqual(Array.from(core.dequantize(bytes, 100, 0.5)));
    expect(Buffer.from(cq).equals(Buffer.from(core.huffmanCompressQuant(frame, 100, 0.5)))).toBe(
      true,
    );
  });

  it('handles empty inputs', async () => {
    expect((await native.huffmanCompressAsync(new Uint8Array(0))).length).toBe(0);
    expect((await native.huffmanDecompressAsync(new Uint8Array(0), 0)).length).toBe(0);
    expect((await native.quantizeAsync(new Uint16Array(0), 0, 1)).length).toBe(0);
    expect((await native.dequantizeAsync(new Uint8Array(0), 0, 1)).length).toBe(0);
    expect((await native.huffmanCompressQuantAsync(new Uint16Array(0), 0, 1)).length).toBe(0);
  });

  it('rejects with the same PymecompressError codes as the sync API', async () => {
    const stream = native.huffmanCompress(randomBytes(1000, 1, 10));
    const cases: Array<[() => Uint8Array | Uint16Array, () => Promise<Uint8Array | Uint16Array>]> =
      [
        [
          () => native.huffmanDecompress(new Uint8Array(200), 10),
          () => native.huffmanDecompressAsync(new Uint8Array(200), 10),
        ],
        [
          () => native.huffmanDecompress(stream.subarray(0, 50), 1000),
          () => native.huffmanDecompressAsync(stream.subarray(0, 50), 1000),
        ],
        [
          () => native.huffmanDecompress(stream, 1e9),
          () => native.huffmanDecompressAsync(stream, 1e9),
        ],
        [
          () => native.huffmanDecompress(stream, -1),
          () => native.huffmanDecompressAsync(stream, -1),
        ],
        [
          () => native.huffmanCompress(new Int8Array(3) as unknown as Uint8Array),
          () => native.huffmanCompressAsync(new Int8Array(3) as unknown as Uint8Array),
        ],
        [
          () => native.quantize(new Uint16Array(3), 0, 0),
          () => native.quantizeAsync(new Uint16Array(3), 0, 0),
        ],
        [
          () => native.dequantize(new Uint8Array(3), Number.NaN, 1),
          () => native.dequantizeAsync(new Uint8Array(3), Number.NaN, 1),
        ],
        [
          () => native.huffmanCompressQuant(new Uint16Array(3), 0, 1e-45),
          () => native.huffmanCompressQuantAsync(new Uint16Array(3), 0, 1e-45),
        ],
      ];
    for (const [sync, asyncFn] of cases) {
      const a = outcome(sync);
      expect(a.ok).toBe(false);
      expect(await outcomeAsync(asyncFn)).toEqual(a);
    }
    await expect(native.huffmanDecompressAsync(new Uint8Array(200), 10)).rejects.toBeInstanceOf(
      core.PymecompressError,
    );
  });

  it('runs many jobs concurrently', async () => {
    const inputs = Array.from({ length: 24 }, (_, i) =>
      randomBytes(20_000 + i * 1000, i + 1, 1 + i * 10),
    );
    const streams = await Promise.all(inputs.map((d) => native.huffmanCompressAsync(d)));
    const back = await Promise.all(
      streams.map((s, i) => native.huffmanDecompressAsync(s, inputs[i]!.length)),
    );
    back.forEach((b, i) => {
      expect(Buffer.from(b).equals(Buffer.from(inputs[i]!))).toBe(true);
    });
  });

  it('works from several worker_threads at once', async () => {
    const url = new URL('./fixtures/worker.mjs', import.meta.url);
    const run = (seed: number) =>
      new Promise<{ errors: string[]; results: number[]; dispatch: string }>((resolve, reject) => {
        const w = new Worker(url, { workerData: { seed, rounds: 6 } });
        w.once('message', resolve);
        w.once('error', reject);
        w.once('exit', (code) => {
          if (code !== 0) reject(new Error(`worker exited with ${code}`));
        });
      });
    const results = await Promise.all([1, 2, 3, 4].map(run));
    for (const r of results) {
      expect(r.errors).toEqual([]);
      expect(r.results.length).toBe(6);
    }
  });
});
