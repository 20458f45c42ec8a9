// Node throughput (MB/s of uncompressed data) of wasm (SIMD and baseline builds) against core-ts
// and native on the benchmark frames, and the worst ratio per operation. A benchmark, not a test:
// not run in CI. `node bench/bench.mjs [--json]` after `pnpm build`.
import { coreBackend } from '@pymecompress/core-ts';
import { init, wasmInfo } from '../dist/index.js';
import { FRAMES, makeFrame, measure, operations } from './frames.mjs';

let native;
try {
  native = (await import('@pymecompress/native')).nativeBackend;
} catch (error) {
  console.error(`native not available: ${error.message.split('\n')[0]}`);
}

const json = process.argv.includes('--json');
const rows = [];
const worst = {};
for (const spec of FRAMES) {
  const f = makeFrame(spec);
  for (const o of operations(f, coreBackend)) {
    const row = { frame: f.name, op: o.op };
    row['core-ts'] = measure(o.bytes, () => o.run(coreBackend));
    if (native) row.native = measure(o.bytes, () => o.run(native));
    for (const build of ['baseline', 'simd']) {
      const w = await init({ build });
      if (wasmInfo().build !== build) throw new Error('build not selected');
      row[`wasm ${build}`] = measure(o.bytes, () => o.run(w));
    }
    rows.push(row);
    const kind = o.op.startsWith('decode')
      ? 'decode'
      : o.op.startsWith('encode')
        ? 'encode'
        : 'quantize+encode';
    worst[kind] ??= { vsCore: Infinity, vsNative: Infinity };
    const w = worst[kind];
    w.vsCore = Math.min(w.vsCore, row['wasm simd'] / row['core-ts']);
    if (native) w.vsNative = Math.min(w.vsNative, row['wasm simd'] / row.native);
    if (!json) {
      console.log(
        `${row.frame.padEnd(18)} ${row.op.padEnd(17)} core-ts ${row['core-ts'].toFixed(0).padStart(5)}  native ${(row.native ?? 0).toFixed(0).padStart(5)}  wasm-baseline ${row['wasm baseline'].toFixed(0).padStart(5)}  wasm-simd ${row['wasm simd'].toFixed(0).padStart(5)} MB/s  simd/core-ts ${(row['wasm simd'] / row['core-ts']).toFixed(2)}x  simd/native ${native ? (row['wasm simd'] / row.native).toFixed(2) : '-'}x`,
      );
    }
  }
}
if (json) console.log(JSON.stringify({ rows, worst }, null, 2));
else {
  console.log('\nworst over frames (wasm simd):');
  for (const [k, v] of Object.entries(worst)) {
    console.log(
      `  ${k.padEnd(16)} ${v.vsCore.toFixed(2)}x core-ts   ${Number.isFinite(v.vsNative) ? v.vsNative.toFixed(2) : '-'}x native`,
    );
  }
}
