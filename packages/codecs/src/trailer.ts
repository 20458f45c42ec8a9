/** The numcodecs wire format shared by both codecs: `stream || uint32 LE trailer`. */

import { readU32LE, writeU32LE } from './dtype.js';
import { codecsError } from './errors.js';

export const TRAILER_BYTES = 4;
export const MAX_U32 = 0xffffffff;

export function splitTrailer(
  data: Uint8Array,
  codecId: string,
): { stream: Uint8Array; trailer: number } {
  if (!(data instanceof Uint8Array)) {
    throw codecsError('ERR_INVALID_ARGUMENT', `${codecId}: decode expects a Uint8Array`);
  }
  if (data.length < TRAILER_BYTES) {
    throw codecsError(
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
 * (a Huffman code needs at least one bit per symbol after a tree of at least 9 bits).
 */
export function checkSymbolCount(symbols: number, streamLength: number, codecId: string): void {
  if (symbols > MAX_U32) {
    throw codecsError('ERR_OUTPUT_TOO_LARGE', `${codecId}: ${symbols} symbols exceed 2^32 - 1`);
  }
  if (symbols > 0 && symbols > 8 * streamLength - 9) {
    throw codecsError(
      'ERR_OUTPUT_TOO_LARGE',
      `${codecId}: trailer asks for ${symbols} symbols but a ${streamLength}-byte stream holds at most ${Math.max(0, 8 * streamLength - 9)}`,
    );
  }
}
