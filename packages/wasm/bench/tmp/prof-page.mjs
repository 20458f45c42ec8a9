import { coreBackend } from '@pymecompress/core-ts';
import { corpusFrame } from '@pymecompress/core-ts/synthetic';
import { SIMD_WASM_BASE64 } from '../../dist/generated/wasm-binaries.js';
import { init } from '../../dist/index.js';
import { compare } from '../frames.mjs';
globalThis.main = async (args) => { for (const kind of args) {
const c = corpusFrame(kind);
const stream = coreBackend.huffmanCompress(c.bytes);
console.log(kind, 'raw', c.bytes.length, 'stream', stream.length);
const inst = (await WebAssembly.instantiate(Uint8Array.from(atob(SIMD_WASM_BASE64), (ch) => ch.charCodeAt(0)))).instance;
const e = inst.exports;
const n = c.bytes.length;
const sp = e.pmc_wasm_malloc(stream.length), op = e.pmc_wasm_malloc(n);
new Uint8Array(e.memory.buffer, sp, stream.length).set(stream);
const w = await init({ build: 'simd' });
const out = new Uint8Array(n);
const r = compare(n, {
  core: () => coreBackend.huffmanDecompress(stream, n),
  wasmFull: () => w.huffmanDecompress(stream, n),
  wasmOut: () => w.huffmanDecompress(stream, n, out),
  kernel: () => e.pmc_wasm_huffman_decompress(sp, stream.length, op, n),
  copyOut: () => new Uint8Array(e.memory.buffer, op, n).slice(),
  copyIn: () => new Uint8Array(e.memory.buffer, sp, stream.length).set(stream),
});
for (const [k, v] of Object.entries(r)) console.log(k.padEnd(10), v.toFixed(0), 'MB/s', (n / 1e3 / v).toFixed(2), 'ms');
}};
