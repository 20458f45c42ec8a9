// Node throughput (MB/s of uncompressed data) of wasm (SIMD and baseline builds) against core-ts
// and native on the benchmark corpus, and the worst ratio per operation. One pass per wasm build
// (switching builds instantiates again); within a pass the backends are measured interleaved
// (frames.mjs `compare`), so the ratios hold on a noisy machine. A benchmark, not a test: not
// run in CI. `node bench/bench.mjs [--json] [--simd-only]` after `pnpm build`.
import { coreBackend } from '@pymecompress/core-ts';
import { init, wasmInfo } from '../dist/index.js';
import { compare, corpusFrames, operations, opKind } from './frames.mjs';

let native;
try {
  native = (await import('@pymecompress/native')).nativeBackend;
} catch (error) {
  console.error(`native not available: ${error.message.split('\n')[0]}`);
}

const json = process.argv.includes('--json');
const builds = process.argv.includes('--simd-only') ? ['simd'] : ['simd', 'baseline'];
const frames = corpusFrames();
const rows = [];
for (const build of builds) {
  const w = await init({ build });
  if (wasmInfo().build !== build) throw new Error('build not selected');
  let i = 0;
  for (const f of frames) {
    for (const o of operations(f, coreBackend)) {
      const fns = { core: () => o.run(coreBackend), wasm: () => o.run(w) };
      if (native && build === 'simd') fns.native = () => o.run(native);
      rows[i] ??= { frame: f.name, op: o.op };
      rows[i][build] = compare(o.bytes, fns);
      i++;
    }
  }
}
const worst = {};
for (const r of rows) {
  const s = r.simd;
  const k = opKind(r.op);
  worst[k] ??= { vsCore: Infinity, vsNative: Infinity };
  worst[k].vsCore = Math.min(worst[k].vsCore, s.wasm / s.core);
  if (s.native) worst[k].vsNative = Math.min(worst[k].vsNative, s.wasm / s.native);
  if (!json) {
    const b = r.baseline
      ? `   baseline ${r.baseline.wasm.toFixed(0).padStart(5)} = ${(r.baseline.wasm / r.baseline.core).toFixed(2)}x core-ts`
      : '';
    console.log(
      `${r.frame.padEnd(18)} ${r.op.padEnd(17)} core-ts ${s.core.toFixed(0).padStart(5)}  native ${(s.native ?? 0).toFixed(0).padStart(5)}  wasm-simd ${s.wasm.toFixed(0).padStart(5)} MB/s = ${(s.wasm / s.core).toFixed(2)}x core-ts ${s.native ? (s.wasm / s.native).toFixed(2) : '-'}x native${b}`,
    );
  }
}
if (json) console.log(JSON.stringify({ rows, worst }, null, 2));
else {
  console.log('\nworst over the corpus (wasm simd, measured interleaved):');
  for (const [k, v] of Object.entries(worst)) {
    console.log(
      `  ${k.padEnd(16)} ${v.vsCore.toFixed(2)}x core-ts   ${Number.isFinite(v.vsNative) ? v.vsNative.toFixed(2) : '-'}x native`,
    );
  }
}
