/**
 * @pymecompress/wasm: the C core of @pymecompress/native (packages/native/csrc, the same files)
 * compiled to WebAssembly, for browsers and for Node without a compiler. The same `Backend`
 * interface, bytes and error codes as @pymecompress/core-ts; arguments are checked with core-ts's
 * own validators so every backend fails alike.
 *
 * Instantiation is asynchronous: `await init()` once, then `wasmBackend` is synchronous. Two
 * builds ship embedded in the package (src/generated/wasm-binaries.ts): `simd` (-msimd128), used
 * when `WebAssembly.validate` accepts it, and `baseline`. No Node built-ins on any path.
 */
import { type Backend, PymecompressError } from '@pymecompress/core-ts';
import {
  assertEncodableLength,
  assertOutput,
  assertSize,
  assertUint8Array,
  assertUint16Array,
  quantParams,
} from '@pymecompress/core-ts/internal';
import { BASELINE_WASM_BASE64, SIMD_WASM_BASE64 } from './generated/wasm-binaries.js';
import { WasmInstance } from './instance.js';
import { statusError } from './status.js';

export type { Backend } from '@pymecompress/core-ts';
export { PymecompressError } from '@pymecompress/core-ts';

export type WasmBuild = 'simd' | 'baseline';

export interface WasmInitOptions {
  /**
   * Which build to run: `'auto'` (default: `simd` when this engine validates it, else
   * `baseline`), or one of them explicitly (`'simd'` where unsupported throws). The default is
   * read from `PYMECOMPRESS_WASM_BUILD` where a `process.env` exists (Node).
   */
  build?: WasmBuild | 'auto';
  /**
   * The most memory the wasm heap may use, in bytes (default: the 4 GiB address space). Calls
   * needing more fail with a typed error instead of growing the memory further.
   */
  maxMemoryBytes?: number;
}

export interface WasmInfo {
  /** The build in use; `undefined` fields until `init()` resolved. */
  readonly build: WasmBuild | undefined;
  /** Whether this engine validates the SIMD build. */
  readonly simdSupported: boolean;
  /** True once `init()` resolved. */
  readonly ready: boolean;
  /** Current size of the wasm linear memory in bytes (it grows, never shrinks). */
  readonly memoryBytes: number;
  /** Size in bytes of each embedded module. */
  readonly moduleBytes: { readonly simd: number; readonly baseline: number };
}

function decodeBase64(b64: string): Uint8Array {
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

const bytesCache: Partial<Record<WasmBuild, Uint8Array>> = {};
function moduleBytes(build: WasmBuild): Uint8Array {
  let b = bytesCache[build];
  if (!b) {
    b = decodeBase64(build === 'simd' ? SIMD_WASM_BASE64 : BASELINE_WASM_BASE64);
    bytesCache[build] = b;
  }
  return b;
}

let simdSupportedCache: boolean | undefined;
function simdSupported(): boolean {
  simdSupportedCache ??= WebAssembly.validate(moduleBytes('simd') as BufferSource);
  return simdSupportedCache;
}

function envBuild(): string | undefined {
  const proc = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process;
  const v = proc?.env?.PYMECOMPRESS_WASM_BUILD;
  return v === '' ? undefined : v;
}

function resolveBuild(requested: unknown, source: string): WasmBuild {
  if (requested === undefined || requested === 'auto') return simdSupported() ? 'simd' : 'baseline';
  if (requested === 'baseline') return 'baseline';
  if (requested === 'simd') {
    if (!simdSupported()) {
      throw new PymecompressError(
        'ERR_BACKEND_UNAVAILABLE',
        `${source}: the SIMD build was requested but this engine does not support wasm SIMD`,
      );
    }
    return 'simd';
  }
  throw new PymecompressError(
    'ERR_INVALID_ARGUMENT',
    `${source} must be 'auto', 'simd' or 'baseline', got ${String(requested)}`,
  );
}

interface Loaded {
  build: WasmBuild;
  module: WebAssembly.Module;
  instance: WasmInstance;
  limit: number;
}

let loaded: Loaded | undefined;
let pending: Promise<Backend> | undefined;
let pendingKey = '';

async function load(build: WasmBuild, limit: number): Promise<Backend> {
  const module = await WebAssembly.compile(moduleBytes(build) as BufferSource);
  const inst = await WebAssembly.instantiate(module, {});
  const instance = new WasmInstance(inst);
  instance.exports.pmc_wasm_set_heap_limit(limit);
  loaded = { build, module, instance, limit };
  return wasmBackend;
}

/**
 * Instantiates the wasm module (once; later calls return the same promise) and resolves to
 * `wasmBackend`. Passing a different `build` or `maxMemoryBytes` than the one loaded
 * instantiates again (the previous instance and its memory are dropped).
 */
export function init(options: WasmInitOptions = {}): Promise<Backend> {
  try {
    const source = options.build !== undefined ? 'init({ build })' : 'PYMECOMPRESS_WASM_BUILD';
    const build = resolveBuild(options.build ?? envBuild(), source);
    const limit = options.maxMemoryBytes ?? 0;
    if (typeof limit !== 'number' || !(limit >= 0) || !Number.isFinite(limit)) {
      throw new PymecompressError(
        'ERR_INVALID_ARGUMENT',
        `maxMemoryBytes must be a finite number >= 0, got ${String(limit)}`,
      );
    }
    const key = `${build}:${limit}`;
    if (pending && key === pendingKey) return pending;
    pendingKey = key;
    pending = load(build, limit);
    pending.catch(() => {
      if (pendingKey === key) pending = undefined;
    });
    return pending;
  } catch (error) {
    return Promise.reject(error);
  }
}

/** Which build runs, whether SIMD is available, and the memory in use. */
export function wasmInfo(): WasmInfo {
  return {
    build: loaded?.build,
    simdSupported: simdSupported(),
    ready: loaded !== undefined,
    memoryBytes: loaded ? loaded.instance.exports.pmc_wasm_memory_bytes() : 0,
    moduleBytes: { simd: moduleBytes('simd').length, baseline: moduleBytes('baseline').length },
  };
}

function current(): WasmInstance {
  if (!loaded) {
    throw new PymecompressError(
      'ERR_BACKEND_UNAVAILABLE',
      '@pymecompress/wasm is not instantiated yet: await init() before calling wasmBackend',
    );
  }
  return loaded.instance;
}

/**
 * Runs one call. A trap would be a bug in the core or the glue, but it must not leave a broken
 * heap behind: the instance is replaced by a fresh one (same module, new memory) and the error
 * is rethrown.
 */
function run<T>(fn: (w: WasmInstance) => T): T {
  const w = current();
  try {
    return fn(w);
  } catch (error) {
    if (error instanceof WebAssembly.RuntimeError && loaded) {
      const fresh = new WasmInstance(new WebAssembly.Instance(loaded.module, {}));
      fresh.exports.pmc_wasm_set_heap_limit(loaded.limit);
      loaded.instance = fresh;
    }
    throw error;
  }
}

function check(status: number): void {
  if (status !== 0) throw statusError(status);
}

// ---------------------------------------------------------------------------------------------
// The Backend functions (validation first, exactly as core-ts, then the C core)
// ---------------------------------------------------------------------------------------------

function huffmanCompress(data: Uint8Array): Uint8Array {
  assertUint8Array(data, 'data');
  assertEncodableLength(data.length);
  return run((w) => {
    if (data.length === 0) return new Uint8Array(0);
    const p = w.alloc(data.length, 'the input');
    try {
      w.heap(p, data.length).set(data);
      check(w.exports.pmc_wasm_huffman_compress(p, data.length));
      return w.takeResult();
    } finally {
      w.free(p);
    }
  });
}

function huffmanDecompress(stream: Uint8Array, outSize: number, out?: Uint8Array): Uint8Array {
  assertUint8Array(stream, 'stream');
  assertSize(outSize, 'outSize');
  assertOutput(out, outSize, 'out', assertUint8Array);
  return run((w) => {
    if (outSize === 0) return out ? out.subarray(0, 0) : new Uint8Array(0);
    // The size check first (contract step 2), so an impossible outSize is never allocated.
    check(w.exports.pmc_wasm_check_output_size(Math.min(stream.length, 0xffff_ffff), outSize));
    const s = w.stage(stream, outSize, out);
    try {
      check(w.exports.pmc_wasm_huffman_decompress(s.inPtr, stream.length, s.outPtr, outSize));
      const result = w.heap(s.outPtr, outSize);
      if (out === undefined) return result.slice();
      const target = out.length === outSize ? out : out.subarray(0, outSize);
      target.set(result);
      return target;
    } finally {
      w.release(s);
    }
  });
}

function quantize(data: Uint16Array, offset: number, scale: number, out?: Uint8Array): Uint8Array {
  assertUint16Array(data, 'data');
  const { offset32, scale32 } = quantParams(offset, scale);
  assertOutput(out, data.length, 'out', assertUint8Array);
  const n = data.length;
  return run((w) => {
    if (n === 0) return out ? out.subarray(0, 0) : new Uint8Array(0);
    const s = w.stage(data, n, out);
    try {
      check(w.exports.pmc_wasm_quantize(s.inPtr, n, offset32, scale32, s.outPtr));
      const result = w.heap(s.outPtr, n);
      if (out === undefined) return result.slice();
      const target = out.length === n ? out : out.subarray(0, n);
      target.set(result);
      return target;
    } finally {
      w.release(s);
    }
  });
}

function dequantize(q: Uint8Array, offset: number, scale: number, out?: Uint16Array): Uint16Array {
  assertUint8Array(q, 'q');
  const { offset32, scale32 } = quantParams(offset, scale);
  assertOutput(out, q.length, 'out', assertUint16Array);
  const n = q.length;
  return run((w) => {
    if (n === 0) return out ? out.subarray(0, 0) : new Uint16Array(0);
    const s = w.stage(q, 2 * n, out);
    try {
      check(w.exports.pmc_wasm_dequantize(s.inPtr, n, offset32, scale32, s.outPtr));
      const result = w.heap(s.outPtr, 2 * n);
      const target = out === undefined ? new Uint16Array(n) : out.subarray(0, n);
      new Uint8Array(target.buffer, target.byteOffset, 2 * n).set(result);
      return out !== undefined && out.length === n ? out : target;
    } finally {
      w.release(s);
    }
  });
}

function huffmanCompressQuant(data: Uint16Array, offset: number, scale: number): Uint8Array {
  assertUint16Array(data, 'data');
  const { offset32, scale32 } = quantParams(offset, scale);
  assertEncodableLength(data.length);
  const n = data.length;
  return run((w) => {
    if (n === 0) return new Uint8Array(0);
    const p = w.alloc(2 * n, 'the input');
    try {
      w.heap(p, 2 * n).set(new Uint8Array(data.buffer, data.byteOffset, 2 * n));
      check(w.exports.pmc_wasm_huffman_compress_quant(p, n, offset32, scale32));
      return w.takeResult();
    } finally {
      w.free(p);
    }
  });
}

/**
 * The wasm implementation of core-ts's `Backend` interface. Usable once `init()` resolved;
 * before that every function throws `PymecompressError` `ERR_BACKEND_UNAVAILABLE`.
 */
export const wasmBackend: Backend = Object.freeze({
  kind: 'wasm',
  huffmanCompress,
  huffmanDecompress,
  quantize,
  dequantize,
  huffmanCompressQuant,
});

/** Heap bookkeeping for tests: free bytes on the heap and the heap's top (in bytes). */
export function wasmHeapStats(): { freeBytes: number; topBytes: number; memoryBytes: number } {
  const w = current();
  return {
    freeBytes: w.exports.pmc_wasm_heap_free_bytes(),
    topBytes: w.exports.pmc_wasm_heap_top(),
    memoryBytes: w.exports.pmc_wasm_memory_bytes(),
  };
}
