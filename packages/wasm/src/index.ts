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
  assertUint8Array,
  checkDecompressArgs,
  checkDequantizeArgs,
  checkQuantizeArgs,
  type QuantParams,
  unfilledBytes,
} from '@pymecompress/core-ts/internal';
import { compressQuantChunked, decodeChunked } from './chunked.js';
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
  checkDecompressArgs(stream, outSize, out);
  return run((w) => {
    if (outSize === 0) return out ? out.subarray(0, 0) : new Uint8Array(0);
    // The size check first (contract step 2), so an impossible outSize is never allocated.
    check(w.exports.pmc_wasm_check_output_size(Math.min(stream.length, 0xffff_ffff), outSize));
    const target = out === undefined ? unfilledBytes(outSize) : sized(out, outSize);
    if (out === undefined || out.buffer !== stream.buffer) {
      decodeChunked(w, stream, outSize, target);
      return target;
    }
    // An `out` in the stream's memory: staged whole, with the overlap the core handles.
    const s = w.stage(stream, outSize, out);
    try {
      check(w.exports.pmc_wasm_huffman_decompress(s.inPtr, stream.length, s.outPtr, outSize));
      target.set(w.heap(s.outPtr, outSize));
      return target;
    } finally {
      w.release(s);
    }
  });
}

/** `out` itself when it has exactly `n` elements, else its first `n` (core-ts returns alike). */
function sized<T extends View>(out: T, n: number): T {
  return (out.length === n ? out : out.subarray(0, n)) as T;
}

/** The two element-wise calls: their argument checks (core-ts's), output type and entry point. */
interface Elementwise<O extends View> {
  readonly check: (input: unknown, offset: unknown, scale: unknown, out: unknown) => QuantParams;
  readonly outBytesPer: number;
  readonly make: (n: number) => O;
  readonly entry: 'pmc_wasm_quantize' | 'pmc_wasm_dequantize';
}
type View = Uint8Array | Uint16Array;

function elementwiseOp<O extends View>(
  name: 'quantize' | 'dequantize',
  check: Elementwise<O>['check'],
  make: (n: number) => O,
): Elementwise<O> {
  const outBytesPer = make(0).BYTES_PER_ELEMENT;
  return { check, outBytesPer, make, entry: `pmc_wasm_${name}` };
}
const u8 = (n: number) => new Uint8Array(n);
const u16 = (n: number) => new Uint16Array(n);
const QUANTIZE = elementwiseOp('quantize', checkQuantizeArgs, u8);
const DEQUANTIZE = elementwiseOp('dequantize', checkDequantizeArgs, u16);

/**
 * One element-wise call of `input.length` elements, checked as core-ts checks it: the input
 * staged, the output written by the C core and copied into `out` (or a new array).
 */
function elementwise<O extends View>(
  op: Elementwise<O>,
  input: View,
  offset: number,
  scale: number,
  out: O | undefined,
): O {
  const { offset32, scale32 } = op.check(input, offset, scale, out);
  const n = input.length;
  const outBytes = op.outBytesPer * n;
  return run((w) => {
    if (n === 0) return out ? (out.subarray(0, 0) as O) : op.make(0);
    const s = w.stage(input, outBytes, out);
    try {
      check(w.exports[op.entry](s.inPtr, n, offset32, scale32, s.outPtr));
      const target = out === undefined ? op.make(n) : sized(out, n);
      new Uint8Array(target.buffer, target.byteOffset, outBytes).set(w.heap(s.outPtr, outBytes));
      return target;
    } finally {
      w.release(s);
    }
  });
}

function quantize(data: Uint16Array, offset: number, scale: number, out?: Uint8Array): Uint8Array {
  return elementwise(QUANTIZE, data, offset, scale, out);
}

function dequantize(q: Uint8Array, offset: number, scale: number, out?: Uint16Array): Uint16Array {
  return elementwise(DEQUANTIZE, q, offset, scale, out);
}

function huffmanCompressQuant(data: Uint16Array, offset: number, scale: number): Uint8Array {
  // The checks of quantize() then huffmanCompress(), in that order (as core-ts).
  const { offset32, scale32 } = checkQuantizeArgs(data, offset, scale, undefined);
  assertEncodableLength(data.length);
  return run((w) => {
    if (data.length === 0) return new Uint8Array(0);
    return compressQuantChunked(w, data, offset32, scale32);
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
