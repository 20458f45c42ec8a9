// core-ts throughput on the seeded 2048x2048 synthetic camera frame (MB/s of uncompressed
// input). The cross-implementation harness with ratios against the Python reference is
// `pnpm bench` at the root (packages/cli); this one is for quick local iteration.
import { coreBackend } from '../dist/index.js';
import { syntheticCameraFrame } from '../dist/synthetic.js';

const frame = syntheticCameraFrame({ seed: 1 });
const bytes = new Uint8Array(frame.buffer, frame.byteOffset, frame.byteLength);
const offset = 100;
const scale = 1;

function measure(name, megabytes, fn, minSeconds = 1.5) {
  fn(); // warm-up (and JIT)
  let best = Infinity;
  let runs = 0;
  const start = performance.now();
  while (performance.now() - start < minSeconds * 1000 || runs < 3) {
    const t0 = performance.now();
    fn();
    best = Math.min(best, performance.now() - t0);
    runs++;
  }
  const rate = megabytes / (best / 1000);
  console.log(
    `${name.padEnd(24)} ${rate.toFixed(0).padStart(7)} MB/s  (best of ${runs}, ${best.toFixed(2)} ms)`,
  );
  return rate;
}

const mb = bytes.length / 1e6;
const stream = coreBackend.huffmanCompress(bytes);
const quantStream = coreBackend.huffmanCompressQuant(frame, offset, scale);
console.log(
  `core-ts, 2048x2048 uint16 frame (${mb.toFixed(1)} MB): lossless ratio ${(bytes.length / stream.length).toFixed(2)}x, quantized ratio ${(bytes.length / quantStream.length).toFixed(2)}x`,
);
measure('huffmanCompress', mb, () => coreBackend.huffmanCompress(bytes));
measure('huffmanDecompress', mb, () => coreBackend.huffmanDecompress(stream, bytes.length));
measure('quantize', mb, () => coreBackend.quantize(frame, offset, scale));
measure('huffmanCompressQuant', mb, () => coreBackend.huffmanCompressQuant(frame, offset, scale));
