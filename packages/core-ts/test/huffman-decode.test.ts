import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { huffmanCompress, huffmanDecompress } from '../src/index.js';
import {
  errorCode,
  expectCode,
  expectSameBytes,
  fibonacciCounts,
  fromHistogram,
} from './helpers.js';
import { bitsToBytes, modelDecompress } from './model.js';

const runs = Number(process.env.PYMECOMPRESS_FC_RUNS ?? 200);

/** Outcome of a decode: the bytes as hex, or the error code. */
function outcome(fn: () => Uint8Array): string {
  const code = errorCode(() => fn());
  return code ?? Buffer.from(fn()).toString('hex');
}

describe('huffmanDecompress: sizes and the lone-leaf tree', () => {
  it('empty stream with outSize 0 gives an empty result; with outSize > 0 an error', () => {
    expect(huffmanDecompress(new Uint8Array(0), 0).length).toBe(0);
    expectCode(() => huffmanDecompress(new Uint8Array(0), 1), 'ERR_OUTPUT_TOO_LARGE');
  });

  it('refuses an outSize no stream of that length can carry, before allocating', () => {
    // 2 bytes = 16 bits: a 9-bit tree leaves room for at most 7 symbols.
    const lone = Uint8Array.of(0x83, 0x80);
    expectSameBytes(huffmanDecompress(lone, 7), new Uint8Array(7).fill(7));
    expectCode(() => huffmanDecompress(lone, 8), 'ERR_OUTPUT_TOO_LARGE');
    // The reference "decodes" a 2-byte lone-leaf stream to any size; 4 GiB must fail fast.
    expectCode(() => huffmanDecompress(lone, 0xffff_ffff), 'ERR_OUTPUT_TOO_LARGE');
  });

  it('a lone leaf reads no data bits (ten 7s from 83 80 00)', () => {
    expectSameBytes(
      huffmanDecompress(Uint8Array.of(0x83, 0x80, 0x00), 10),
      new Uint8Array(10).fill(7),
    );
    // Data bits that are not zero are ignored, as in the reference.
    expectSameBytes(
      huffmanDecompress(Uint8Array.of(0x83, 0xff, 0xff), 10),
      new Uint8Array(10).fill(7),
    );
  });

  it('ignores bits after the requested symbols (quant16 streams carry extra symbols)', () => {
    const data = Uint8Array.from({ length: 1000 }, (_, i) => (i * 7) % 13);
    const stream = huffmanCompress(data);
    for (const n of [0, 1, 2, 3, 499, 500, 999, 1000]) {
      expectSameBytes(huffmanDecompress(stream, n), data.subarray(0, n));
    }
  });

  it('writes into a caller-provided buffer and checks its size', () => {
    const data = Uint8Array.of(1, 2, 3, 3, 3);
    const stream = huffmanCompress(data);
    const out = new Uint8Array(8).fill(99);
    const result = huffmanDecompress(stream, 5, out);
    expectSameBytes(result, data);
    expect(result.buffer).toBe(out.buffer);
    expect(out[5]).toBe(99);
    expectCode(() => huffmanDecompress(stream, 5, new Uint8Array(4)), 'ERR_INVALID_ARGUMENT');
    expectCode(
      () => huffmanDecompress(stream, 5, new Uint16Array(5) as never),
      'ERR_INVALID_ARGUMENT',
    );
  });

  it('rejects bad sizes and stream types', () => {
    const stream = huffmanCompress(Uint8Array.of(1, 2));
    for (const size of [-1, 1.5, Number.NaN, 2 ** 32, '2', undefined]) {
      expectCode(() => huffmanDecompress(stream, size as number), 'ERR_INVALID_ARGUMENT');
    }
    expectCode(() => huffmanDecompress([1, 2] as never, 1), 'ERR_INVALID_ARGUMENT');
  });
});

describe('huffmanDecompress: strictness', () => {
  it('200 zero bytes (a reference segfault) are a corrupt tree', () => {
    expectCode(() => huffmanDecompress(new Uint8Array(200), 10), 'ERR_CORRUPT_STREAM');
  });

  it('a stream ending inside the tree is truncated', () => {
    expectCode(() => huffmanDecompress(new Uint8Array(10), 10), 'ERR_TRUNCATED_STREAM');
    // internal, leaf 5, then a second leaf cut short: 15 bits in 2 bytes.
    expectCode(() => huffmanDecompress(bitsToBytes('010000010110000'), 1), 'ERR_TRUNCATED_STREAM');
  });

  it('a repeated symbol in the tree is corrupt', () => {
    const bits = `0${'1'}${'00000101'}${'1'}${'00000101'}${'0'.repeat(40)}`;
    expectCode(() => huffmanDecompress(bitsToBytes(bits), 10), 'ERR_CORRUPT_STREAM');
  });

  it('running out of data bits is truncated, even inside the final padding', () => {
    const data = fromHistogram([50, 30, 10, 5, 3, 1, 1]);
    const stream = huffmanCompress(data);
    expectCode(
      () => huffmanDecompress(stream.subarray(0, stream.length - 1), data.length),
      'ERR_TRUNCATED_STREAM',
    );
    // Asking for one symbol more than encoded either decodes padding zeros as a symbol (when
    // they form a code) or reports truncation: compare with the model.
    expect(outcome(() => huffmanDecompress(stream, data.length + 1))).toBe(
      outcome(() => modelDecompress(stream, data.length + 1)),
    );
  });

  it('agrees with the tree-walking model on random streams', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), fc.nat({ max: 3000 }), (stream, size) => {
        expect(outcome(() => huffmanDecompress(stream, size))).toBe(
          outcome(() => modelDecompress(stream, size)),
        );
      }),
      { numRuns: runs * 5 },
    );
  });

  it('agrees with the model on truncated and bit-flipped real streams', () => {
    const cases = fc
      .record({
        data: fc.uint8Array({ minLength: 1, maxLength: 2000 }),
        cut: fc.nat(),
        flips: fc.array(fc.nat(), { maxLength: 4 }),
        extra: fc.integer({ min: -3, max: 3 }),
      })
      .map(({ data, cut, flips, extra }) => {
        const stream = huffmanCompress(data).slice();
        for (const flip of flips) stream[flip % stream.length]! ^= 1 << (flip % 8);
        const kept = stream.subarray(0, stream.length - (cut % Math.min(stream.length, 5)));
        return { stream: kept, size: Math.max(0, data.length + extra) };
      });
    fc.assert(
      fc.property(cases, ({ stream, size }) => {
        expect(outcome(() => huffmanDecompress(stream, size))).toBe(
          outcome(() => modelDecompress(stream, size)),
        );
      }),
      { numRuns: runs * 2 },
    );
  });

  it('agrees with the model at every cut of a stream with codes longer than the window', () => {
    // Codes up to 15 bits: long codes are escapes anywhere in the fast loop, and the cuts put
    // the end of the stream under every position of the last four-byte loads.
    const data = fromHistogram(fibonacciCounts(16), 5);
    const stream = huffmanCompress(data);
    for (let cut = 0; cut <= Math.min(stream.length, 64); cut++) {
      const kept = stream.subarray(0, stream.length - cut);
      for (const size of [data.length, data.length - 7, data.length + 1]) {
        expect(outcome(() => huffmanDecompress(kept, size))).toBe(
          outcome(() => modelDecompress(kept, size)),
        );
      }
    }
  });

  // A caterpillar tree of depth 40: 0 (leaf) 0 (leaf) ... codes 1, 01, 001, ...
  const depth = 40;
  let tree = '';
  for (let i = 0; i < depth; i++) tree += `0 1${i.toString(2).padStart(8, '0')}`;
  tree += `1${depth.toString(2).padStart(8, '0')}`;
  const treeBits = tree.replaceAll(' ', '');
  /** Symbol i (< depth) is at depth i+1 as the A child: code = '1'*i + '0'. */
  const caterpillarCode = (s: number): string =>
    s < depth ? `${'1'.repeat(s)}0` : '1'.repeat(depth);

  it('agrees with the model on deep hand-built trees (escape paths)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.nat({ max: depth }), { maxLength: 60 }),
        fc.nat({ max: 7 }),
        (symbols, drop) => {
          const data = symbols.map(caterpillarCode).join('');
          const stream = bitsToBytes(treeBits + data);
          const cut = stream.subarray(0, Math.max(0, stream.length - drop));
          const result = outcome(() => huffmanDecompress(cut, symbols.length));
          expect(result).toBe(outcome(() => modelDecompress(cut, symbols.length)));
          if (drop === 0) expect(result).toBe(Buffer.from(symbols).toString('hex'));
        },
      ),
      { numRuns: runs },
    );
  });

  it('agrees with the model on long streams over a deep tree, both table layouts', () => {
    // Thousands of symbols, so the fast loops run and meet codes up to 40 bits (escapes walked
    // inside the loop) and the stream's end: mostly short codes (under 3 bits per symbol: the
    // two-array table) or spread ones (the packed table).
    fc.assert(
      fc.property(
        fc.boolean(),
        fc.array(fc.nat({ max: 1000 }), { minLength: 200, maxLength: 3000 }),
        fc.nat({ max: 7 }),
        (short, draws, drop) => {
          const symbols = draws.map((d) =>
            short ? (d < 960 ? d % 2 : d % (depth + 1)) : d % (depth + 1),
          );
          const stream = bitsToBytes(treeBits + symbols.map(caterpillarCode).join(''));
          const cut = stream.subarray(0, Math.max(0, stream.length - drop));
          const result = outcome(() => huffmanDecompress(cut, symbols.length));
          expect(result).toBe(outcome(() => modelDecompress(cut, symbols.length)));
          if (drop === 0) expect(result).toBe(Buffer.from(symbols).toString('hex'));
        },
      ),
      { numRuns: Math.max(20, runs / 5) },
    );
  });
});
