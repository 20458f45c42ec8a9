/**
 * TIFF strip/tile decompression with the output bounded by the size the IFD declares for the
 * segment: a segment that decodes to more is refused (a decompression bomb), never allocated.
 * Supported: none (1), LZW (5), Deflate (8, 32946), PackBits (32773); predictor 2.
 */
import { inflateSync } from 'node:zlib';

export class SegmentError extends Error {}

export const COMPRESSIONS: Record<number, string> = {
  1: 'none',
  5: 'LZW',
  8: 'Deflate',
  32946: 'Deflate',
  32773: 'PackBits',
};

/** Decodes `src` into exactly `expected` bytes (a shorter result is zero-padded, as libtiff). */
export function decodeSegment(compression: number, src: Uint8Array, expected: number): Uint8Array {
  switch (compression) {
    case 1:
      if (src.length < expected)
        throw new SegmentError(`holds ${src.length} bytes, the page needs ${expected}`);
      return src.subarray(0, expected);
    case 5:
      return lzw(src, expected);
    case 8:
    case 32946: {
      let out: Buffer;
      try {
        out = inflateSync(src, { maxOutputLength: Math.max(1, expected) });
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code === 'ERR_BUFFER_TOO_LARGE')
          throw new SegmentError(
            `decompresses to more than the ${expected} bytes it declares (a decompression bomb)`,
          );
        throw new SegmentError(`Deflate data is corrupt (${(err as Error).message})`);
      }
      return pad(new Uint8Array(out.buffer, out.byteOffset, out.byteLength), expected);
    }
    case 32773:
      return packBits(src, expected);
    default:
      throw new SegmentError(
        `compression ${compression} is not supported (none, LZW, Deflate, PackBits)`,
      );
  }
}

function pad(b: Uint8Array, expected: number): Uint8Array {
  if (b.length === expected) return b;
  const out = new Uint8Array(expected);
  out.set(b);
  return out;
}

function tooBig(expected: number): never {
  throw new SegmentError(
    `decompresses to more than the ${expected} bytes it declares (a decompression bomb)`,
  );
}

/** TIFF LZW (MSB-first codes, 9-12 bits, early change). Work is bounded by input + output. */
function lzw(src: Uint8Array, expected: number): Uint8Array {
  if (src.length >= 2 && src[0] === 0 && src[1]! & 1)
    throw new SegmentError('old-style (LSB-first) LZW is not supported');
  const out = new Uint8Array(expected);
  const prefix = new Int16Array(4096);
  const suffix = new Uint8Array(4096);
  const first = new Uint8Array(4096);
  const len = new Uint16Array(4096);
  for (let i = 0; i < 256; i++) {
    prefix[i] = -1;
    suffix[i] = i;
    first[i] = i;
    len[i] = 1;
  }
  let next = 258;
  let width = 9;
  let old = -1;
  let pos = 0;
  let bitBuf = 0;
  let bits = 0;
  let p = 0;
  const emit = (code: number): void => {
    const n = len[code]!;
    if (pos + n > expected) tooBig(expected);
    let c = code;
    for (let k = pos + n - 1; k >= pos; k--) {
      out[k] = suffix[c]!;
      c = prefix[c]!;
    }
    pos += n;
  };
  for (;;) {
    while (bits < width && p < src.length) {
      bitBuf = ((bitBuf << 8) | src[p++]!) >>> 0;
      bits += 8;
    }
    if (bits < width) break; // end of data without EOI: accepted, as libtiff does
    const code = (bitBuf >>> (bits - width)) & ((1 << width) - 1);
    bits -= width;
    bitBuf &= (1 << bits) - 1;
    if (code === 257) break;
    if (code === 256) {
      next = 258;
      width = 9;
      old = -1;
      continue;
    }
    if (old === -1) {
      if (code > 255) throw new SegmentError(`LZW code ${code} before any table entry`);
      emit(code);
      old = code;
      continue;
    }
    let add: number;
    if (code < next) add = first[code]!;
    else if (code === next && next < 4096)
      add = first[old]!; // KwKwK: defined by this step
    else throw new SegmentError(`LZW code ${code} is not in the table (next ${next})`);
    if (next < 4096) {
      prefix[next] = old;
      suffix[next] = add;
      first[next] = first[old]!;
      len[next] = len[old]! + 1;
      next++;
    }
    emit(code);
    old = code;
    if (next >= (1 << width) - 1 && width < 12) width++;
  }
  return out;
}

/** PackBits run-length decoding into at most `expected` bytes. */
function packBits(src: Uint8Array, expected: number): Uint8Array {
  const out = new Uint8Array(expected);
  let pos = 0;
  let p = 0;
  while (p < src.length && pos < expected) {
    const n = (src[p++]! << 24) >> 24;
    if (n >= 0) {
      if (pos + n + 1 > expected) tooBig(expected);
      if (p + n + 1 > src.length) throw new SegmentError('PackBits literal runs past the segment');
      out.set(src.subarray(p, p + n + 1), pos);
      p += n + 1;
      pos += n + 1;
    } else if (n !== -128) {
      if (pos + 1 - n > expected) tooBig(expected);
      if (p >= src.length) throw new SegmentError('PackBits run is missing its byte');
      out.fill(src[p++]!, pos, pos + 1 - n);
      pos += 1 - n;
    }
  }
  return out;
}

/** Undoes horizontal differencing (predictor 2) on rows of `width` samples, in place. */
export function undoPredictor(px: Uint8Array | Uint16Array, width: number): void {
  const mask = px instanceof Uint8Array ? 0xff : 0xffff;
  for (let row = 0; row + width <= px.length; row += width) {
    for (let i = row + 1; i < row + width; i++) px[i] = (px[i]! + px[i - 1]!) & mask;
  }
}
