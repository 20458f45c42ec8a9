/**
 * @pymecompress/native: the C core (csrc/) behind node-addon-api, with AVX2 bodies chosen at run
 * time and a portable scalar fallback. Same `Backend` interface, bytes and error codes as
 * @pymecompress/core-ts; arguments are checked with core-ts's own validators so both fail alike.
 */
import type { Backend } from '@pymecompress/core-ts';
import {
  assertEncodableLength,
  assertUint8Array,
  assertUint16Array,
  checkDecompressArgs,
  checkDequantizeArgs,
  checkQuantizeArgs,
  quantParams,
} from '@pymecompress/core-ts/internal';
import { binding, call, view } from './addon.js';
import { huffmanDecompressBatch } from './batch.js';
import { currentDispatch } from './dispatch.js';

export type { Backend } from '@pymecompress/core-ts';
export { PymecompressError } from '@pymecompress/core-ts';
export type { NativeAsyncStats } from './addon.js';
export {
  dequantizeAsync,
  huffmanCompressAsync,
  huffmanCompressQuantAsync,
  huffmanDecompressAsync,
  type NativeAsyncBackend,
  nativeAsyncBackend,
  nativeAsyncStats,
  quantizeAsync,
} from './async.js';
export { huffmanDecompressBatch, huffmanDecompressBatchAsync } from './batch.js';
export {
  type Dispatch,
  type DispatchMode,
  getDispatch,
  hasAvx2,
  hasAvx512,
  setDispatch,
} from './dispatch.js';

// ---------------------------------------------------------------------------------------------
// Sync API
// ---------------------------------------------------------------------------------------------

/** Huffman-codes `data` into a raw BCL stream (no trailer), byte-identical to core-ts. */
export function huffmanCompress(data: Uint8Array): Uint8Array {
  assertUint8Array(data, 'data');
  assertEncodableLength(data.length);
  return call(() => binding.huffmanCompress(data));
}

// The signatures are the Backend interface's (core-ts backend.ts), the argument rules core-ts's
// (check*Args); each call writes into the caller's `out` (the binding then returns undefined and
// the result is the view) or into a result the binding allocates.

/** Decodes exactly `outSize` symbols; into `out` (result `out.subarray(0, outSize)`) if given. */
export const huffmanDecompress: Backend['huffmanDecompress'] = (stream, outSize, out) => {
  checkDecompressArgs(stream, outSize, out);
  const r = call(() => binding.huffmanDecompress(stream, outSize, out));
  return out !== undefined ? view(out, outSize) : (r as Uint8Array);
};

/** The exact float32 sqrt quantizer (saturating at 255, 0 below `offset`). */
export const quantize: Backend['quantize'] = (data, offset, scale, out) => {
  const { offset32, scale32 } = checkQuantizeArgs(data, offset, scale, out);
  const r = call(() => binding.quantize(data, offset32, scale32, out, currentDispatch()));
  return out !== undefined ? view(out, data.length) : (r as Uint8Array);
};

/** PYME's PZF dequantization, `(float32(q) * scale)^2 + offset` in float32, truncated, clamped. */
export const dequantize: Backend['dequantize'] = (q, offset, scale, out) => {
  const { offset32, scale32 } = checkDequantizeArgs(q, offset, scale, out);
  const r = call(() => binding.dequantize(q, offset32, scale32, out, currentDispatch()));
  return out !== undefined ? view(out, q.length) : (r as Uint16Array);
};

/** `huffmanCompress(quantize(data, offset, scale))`, fused (quantize + histogram per block). */
export function huffmanCompressQuant(data: Uint16Array, offset: number, scale: number): Uint8Array {
  assertUint16Array(data, 'data');
  const { offset32, scale32 } = quantParams(offset, scale);
  return call(() => binding.huffmanCompressQuant(data, offset32, scale32, currentDispatch()));
}

/** The native implementation of core-ts's `Backend` interface. */
export const nativeBackend: Backend = Object.freeze({
  kind: 'native',
  huffmanCompress,
  huffmanDecompress,
  quantize,
  dequantize,
  huffmanCompressQuant,
  huffmanDecompressBatch,
});

/** `n + 321` bytes (0 for empty input): no stream for `n` input bytes is longer (core-ts's rule). */
export { maxCompressedSize } from '@pymecompress/core-ts/internal';
