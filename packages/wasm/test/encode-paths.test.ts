// The encoder's passes in the wasm build (csrc/pmc_wasm_encode.c, csrc/pmc_wasm_count.c and the
// core's pmc_histogram): the pair-table emission, the byte counts in pairs (inputs of the core's
// PMC_HIST_PAIR_MIN_N bytes or more) and
// quantize+count through the table give core-ts's bytes on each side of every threshold they
// choose by: input size, odd lengths (a last unpaired byte), code length 28 (pairs still fit a
// flush) against 29 (the core's encoder), and few against many symbols per pair-table entry.
import * as core from '@pymecompress/core-ts';
import { describe, expect, it } from 'vitest';
import { init, type WasmBuild, wasmBackend as wasm } from '../src/index.js';

const PAIR_COUNT_MIN = 1 << 20; // PMC_HIST_PAIR_MIN_N, packages/native/csrc/pmc_internal.h

function seeded(seed: number): () => number {
  let x = seed >>> 0;
  return () => {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    return x / 2 ** 32;
  };
}

/** Geometric symbols: short codes for p near 0, long ones for p near 1. */
function geometric(n: number, p: number, seed: number): Uint8Array {
  const rand = seeded(seed);
  const a = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    while (s < 255 && rand() < p) s++;
    a[i] = s;
  }
  return a;
}

/** k symbols with Fibonacci counts, shuffled: a tree of depth k - 1 (codes of k - 1 bits). */
function deepTree(k: number, seed: number): Uint8Array {
  const counts = [1, 1];
  while (counts.length < k) {
    counts.push((counts[counts.length - 1] as number) + (counts[counts.length - 2] as number));
  }
  const a = new Uint8Array(counts.reduce((x, y) => x + y, 0));
  let o = 0;
  counts.forEach((c, s) => {
    a.fill(s, o, o + c);
    o += c;
  });
  const rand = seeded(seed);
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [a[i], a[j]] = [a[j] as number, a[i] as number];
  }
  return a;
}

/** uint16 pixels around a dark level, with a tail of bright ones. */
function pixels(n: number, seed: number): Uint16Array {
  const rand = seeded(seed);
  return Uint16Array.from({ length: n }, () => 100 + Math.floor(rand() * rand() * 3000));
}

function same(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

describe.each<WasmBuild>(['baseline', 'simd'])('encoder passes of the glue, %s build', (build) => {
  it('huffmanCompress: core-ts bytes around the size, code-length and table thresholds', async () => {
    await init({ build });
    const cases: Record<string, Uint8Array> = {
      'pairs counted, odd length': geometric(PAIR_COUNT_MIN + 7, 0.5, 1),
      'just below pair counting': geometric(PAIR_COUNT_MIN - 1, 0.6, 2),
      'short codes, many per flush': geometric(PAIR_COUNT_MIN, 0.02, 3),
      'long codes, splits': geometric(300_001, 0.9, 4),
      'many symbols, few per table entry': geometric(70_000, 0.97, 5),
      'one symbol': new Uint8Array(PAIR_COUNT_MIN).fill(7),
      'codes of 28 bits': deepTree(29, 6),
      'codes of 29 bits': deepTree(30, 7),
      'small output': geometric(600, 0.1, 8),
    };
    for (const [name, data] of Object.entries(cases)) {
      expect(same(wasm.huffmanCompress(data), core.huffmanCompress(data)), name).toBe(true);
    }
  });

  it('huffmanCompressQuant: core-ts bytes with pairs counted and not, and a short last block', async () => {
    await init({ build });
    for (const n of [PAIR_COUNT_MIN - 1, PAIR_COUNT_MIN + 3, 32768 * 33 + 17, 32768 * 40 + 4095]) {
      const frame = pixels(n, n);
      for (const [offset, scale] of [
        [100, 1],
        [60, 0.37],
      ] as const) {
        const got = wasm.huffmanCompressQuant(frame, offset, scale);
        expect(same(got, core.huffmanCompressQuant(frame, offset, scale)), `${n}`).toBe(true);
      }
    }
  });
});
