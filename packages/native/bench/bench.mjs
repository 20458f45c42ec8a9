// Throughput of @pymecompress/native (AVX2 and scalar bodies, sync and async) against
// @pymecompress/core-ts on a seeded 2048x2048 synthetic camera frame (Poisson signal over a dark
// level of 100, uint16). Usage: pnpm --filter @pymecompress/native bench
//   BENCH_SECONDS=0.5 (time per measurement), BENCH_SIZE=2048
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import * as core from '@pymecompress/core-ts';
import { syntheticCameraFrame } from '@pymecompress/core-ts/synthetic';
import * as native from '../dist/index.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 0.5);
const SIZE = Number(process.env.BENCH_SIZE ?? 2048);

function time(fn) {
  fn(); // warm-up
  const times = [];
  const deadline = performance.now() + SECONDS * 1000;
  do {
    const t0 = performance.now();
    fn();
    times.push(performance.now() - t0);
  } while (performance.now() < deadline || times.length < 3);
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] / 1000; // median seconds
}

const mbps = (bytes, seconds) => bytes / seconds / 1e6;
const fmt = (x) => x.toFixed(0).padStart(8);

// The same seeded frame every benchmark in the repository uses (dark level 100, seed 1).
const frame = syntheticCameraFrame({ width: SIZE, height: SIZE, seed: 1 });
const frameBytes = new Uint8Array(frame.buffer, frame.byteOffset, frame.byteLength);
const stream = core.huffmanCompress(frameBytes);
const q = core.quantize(frame, 100, 1);
const qStream = core.huffmanCompress(q);
console.log(
  `frame ${SIZE}x${SIZE} uint16 (${(frameBytes.length / 1e6).toFixed(1)} MB): Huffman ratio ` +
    `${(frameBytes.length / stream.length).toFixed(2)}x, quantized (offset 100, scale 1) ratio ` +
    `${(frameBytes.length / qStream.length).toFixed(2)}x; median of ${SECONDS}s runs; MB/s of uint16/byte input ` +
    '(decode: of output)',
);

const rows = [];
function measure(label, impl, setup) {
  setup?.();
  const enc = mbps(
    frameBytes.length,
    time(() => impl.huffmanCompress(frameBytes)),
  );
  const dec = mbps(
    frameBytes.length,
    time(() => impl.huffmanDecompress(stream, frameBytes.length)),
  );
  const qt = mbps(
    frameBytes.length,
    time(() => impl.quantize(frame, 100, 1)),
  );
  const qe = mbps(
    frameBytes.length,
    time(() => impl.huffmanCompressQuant(frame, 100, 1)),
  );
  const qdec = mbps(
    q.length,
    time(() => impl.huffmanDecompress(qStream, q.length)),
  );
  rows.push({ label, enc, dec, qt, qe, qdec });
}

// sanity: identical bytes
const check = native.huffmanCompressQuant(frame, 100, 1);
if (Buffer.compare(Buffer.from(check), Buffer.from(qStream)) !== 0)
  throw new Error('native != core-ts');

if (native.hasAvx2) measure('native avx2 (sync)', native, () => native.setDispatch('avx2'));
measure('native scalar (sync)', native, () => native.setDispatch('scalar'));
native.setDispatch('auto');
measure('core-ts', core);

console.log(
  `${'implementation'.padEnd(24)}${'encode'.padStart(8)}${'decode'.padStart(8)}${'quant'.padStart(8)}` +
    `${'q+enc'.padStart(8)}${'q-dec'.padStart(8)}`,
);
for (const r of rows) {
  console.log(
    `${r.label.padEnd(24)}${fmt(r.enc)}${fmt(r.dec)}${fmt(r.qt)}${fmt(r.qe)}${fmt(r.qdec)}`,
  );
}

// Async: keep every core busy with concurrent jobs on the libuv pool.
async function asyncThroughput(label, bytesPerJob, job) {
  const concurrency = Math.max(2, availableParallelism()) * 2;
  const jobs = Math.max(concurrency * 4, 16);
  await Promise.all(Array.from({ length: concurrency }, () => job())); // warm-up
  const t0 = performance.now();
  let started = 0;
  const worker = async () => {
    while (started < jobs) {
      started++;
      await job();
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - t0) / 1000;
  console.log(
    `${label.padEnd(40)}${fmt(mbps(bytesPerJob * jobs, seconds))} MB/s (${concurrency} in flight)`,
  );
}
console.log(
  `async (libuv pool, UV_THREADPOOL_SIZE=${process.env.UV_THREADPOOL_SIZE ?? 4}, ${availableParallelism()} CPUs, dispatch ${native.getDispatch()}):`,
);
await asyncThroughput('huffmanCompressAsync', frameBytes.length, () =>
  native.huffmanCompressAsync(frameBytes),
);
await asyncThroughput('huffmanDecompressAsync', frameBytes.length, () =>
  native.huffmanDecompressAsync(stream, frameBytes.length),
);
await asyncThroughput('quantizeAsync', frameBytes.length, () =>
  native.quantizeAsync(frame, 100, 1),
);
await asyncThroughput('huffmanCompressQuantAsync', frameBytes.length, () =>
  native.huffmanCompressQuantAsync(frame, 100, 1),
);

// Optional: the Python reference, if the conformance package set up its virtualenv.
const python = fileURLToPath(new URL('../../conformance/.venv/bin/python', import.meta.url));
if (existsSync(python)) {
  const script = `
import time, numpy as np, pymecompress.bcl as bcl
rng = np.random.default_rng(12345)
f = (100 + rng.poisson(8, (${SIZE}, ${SIZE}))).astype('uint16')
b = f.view('uint8').ravel()
def t(fn, n=5):
    best = 1e9
    for _ in range(n):
        t0 = time.perf_counter(); fn(); best = min(best, time.perf_counter() - t0)
    return best
s = bcl.HuffmanCompress(b)
print('python reference: encode %.0f, decode %.0f, q+enc %.0f MB/s' % (
  b.nbytes / t(lambda: bcl.HuffmanCompress(b)) / 1e6,
  b.nbytes / t(lambda: bcl.HuffmanDecompress(s, b.nbytes)) / 1e6,
  b.nbytes / t(lambda: bcl.HuffmanCompressQuant(f.ravel(), 100, 1)) / 1e6))
`;
  try {
    const outText = execFileSync(python, ['-c', script], { encoding: 'utf8', timeout: 120_000 });
    console.log(
      outText
        .split('\n')
        .filter((l) => l.startsWith('python'))
        .join('\n'),
    );
  } catch (error) {
    console.log(`python reference: skipped (${String(error.message).split('\n')[0]})`);
  }
}
