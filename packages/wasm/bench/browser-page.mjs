// Page side of the browser bench (bundled by browser-bench.mjs with esbuild for the browser).
import { coreBackend } from '@pymecompress/core-ts';
import { init, wasmInfo } from '@pymecompress/wasm';
import { FRAMES, makeFrame, measure, operations } from './frames.mjs';

globalThis.runBench = async () => {
  const rows = [];
  for (const spec of FRAMES) {
    const f = makeFrame(spec);
    for (const o of operations(f, coreBackend)) {
      const row = {
        frame: f.name,
        op: o.op,
        'core-ts': measure(o.bytes, () => o.run(coreBackend)),
      };
      for (const build of ['baseline', 'simd']) {
        const w = await init({ build });
        if (wasmInfo().build !== build) throw new Error('build not selected');
        row[`wasm ${build}`] = measure(o.bytes, () => o.run(w));
      }
      rows.push(row);
    }
  }
  return { rows, userAgent: navigator.userAgent };
};
