// Batch decode (issue 10 item 4): every call's result and error as huffmanDecompress alone.
import { describe, expect, it } from 'vitest';
import * as native from '../src/index.js';
import { cameraFrame, errorCode, randomBytes } from './helpers.js';

function corpus(count: number, seed: number): Uint8Array[] {
  return Array.from({ length: count }, (_, i) => {
    const kind = (seed + i) % 3;
    if (kind === 0) return randomBytes(1 + ((i * 7919) % 70_000), seed + i, 2 + (i % 40));
    if (kind === 1) return new Uint8Array(cameraFrame(1 + ((i * 104_729) % 150_000), i).buffer);
    return new Uint8Array((i * 31) % 50); // short, possibly empty
  });
}

describe('huffmanDecompressBatch', () => {
  it('decodes a batch like one call per stream (sync and async, with and without outs)', async () => {
    const inputs = corpus(23, 1);
    const streams = inputs.map((d) => native.huffmanCompress(d));
    const sizes = inputs.map((d) => d.length);
    const check = (outs: Uint8Array[]) =>
      outs.forEach((o, i) => {
        expect(o.length).toBe(sizes[i]);
        expect(Buffer.from(o).equals(Buffer.from(inputs[i]!))).toBe(true);
      });
    check(native.huffmanDecompressBatch(streams, sizes));
    check(await native.huffmanDecompressBatchAsync(streams, sizes));
    const outs = sizes.map((n) => new Uint8Array(n + 3));
    const r = native.huffmanDecompressBatch(streams, sizes, outs);
    check(r);
    r.forEach((o, i) => {
      expect(o.buffer).toBe(outs[i]!.buffer);
    });
    const outs2 = sizes.map((n) => new Uint8Array(n));
    const r2 = await native.nativeAsyncBackend.huffmanDecompressBatchAsync(streams, sizes, outs2);
    r2.forEach((o, i) => {
      expect(o).toBe(outs2[i]);
    });
    check(r2);
    expect(native.huffmanDecompressBatch([], [])).toEqual([]);
    expect(await native.huffmanDecompressBatchAsync([], [])).toEqual([]);
  });

  it('reports the first failing stream with its own error code; the others are decoded', async () => {
    const inputs = corpus(9, 4);
    const streams = inputs.map((d) => native.huffmanCompress(d));
    const sizes = inputs.map((d) => d.length);
    const broken = [...streams];
    broken[5] = broken[5]!.subarray(0, Math.floor(broken[5]!.length / 3)); // truncated
    broken[7] = new Uint8Array(300); // corrupt (a tree of internal nodes only)
    const want = errorCode(() => native.huffmanDecompress(broken[5]!, sizes[5]!));
    expect(want).toBeDefined();
    const outs = sizes.map((n) => new Uint8Array(n));
    const sync = (() => {
      try {
        native.huffmanDecompressBatch(broken, sizes, outs);
      } catch (e) {
        return e as { code: string; message: string };
      }
    })();
    expect(sync?.code).toBe(want);
    expect(sync?.message).toContain('stream 5');
    expect(Buffer.from(outs[8]!).equals(Buffer.from(inputs[8]!))).toBe(true);
    await expect(native.huffmanDecompressBatchAsync(broken, sizes)).rejects.toMatchObject({
      code: want,
      message: expect.stringContaining('stream 5'),
    });
  });

  it('checks its arguments like huffmanDecompress', () => {
    const s = native.huffmanCompress(randomBytes(100, 2, 5));
    expect(errorCode(() => native.huffmanDecompressBatch([s], [100, 1]))).toBe(
      'ERR_INVALID_ARGUMENT',
    );
    expect(errorCode(() => native.huffmanDecompressBatch([s], [-1]))).toBe('ERR_INVALID_ARGUMENT');
    expect(errorCode(() => native.huffmanDecompressBatch([s], [100], [new Uint8Array(99)]))).toBe(
      'ERR_INVALID_ARGUMENT',
    );
    expect(
      errorCode(() =>
        native.huffmanDecompressBatch([new Uint16Array(4) as unknown as Uint8Array], [1]),
      ),
    ).toBe('ERR_INVALID_ARGUMENT');
    expect(errorCode(() => native.huffmanDecompressBatch([s], [1e9]))).toBe('ERR_OUTPUT_TOO_LARGE');
  });
});
