// Benchmark: encode/decode of one 2048x2048 uint16 camera chunk with each codec, on the native
// backend (when it loads) and core-ts; the Python codecs (pymecompress 0.3.6 via the conformance
// package's reference worker) in the same run when available. Throughput is MB/s of uint16
// input (8 MiB), best of REPEATS. Usage: pnpm --filter @pymecompress/codecs bench
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  backendInfo,
  decodePzf,
  decodePzfAsync,
  encodePzf,
  Huffman,
  HuffmanQuant16,
} from '../dist/index.js';

const here = dirname(fileURLToPath(import.meta.url));
const REPEATS = Number(process.env.BENCH_REPEATS ?? 5);
const W = 2048;
const H = 2048;
const MB = (W * H * 2) / 1e6;

function frame() {
  // Dark level 100 + exponential-ish signal (deterministic LCG), like a photon-limited frame.
  const a = new Uint16Array(W * H);
  let s = 12345;
  for (let i = 0; i < a.length; i++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    const u = (s >>> 8) / 16777216;
    a[i] = Math.min(65535, 100 + Math.round(-Math.log(1 - u) * 30));
  }
  return a;
}

async function best(fn) {
  await fn();
  let t = Infinity;
  for (let i = 0; i < REPEATS; i++) {
    const t0 = performance.now();
    await fn();
    t = Math.min(t, performance.now() - t0);
  }
  return t / 1000;
}

const data = frame();
const info = backendInfo();
console.log(`codecs bench: ${W}x${H} uint16 (${MB.toFixed(1)} MB), best of ${REPEATS}`);
console.log(`backend info: ${JSON.stringify(info)}`);
const backends = info.nativeAvailable ? ['native', 'core-ts'] : ['core-ts'];
const results = {};
const rows = [];
function row(name, seconds, extra = '') {
  results[name] = seconds;
  rows.push([
    name,
    `${(MB / seconds).toFixed(0)} MB/s`,
    `${(seconds * 1000).toFixed(1)} ms`,
    extra,
  ]);
}

for (const b of backends) {
  const huff = new Huffman({ backend: b });
  const q16 = new HuffmanQuant16({ offset: 100, scale: 1, backend: b });
  const he = huff.encodeSync(data);
  const qe = q16.encodeSync(data);
  row(
    `${b} huffman encode`,
    await best(() => huff.encodeSync(data)),
    `ratio ${(data.byteLength / he.length).toFixed(2)}x`,
  );
  row(`${b} huffman decode`, await best(() => huff.decodeSync(he)));
  row(
    `${b} quant16 encode`,
    await best(() => q16.encodeSync(data)),
    `ratio ${(data.byteLength / qe.length).toFixed(2)}x`,
  );
  row(`${b} quant16 decode`, await best(() => q16.decodeSync(qe)));
  const pzf = encodePzf(data, {
    shape: [W, H],
    compression: 'huffman-chunked',
    chunks: 4,
    quantization: { offset: 100, scale: 1 },
    backend: b,
  });
  row(`${b} pzf chunked decode (sync)`, await best(() => decodePzf(pzf, { backend: b })));
  row(`${b} pzf chunked decode (async)`, await best(() => decodePzfAsync(pzf, { backend: b })));
}

// The Python reference, when the conformance package is built.
const conformance = join(here, '../../conformance/dist/index.js');
if (existsSync(conformance) && process.env.BENCH_SKIP_PYTHON !== '1') {
  try {
    const { startReferenceWorker } = await import(pathToFileURL(conformance).href);
    const w = await startReferenceWorker();
    try {
      const bytes = new Uint8Array(data.buffer);
      const q = { offset: 100, scale: 1 };
      // Python decodes `trailer` bytes: encode the chunk as uint8 so its decode covers all of it.
      const pyHuff = await w.codecEncode('huffman', bytes, undefined, 'u1');
      const pyQ = await w.codecEncode('quant16', data, q, '<u2');
      row(
        'python huffman encode',
        await w.time('codecEncode', data, { codec: 'huffman', dtype: '<u2' }, REPEATS),
      );
      row(
        'python huffman decode',
        await w.time('codecDecode', pyHuff, { codec: 'huffman' }, REPEATS),
      );
      row(
        'python quant16 encode',
        await w.time('codecEncode', data, { codec: 'quant16', config: q, dtype: '<u2' }, REPEATS),
        '(quantizes 2N values)',
      );
      row(
        'python quant16 decode',
        await w.time('codecDecode', pyQ, { codec: 'quant16', config: q }, REPEATS),
      );
    } finally {
      await w.close();
    }
  } catch (e) {
    console.log(`(python reference unavailable: ${e.message.split('\n')[0]})`);
  }
} else {
  console.log(
    existsSync(conformance)
      ? '(python reference skipped: BENCH_SKIP_PYTHON=1)'
      : '(python reference skipped: build @pymecompress/conformance to include it)',
  );
}

const width = Math.max(...rows.map((r) => r[0].length));
for (const r of rows)
  console.log(`${r[0].padEnd(width)}  ${r[1].padStart(10)}  ${r[2].padStart(9)}  ${r[3]}`);
if (results['python huffman encode']) {
  console.log('\nspeed-up vs Python (higher is faster):');
  for (const b of backends) {
    for (const op of ['huffman encode', 'huffman decode', 'quant16 encode', 'quant16 decode']) {
      console.log(
        `  ${`${b} ${op}`.padEnd(24)} ${(results[`python ${op}`] / results[`${b} ${op}`]).toFixed(2)}x`,
      );
    }
  }
}
