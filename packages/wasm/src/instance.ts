/**
 * One instantiated wasm module of the C core and the copying in and out of its linear memory.
 * Every call allocates its buffers on the wasm heap (csrc/pmc_wasm_heap.c reuses the memory the
 * previous calls freed), copies the caller's arrays in, runs, copies the result out and frees
 * everything before returning: nothing of the caller's is referenced after a call.
 */
import type { PymecompressError } from '@pymecompress/core-ts';
import { unfilledBytes } from '@pymecompress/core-ts/internal';
import { statusError } from './status.js';

export interface Exports {
  memory: WebAssembly.Memory;
  pmc_wasm_malloc(n: number): number;
  pmc_wasm_free(p: number): void;
  pmc_wasm_result_ptr(): number;
  pmc_wasm_result_len(): number;
  pmc_wasm_simd(): number;
  pmc_wasm_set_heap_limit(bytes: number): void;
  pmc_wasm_memory_bytes(): number;
  pmc_wasm_heap_free_bytes(): number;
  pmc_wasm_heap_top(): number;
  pmc_wasm_huffman_compress(inp: number, n: number): number;
  pmc_wasm_check_output_size(streamLen: number, outSize: number): number;
  pmc_wasm_huffman_decompress(stream: number, len: number, out: number, outSize: number): number;
  pmc_wasm_quantize(data: number, n: number, offset: number, scale: number, out: number): number;
  pmc_wasm_dequantize(q: number, n: number, offset: number, scale: number, out: number): number;
  pmc_wasm_decode_begin(stream: number, len: number, outSize: number): number;
  pmc_wasm_decode_next(buf: number, o: number, n: number): number;
  pmc_wasm_decode_end(): void;
  pmc_wasm_quant_begin(offset: number, scale: number, n: number): number;
  pmc_wasm_quant_next(block: number, n: number, sym: number): number;
  pmc_wasm_quant_finish(sym: number, n: number): number;
}

type View = Uint8Array | Uint16Array;

/** The largest single block the 32-bit heap can give (4 GiB less room for stack and tables). */
const MAX_ALLOCATION = 0xffff_ffff - 0x40_0000;

/** A view's bytes as a Uint8Array over the same memory. */
function bytesOf(v: View): Uint8Array {
  return v instanceof Uint8Array && Object.getPrototypeOf(v) === Uint8Array.prototype
    ? v
    : new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
}

/** An input and an output of one call, placed in wasm memory. */
interface Staged {
  inPtr: number;
  outPtr: number;
  /** Pointers to free after the call. */
  blocks: number[];
}

export class WasmInstance {
  readonly exports: Exports;

  constructor(instance: WebAssembly.Instance) {
    this.exports = instance.exports as unknown as Exports;
  }

  /** Allocates `n` bytes on the wasm heap (at least 1) or throws the typed out-of-memory error. */
  alloc(n: number, what: string): number {
    // The heap's sizes are 32-bit; anything near 4 GiB cannot fit beside the stack and tables.
    if (n > MAX_ALLOCATION) throw noMemory(n, what);
    const p = this.exports.pmc_wasm_malloc(Math.max(n, 1)) >>> 0;
    if (p === 0) throw noMemory(n, what);
    return p;
  }

  free(p: number): void {
    this.exports.pmc_wasm_free(p);
  }

  /** A fresh view of wasm memory (the buffer changes whenever the memory grows). */
  heap(ptr: number, length: number): Uint8Array {
    return new Uint8Array(this.exports.memory.buffer, ptr, length);
  }

  /**
   * Copies `input` into the heap and reserves `outBytes` for the output. When the output is a
   * caller's array that shares memory with the input, the union of both ranges is copied with
   * their relative layout kept, so the C core sees the same overlap core-ts does.
   */
  stage(input: View, outBytes: number, out: View | undefined): Staged {
    const inBytes = bytesOf(input);
    if (out !== undefined && out.buffer === input.buffer) {
      const a = input.byteOffset;
      const b = out.byteOffset;
      if (a < b + outBytes && b < a + inBytes.length && outBytes > 0 && inBytes.length > 0) {
        const lo = Math.min(a, b);
        const hi = Math.max(a + inBytes.length, b + outBytes);
        const p = this.alloc(hi - lo, 'the input and output');
        this.heap(p, hi - lo).set(new Uint8Array(input.buffer, lo, hi - lo));
        return { inPtr: p + (a - lo), outPtr: p + (b - lo), blocks: [p] };
      }
    }
    const inPtr = this.alloc(inBytes.length, 'the input');
    let outPtr: number;
    try {
      outPtr = this.alloc(outBytes, 'the output');
    } catch (error) {
      this.free(inPtr);
      throw error;
    }
    this.heap(inPtr, inBytes.length).set(inBytes);
    return { inPtr, outPtr, blocks: [inPtr, outPtr] };
  }

  /** Allocates and fills a heap copy of `input`'s bytes. */
  copyIn(input: View, what: string): number {
    const bytes = bytesOf(input);
    const p = this.alloc(bytes.length, what);
    this.heap(p, bytes.length).set(bytes);
    return p;
  }

  release(s: Staged): void {
    for (const p of s.blocks) this.free(p);
  }

  /** Takes the result buffer a compress call left (copied out, then freed). */
  takeResult(): Uint8Array {
    const p = this.exports.pmc_wasm_result_ptr() >>> 0;
    const n = this.exports.pmc_wasm_result_len() >>> 0;
    if (p === 0) return new Uint8Array(0);
    // Copied into an array without the zero-fill (core-ts/internal unfilledBytes): every byte
    // is the copy's.
    const r = unfilledBytes(n);
    r.set(this.heap(p, n));
    this.free(p);
    return r;
  }
}

/** The typed error for a heap that cannot grow to hold a call's buffers. */
export function noMemory(n: number, what: string): PymecompressError {
  return statusError(6, `the wasm heap cannot hold ${what} (${n} bytes more)`);
}
