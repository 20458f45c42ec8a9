// Throughput of @pymecompress/native on every corpus frame (bench/corpus.mjs: core-ts's shared
// corpus, dim, bright, sparse, 256x256 tile; raw bytes and quantized symbols), with the ratio to the pip-built Python
// reference timed in the same run (the conformance package's reference worker, when its venv is
// set up: sh packages/conformance/scripts/setup-python.sh), then the worst ratio per operation
// and single-stream vs interleaved batch decode per core.
// Usage: pnpm --filter @pymecompress/native bench [--json out.json]
//   BENCH_REPEATS=7, BENCH_SIZE (frame side of the full-size kinds; default the corpus's)
import { writeFileSync } from 'node:fs';
import * as native from '../dist/index.js';
import { corpus } from './corpus.mjs';

const REPEATS = Number(process.env.BENCH_REPEATS ?? 7);
const jsonPath = process.argv.includes('--json')
  ? process.argv[process.argv.indexOf('--json') + 1]
  : undefined;

/** Best seconds of REPEATS calls after a short warm-up (the C code needs no JIT warm-up). */
function best(fn) {
  fn();
  fn();
  let b = Infinity;
  for (let i = 0; i < REPEATS; i++) {
    const t = performance.now();
    fn();
    b = Math.min(b, performance.now() - t);
  }
  return b / 1000;
}

let ref;
let refNote;
try {
  const conf = await import('../../conformance/dist/index.js');
  ref = await conf.startReferenceWorker();
  const info = await ref.info();
  refNote = `pymecompress ${info.pymecompress} (pip build), quantizer ${info.quantizer_dispatch_path}`;
} catch (error) {
  refNote = `unavailable (${String(error?.message ?? error).split('\n')[0]})`;
}
console.log(
  `native ${native.getDispatch()} vs Python reference: ${refNote}; best of ${REPEATS}; MB/s of uncompressed bytes`,
);

const rows = [];
const mb = (bytes, s) => bytes / s / 1e6;
for (const entry of corpus()) {
  const { name, frame, darkLevel } = entry;
  for (const [kind, data] of [
    ['raw', entry.bytes],
    ['quant', entry.symbols],
  ]) {
    const stream = native.huffmanCompress(data);
    const out = new Uint8Array(data.length);
    const row = {
      frame: `${name} ${kind}`,
      bytes: data.length,
      bitsPerSymbol: (8 * stream.length) / data.length,
    };
    row.encode = mb(
      data.length,
      best(() => native.huffmanCompress(data)),
    );
    row.decode = mb(
      data.length,
      best(() => native.huffmanDecompress(stream, data.length, out)),
    );
    // interleaved: a batch of two independent copies, one thread
    const copy = stream.slice();
    const out2 = new Uint8Array(data.length);
    row.decodePair = mb(
      2 * data.length,
      best(() =>
        native.huffmanDecompressBatch([stream, copy], [data.length, data.length], [out, out2]),
      ),
    );
    if (kind === 'quant') {
      row.quantEncode = mb(
        frame.byteLength,
        best(() => native.huffmanCompressQuant(frame, darkLevel, 1)),
      );
    }
    if (ref) {
      const refS = (op, payload, params) => ref.time(op, payload, params, REPEATS);
      row.refEncode = mb(data.length, await refS('huffmanCompress', data, {}));
      row.refDecode = mb(
        data.length,
        await refS('huffmanDecompress', stream, { outSize: data.length }),
      );
      if (kind === 'quant') {
        row.refQuantEncode = mb(
          frame.byteLength,
          await refS('huffmanCompressQuant', frame, {
            offset: darkLevel,
            scale: 1,
            path: 'dispatch',
          }),
        );
      }
    }
    rows.push(row);
  }
}
await ref?.close();

const f = (x, w = 8) => (x === undefined ? '-' : x.toFixed(0)).padStart(w);
const r = (a, b, w = 8) =>
  (a === undefined || b === undefined ? '-' : `${(a / b).toFixed(1)}x`).padStart(w);
console.log(
  `${'frame'.padEnd(16)}${'bits/sym'.padStart(9)}${'encode'.padStart(8)}${'vs ref'.padStart(8)}${'decode'.padStart(8)}${'vs ref'.padStart(8)}` +
    `${'pair'.padStart(8)}${'gain'.padStart(7)}${'q+enc'.padStart(8)}${'vs ref'.padStart(8)}`,
);
for (const x of rows) {
  console.log(
    `${x.frame.padEnd(16)}${x.bitsPerSymbol.toFixed(2).padStart(9)}${f(x.encode)}${r(x.encode, x.refEncode)}` +
      `${f(x.decode)}${r(x.decode, x.refDecode)}${f(x.decodePair)}${r(x.decodePair, x.decode, 7)}` +
      `${f(x.quantEncode)}${r(x.quantEncode, x.refQuantEncode)}`,
  );
}
const worst = (a, b) => {
  const v = rows.filter((x) => x[a] !== undefined && x[b] !== undefined).map((x) => x[a] / x[b]);
  return v.length ? Math.min(...v) : undefined;
};
const w = {
  encode: worst('encode', 'refEncode'),
  decode: worst('decode', 'refDecode'),
  quantEncode: worst('quantEncode', 'refQuantEncode'),
  interleavedGain: worst('decodePair', 'decode'),
};
const show = (x) => (x === undefined ? 'n/a' : `${x.toFixed(2)}x`);
console.log(
  `worst vs reference: encode ${show(w.encode)} (target 4x), decode ${show(w.decode)} (target 12x), ` +
    `quantize+encode ${show(w.quantEncode)} (target 3.5x); interleaved decode gain (worst) ${show(w.interleavedGain)}`,
);
if (jsonPath)
  writeFileSync(jsonPath, `${JSON.stringify({ reference: refNote, rows, worst: w }, null, 2)}\n`);
