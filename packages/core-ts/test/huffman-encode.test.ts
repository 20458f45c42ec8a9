import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { huffmanCompress, huffmanDecompress, maxCompressedSize } from '../src/index.js';
import { syntheticCameraFrame } from '../src/synthetic.js';
import { expectCode, expectSameBytes, fibonacciCounts, fromHistogram, hex } from './helpers.js';
import { modelCompress, modelDepth, modelStreamPrefix } from './model.js';

const runs = Number(process.env.PYMECOMPRESS_FC_RUNS ?? 200);

describe('huffmanCompress: hand-checked vectors', () => {
  it('ten bytes of 7 give 83 80 00 (docs/FORMAT.md §1.4 worked example)', () => {
    expect(hex(huffmanCompress(new Uint8Array(10).fill(7)))).toBe('838000');
  });

  it('empty input gives an empty stream', () => {
    expect(huffmanCompress(new Uint8Array(0)).length).toBe(0);
  });

  it('one byte: a 9-bit leaf and one 0 bit', () => {
    // 1 00000101 0 -> 1000 0010 1000 0000
    expect(hex(huffmanCompress(Uint8Array.of(5)))).toBe('8280');
  });

  it('two symbols: root with A = the lighter (later on ties), B = the other', () => {
    // counts: 1 -> 1, 2 -> 1. Tie: n1 = index 1 (symbol 2), n2 = index 0 (symbol 1).
    // tree: 0 1 00000010 1 00000001, data: symbol 1 -> '1', symbol 2 -> '0' => bits for [1,2]: 10
    const bits = `0100000010100000001${'10'}`;
    const expected = Buffer.from(
      (bits.padEnd(Math.ceil(bits.length / 8) * 8, '0').match(/.{8}/g) ?? []).map((b) =>
        Number.parseInt(b, 2),
      ),
    );
    expect(hex(huffmanCompress(Uint8Array.of(1, 2)))).toBe(expected.toString('hex'));
  });

  it('the lighter symbol goes to A even when it has the larger value', () => {
    // 0 occurs twice, 9 once: n1 = symbol 9 (lighter), n2 = symbol 0 -> A = 9 ('0'), B = 0 ('1').
    const stream = huffmanCompress(Uint8Array.of(0, 9, 0));
    expectSameBytes(stream, modelCompress(Uint8Array.of(0, 9, 0)));
    // 0 1 00001001 1 00000000 | data 1 0 1 | pad -> 01000010 01100000 00010100
    expect(hex(stream)).toBe('426014');
    expectSameBytes(huffmanDecompress(stream, 3), Uint8Array.of(0, 9, 0));
  });

  it('all 256 symbols once each give a complete 8-bit tree', () => {
    const data = Uint8Array.from({ length: 256 }, (_, i) => i);
    const stream = huffmanCompress(data);
    expectSameBytes(stream, modelCompress(data));
    expect(stream.length).toBe(Math.ceil((256 * 9 + 255 + 256 * 8) / 8));
  });

  it('long single-symbol runs cost one bit per byte', () => {
    const stream = huffmanCompress(new Uint8Array(100_000).fill(200));
    expect(stream.length).toBe(Math.ceil((9 + 100_000) / 8));
    expectSameBytes(stream, modelCompress(new Uint8Array(100_000).fill(200)));
  });

  it('skewed and geometric histograms match the model', () => {
    const geometric = fromHistogram(
      Array.from({ length: 40 }, (_, i) => Math.floor(4096 / 2 ** (i / 3))),
    );
    const skewed = fromHistogram([100_000, 3, 3, 3, 7, 1, 1, 250, 250, 1]);
    for (const data of [geometric, skewed])
      expectSameBytes(huffmanCompress(data), modelCompress(data));
  });
});

describe('huffmanCompress: properties', () => {
  it('matches the naive bit-string model on arbitrary bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 3000 }), (data) => {
        expect(hex(huffmanCompress(data))).toBe(hex(modelCompress(data)));
      }),
      { numRuns: runs },
    );
  });

  it('matches the model on small alphabets with skewed counts (many ties)', () => {
    const skewedBytes = fc
      .array(fc.nat({ max: 400 }), { minLength: 1, maxLength: 40 })
      .chain((counts) =>
        fc.constant(fromHistogram(counts.map((c, i) => (i % 3 === 0 ? c : c % 7)))),
      );
    fc.assert(
      fc.property(skewedBytes, (data) => {
        expect(hex(huffmanCompress(data))).toBe(hex(modelCompress(data)));
      }),
      { numRuns: runs },
    );
  });

  it('matches the model on full alphabets of nearly equal counts (ties in a deep heap)', () => {
    // The tree is built with a heap (huffman-tree.ts): ties among up to 256 leaves and the
    // internal nodes they form are where a heap could pick differently from the scan.
    const manyTies = fc
      .array(fc.nat({ max: 3 }), { minLength: 128, maxLength: 256 })
      .map((counts) => fromHistogram(counts.map((c, i) => (i % 5 === 0 ? c * 2 : c))));
    fc.assert(
      fc.property(manyTies, (data) => {
        expect(hex(huffmanCompress(data))).toBe(hex(modelCompress(data)));
      }),
      { numRuns: runs },
    );
  });

  it('round-trips and stays within n + 321 bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 5000 }), (data) => {
        const stream = huffmanCompress(data);
        expect(stream.length).toBeLessThanOrEqual(maxCompressedSize(data.length));
        expectSameBytes(huffmanDecompress(stream, data.length), data);
      }),
      { numRuns: runs },
    );
  });
});

describe('huffmanCompress: the large-input paths (pair table, 32-bit loads)', () => {
  const pairThreshold = 1 << 18;

  it('short codes, odd length, aligned and unaligned views match the model', () => {
    const counts = Array.from({ length: 40 }, (_, i) => Math.floor(40_000 / 1.15 ** i) + 1);
    const data = fromHistogram(counts, 11).subarray(0, pairThreshold + 3);
    expect(modelDepth(data)).toBeLessThanOrEqual(16);
    const expected = hex(modelCompress(data));
    expect(hex(huffmanCompress(data))).toBe(expected);
    const shifted = new Uint8Array(data.length + 1);
    shifted.set(data, 1);
    expect(hex(huffmanCompress(shifted.subarray(1)))).toBe(expected);
  });

  it('codes of 17 to 24 bits (pairs written one code at a time) match the model', () => {
    const data = fromHistogram(
      fibonacciCounts(21).map((c) => c * 15),
      13,
    );
    expect(data.length).toBeGreaterThan(pairThreshold);
    expect(modelDepth(data)).toBe(20);
    expect(hex(huffmanCompress(data))).toBe(hex(modelCompress(data)));
    const odd = data.subarray(1);
    expect(hex(huffmanCompress(odd))).toBe(hex(modelCompress(odd)));
  });
  it('two long codes side by side (a pair over 32 bits) match the model, at either alignment', () => {
    const data = fromHistogram(
      fibonacciCounts(21).map((c) => c * 15),
      17,
    );
    // Gather every occurrence of the rarest symbols (the 17-20-bit codes) into one block, so
    // that pairs of two long codes occur: the histogram, hence the tree, is unchanged.
    const counts = new Map<number, number>();
    for (const v of data) counts.set(v, (counts.get(v) ?? 0) + 1);
    const rare = new Set(
      [...counts]
        .sort((a, b) => a[1] - b[1])
        .slice(0, 6)
        .map(([v]) => v),
    );
    const common = data.filter((v) => !rare.has(v));
    const block = data.filter((v) => rare.has(v));
    const gathered = new Uint8Array(data.length);
    gathered.set(common.subarray(0, 1001));
    gathered.set(block, 1001);
    gathered.set(common.subarray(1001), 1001 + block.length);
    expect(block.length).toBeGreaterThan(8);
    expect(modelDepth(gathered)).toBe(20);
    for (const view of [gathered, gathered.subarray(1)]) {
      expect(hex(huffmanCompress(view))).toBe(hex(modelCompress(view)));
    }
  });
});

/**
 * `data` with every occurrence of the `rare` symbols moved into one block at `at` (the
 * histogram, hence the tree, unchanged), so that their long codes fall next to each other.
 */
function gatherAt(data: Uint8Array, rare: (v: number) => boolean, at: number): Uint8Array {
  const common = data.filter((v) => !rare(v));
  const block = data.filter(rare);
  expect(block.length).toBeGreaterThan(8);
  const gathered = new Uint8Array(data.length);
  gathered.set(common.subarray(0, at));
  gathered.set(block, at);
  gathered.set(common.subarray(at), at + block.length);
  return gathered;
}

describe('huffmanCompress: the code-group loops (code-groups.ts)', () => {
  it('high-entropy input (two symbols per pair-table lookup) matches the model', () => {
    // All 256 symbols, ~8-bit codes: too long on average for four-symbol groups, and enough
    // pairs to build the pair table for.
    const counts = Array.from({ length: 256 }, (_, i) => 1500 + ((i * 37) % 200));
    const data = fromHistogram(counts, 5);
    expect(data.length).toBeGreaterThan(4 * 65536);
    const expected = hex(modelCompress(data));
    expect(hex(huffmanCompress(data))).toBe(expected);
    const odd = data.subarray(3);
    expect(hex(huffmanCompress(odd))).toBe(hex(modelCompress(odd)));
  });

  it('high entropy with a deep tail (pairs over 24 bits among the two-pair steps) matches the model', () => {
    // ~7.6-bit codes on average (two pairs per 32-bit load, writeTwoPairCodes) and a tail of
    // rare symbols with codes of up to ~20 bits, gathered into one block so that pairs of two
    // long codes (NO_PAIR) fall in both halves of a load, at every alignment of the block.
    const tail = [1500, 800, 400, 200, 100, 50, 25, 12, 6, 3, 2, 1, 1, 1];
    const counts = [...Array.from({ length: 200 }, () => 3000), ...tail];
    const data = fromHistogram(counts, 23);
    const rare = (v: number) => v >= 200 && v < 200 + tail.length && counts[v]! <= 25;
    for (const at of [1000, 1001, 1002, 1003]) {
      const gathered = gatherAt(data, rare, at);
      expect(modelDepth(gathered)).toBeGreaterThan(12);
      expect(modelDepth(gathered)).toBeLessThanOrEqual(24);
      for (const view of [gathered, gathered.subarray(4, gathered.length - 1)]) {
        expect(hex(huffmanCompress(view))).toBe(hex(modelCompress(view)));
      }
    }
  });

  it('a full alphabet with a deep tail in a small input (two-pair steps, no pair table) matches the model', () => {
    // Too many distinct symbols for the input to repay a pair table (writeTwoPairs), with
    // rare symbols of up to ~20-bit codes gathered so that two long codes share a pair.
    const tail = [600, 300, 150, 75, 40, 20, 10, 5, 3, 2, 1, 1, 1];
    const counts = [...Array.from({ length: 200 }, () => 60), ...tail];
    const data = fromHistogram(counts, 29);
    for (const at of [100, 101, 102, 103]) {
      const gathered = gatherAt(data, (v) => v >= 200 + 5, at);
      expect(modelDepth(gathered)).toBeGreaterThan(12);
      expect(modelDepth(gathered)).toBeLessThanOrEqual(24);
      for (const view of [gathered, gathered.subarray(4, gathered.length - 2)]) {
        expect(hex(huffmanCompress(view))).toBe(hex(modelCompress(view)));
      }
    }
  });

  it('a small alphabet in a tile-sized input (four-symbol groups) matches the model', () => {
    const counts = Array.from({ length: 30 }, (_, i) => Math.floor(9000 / 1.4 ** i) + 1);
    const data = fromHistogram(counts, 9);
    for (const view of [data, data.subarray(1), data.subarray(4, data.length - 3)]) {
      expect(hex(huffmanCompress(view))).toBe(hex(modelCompress(view)));
    }
  });
});

describe('huffmanCompress: deep trees', () => {
  it('26-symbol Fibonacci input (25-bit codes, still correct in the reference) matches the model', () => {
    const data = fromHistogram(fibonacciCounts(26));
    expect(data.length).toBe(317_810);
    expect(modelDepth(data)).toBe(25);
    expect(hex(huffmanCompress(data))).toBe(hex(modelCompress(data)));
  });

  it('27 symbols (26-bit codes, corrupted by the reference) encode correctly and round-trip', () => {
    const data = fromHistogram(fibonacciCounts(27), 7);
    expect(data.length).toBe(514_228);
    const stream = huffmanCompress(data);
    expect(hex(stream)).toBe(hex(modelCompress(data)));
    expectSameBytes(huffmanDecompress(stream, data.length), data);
  });

  it('codes deeper than 32 bits round-trip', () => {
    const data = fromHistogram(fibonacciCounts(34), 3);
    expect(modelDepth(data)).toBe(33);
    const stream = huffmanCompress(data);
    expectSameBytes(huffmanDecompress(stream, data.length), data);
    // The bit-string model is too slow for 15 MB: compare the tree and the first 1000 codes.
    const prefix = modelStreamPrefix(data, 1000);
    expect(hex(stream.subarray(0, prefix.length))).toBe(hex(prefix));
  });
});

describe('huffmanCompress: camera frames and argument checks', () => {
  it('a 2048x2048 synthetic camera frame round-trips', () => {
    const frame = syntheticCameraFrame({ seed: 5 });
    const bytes = new Uint8Array(frame.buffer);
    const stream = huffmanCompress(bytes);
    expect(stream.length).toBeLessThan(bytes.length / 2);
    expectSameBytes(huffmanDecompress(stream, bytes.length), bytes);
  });

  it('rejects what is not a Uint8Array with ERR_INVALID_ARGUMENT', () => {
    for (const bad of [
      null,
      undefined,
      'abc',
      [1, 2],
      new Uint16Array(4),
      new Uint8ClampedArray(2),
      {},
    ]) {
      expectCode(() => huffmanCompress(bad as unknown as Uint8Array), 'ERR_INVALID_ARGUMENT');
    }
  });

  it('accepts Buffers and views at any offset', () => {
    const backing = Buffer.from('xxhello world');
    const view = backing.subarray(2);
    expectSameBytes(huffmanDecompress(huffmanCompress(view), view.length), new Uint8Array(view));
  });
});
