/**
 * Large calls streamed through one small heap buffer (csrc/pmc_wasm_chunked.c says why): the
 * decoder writes DECODE_SPAN bytes at a time into a buffer that stays in cache and each span is
 * copied straight into the result; quantize+encode copies CHUNK uint16 values at a time into
 * the heap, where they are quantized and counted before the next block overwrites them. The
 * bytes and errors are those of the whole-buffer calls; only the memory traffic changes.
 */
import type { WasmInstance } from './instance.js';
import { statusError } from './status.js';

/**
 * Bytes per block of quantize+encode's input: 64 KiB (32 Ki uint16 values) stays in L2 beside
 * the histogram. A comparison of 16 KiB to 1 MiB in Chromium on a loaded machine put 64-256 KiB
 * ahead, within its noise; smaller blocks only add calls, larger ones leave the cache.
 */
export const CHUNK = 64 * 1024;

/**
 * Symbols per decode call: 256 KiB, the smallest span whose split decode samples the density of
 * its first half (pmc_decode_split.c, SPLIT_SAMPLED_OUT), so the two chains share the work
 * evenly; with the 14-bit table (128 KiB) it stays in L2. Measured in Node: 1.2-1.6x the 64 KiB
 * chunks decoded by one chain.
 */
export const DECODE_SPAN = 256 * 1024;

function check(status: number): void {
  if (status !== 0) throw statusError(status);
}

/**
 * Decodes `outSize` symbols of `stream` into `target` (a fresh array or the caller's `out`;
 * never sharing memory with `stream`, the caller makes sure). On an error the symbols of
 * the chunks before it are in `target`, as core-ts leaves the symbols decoded before it.
 */
export function decodeChunked(
  w: WasmInstance,
  stream: Uint8Array,
  outSize: number,
  target: Uint8Array,
): void {
  const e = w.exports;
  const sp = w.copyIn(stream, 'the input');
  let buf = 0;
  try {
    buf = w.alloc(Math.min(outSize, DECODE_SPAN), 'the output');
    check(e.pmc_wasm_decode_begin(sp, stream.length, outSize));
    for (let o = 0; o < outSize; o += DECODE_SPAN) {
      const n = Math.min(DECODE_SPAN, outSize - o);
      check(e.pmc_wasm_decode_next(buf, o, n));
      // A view made after the call: decode_begin may have grown the memory (new buffer).
      target.set(w.heap(buf, n), o);
    }
  } finally {
    e.pmc_wasm_decode_end();
    if (buf !== 0) w.free(buf);
    w.free(sp);
  }
}

/** huffmanCompress(quantize(data, offset, scale)) with the input copied in block by block. */
export function compressQuantChunked(
  w: WasmInstance,
  data: Uint16Array,
  offset32: number,
  scale32: number,
): Uint8Array {
  const e = w.exports;
  const n = data.length;
  const bytes = new Uint8Array(data.buffer, data.byteOffset, 2 * n);
  check(e.pmc_wasm_quant_begin(offset32, scale32, n));
  const sym = w.alloc(n, 'the quantized symbols');
  let block = 0;
  try {
    const values = Math.min(n, CHUNK / 2);
    block = w.alloc(2 * values, 'the input');
    for (let i = 0; i < n; i += values) {
      const k = Math.min(values, n - i);
      w.heap(block, 2 * k).set(bytes.subarray(2 * i, 2 * (i + k)));
      check(e.pmc_wasm_quant_next(block, k, sym + i));
    }
    w.free(block);
    block = 0;
    check(e.pmc_wasm_quant_finish(sym, n));
    return w.takeResult();
  } finally {
    if (block !== 0) w.free(block);
    w.free(sym);
  }
}
