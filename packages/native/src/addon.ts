/**
 * Loading the addon (src/binding.cc) and turning its errors into core-ts's: the one module that
 * touches the binding object's shape. Internal to @pymecompress/native.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { ERROR_CODES, type PymecompressErrorCode } from '@pymecompress/core-ts';
import { pymecompressError } from '@pymecompress/core-ts/internal';

/** The addon's exports (src/binding.cc). Dispatch: 1 = scalar, 2 = AVX2, 3 = AVX-512. */
export interface Binding {
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
  cpuHasAvx512(): boolean;
  asyncStats(): NativeAsyncStats;
  abiVersion: number;
}

/** The first failing call of a batch, as the binding reports it. */
export interface BatchFailure {
  index: number;
  code: string;
  message: string;
}

const packageRoot = fileURLToPath(new URL('..', import.meta.url));

/** What the install script (scripts/install.mjs) recorded when it could not build the addon. */
function installNote(): string {
  try {
    const note = readFileSync(`${packageRoot}build-failed.txt`, 'utf8').trim();
    return note ? `Install script: ${note}\n` : '';
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
    if (typeof binding?.huffmanCompress !== 'function' || binding.abiVersion !== 3) {
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

export const binding: Binding = loadBinding();

/** What the native async layer holds right now, over all threads of the process. */
export interface NativeAsyncStats {
  /** Async calls started and not yet settled. */
  callsInFlight: number;
  /** Bytes the addon allocated for those calls (results not yet handed over, work buffers). */
  bytesHeld: number;
}

export function view<T extends Uint8Array | Uint16Array>(out: T, length: number): T {
  return out.length === length ? out : (out.subarray(0, length) as T);
}

/** Re-creates an addon error (which carries `pmcCode`) as a PymecompressError. */
export function translate(error: unknown): unknown {
  if (error instanceof Error) {
    const code = (error as { pmcCode?: unknown }).pmcCode;
    if (typeof code === 'string') return codedError(code, error.message);
  }
  return error;
}

/** A C core status code as the error core-ts would throw for it. */
export function codedError(code: string, message: string): Error {
  if ((ERROR_CODES as readonly string[]).includes(code)) {
    return pymecompressError(code as PymecompressErrorCode, message);
  }
  return new Error(`${message} (${code})`);
}

export function call<T>(fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    throw translate(error);
  }
}

export async function callAsync<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    throw translate(error);
  }
}
