/** The numcodecs wire format shared by both codecs: `stream || uint32 LE trailer`. */

import {
  MAX_SIZE,
  maxSymbols,
  pymecompressError,
  symbolsFit,
} from '@pymecompress/core-ts/internal';
import { readU32LE, writeU32LE } from './dtype.js';

export const TRAILER_BYTES = 4;
/** @deprecated internal alias of core-ts's `MAX_SIZE` (2^32 − 1). */
export const MAX_U32 = MAX_SIZE;

export function splitTrailer(
  data: Uint8Array,
  codecId: string,
): { stream: Uint8Array; trailer: number } {
  if (!(data instanceof Uint8Array)) {
    throw pymecompressError('ERR_INVALID_ARGUMENT', `${codecId}: decode expects a Uint8Array`);
  }
  if (data.length < TRAILER_BYTES) {
    throw pymecompressError(
      'ERR_TRUNCATED_STREAM',
      `${codecId}: encoded chunk is ${data.length} bytes, shorter than its 4-byte length trailer`,
    );
  }
  const end = data.length - TRAILER_BYTES;
  return { stream: data.subarray(0, end), trailer: readU32LE(data, end) };
}

export function withTrailer(stream: Uint8Array, trailer: number): Uint8Array {
  const out = new Uint8Array(stream.length + TRAILER_BYTES);
  out.set(stream, 0);
  writeU32LE(out, stream.length, trailer);
  return out;
}

/**
 * Refuses, before anything is allocated, a symbol count no stream of this length can carry
 * (core-ts `symbolsFit`, docs/FORMAT.md §1.5).
 */
export function checkSymbolCount(symbols: number, streamLength: number, codecId: string): void {
  if (symbols > MAX_SIZE) {
    throw pymecompressError(
      'ERR_OUTPUT_TOO_LARGE',
      `${codecId}: ${symbols} symbols exceed 2^32 - 1`,
    );
  }
  if (!symbolsFit(symbols, streamLength)) {
    throw pymecompressError(
      'ERR_OUTPUT_TOO_LARGE',
      `${codecId}: trailer asks for ${symbols} symbols but a ${streamLength}-byte stream holds at most ${maxSymbols(streamLength)}`,
    );
  }
}
