import { describe, expect, it } from 'vitest';
import { huffmanDecompress } from '../src/huffman-decode.js';
import { huffmanCompress } from '../src/huffman-encode.js';
import { quantize } from '../src/quantize.js';
import { BENCHMARK_CORPUS_KINDS, corpusFrame, corpusFrameOptions } from '../src/synthetic.js';

// Small versions of every kind (same recipe, area-scaled spot counts) keep the test fast; the
// properties checked are what makes each kind what its description says.
const SIZE = 512;

describe('benchmark corpus', () => {
  it('is deterministic: the same kind and seed give the same pixels', () => {
    const a = corpusFrame('tile');
    const b = corpusFrame('tile');
    expect(b.frame).toEqual(a.frame);
    expect(corpusFrame('tile', { seed: 99 }).frame).not.toEqual(a.frame);
  });

  it('rejects an unknown kind', () => {
    expect(() => corpusFrameOptions('huge' as never)).toThrow(TypeError);
  });

  it.each(BENCHMARK_CORPUS_KINDS)(
    '%s: bytes and symbols are the frame, both round-trip',
    (kind) => {
      const f = corpusFrame(kind, kind === 'tile' ? {} : { width: SIZE, height: SIZE });
      expect(f.bytes.length).toBe(f.frame.length * 2);
      expect(f.bytes[0]! | (f.bytes[1]! << 8)).toBe(f.frame[0]);
      expect(f.offset).toBe(f.darkLevel);
      expect(f.symbols).toEqual(quantize(f.frame, f.darkLevel, 1));
      for (const data of [f.bytes, f.symbols]) {
        expect(huffmanDecompress(huffmanCompress(data), data.length)).toEqual(data);
      }
    },
  );

  it('kinds differ as described: bright is least compressible, sparse most', () => {
    const ratio = (kind: (typeof BENCHMARK_CORPUS_KINDS)[number]) => {
      const f = corpusFrame(kind, { width: SIZE, height: SIZE });
      return f.bytes.length / huffmanCompress(f.bytes).length;
    };
    const dim = ratio('dim');
    const bright = ratio('bright');
    const sparse = ratio('sparse');
    expect(bright).toBeLessThan(1.6);
    expect(dim).toBeGreaterThan(bright + 0.5);
    expect(sparse).toBeGreaterThan(dim);
  });
});
