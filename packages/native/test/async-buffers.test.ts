// The async API works in the caller's buffers (issue 14, backpressure; issue 15 item 3): no input
// copies, `out` written in place, memory held per call bounded by the result it allocates.
import * as core from '@pymecompress/core-ts';
import { describe, expect, it } from 'vitest';
import * as native from '../src/index.js';
import { cameraFrame, randomBytes } from './helpers.js';

const POOL = Number(process.env.UV_THREADPOOL_SIZE) || 4;

describe('nativeAsyncBackend', () => {
  it('is one object whose functions are the top-level async functions', () => {
    const b = native.nativeAsyncBackend;
    expect(b.kind).toBe('native');
    expect(Object.isFrozen(b)).toBe(true);
    expect(b.huffmanCompressAsync).toBe(native.huffmanCompressAsync);
    expect(b.huffmanDecompressAsync).toBe(native.huffmanDecompressAsync);
    expect(b.huffmanDecompressBatchAsync).toBe(native.huffmanDecompressBatchAsync);
    expect(b.huffmanCompressQuantAsync).toBe(native.huffmanCompressQuantAsync);
    expect(b.quantizeAsync).toBe(native.quantizeAsync);
    expect(b.dequantizeAsync).toBe(native.dequantizeAsync);
  });

  it('huffmanDecompressAsync writes into the caller`s out and resolves to its prefix view', async () => {
    const data = randomBytes(100_000, 5, 40);
    const stream = native.huffmanCompress(data);
    const out = new Uint8Array(data.length + 10).fill(0xee);
    const r = await native.nativeAsyncBackend.huffmanDecompressAsync(stream, data.length, out);
    expect(r.buffer).toBe(out.buffer);
    expect(r.length).toBe(data.length);
    expect(Buffer.from(r).equals(Buffer.from(data))).toBe(true);
    expect(out[data.length]).toBe(0xee); // nothing past outSize
    // an exact-size out is returned itself
    const exact = new Uint8Array(data.length);
    expect(await native.huffmanDecompressAsync(stream, data.length, exact)).toBe(exact);
  });

  it('quantizeAsync and dequantizeAsync write into out', async () => {
    const frame = cameraFrame(30_000, 2);
    const q = new Uint8Array(frame.length);
    expect(await native.quantizeAsync(frame, 100, 0.8, q)).toBe(q);
    expect(Buffer.from(q).equals(Buffer.from(core.quantize(frame, 100, 0.8)))).toBe(true);
    const back = new Uint16Array(q.length);
    expect(await native.dequantizeAsync(q, 100, 0.8, back)).toBe(back);
    expect(Array.from(back)).toEqual(Array.from(core.dequantize(q, 100, 0.8)));
  });

  it('rejects an out that is too small or of the wrong type, like the sync API', async () => {
    const stream = native.huffmanCompress(randomBytes(1000, 1, 10));
    await expect(
      native.huffmanDecompressAsync(stream, 1000, new Uint8Array(999)),
    ).rejects.toMatchObject({ code: 'ERR_INVALID_ARGUMENT' });
    await expect(
      native.quantizeAsync(new Uint16Array(4), 0, 1, new Uint16Array(4) as unknown as Uint8Array),
    ).rejects.toMatchObject({ code: 'ERR_INVALID_ARGUMENT' });
  });
});

describe('memory held by in-flight async calls', () => {
  const n = 1 << 20;

  it('queues 200 calls on 1 MB inputs without copying them', async () => {
    const data = randomBytes(n, 9, 20);
    const stream = native.huffmanCompress(data);
    const outs = Array.from({ length: 200 }, () => new Uint8Array(n));
    expect(native.nativeAsyncStats().callsInFlight).toBe(0);
    const decodes = outs.map((o) => native.huffmanDecompressAsync(stream, n, o));
    // decoding into the caller's buffers allocates nothing per call
    expect(native.nativeAsyncStats().callsInFlight).toBe(200);
    expect(native.nativeAsyncStats().bytesHeld).toBe(0);
    const encodes = Array.from({ length: 200 }, () => native.huffmanCompressAsync(data));
    // results are allocated only by the calls a pool thread is running (copies would be 200 MB)
    expect(native.nativeAsyncStats().bytesHeld).toBeLessThanOrEqual(POOL * (n + 321));
    await Promise.all(decodes);
    const results = await Promise.all(encodes);
    for (const o of outs) expect(Buffer.from(o).equals(Buffer.from(data))).toBe(true);
    for (const r of results) expect(Buffer.from(r).equals(Buffer.from(stream))).toBe(true);
    expect(native.nativeAsyncStats()).toEqual({ callsInFlight: 0, bytesHeld: 0 });
  });

  it('releases its work buffers when a call fails', async () => {
    const bad = new Uint8Array(5000); // all-internal tree: corrupt
    const calls = Array.from({ length: 50 }, () =>
      native.huffmanDecompressAsync(bad, 30_000).catch((e: { code: string }) => e.code),
    );
    expect(new Set(await Promise.all(calls))).toEqual(new Set(['ERR_CORRUPT_STREAM']));
    expect(native.nativeAsyncStats()).toEqual({ callsInFlight: 0, bytesHeld: 0 });
  });

  it('a caller that changes its input during a call gets a result or a typed error, never a crash', async () => {
    const frame = cameraFrame(400_000, 7);
    const bytes = new Uint8Array(frame.buffer);
    for (let round = 0; round < 20; round++) {
      const pending = [
        native.huffmanCompressAsync(bytes),
        native.huffmanCompressQuantAsync(frame, 100, 1),
        native.huffmanDecompressAsync(native.huffmanCompress(bytes), bytes.length),
      ];
      bytes.fill(round * 37); // races with the pool threads reading it
      const settled = await Promise.allSettled(pending);
      for (const s of settled) {
        if (s.status === 'rejected') expect(core.isPymecompressError(s.reason)).toBe(true);
      }
    }
    expect(native.nativeAsyncStats()).toEqual({ callsInFlight: 0, bytesHeld: 0 });
  });
});
