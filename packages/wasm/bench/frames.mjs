// The benchmark frames (seeded, from @pymecompress/core-ts/synthetic): a dim sCMOS-like frame,
// a bright high-entropy frame, a sparse single-molecule frame and a 256x256 tile; each as raw
// uint16 bytes (lossless) and as quantized symbols (offset = dark level, scale 1). Shared by the
// Node bench and the browser bench. Replace by perf's corpus module once it lands on main.
import { syntheticCameraFrame } from '@pymecompress/core-ts/synthetic';

export const FRAMES = [
  { name: 'dim 2048x2048', options: { width: 2048, height: 2048, seed: 1 } },
  {
    name: 'bright 2048x2048',
    options: { width: 2048, height: 2048, seed: 2, background: 2000, readNoise: 3, spots: 400 },
  },
  {
    name: 'sparse 2048x2048',
    options: { width: 2048, height: 2048, seed: 3, background: 0.3, spots: 60 },
  },
  { name: 'tile 256x256', options: { width: 256, height: 256, seed: 4 } },
];

export const OFFSET = 100;
export const SCALE = 1;

export function makeFrame(f) {
  const frame = syntheticCameraFrame(f.options);
  return {
    name: f.name,
    frame,
    bytes: new Uint8Array(frame.buffer, frame.byteOffset, frame.byteLength),
  };
}

/**
 * Times `fn` (warm-up, then the best of as many samples as fit in `seconds`); MB/s of `bytes`.
 * Each sample repeats `fn` until it lasts >= 20 ms, so coarse browser clocks do not matter.
 */
export function measure(bytes, fn, seconds = 0.4) {
  const warm = performance.now();
  let reps = 0;
  while (performance.now() - warm < 100) {
    fn();
    reps++;
  }
  const perSample = Math.max(1, Math.ceil(reps / 5));
  let best = Infinity;
  let runs = 0;
  const start = performance.now();
  while (performance.now() - start < seconds * 1000 || runs < 3) {
    const t0 = performance.now();
    for (let i = 0; i < perSample; i++) fn();
    best = Math.min(best, (performance.now() - t0) / perSample);
    runs++;
  }
  return bytes / 1e6 / (best / 1000);
}

/** The operations: name, input size in bytes, and a run function for a backend. */
export function operations(f, core) {
  const symbols = core.quantize(f.frame, OFFSET, SCALE);
  const rawStream = core.huffmanCompress(f.bytes);
  const quantStream = core.huffmanCompress(symbols);
  return [
    {
      op: 'decode raw',
      bytes: f.bytes.length,
      run: (b) => b.huffmanDecompress(rawStream, f.bytes.length),
    },
    {
      op: 'decode quantized',
      bytes: symbols.length,
      run: (b) => b.huffmanDecompress(quantStream, symbols.length),
    },
    { op: 'encode raw', bytes: f.bytes.length, run: (b) => b.huffmanCompress(f.bytes) },
    { op: 'encode quantized', bytes: symbols.length, run: (b) => b.huffmanCompress(symbols) },
    {
      op: 'quantize+encode',
      bytes: f.bytes.length,
      run: (b) => b.huffmanCompressQuant(f.frame, OFFSET, SCALE),
    },
  ];
}
