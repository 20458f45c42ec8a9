// Benchmark (not a test): chunked PZF decode through the native batch decoder (two streams'
// bit readers interleaved in one thread) against one huffmanDecompress call per chunk, on every
// benchmark-corpus frame, quantized symbols and raw bytes (issue 10 item 4). Sync = one core;
// async = the libuv pool (UV_THREADPOOL_SIZE, default 4). MB/s of decoded payload, best of
// BENCH_REPEATS; compare ratios within one run. Usage, after `pnpm build`:
//   node packages/codecs/bench/pzf-batch-bench.mjs   (BENCH_CHUNKS=8 by default)
import { benchmarkCorpus } from '@pymecompress/core-ts/synthetic';
import {
  huffmanDecompress,
  huffmanDecompressAsync,
  huffmanDecompressBatch,
  huffmanDecompressBatchAsync,
} from '@pymecompress/native';
import { decodePzf, encodePzf, getBackend } from '../dist/index.js';

const REPEATS = Number(process.env.BENCH_REPEATS ?? 7);
const CHUNKS = Number(process.env.BENCH_CHUNKS ?? 8);
const native = getBackend('native');
// The same backend with its batch method hidden: decodePzf then decodes chunk by chunk.
const perStream = Object.freeze({ ...native, huffmanDecompressBatch: undefined });

/** The chunk streams and raw lengths of a version-3 chunked frame (table at DataOffset 64). */
function chunks(pzf) {
  const dv = new DataView(pzf.buffer, pzf.byteOffset, pzf.byteLength);
  const streams = [];
  const sizes = [];
  let p = 66;
  for (let i = 0, n = dv.getUint16(64, true); i < n; i++) {
    const clen = dv.getUint32(p, true);
    sizes.push(dv.getUint32(p + 4, true));
    streams.push(pzf.subarray(p + 8, p + 8 + clen));
    p += 8 + clen;
  }
  return { streams, sizes };
}

async function best(fn) {
  await fn();
  let t = Number.POSITIVE_INFINITY;
  for (let i = 0; i < REPEATS; i++) {
    const t0 = performance.now();
    await fn();
    t = Math.min(t, performance.now() - t0);
  }
  return t / 1000;
}

const same = (a, b) =>
  a.length === b.length &&
  Buffer.compare(
    Buffer.from(a.buffer, a.byteOffset, a.byteLength),
    Buffer.from(b.buffer, b.byteOffset, b.byteLength),
  ) === 0;

console.log(
  `chunked PZF decode, ${CHUNKS} chunks, native backend, best of ${REPEATS} (MB/s of payload)`,
);
console.log(
  'frame   data       | decodePzf: per-chunk  batch  gain | streams only, 1 core: per-chunk  batch  gain | async (pool): per-chunk  batch  gain',
);
const gains = [];
const rawGains = [];
for (const f of benchmarkCorpus()) {
  for (const kind of ['quantized', 'lossless']) {
    const pzf = encodePzf(f.frame, {
      shape: [f.width, f.height],
      compression: 'huffman-chunked',
      chunks: CHUNKS,
      quantization: kind === 'quantized' ? { offset: f.offset, scale: f.scale } : null,
      backend: native,
    });
    const mb = (kind === 'quantized' ? f.symbols.length : f.bytes.length) / 1e6;
    const a = decodePzf(pzf, { backend: native }).data;
    const b = decodePzf(pzf, { backend: perStream }).data;
    if (!same(a, b)) throw new Error(`${f.kind} ${kind}: batch and per-stream decodes differ`);
    const tSingle = await best(() => decodePzf(pzf, { backend: perStream }));
    const tBatch = await best(() => decodePzf(pzf, { backend: native }));
    // Async: the stream decodes alone (as decodePzfAsync does them), into one payload buffer.
    const { streams, sizes } = chunks(pzf);
    const out = new Uint8Array(sizes.reduce((x, y) => x + y, 0));
    const outs = [];
    for (let i = 0, o = 0; i < sizes.length; o += sizes[i++])
      outs.push(out.subarray(o, o + sizes[i]));
    const tAsyncSingle = await best(() =>
      Promise.all(streams.map((s, i) => huffmanDecompressAsync(s, sizes[i], outs[i]))),
    );
    const tAsyncBatch = await best(() => huffmanDecompressBatchAsync(streams, sizes, outs));
    // The decoder alone (no header, dequantize or allocation), one core.
    const tRawSingle = await best(() => {
      for (let i = 0; i < streams.length; i++) huffmanDecompress(streams[i], sizes[i], outs[i]);
    });
    const tRawBatch = await best(() => huffmanDecompressBatch(streams, sizes, outs));
    gains.push(tSingle / tBatch);
    rawGains.push(tRawSingle / tRawBatch);
    const cell = (t1, t2, w) =>
      `${(mb / t1).toFixed(0).padStart(w)} ${(mb / t2).toFixed(0).padStart(6)} ${(t1 / t2).toFixed(2).padStart(5)}x`;
    console.log(
      `${f.kind.padEnd(7)} ${kind.padEnd(10)} | ${cell(tSingle, tBatch, 20)} | ${cell(tRawSingle, tRawBatch, 31)} | ${cell(tAsyncSingle, tAsyncBatch, 23)}`,
    );
  }
}
const range = (g) => `worst ${Math.min(...g).toFixed(2)}x, best ${Math.max(...g).toFixed(2)}x`;
console.log(`batch gain, decodePzf: ${range(gains)}; streams only (1 core): ${range(rawGains)}`);
