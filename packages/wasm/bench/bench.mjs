// Node throughput (MB/s of uncompressed data) of wasm (SIMD and baseline builds) against core-ts
// and native on the benchmark corpus, and the worst ratio per operation. One pass per wasm build
// (switching builds instantiates again); within a pass the backends are measured interleaved
// (frames.mjs `compare`), so the ratios hold on a noisy machine. A benchmark, not a test: not
// run in CI. `node bench/bench.mjs [--json] [--simd-only] [--only <kind>]` after `pnpm build`.
import { breakdownLines, decodeBreakdown, opKind, runPasses } from './frames.mjs';

let native;
try {
  native = (await import('@pymecompress/native')).nativeBackend;
} catch (error) {
  console.error(`native not available: ${error.message.split('\n')[0]}`);
}

const json = process.argv.includes('--json');
const builds = process.argv.includes('--simd-only') ? ['simd'] : ['simd', 'baseline'];
const onlyAt = process.argv.indexOf('--only');
const only = onlyAt > 0 ? process.argv[onlyAt + 1] : undefined;
const rows = await runPasses(
  builds,
  (build) => (native && build === 'simd' ? { native } : {}),
  only,
);
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
const breakdown = only === undefined || only === 'decode' ? await decodeBreakdown() : [];
if (json) console.log(JSON.stringify({ rows, worst, breakdown }, null, 2));
else {
  console.log('\nworst over the corpus (wasm simd, measured interleaved):');
  for (const [k, v] of Object.entries(worst)) {
    console.log(
      `  ${k.padEnd(16)} ${v.vsCore.toFixed(2)}x core-ts   ${Number.isFinite(v.vsNative) ? v.vsNative.toFixed(2) : '-'}x native`,
    );
  }
  for (const line of breakdownLines(breakdown)) console.log(line);
}
