// The C core's hostile-stream cases (packages/native/csrc/test, the fuzz corpus in
// packages/native/csrc/fuzz/corpus) replayed on both wasm builds: every damaged, truncated,
// random or hand-made stream gives core-ts's bytes or core-ts's error code.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { outcome } from '@pymecompress/conformance';
import * as core from '@pymecompress/core-ts';
import { SeededRandom, syntheticCameraFrame } from '@pymecompress/core-ts/synthetic';
import { beforeAll, describe, expect, it } from 'vitest';
import { init, type WasmBuild, wasmBackend as wasm } from '../src/index.js';

const corpusDir = fileURLToPath(new URL('../../native/csrc/fuzz/corpus/', import.meta.url));

/** MSB-first bit writer for hand-made streams. */
function bits(): { put(v: number, n: number): void; bytes(): Uint8Array } {
  const out: number[] = [];
  let n = 0;
  return {
    put(v, l) {
      for (let i = l - 1; i >= 0; i--) {
        if ((n & 7) === 0) out.push(0);
        if ((v >> i) & 1) out[out.length - 1]! |= 0x80 >> (n & 7);
        n++;
      }
    },
    bytes: () => Uint8Array.from(out),
  };
}

/** Runs `fn` on wasm and core-ts: the same bytes, or the same error code. */
function same(fn: (b: typeof core.coreBackend) => Uint8Array | Uint16Array): void {
  const run = (b: typeof core.coreBackend) => {
    try {
      const r = fn(b);
      return { ok: true, bytes: Buffer.from(r.buffer, r.byteOffset, r.byteLength) };
    } catch (error) {
      if (!core.isPymecompressError(error)) throw error;
      return { ok: false, code: error.code };
    }
  };
  const a = run(wasm);
  const b = run(core.coreBackend);
  expect(a.ok).toBe(b.ok);
  if (a.ok) expect(a.bytes!.equals(b.bytes!)).toBe(true);
  else expect(a.code).toBe(b.code);
}

describe.each<WasmBuild>(['baseline', 'simd'])('hostile streams, %s build', (build) => {
  beforeAll(async () => {
    await init({ build });
  });

  it('hand-made streams of csrc/test: zeros, single leaf, duplicate leaf, cut tree', () => {
    const cases: Array<[Uint8Array, number, string]> = [
      [new Uint8Array(200), 10, 'ERR_CORRUPT_STREAM'],
      [new Uint8Array(0), 1, 'ERR_OUTPUT_TOO_LARGE'],
      [new Uint8Array(1), 1, 'ERR_OUTPUT_TOO_LARGE'],
      [Uint8Array.of(0x83, 0x80), 8, 'ERR_OUTPUT_TOO_LARGE'],
      [Uint8Array.of(0x40, 0x20, 0x00), 1, 'ERR_CORRUPT_STREAM'],
      [Uint8Array.of(0x40, 0x20), 1, 'ERR_TRUNCATED_STREAM'],
    ];
    for (const [s, n, code] of cases) {
      expect(outcome(() => wasm.huffmanDecompress(s, n))).toEqual({ ok: false, code });
      same((b) => b.huffmanDecompress(s, n));
    }
    expect(Array.from(wasm.huffmanDecompress(Uint8Array.of(0x83, 0x80), 7))).toEqual(
      new Array(7).fill(7),
    );
  });

  it('a caterpillar tree of depth 255 (codes up to 255 bits), whole and cut anywhere', () => {
    const w = bits();
    for (let i = 0; i < 255; i++) {
      w.put(0, 1);
      w.put(1, 1);
      w.put(i, 8);
    }
    w.put(1, 1);
    w.put(255, 8);
    w.put(0, 1);
    for (let i = 0; i < 254; i++) w.put(1, 1);
    w.put(0, 1);
    for (let i = 0; i < 255; i++) w.put(1, 1);
    w.put(0xe, 4);
    w.put(0, 1);
    const s = w.bytes();
    expect(Array.from(wasm.huffmanDecompress(s, 5))).toEqual([0, 254, 255, 3, 0]);
    for (let cut = 1; cut < s.length; cut++)
      same((b) => b.huffmanDecompress(s.subarray(0, cut), 5));
  });

  it('the fuzz corpus of the C core (decode and round-trip inputs)', () => {
    let count = 0;
    for (const kind of ['decode', 'roundtrip']) {
      for (const f of readdirSync(join(corpusDir, kind))) {
        const d = new Uint8Array(readFileSync(join(corpusDir, kind, f)));
        count++;
        if (kind === 'decode' && d.length >= 3) {
          // fuzz_decode_one's format: 3 bytes of output size, then the stream.
          const s = d.subarray(3);
          let want = (d[0]! << 16) | (d[1]! << 8) | d[2]!;
          if (want > 8 * s.length + 64) want %= 8 * s.length + 65;
          same((b) => b.huffmanDecompress(s, want));
        } else {
          same((b) => b.huffmanCompress(d));
          expect(wasm.huffmanDecompress(wasm.huffmanCompress(d), d.length)).toEqual(d);
        }
      }
    }
    expect(count).toBeGreaterThan(10);
  });

  it('random, bit-flipped and truncated streams agree with core-ts (seeded)', () => {
    const r = new SeededRandom(1234);
    for (let iter = 0; iter < 1500; iter++) {
      const n = r.nextUint32() % 3000;
      const alpha = 1 + (r.nextUint32() % 256);
      const input = new Uint8Array(n);
      for (let i = 0; i < n; i++) {
        const v = r.nextUint32();
        input[i] = v & 1 ? (v >>> 8) % alpha : (v >>> 8) % (1 + (alpha >> 3));
      }
      let s = core.huffmanCompress(input).slice();
      if (iter % 4 === 0 && s.length) {
        for (let k = 0; k < 1 + (iter % 3); k++) s[r.nextUint32() % s.length]! ^= 1 << (k % 8);
      } else if (iter % 4 === 1) {
        s = s.subarray(0, s.length ? r.nextUint32() % s.length : 0);
      } else if (iter % 4 === 2) {
        s = new Uint8Array(r.nextUint32() % 64).map(() => r.nextUint32() & 0xff);
      }
      const want = iter % 8 === 7 ? r.nextUint32() % 9000 : n;
      same((b) => b.huffmanDecompress(s, want));
    }
  });

  it('large frames (the wide-table paths), damaged near the end', () => {
    const frame = syntheticCameraFrame({ width: 1024, height: 512, seed: 21 });
    const bytes = new Uint8Array(frame.buffer);
    for (const [stream, size] of [
      [core.huffmanCompress(bytes), bytes.length],
      [core.huffmanCompressQuant(frame, 100, 1), frame.length],
    ] as const) {
      same((b) => b.huffmanDecompress(stream, size));
      same((b) => b.huffmanDecompress(stream.subarray(0, stream.length - 1), size));
      same((b) => b.huffmanDecompress(stream.subarray(0, stream.length - 9), size));
      same((b) => b.huffmanDecompress(stream, size - 7));
      for (const position of [0.5, 0.99, 0.9999]) {
        const flipped = stream.slice();
        flipped[Math.floor(position * flipped.length)]! ^= 0x10;
        same((b) => b.huffmanDecompress(flipped, size));
      }
    }
  });

  // In-place quantize and decode-over-stream against core-ts: the conformance contract suite
  // (packages/conformance/src/contract.ts), run on both builds by conformance-*.test.ts.

  it('unaligned, SharedArrayBuffer and caller-provided outputs', () => {
    const frame = syntheticCameraFrame({ width: 101, height: 53, seed: 5 });
    const sab = new SharedArrayBuffer(frame.byteLength + 3);
    const raw = new Uint8Array(sab, 3, frame.byteLength);
    raw.set(new Uint8Array(frame.buffer));
    const s = wasm.huffmanCompress(raw);
    expect(s).toEqual(core.huffmanCompress(raw));
    const out = new Uint8Array(raw.length + 10);
    const r = wasm.huffmanDecompress(s, raw.length, out);
    expect(r.buffer).toBe(out.buffer);
    expect(r.length).toBe(raw.length);
    expect(Buffer.from(r).equals(Buffer.from(raw))).toBe(true);
    const q = new Uint8Array(frame.length);
    expect(wasm.quantize(frame, 100, 1, q)).toBe(q);
    const d = new Uint16Array(frame.length + 4);
    const dq = wasm.dequantize(q, 100, 1, d);
    expect(dq.buffer).toBe(d.buffer);
    expect(Array.from(dq)).toEqual(Array.from(core.dequantize(q, 100, 1)));
  });
});
