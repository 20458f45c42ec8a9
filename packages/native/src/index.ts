/**
 * @pymecompress/native: the C core (csrc/) behind node-addon-api, with AVX2 bodies chosen at run
 * time and a portable scalar fallback. Same `Backend` interface, bytes and error codes as
 * @pymecompress/core-ts; arguments are checked with core-ts's own validators so both fail alike.
 */
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import {
  assertEncodableLength,
  assertOutput,
  assertSize,
  assertUint8Array,
  assertUint16Array,
  type Backend,
  ERROR_CODES,
  PymecompressError,
  type PymecompressErrorCode,
  PymecompressRangeError,
  quantParams,
} from '@pymecompress/core-ts';

export type { Backend } from '@pymecompress/core-ts';
export { PymecompressError } from '@pymecompress/core-ts';

/** The addon's exports (src/binding.cc). Dispatch: 1 = scalar, 2 = AVX2. */
interface Binding {
  huffmanCompress(data: Uint8Array): Uint8Array;
  huffmanDecompress(
    stream: Uint8Array,
    outSize: number,
    out: Uint8Array | undefined,
  ): Uint8Array | undefined;
  quantize(
    data: Uint16Array,
    offset32: number,
    scale32: number,
    out: Uint8Array | undefined,
    dispatch: number,
  ): Uint8Array | undefined;
  dequantize(
    q: Uint8Array,
    offset32: number,
    scale32: number,
    out: Uint16Array | undefined,
    dispatch: number,
  ): Uint16Array | undefined;
  huffmanCompressQuant(
    data: Uint16Array,
    offset32: number,
    scale32: number,
    dispatch: number,
  ): Uint8Array;
  huffmanDecompressBatch(
    streams: Uint8Array[],
    sizes: number[],
    outs: Uint8Array[],
  ): BatchFailure | null;
  huffmanCompressAsync(data: Uint8Array): Promise<Uint8Array>;
  huffmanDecompressAsync(
    stream: Uint8Array,
    outSize: number,
    out: Uint8Array | undefined,
  ): Promise<Uint8Array | undefined>;
  huffmanDecompressBatchAsync(
    streams: Uint8Array[],
    sizes: number[],
    outs: Uint8Array[],
  ): Promise<BatchFailure | null>;
  quantizeAsync(
    data: Uint16Array,
    offset32: number,
    scale32: number,
    dispatch: number,
    out: Uint8Array | undefined,
  ): Promise<Uint8Array | undefined>;
  dequantizeAsync(
    q: Uint8Array,
    offset32: number,
    scale32: number,
    dispatch: number,
    out: Uint16Array | undefined,
  ): Promise<Uint16Array | undefined>;
  huffmanCompressQuantAsync(
    data: Uint16Array,
    offset32: number,
    scale32: number,
    dispatch: number,
  ): Promise<Uint8Array>;
  cpuHasAvx2(): boolean;
  asyncStats(): NativeAsyncStats;
  abiVersion: number;
}

/** The first failing call of a batch, as the binding reports it. */
interface BatchFailure {
  index: number;
  code: string;
  message: string;
}

const packageRoot = fileURLToPath(new URL('..', import.meta.url));

function loadBinding(): Binding {
  const require = createRequire(import.meta.url);
  const tried = [
    `${packageRoot}prebuilds/${process.platform}-${process.arch}/*.node (prebuildify)`,
    `${packageRoot}build/Release/pymecompress_native.node (node-gyp)`,
    `${packageRoot}build/Debug/pymecompress_native.node (node-gyp --debug)`,
  ];
  let cause: unknown;
  try {
    const nodeGypBuild = require('node-gyp-build') as (dir: string) => unknown;
    const binding = nodeGypBuild(packageRoot) as Binding;
    if (typeof binding?.huffmanCompress !== 'function' || binding.abiVersion !== 2) {
      throw new Error('the loaded addon does not have the expected exports (stale build?)');
    }
    return binding;
  } catch (error) {
    cause = error;
  }
  throw new Error(
    `@pymecompress/native: could not load the native addon for ${process.platform}-${process.arch} ` +
      `(Node ${process.versions.node}, N-API ${process.versions.napi}). Tried:\n  - ${tried.join('\n  - ')}\n` +
      `Reason: ${cause instanceof Error ? cause.message : String(cause)}\n` +
      'Build it from source with `pnpm --filter @pymecompress/native build` (needs a C/C++ compiler ' +
      'and Python for node-gyp), or use @pymecompress/core-ts, which needs no native code.',
    { cause },
  );
}

const binding: Binding = loadBinding();

// ---------------------------------------------------------------------------------------------
// Dispatch
// ---------------------------------------------------------------------------------------------

export type DispatchMode = 'auto' | 'scalar' | 'avx2';
export type Dispatch = 'scalar' | 'avx2';

const DISPATCH_SCALAR = 1;
const DISPATCH_AVX2 = 2;

/** Whether this CPU (and build) can run the AVX2 bodies. */
export const hasAvx2: boolean = binding.cpuHasAvx2();

function resolveDispatch(mode: unknown, source: string): number {
  if (mode === 'auto') return hasAvx2 ? DISPATCH_AVX2 : DISPATCH_SCALAR;
  if (mode === 'scalar') return DISPATCH_SCALAR;
  if (mode === 'avx2') {
    if (!hasAvx2) {
      throw new PymecompressError(
        'ERR_INVALID_ARGUMENT',
        `${source}: 'avx2' was requested but this CPU or build has no AVX2`,
      );
    }
    return DISPATCH_AVX2;
  }
  throw new PymecompressError(
    'ERR_INVALID_ARGUMENT',
    `${source} must be 'auto', 'scalar' or 'avx2', got ${String(mode)}`,
  );
}

let dispatch: number = resolveDispatch(
  process.env.PYMECOMPRESS_NATIVE_DISPATCH || 'auto',
  'PYMECOMPRESS_NATIVE_DISPATCH',
);

/** The body the vectorisable loops run in: 'avx2' or 'scalar'. */
export function getDispatch(): Dispatch {
  return dispatch === DISPATCH_AVX2 ? 'avx2' : 'scalar';
}

/**
 * Chooses the body for later calls (in this thread): 'auto' (the default, or the value of
 * PYMECOMPRESS_NATIVE_DISPATCH at load), 'scalar' or 'avx2'. 'avx2' on a CPU without it throws.
 * Returns the body now in use.
 */
export function setDispatch(mode: DispatchMode): Dispatch {
  dispatch = resolveDispatch(mode, 'setDispatch');
  return getDispatch();
}

// ---------------------------------------------------------------------------------------------
// Validation (mirrors core-ts src/validate.ts)
// ---------------------------------------------------------------------------------------------

function view<T extends Uint8Array | Uint16Array>(out: T, length: number): T {
  return out.length === length ? out : (out.subarray(0, length) as T);
}

/** Re-creates an addon error (which carries `pmcCode`) as a PymecompressError. */
function translate(error: unknown): unknown {
  if (error instanceof Error) {
    const code = (error as { pmcCode?: unknown }).pmcCode;
    if (typeof code === 'string') return codedError(code, error.message);
  }
  return error;
}

/** A C core status code as the error core-ts would throw for it. */
function codedError(code: string, message: string): Error {
  if (code === 'ERR_INPUT_TOO_LARGE') return new PymecompressRangeError(code, message);
  if ((ERROR_CODES as readonly string[]).includes(code)) {
    return new PymecompressError(code as PymecompressErrorCode, message);
  }
  return new Error(`${message} (${code})`);
}

function call<T>(fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    throw translate(error);
  }
}

// ---------------------------------------------------------------------------------------------
// Sync API
// ---------------------------------------------------------------------------------------------

/** Huffman-codes `data` into a raw BCL stream (no trailer), byte-identical to core-ts. */
export function huffmanCompress(data: Uint8Array): Uint8Array {
  assertUint8Array(data, 'data');
  assertEncodableLength(data.length);
  return call(() => binding.huffmanCompress(data));
}

/** Decodes exactly `outSize` symbols; into `out` (result `out.subarray(0, outSize)`) if given. */
export function huffmanDecompress(
  stream: Uint8Array,
  outSize: number,
  out?: Uint8Array,
): Uint8Array {
  assertUint8Array(stream, 'stream');
  assertSize(outSize, 'outSize');
  assertOutput(out, outSize, 'out', assertUint8Array);
  if (out !== undefined) {
    call(() => binding.huffmanDecompress(stream, outSize, out));
    return view(out, outSize);
  }
  return call(() => binding.huffmanDecompress(stream, outSize, undefined)) as Uint8Array;
}

/** The exact float32 sqrt quantizer (saturating at 255, 0 below `offset`). */
export function quantize(
  data: Uint16Array,
  offset: number,
  scale: number,
  out?: Uint8Array,
): Uint8Array {
  assertUint16Array(data, 'data');
  const { offset32, scale32 } = quantParams(offset, scale);
  assertOutput(out, data.length, 'out', assertUint8Array);
  if (out !== undefined) {
    call(() => binding.quantize(data, offset32, scale32, out, dispatch));
    return view(out, data.length);
  }
  return call(() => binding.quantize(data, offset32, scale32, undefined, dispatch)) as Uint8Array;
}

/** PYME's PZF dequantization, `(float32(q) * scale)^2 + offset` in float32, truncated, clamped. */
export function dequantize(
  q: Uint8Array,
  offset: number,
  scale: number,
  out?: Uint16Array,
): Uint16Array {
  assertUint8Array(q, 'q');
  const { offset32, scale32 } = quantParams(offset, scale);
  assertOutput(out, q.length, 'out', assertUint16Array);
  if (out !== undefined) {
    call(() => binding.dequantize(q, offset32, scale32, out, dispatch));
    return view(out, q.length);
  }
  return call(() => binding.dequantize(q, offset32, scale32, undefined, dispatch)) as Uint16Array;
}

/** `huffmanCompress(quantize(data, offset, scale))`, fused (quantize + histogram per block). */
export function huffmanCompressQuant(data: Uint16Array, offset: number, scale: number): Uint8Array {
  assertUint16Array(data, 'data');
  const { offset32, scale32 } = quantParams(offset, scale);
  return call(() => binding.huffmanCompressQuant(data, offset32, scale32, dispatch));
}

/** The native implementation of core-ts's `Backend` interface. */
export const nativeBackend: Backend = Object.freeze({
  kind: 'native',
  huffmanCompress,
  huffmanDecompress,
  quantize,
  dequantize,
  huffmanCompressQuant,
});

// ---------------------------------------------------------------------------------------------
// Batches: many independent streams per call (PZF chunked frames, several Zarr chunks)
// ---------------------------------------------------------------------------------------------

/** A fresh buffer without the zero-fill (every byte is written by the decoder). */
function uninitialised(size: number): Uint8Array {
  const b = Buffer.allocUnsafeSlow(size);
  return new Uint8Array(b.buffer, b.byteOffset, size);
}

function batchArgs(
  streams: readonly Uint8Array[],
  sizes: readonly number[],
  outs: readonly Uint8Array[] | undefined,
  name: string,
): Uint8Array[] {
  if (!Array.isArray(streams) || !Array.isArray(sizes)) {
    throw new PymecompressError(
      'ERR_INVALID_ARGUMENT',
      `${name}: streams and sizes must be arrays`,
    );
  }
  if (sizes.length !== streams.length || (outs !== undefined && outs.length !== streams.length)) {
    throw new PymecompressError(
      'ERR_INVALID_ARGUMENT',
      `${name}: streams, sizes and outs must have the same length`,
    );
  }
  if (outs !== undefined && !Array.isArray(outs)) {
    throw new PymecompressError('ERR_INVALID_ARGUMENT', `${name}: outs must be an array`);
  }
  streams.forEach((s, i) => {
    assertUint8Array(s, `streams[${i}]`);
    assertSize(sizes[i], `sizes[${i}]`);
    assertOutput(outs?.[i], sizes[i]!, `outs[${i}]`, assertUint8Array);
  });
  return outs ? [...outs] : sizes.map((n) => uninitialised(n));
}

function batchError(name: string, failure: BatchFailure): Error {
  return codedError(failure.code, `${name}: stream ${failure.index}: ${failure.message}`);
}

/**
 * Decodes many independent streams in one call, `streams[i]` into exactly `sizes[i]` bytes (into
 * `outs[i]` when given): each call as `huffmanDecompress`, two streams at a time with their bit
 * readers interleaved in this thread (faster than one at a time: one stream's lookups form a
 * single dependency chain). Returns the outputs, `outs[i].subarray(0, sizes[i])` when given.
 * Throws the error of the first failing stream (its index in the message); the others are
 * decoded all the same.
 */
export function huffmanDecompressBatch(
  streams: readonly Uint8Array[],
  sizes: readonly number[],
  outs?: readonly Uint8Array[],
): Uint8Array[] {
  const targets = batchArgs(streams, sizes, outs, 'huffmanDecompressBatch');
  const failure = call(() => binding.huffmanDecompressBatch([...streams], [...sizes], targets));
  if (failure) throw batchError('huffmanDecompressBatch', failure);
  return targets.map((o, i) => view(o, sizes[i]!));
}

/** Threads of the libuv pool (Node's default is 4). */
function poolSize(): number {
  const n = Number(process.env.UV_THREADPOOL_SIZE);
  return Number.isInteger(n) && n > 0 ? Math.min(n, 1024) : 4;
}

/**
 * `huffmanDecompressBatch` on the libuv pool: the batch is cut into contiguous slices of about
 * equal output size, one per pool thread (at least two streams each, so every slice can
 * interleave), decoded in parallel.
 */
export async function huffmanDecompressBatchAsync(
  streams: readonly Uint8Array[],
  sizes: readonly number[],
  outs?: readonly Uint8Array[],
): Promise<Uint8Array[]> {
  const targets = batchArgs(streams, sizes, outs, 'huffmanDecompressBatchAsync');
  const slices = Math.max(1, Math.min(poolSize(), Math.floor(streams.length / 2)));
  const total = sizes.reduce((a, b) => a + b, 0);
  const jobs: Promise<BatchFailure | null>[] = [];
  let start = 0;
  let done = 0;
  for (let k = 0; k < slices && start < streams.length; k++) {
    // end: where the running output total passes (k + 1) / slices of the whole
    let end = start;
    const goal = (total * (k + 1)) / slices;
    while (end < streams.length && (k === slices - 1 || end - start < 2 || done < goal)) {
      done += sizes[end]!;
      end++;
    }
    const first = start;
    jobs.push(
      callAsync(() =>
        binding.huffmanDecompressBatchAsync(
          streams.slice(start, end),
          sizes.slice(start, end),
          targets.slice(start, end),
        ),
      ).then((f) => (f ? { ...f, index: f.index + first } : null)),
    );
    start = end;
  }
  const failures = await Promise.all(jobs);
  const failure = failures.find((f) => f !== null);
  if (failure) throw batchError('huffmanDecompressBatchAsync', failure);
  return targets.map((o, i) => view(o, sizes[i]!));
}

// ---------------------------------------------------------------------------------------------
// Async API: same validation (reported as a rejected promise), work on the libuv thread pool.
//
// Calls work in the caller's buffers: inputs are read and a given `out` is written in place by
// a pool thread while the promise is pending (no copies: memory held per call is the result it
// allocates, and only once a pool thread runs it). Do not modify, transfer or detach the buffers
// of a call until it settles; the outcome is unspecified if you do (never a crash). Results that
// cannot be allocated reject with ERR_NO_MEMORY. Concurrency: at most UV_THREADPOOL_SIZE calls
// (default 4) run at once, the rest wait in libuv's queue holding only references.
// ---------------------------------------------------------------------------------------------

async function callAsync<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    throw translate(error);
  }
}

export async function huffmanCompressAsync(data: Uint8Array): Promise<Uint8Array> {
  assertUint8Array(data, 'data');
  assertEncodableLength(data.length);
  return callAsync(() => binding.huffmanCompressAsync(data));
}

/** Decodes exactly `outSize` symbols; into `out` (result `out.subarray(0, outSize)`) if given. */
export async function huffmanDecompressAsync(
  stream: Uint8Array,
  outSize: number,
  out?: Uint8Array,
): Promise<Uint8Array> {
  assertUint8Array(stream, 'stream');
  assertSize(outSize, 'outSize');
  assertOutput(out, outSize, 'out', assertUint8Array);
  const r = await callAsync(() => binding.huffmanDecompressAsync(stream, outSize, out));
  return out !== undefined ? view(out, outSize) : (r as Uint8Array);
}

export async function quantizeAsync(
  data: Uint16Array,
  offset: number,
  scale: number,
  out?: Uint8Array,
): Promise<Uint8Array> {
  assertUint16Array(data, 'data');
  const { offset32, scale32 } = quantParams(offset, scale);
  assertOutput(out, data.length, 'out', assertUint8Array);
  const r = await callAsync(() => binding.quantizeAsync(data, offset32, scale32, dispatch, out));
  return out !== undefined ? view(out, data.length) : (r as Uint8Array);
}

export async function dequantizeAsync(
  q: Uint8Array,
  offset: number,
  scale: number,
  out?: Uint16Array,
): Promise<Uint16Array> {
  assertUint8Array(q, 'q');
  const { offset32, scale32 } = quantParams(offset, scale);
  assertOutput(out, q.length, 'out', assertUint16Array);
  const r = await callAsync(() => binding.dequantizeAsync(q, offset32, scale32, dispatch, out));
  return out !== undefined ? view(out, q.length) : (r as Uint16Array);
}

export async function huffmanCompressQuantAsync(
  data: Uint16Array,
  offset: number,
  scale: number,
): Promise<Uint8Array> {
  assertUint16Array(data, 'data');
  const { offset32, scale32 } = quantParams(offset, scale);
  return callAsync(() => binding.huffmanCompressQuantAsync(data, offset32, scale32, dispatch));
}

/** The native backend's asynchronous entry points (libuv pool), as one object. */
export interface NativeAsyncBackend {
  readonly kind: 'native';
  huffmanCompressAsync(data: Uint8Array): Promise<Uint8Array>;
  /** Writes into `out` when given and resolves to `out.subarray(0, outSize)`. */
  huffmanDecompressAsync(
    stream: Uint8Array,
    outSize: number,
    out?: Uint8Array,
  ): Promise<Uint8Array>;
  huffmanDecompressBatchAsync(
    streams: readonly Uint8Array[],
    sizes: readonly number[],
    outs?: readonly Uint8Array[],
  ): Promise<Uint8Array[]>;
  huffmanCompressQuantAsync(data: Uint16Array, offset: number, scale: number): Promise<Uint8Array>;
  quantizeAsync(
    data: Uint16Array,
    offset: number,
    scale: number,
    out?: Uint8Array,
  ): Promise<Uint8Array>;
  dequantizeAsync(
    q: Uint8Array,
    offset: number,
    scale: number,
    out?: Uint16Array,
  ): Promise<Uint16Array>;
}

export const nativeAsyncBackend: NativeAsyncBackend = Object.freeze({
  kind: 'native',
  huffmanCompressAsync,
  huffmanDecompressAsync,
  huffmanDecompressBatchAsync,
  huffmanCompressQuantAsync,
  quantizeAsync,
  dequantizeAsync,
});

/** What the native async layer holds right now, over all threads of the process. */
export interface NativeAsyncStats {
  /** Async calls started and not yet settled. */
  callsInFlight: number;
  /** Bytes the addon allocated for those calls (results not yet handed over, work buffers). */
  bytesHeld: number;
}

export function nativeAsyncStats(): NativeAsyncStats {
  return binding.asyncStats();
}

/** `n + 321` bytes (0 for empty input): no stream for `n` input bytes is longer. */
export function maxCompressedSize(n: number): number {
  return n === 0 ? 0 : n + 321;
}
