// Browser bench: core-ts and wasm (both builds) MB/s in headless Chromium on the benchmark
// frames, the worst ratio per operation, and the gzipped sizes of the wasm modules and of the
// smallest bundle that decodes a PZF frame with the wasm backend. Not a test (not run in CI).
// `node bench/browser-bench.mjs [--simd-only] [--only <kind>]` after `pnpm build`; needs /usr/bin/chromium.

import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { launchChromium } from '@pymecompress/test-browser';
import { build } from 'esbuild';
import { breakdownLines, opKind } from './frames.mjs';

const here = fileURLToPath(new URL('.', import.meta.url));
const bundle = async (opts) =>
  (
    await build({
      bundle: true,
      platform: 'browser',
      target: 'es2022',
      write: false,
      logLevel: 'silent',
      absWorkingDir: here,
      ...opts,
    })
  ).outputFiles[0].contents;

// Sizes
const { BASELINE_WASM_BASE64, SIMD_WASM_BASE64 } = await import(
  '../dist/generated/wasm-binaries.js'
);
for (const [name, b64] of [
  ['baseline', BASELINE_WASM_BASE64],
  ['simd', SIMD_WASM_BASE64],
]) {
  const bytes = Buffer.from(b64, 'base64');
  console.log(
    `wasm ${name}: ${bytes.length} bytes, ${gzipSync(bytes, { level: 9 }).length} gzipped`,
  );
}
const pzfBundle = await bundle({
  stdin: {
    contents:
      "import { decodePzf } from '@pymecompress/codecs'; import { init } from '@pymecompress/wasm';\n" +
      'export async function decode(bytes) { return decodePzf(bytes, { backend: await init() }); }',
    resolveDir: here,
    loader: 'js',
  },
  format: 'esm',
  minify: true,
});
console.log(
  `smallest PZF-decoding bundle (codecs decodePzf + wasm, esbuild --minify, both builds embedded): ${pzfBundle.length} bytes, ${gzipSync(pzfBundle, { level: 9 }).length} gzipped`,
);

const js = Buffer.from(
  await bundle({ entryPoints: ['./browser-page.mjs'], format: 'iife' }),
).toString();
const browser = await launchChromium();
try {
  const page = await browser.newPage();
  await page.setContent('<!doctype html><title>pmc bench</title>');
  await page.addScriptTag({ content: js });
  const builds = process.argv.includes('--simd-only') ? ['simd'] : ['simd', 'baseline'];
  const onlyAt = process.argv.indexOf('--only');
  const only = onlyAt > 0 ? process.argv[onlyAt + 1] : undefined;
  const { rows, breakdown, userAgent } = await page.evaluate(
    ([b, k]) => globalThis.runBench(b, k),
    [builds, only],
  );
  console.log(`\n${userAgent}`);
  const worst = {};
  for (const r of rows) {
    const cells = builds.map(
      (b) =>
        `${b} ${r[b].wasm.toFixed(0).padStart(5)} vs core-ts ${r[b].core.toFixed(0).padStart(5)} MB/s = ${(r[b].wasm / r[b].core).toFixed(2)}x`,
    );
    console.log(`${r.frame.padEnd(18)} ${r.op.padEnd(17)} ${cells.join('   ')}`);
    const kind = opKind(r.op);
    worst[kind] = Math.min(worst[kind] ?? Infinity, r.simd.wasm / r.simd.core);
  }
  console.log('\nworst over the corpus (wasm simd / core-ts, Chromium, measured interleaved):');
  for (const [k, v] of Object.entries(worst)) console.log(`  ${k.padEnd(16)} ${v.toFixed(2)}x`);
  // A decode that returns a new array also pays for that array's first touch (page faults,
  // whatever decodes into it); decoding into one reused `out` shows the decoders alone.
  for (const line of breakdownLines(breakdown)) console.log(line);
} finally {
  await browser.close();
}
