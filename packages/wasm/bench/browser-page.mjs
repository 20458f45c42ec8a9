// Page side of the browser bench (bundled by browser-bench.mjs with esbuild for the browser).
// One pass per wasm build (switching builds instantiates again, so a build stays loaded for its
// whole pass); within a pass core-ts and wasm are measured interleaved (frames.mjs `compare`).
import { coreBackend } from '@pymecompress/core-ts';
import { init, wasmInfo } from '@pymecompress/wasm';
import { compare, corpusFrames, operations } from './frames.mjs';

globalThis.runBench = async (builds) => {
  const frames = corpusFrames();
  const rows = [];
  for (const build of builds) {
    const w = await init({ build });
    if (wasmInfo().build !== build) throw new Error('build not selected');
    let i = 0;
    for (const f of frames) {
      for (const o of operations(f, coreBackend)) {
        const r = compare(o.bytes, { core: () => o.run(coreBackend), wasm: () => o.run(w) });
        rows[i] ??= { frame: f.name, op: o.op };
        rows[i][build] = { core: r.core, wasm: r.wasm };
        i++;
      }
    }
  }
  return { rows, userAgent: navigator.userAgent };
};
