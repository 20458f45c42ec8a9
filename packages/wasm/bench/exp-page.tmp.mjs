import { coreBackend as core } from '@pymecompress/core-ts';
import { corpusFrame } from '@pymecompress/core-ts/synthetic';
import { init } from '@pymecompress/wasm';
globalThis.runExp = async () => {
  const w = await init();
  const lines = [];
  for (const kind of ['dim', 'bright']) {
    const f = corpusFrame(kind);
    for (const [dn, d] of [['raw', f.bytes], ['quant', f.symbols]]) {
      const s = core.huffmanCompress(d);
      const out = new Uint8Array(d.length);
      const fns = {
        coreNew: () => core.huffmanDecompress(s, d.length),
        coreOut: () => core.huffmanDecompress(s, d.length, out),
        wasmNew: () => w.huffmanDecompress(s, d.length),
        wasmOut: () => w.huffmanDecompress(s, d.length, out),
        alloc: () => new Uint8Array(d.length),
        allocFill: () => new Uint8Array(d.length).fill(1),
      };
      const best = {};
      for (const k in fns) for (let i = 0; i < 5; i++) fns[k]();
      for (let r = 0; r < 15; r++) for (const k in fns) { const t = performance.now(); for (let i = 0; i < 3; i++) fns[k](); best[k] = Math.min(best[k] ?? 1e9, (performance.now() - t) / 3); }
      lines.push(`${kind} ${dn} ` + Object.entries(best).map(([k, v]) => `${k} ${v.toFixed(2)}ms`).join('  '));
    }
  }
  return lines;
};
