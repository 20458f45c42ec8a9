// The frames the native benchmarks run on, until core-ts's shared corpus lands (issue 10 item 1):
// seeded synthetic frames of each kind, as raw bytes (lossless) and as quantized symbols
// (offset = dark level, scale 1).
import * as core from '@pymecompress/core-ts';
import { syntheticCameraFrame } from '@pymecompress/core-ts/synthetic';

const SIZE = Number(process.env.BENCH_SIZE ?? 2048);

const KINDS = [
  // a dim sCMOS-like frame: dark level 100, ~8 photons of background
  { name: 'dim', options: { width: SIZE, height: SIZE, seed: 1 } },
  // a bright fluorescence frame: thousands of photons, high entropy
  {
    name: 'bright',
    options: { width: SIZE, height: SIZE, seed: 2, background: 2000, spots: 400, readNoise: 3 },
  },
  // a sparse single-molecule frame: mostly background, rare bright spots
  {
    name: 'sparse',
    options: { width: SIZE, height: SIZE, seed: 3, background: 0.3, spots: 60, readNoise: 1 },
  },
  // a small tile (PYME pyramids, Zarr chunks)
  { name: 'tile256', options: { width: 256, height: 256, seed: 4 } },
];

/** [{ name, frame, bytes, symbols, darkLevel }] */
export function corpus() {
  return KINDS.map(({ name, options }) => {
    const frame = syntheticCameraFrame(options);
    const darkLevel = options.darkLevel ?? 100;
    return {
      name,
      frame,
      darkLevel,
      bytes: new Uint8Array(frame.buffer, frame.byteOffset, frame.byteLength),
      symbols: core.quantize(frame, darkLevel, 1),
    };
  });
}
