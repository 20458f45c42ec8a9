/**
 * Chunked PZF frames decode through a backend's batch decoder when it has one (issue 10 item 4)
 * and one stream at a time otherwise; either way the bytes are those of the per-chunk decode.
 */
import { type Backend, coreBackend, PymecompressError } from '@pymecompress/core-ts';
import { describe, expect, it } from 'vitest';
import { getAsyncBackend } from '../src/backend.js';
import { availableBackends, decodePzf, decodePzfAsync, encodePzf } from '../src/index.js';
import { cameraFrame } from './helpers.js';

const N = 96 * 80;
const frame = cameraFrame(N, 7);
const quantized = encodePzf(frame, {
  shape: [96, 80],
  compression: 'huffman-chunked',
  chunks: 5,
  quantization: { offset: 100, scale: 1 },
  backend: 'core-ts',
});
const lossless = encodePzf(frame, {
  shape: [96, 80],
  compression: 'huffman-chunked',
  chunks: 3,
  backend: 'core-ts',
});
/** What one `huffmanDecompress` per chunk gives (core-ts, no batch method). */
const expected = [quantized, lossless].map((f) => decodePzf(f, { backend: coreBackend }).data);

/** core-ts plus a batch method that records its calls (and decodes stream by stream). */
function batchingBackend(): Backend & { batches: number[] } {
  const batches: number[] = [];
  return {
    ...coreBackend,
    kind: 'core-ts-batch',
    batches,
    huffmanDecompressBatch(streams, sizes, outs) {
      batches.push(streams.length);
      return streams.map((s, i) => coreBackend.huffmanDecompress(s, sizes[i]!, outs?.[i]));
    },
  };
}

/** Zeroes the first bytes of the last chunk's stream (a tree with a repeated symbol). */
function corruptLastChunk(bytes: Uint8Array): Uint8Array {
  const bad = bytes.slice();
  const dv = new DataView(bad.buffer);
  const count = dv.getUint16(64, true); // version 3: the chunk table starts at DataOffset 64
  let p = 66;
  for (let i = 0; i < count - 1; i++) p += 8 + dv.getUint32(p, true);
  bad.fill(0, p + 8, p + 16);
  return bad;
}

describe('chunked PZF decode: batch API with a per-stream fallback', () => {
  it('core-ts has no batch method, so decodePzf falls back to one call per chunk', () => {
    expect(coreBackend.huffmanDecompressBatch).toBeUndefined();
    expect(decodePzf(quantized, { backend: coreBackend }).data).toEqual(expected[0]);
  });

  it('a backend with a batch method gets every chunk of a frame in one call', () => {
    const b = batchingBackend();
    expect(decodePzf(quantized, { backend: b }).data).toEqual(expected[0]);
    expect(decodePzf(lossless, { backend: b }).data).toEqual(expected[1]);
    expect(b.batches).toEqual([5, 3]);
  });

  it('a one-chunk frame skips the batch call', () => {
    const one = encodePzf(frame, {
      shape: [96, 80],
      compression: 'huffman-chunked',
      chunks: 1,
      backend: 'core-ts',
    });
    const b = batchingBackend();
    expect(decodePzf(one, { backend: b }).data).toEqual(
      decodePzf(one, { backend: 'core-ts' }).data,
    );
    expect(b.batches).toEqual([]);
  });

  it('every available backend (batch or not) decodes to the per-chunk bytes, sync and async', async () => {
    const { entries } = await availableBackends();
    for (const e of entries) {
      e.activate();
      for (const [i, f] of [quantized, lossless].entries()) {
        expect(decodePzf(f, { backend: e.backend }).data, e.name).toEqual(expected[i]);
        expect((await decodePzfAsync(f, { backend: e.backend })).data, e.name).toEqual(expected[i]);
      }
      if (e.kind === 'native') {
        // The native backend is the one that batches: make sure the fast path is the one tested.
        expect(typeof e.backend.huffmanDecompressBatch, e.name).toBe('function');
        expect(typeof getAsyncBackend(e.backend)?.huffmanDecompressBatchAsync, e.name).toBe(
          'function',
        );
      }
    }
  });

  it('a corrupt chunk fails with the same code through the batch as one stream at a time', async () => {
    const bad = corruptLastChunk(quantized);
    const codeOf = async (fn: () => unknown): Promise<string> => {
      try {
        await fn();
      } catch (e) {
        expect(e).toBeInstanceOf(PymecompressError);
        return (e as PymecompressError).code;
      }
      return 'no error';
    };
    const perStream = await codeOf(() => decodePzf(bad, { backend: coreBackend }));
    expect(perStream).not.toBe('no error');
    expect(await codeOf(() => decodePzf(bad, { backend: batchingBackend() }))).toBe(perStream);
    const { entries } = await availableBackends();
    for (const e of entries) {
      e.activate();
      expect(await codeOf(() => decodePzf(bad, { backend: e.backend })), e.name).toBe(perStream);
      expect(await codeOf(() => decodePzfAsync(bad, { backend: e.backend })), e.name).toBe(
        perStream,
      );
    }
  });
});
