/**
 * Data-type helpers: item sizes for the dtype spellings zarrita (`'uint16'`), zarr v2 / numpy
 * (`'<u2'`, `'|u1'`) and PZF use, and chunk metadata as zarrita passes it to `fromConfig`.
 */
import { LITTLE_ENDIAN } from '@pymecompress/core-ts/internal';
import { codecsError } from './errors.js';

export { LITTLE_ENDIAN };

const NAMED: Record<string, number> = {
  bool: 1,
  int8: 1,
  uint8: 1,
  int16: 2,
  uint16: 2,
  float16: 2,
  int32: 4,
  uint32: 4,
  float32: 4,
  int64: 8,
  uint64: 8,
  float64: 8,
};

/** Item size in bytes of a dtype name, or `undefined` when it is not a fixed-size numeric type. */
export function itemSizeOf(dtype: string): number | undefined {
  if (dtype in NAMED) return NAMED[dtype];
  const m = /^[<>|=]?([biuf])(\d+)$/.exec(dtype);
  if (m) {
    const n = Number(m[2]);
    return n >= 1 && n <= 16 ? n : undefined;
  }
  return undefined;
}

/** The subset of chunk metadata the codecs use (zarrita's, numcodecs.js-style or our own). */
export interface ChunkMeta {
  /** zarrita >= 0.7: `'uint16'` etc. */
  dataType?: string;
  /** zarr v3 metadata spelling. */
  data_type?: string;
  /** numpy / zarr v2 spelling, e.g. `'<u2'`. */
  dtype?: string;
  /** Chunk shape. */
  shape?: readonly number[];
}

export interface ChunkLayout {
  /** Item size in bytes (1 when unknown). */
  itemSize: number;
  /** Whether the item size came from metadata (as opposed to the default of 1). */
  itemSizeKnown: boolean;
  /** Bytes in a whole decoded chunk, when the shape and dtype are known. */
  chunkBytes?: number;
}

/** Works out item size and chunk byte length from chunk metadata and explicit options. */
export function chunkLayout(
  meta: ChunkMeta | undefined,
  opts: { dtype?: string; chunkShape?: readonly number[] } = {},
): ChunkLayout {
  const dtypeName = opts.dtype ?? meta?.dataType ?? meta?.data_type ?? meta?.dtype;
  let itemSize = 1;
  let itemSizeKnown = false;
  if (dtypeName !== undefined) {
    const s = itemSizeOf(String(dtypeName));
    if (s !== undefined) {
      itemSize = s;
      itemSizeKnown = true;
    }
  }
  const shape = opts.chunkShape ?? meta?.shape;
  if (shape !== undefined && itemSizeKnown) {
    let n = itemSize;
    for (const d of shape) {
      if (!Number.isSafeInteger(d) || d < 0) {
        throw codecsError('ERR_INVALID_ARGUMENT', `invalid chunk shape ${JSON.stringify(shape)}`);
      }
      n *= d;
    }
    return { itemSize, itemSizeKnown, chunkBytes: n };
  }
  return { itemSize, itemSizeKnown };
}

/** A Uint8Array over the bytes of any typed array / DataView / ArrayBuffer. */
export function asBytes(data: ArrayBufferView | ArrayBuffer): Uint8Array {
  if (data instanceof Uint8Array) return data;
  if (ArrayBuffer.isView(data))
    return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  throw codecsError('ERR_INVALID_ARGUMENT', 'expected a typed array, DataView or ArrayBuffer');
}

/** Uint16 view of little-endian bytes (copied when misaligned or on a big-endian host). */
export function bytesToUint16(bytes: Uint8Array): Uint16Array {
  if (bytes.byteLength % 2 !== 0) {
    throw codecsError(
      'ERR_INVALID_ARGUMENT',
      `uint16 data needs an even byte length (got ${bytes.byteLength})`,
    );
  }
  const n = bytes.byteLength / 2;
  if (LITTLE_ENDIAN && bytes.byteOffset % 2 === 0)
    return new Uint16Array(bytes.buffer, bytes.byteOffset, n);
  const out = new Uint16Array(n);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i < n; i++) out[i] = dv.getUint16(2 * i, true);
  return out;
}

export function readU32LE(b: Uint8Array, at: number): number {
  return (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16)) + b[at + 3]! * 0x1000000;
}

export function writeU32LE(b: Uint8Array, at: number, v: number): void {
  b[at] = v & 0xff;
  b[at + 1] = (v >>> 8) & 0xff;
  b[at + 2] = (v >>> 16) & 0xff;
  b[at + 3] = (v >>> 24) & 0xff;
}
