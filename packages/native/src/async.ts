/**
 * Async API: same validation as the sync functions (reported as a rejected promise), work on the
 * libuv thread pool (src/binding.cc).
 */
import {
  assertEncodableLength,
  assertUint8Array,
  assertUint16Array,
  checkDecompressArgs,
  checkDequantizeArgs,
  checkQuantizeArgs,
  quantParams,
} from '@pymecompress/core-ts/internal';
import { binding, callAsync, type NativeAsyncStats, view } from './addon.js';
import { huffmanDecompressBatchAsync } from './batch.js';
import { currentDispatch } from './dispatch.js';

// Calls work in the caller's buffers: inputs are read and a given `out` is written in place by
// a pool thread while the promise is pending (no copies: memory held per call is the result it
// allocates, and only once a pool thread runs it). Do not modify, transfer or detach the buffers
// of a call until it settles; the outcome is unspecified if you do (never a crash). Results that
// cannot be allocated reject with ERR_NO_MEMORY. Concurrency: at most UV_THREADPOOL_SIZE calls
// (default 4) run at once, the rest wait in libuv's queue holding only references.

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
  checkDecompressArgs(stream, outSize, out);
  const r = await callAsync(() => binding.huffmanDecompressAsync(stream, outSize, out));
  return out !== undefined ? view(out, outSize) : (r as Uint8Array);
}

export async function quantizeAsync(
  data: Uint16Array,
  offset: number,
  scale: number,
  out?: Uint8Array,
): Promise<Uint8Array> {
  const { offset32, scale32 } = checkQuantizeArgs(data, offset, scale, out);
  const r = await callAsync(() =>
    binding.quantizeAsync(data, offset32, scale32, currentDispatch(), out),
  );
  return out !== undefined ? view(out, data.length) : (r as Uint8Array);
}

export async function dequantizeAsync(
  q: Uint8Array,
  offset: number,
  scale: number,
  out?: Uint16Array,
): Promise<Uint16Array> {
  const { offset32, scale32 } = checkDequantizeArgs(q, offset, scale, out);
  const r = await callAsync(() =>
    binding.dequantizeAsync(q, offset32, scale32, currentDispatch(), out),
  );
  return out !== undefined ? view(out, q.length) : (r as Uint16Array);
}

export async function huffmanCompressQuantAsync(
  data: Uint16Array,
  offset: number,
  scale: number,
): Promise<Uint8Array> {
  assertUint16Array(data, 'data');
  const { offset32, scale32 } = quantParams(offset, scale);
  return callAsync(() =>
    binding.huffmanCompressQuantAsync(data, offset32, scale32, currentDispatch()),
  );
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

export function nativeAsyncStats(): NativeAsyncStats {
  return binding.asyncStats();
}
