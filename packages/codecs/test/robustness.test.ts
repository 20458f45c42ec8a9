/** Corrupted inputs: only PymecompressError (typed codes) or a successful decode, never anything else. */
import { isPymecompressError } from '@pymecompress/core-ts';
import { describe, expect, it } from 'vitest';
import { decodePzf, encodePzf, Huffman, HuffmanQuant16 } from '../src/index.js';
import { cameraFrame, rng } from './helpers.js';

const ITER = Number(process.env.FC_NUM_RUNS ?? 400);

function mutate(src: Uint8Array, r: () => number): Uint8Array {
  const b = Uint8Array.from(src);
  const kind = Math.floor(r() * 4);
  if (kind === 0) {
    for (let i = 0, n = 1 + Math.floor(r() * 4); i < n; i++)
      b[Math.floor(r() * b.length)] = Math.floor(r() * 256);
    return b;
  }
  if (kind === 1) return b.subarray(0, Math.floor(r() * b.length));
  if (kind === 2) {
    const i = Math.floor(r() * b.length);
    b[i] = b[i]! ^ (1 << Math.floor(r() * 8));
    return b;
  }
  const extra = Uint8Array.from({ length: Math.floor(r() * 16) }, () => Math.floor(r() * 256));
  const out = new Uint8Array(b.length + extra.length);
  out.set(b);
  out.set(extra, b.length);
  return out;
}

function attempt(fn: () => unknown): 'ok' | string {
  try {
    fn();
    return 'ok';
  } catch (e) {
    if (!isPymecompressError(e)) throw e;
    return (e as { code: string }).code;
  }
}

describe('corrupted input', () => {
  it('PZF frames (every dtype / compression / quantization)', () => {
    const r = rng(99);
    const data16 = cameraFrame(24 * 16, 1);
    const frames = [
      encodePzf(data16, { shape: [24, 16], compression: 'huffman' }),
      encodePzf(data16, { shape: [24, 16], compression: 'huffman-chunked', chunks: 3 }),
      encodePzf(data16, {
        shape: [24, 16],
        compression: 'huffman',
        quantization: { offset: 100, scale: 1 },
      }),
      encodePzf(data16, { shape: [24, 16], compression: 'raw' }),
      encodePzf(
        new Float32Array(64).map((_, i) => i / 3),
        { shape: [8, 8], compression: 'huffman' },
      ),
    ];
    const codes = new Set<string>();
    for (let i = 0; i < ITER; i++) {
      const f = frames[i % frames.length]!;
      codes.add(attempt(() => decodePzf(mutate(f, r))));
    }
    expect(codes.has('ERR_INVALID_PZF')).toBe(true);
  });

  it('codec chunks', () => {
    const r = rng(7);
    const data = cameraFrame(500, 2);
    const h = Huffman.fromConfig({}, { dataType: 'uint16', shape: [500] });
    const q = HuffmanQuant16.fromConfig(
      { offset: 100, scale: 1 },
      { dataType: 'uint16', shape: [500] },
    );
    const he = h.encodeSync(data);
    const qe = q.encodeSync(data);
    const codes = new Set<string>();
    for (let i = 0; i < ITER; i++) {
      codes.add(attempt(() => h.decodeSync(mutate(he, r))));
      codes.add(attempt(() => q.decodeSync(mutate(qe, r))));
      codes.add(attempt(() => new Huffman().decodeSync(mutate(he, r))));
    }
    expect(codes.size).toBeGreaterThan(2);
  });
});
