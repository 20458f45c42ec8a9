// The SIMD build's quantizer body (packages/native/csrc/pmc_quant_simd128.c) and the baseline's
// portable body against core-ts on all 65,536 inputs at the edges of the float32 model, at every
// alignment and length around the 16-value step.
import * as core from '@pymecompress/core-ts';
import { describe, expect, it } from 'vitest';
import { init, type WasmBuild, wasmBackend as wasm } from '../src/index.js';

const ALL = Uint16Array.from({ length: 65536 }, (_, i) => i);
const PARAMS: Array<[number, number]> = [
  [0, 1],
  [100, 1],
  [100, 0.5],
  [99.7, 0.33],
  [-3.25, 2.7],
  [1000.7, 0.01],
  [0, 1e-30],
  [70000, 1],
  [0.1, 3e38],
  [65535, 1],
  [2 ** 24 + 1, 1],
  [-1e30, 1e20],
];

describe.each<WasmBuild>(['baseline', 'simd'])('quantize, %s build', (build) => {
  it('all 65,536 values at the edges of the model, whole and compressed', async () => {
    await init({ build });
    for (const [o, s] of PARAMS) {
      expect(
        Buffer.from(wasm.quantize(ALL, o, s)).equals(Buffer.from(core.quantize(ALL, o, s))),
        `${o} ${s}`,
      ).toBe(true);
      expect(
        Buffer.from(wasm.huffmanCompressQuant(ALL, o, s)).equals(
          Buffer.from(core.huffmanCompressQuant(ALL, o, s)),
        ),
      ).toBe(true);
    }
  });

  it('every length and offset around the 16-value step', async () => {
    await init({ build });
    for (let start = 0; start < 20; start++) {
      for (let len = 0; len < 40; len++) {
        const v = ALL.subarray(40000 + start, 40000 + start + len);
        expect(Array.from(wasm.quantize(v, 39990.5, 0.37))).toEqual(
          Array.from(core.quantize(v, 39990.5, 0.37)),
        );
      }
    }
  });
});
