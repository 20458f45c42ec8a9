// The chunked paths (src/chunked.ts, csrc/pmc_wasm_chunked.c): decoding in DECODE_SPAN-byte spans
// (each split in two chains) and quantize+encode fed block by block give core-ts's bytes and
// errors at every length around the span and block sizes, for streams of every decoder layout
// and of a density that changes from span to span, truncated anywhere, with and without `out`.
import * as core from '@pymecompress/core-ts';
import { describe, expect, it } from 'vitest';
import { CHUNK, DECODE_SPAN } from '../src/chunked.js';
import { init, type WasmBuild, wasmBackend as wasm } from '../src/index.js';

const S = DECODE_SPAN;
const LENGTHS = [1, 27, S - 27, S - 1, S, S + 1, S + 26, 3 * S + 5];

/**
 * Seeded bytes of a few kinds: one symbol (no tables), short codes, long codes, uint16 bytes,
 * and long and short codes in turns of 100000 (a span's end estimated from the previous span's
 * density is then far off).
 */
function inputs(n: number): Record<string, Uint8Array> {
  let x = n * 2654435761;
  const rand = (): number => {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    return x >>> 8;
  };
  const short = Uint8Array.from({ length: n }, () => (rand() % 7 === 0 ? rand() % 5 : 0));
  const long = Uint8Array.from({ length: n }, () => rand() & 0xff);
  const pixels = Uint8Array.from({ length: n }, (_, i) =>
    i & 1 ? rand() % 3 : 100 + (rand() % 9),
  );
  const turns = Uint8Array.from(
    { length: n },
    (_, i) => (Math.floor(i / 100000) % 2 ? long[i] : short[i]) as number,
  );
  return { lone: new Uint8Array(n).fill(9), short, long, pixels, turns };
}

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return (error as core.PymecompressError).code;
  }
  return undefined;
}

describe.each<WasmBuild>(['baseline', 'simd'])('chunked calls, %s build', (build) => {
  it('decode: the same symbols at every length around the span size, with and without out', async () => {
    await init({ build });
    for (const n of LENGTHS) {
      for (const [kind, data] of Object.entries(inputs(n))) {
        const stream = core.huffmanCompress(data);
        expect(Buffer.from(wasm.huffmanDecompress(stream, n)).equals(data), `${kind} ${n}`).toBe(
          true,
        );
        const out = new Uint8Array(n + 3).fill(0xee);
        const r = wasm.huffmanDecompress(stream, n, out);
        expect(r.buffer).toBe(out.buffer);
        expect(r.length).toBe(n);
        expect(Buffer.from(out.subarray(0, n)).equals(data)).toBe(true);
        expect(Array.from(out.subarray(n))).toEqual([0xee, 0xee, 0xee]);
      }
    }
  });

  it('decode: truncated streams fail as core-ts does, wherever the truncation falls', async () => {
    await init({ build });
    const n = 3 * DECODE_SPAN + 5;
    for (const [kind, data] of Object.entries(inputs(n))) {
      const stream = core.huffmanCompress(data);
      for (const keep of [0.1, 0.33, 0.5, 0.9, 0.999]) {
        const cut = stream.subarray(0, Math.max(1, Math.floor(stream.length * keep)));
        const want = codeOf(() => core.huffmanDecompress(cut, n));
        expect(
          codeOf(() => wasm.huffmanDecompress(cut, n)),
          `${kind} ${keep}`,
        ).toBe(want);
        expect(codeOf(() => wasm.huffmanDecompress(cut, n, new Uint8Array(n)))).toBe(want);
      }
    }
  });

  it('quantize+encode: the same stream at every length around the block size', async () => {
    await init({ build });
    for (const n of [1, CHUNK / 2 - 1, CHUNK / 2, CHUNK / 2 + 1, 2 * CHUNK + 17]) {
      let x = n;
      const frame = Uint16Array.from({ length: n }, () => {
        x = (Math.imul(x, 1103515245) + 12345) >>> 0;
        return 90 + ((x >>> 16) % 400);
      });
      for (const [o, s] of [
        [100, 1],
        [99.5, 0.3],
      ] as const) {
        const want = core.huffmanCompressQuant(frame, o, s);
        expect(Buffer.from(wasm.huffmanCompressQuant(frame, o, s)).equals(want), `${n}`).toBe(true);
        // A view into a larger buffer (byteOffset != 0) reads only its own values.
        const big = new Uint16Array(n + 8).fill(65535);
        big.set(frame, 4);
        const view = big.subarray(4, 4 + n);
        expect(Buffer.from(wasm.huffmanCompressQuant(view, o, s)).equals(want)).toBe(true);
      }
    }
  });
});
