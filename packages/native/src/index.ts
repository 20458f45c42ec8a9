/**
 * @pymecompress/native: the C core (csrc/) behind node-addon-api, with AVX2 bodies chosen at run
 * time and a portable scalar fallback. Same `Backend` interface, bytes and error codes as
 * @pymecompress/core-ts; arguments are checked with core-ts's own validators so both fail alike.
 */
import { readFileSync } from 'node:fs';
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
  huffmanCompressAsync(data: Uint8Array): Promise<Uint8Array>;
  huffmanDecompressAsync(stream: Uint8Array, outSize: number): Promise<Uint8Array>;
  quantizeAsync(
    data: Uint16Array,
    offset32: number,
    scale32: number,
    dispatch: number,
  ): Promise<Uint8Array>;
  dequantizeAsync(
    q: Uint8Array,
    offset32: number,
    scale32: number,
    dispatch: number,
  ): Promise<Uint16Array>;
  huffmanCompressQuantAsync(
    data: Uint16Array,
    offset32: number,
    scale32: number,
    dispatch: number,
  ): Promise<Uint8Array>;
  cpuHasAvx2(): boolean;
  abiVersion: number;
}

const packageRoot = fileURLToPath(new URL('..', import.meta.url));

/** What the install script (scripts/install.mjs) recorded when it could not build the addon. */
function installNote(): string {
  try {
    const note = readFileSync(`${packageRoot}build-failed.txt`, 'utf8').trim();
    return note ? `Install script: the source build failed: ${note}\n` : '';
  } catch {
    return '';
  }
}

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
    if (typeof binding?.huffmanCompress !== 'function' || binding.abiVersion !== 1) {
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
      installNote() +
      'Build it from source with `npm rebuild @pymecompress/native` (or `pnpm rebuild`; add ' +
      'PYMECOMPRESS_NATIVE_BUILD_FROM_SOURCE=1 to skip prebuilds; needs Python 3, make and a ' +
      'C/C++ compiler), or use @pymecompress/core-ts, which needs no native code.',
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
    if (typeof code === 'string' && (ERROR_CODES as readonly string[]).includes(code)) {
      return new PymecompressError(code as PymecompressErrorCode, error.message);
    }
    if (code === 'ERR_NO_MEMORY') return new RangeError(error.message);
  }
  return error;
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
// Async API: same validation (reported as a rejected promise), work on the libuv thread pool.
// Inputs are copied before the call returns, so callers may reuse their buffers at once.
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

export async function huffmanDecompressAsync(
  stream: Uint8Array,
  outSize: number,
): Promise<Uint8Array> {
  assertUint8Array(stream, 'stream');
  assertSize(outSize, 'outSize');
  return callAsync(() => binding.huffmanDecompressAsync(stream, outSize));
}

export async function quantizeAsync(
  data: Uint16Array,
  offset: number,
  scale: number,
): Promise<Uint8Array> {
  assertUint16Array(data, 'data');
  const { offset32, scale32 } = quantParams(offset, scale);
  return callAsync(() => binding.quantizeAsync(data, offset32, scale32, dispatch));
}

export async function dequantizeAsync(
  q: Uint8Array,
  offset: number,
  scale: number,
): Promise<Uint16Array> {
  assertUint8Array(q, 'q');
  const { offset32, scale32 } = quantParams(offset, scale);
  return callAsync(() => binding.dequantizeAsync(q, offset32, scale32, dispatch));
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

/** `n + 321` bytes (0 for empty input): no stream for `n` input bytes is longer. */
export function maxCompressedSize(n: number): number {
  return n === 0 ? 0 : n + 321;
}
