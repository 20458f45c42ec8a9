/**
 * The one Zarr v2 metadata writer (docs/FORMAT.md "Zarr v2 arrays" and "OME-Zarr output"): the
 * `.zarray`, `.zattrs` and `.zgroup` documents and the chunk key of a chunk index. Both
 * `writeZarrV2` (`@pymecompress/codecs/zarr`) and the CLI's `.zarr` / `.ome.zarr` outputs build
 * their metadata here, so the JSON they write cannot drift apart. No zarrita import: this module
 * is re-exported from the root entry, which the CLI uses without the zarrita peer.
 */
import { codecsError } from './errors.js';

/** The two chunk-key separators Zarr v2 defines (`.zarray` `dimension_separator`). */
export type DimensionSeparator = '.' | '/';

export type ZarrTypedArray =
  | Uint8Array
  | Int8Array
  | Uint16Array
  | Int16Array
  | Uint32Array
  | Int32Array
  | Float32Array
  | Float64Array;

/** The little-endian numpy / Zarr v2 spelling of each element type our writers produce. */
const V2_DTYPES = {
  uint8: '|u1',
  int8: '|i1',
  uint16: '<u2',
  int16: '<i2',
  uint32: '<u4',
  int32: '<i4',
  float32: '<f4',
  float64: '<f8',
} as const;

export type ZarrV2DtypeName = keyof typeof V2_DTYPES;

/** numpy / Zarr v2 dtype string (little-endian) of a typed array or of a type name (`'uint16'`). */
export function v2Dtype(data: ZarrTypedArray | ZarrV2DtypeName): string {
  if (typeof data === 'string') {
    if (Object.hasOwn(V2_DTYPES, data)) return V2_DTYPES[data];
    throw codecsError('ERR_INVALID_ARGUMENT', `unsupported dtype ${String(data)} for a Zarr array`);
  }
  if (data instanceof Uint8Array) return V2_DTYPES.uint8;
  if (data instanceof Int8Array) return V2_DTYPES.int8;
  if (data instanceof Uint16Array) return V2_DTYPES.uint16;
  if (data instanceof Int16Array) return V2_DTYPES.int16;
  if (data instanceof Uint32Array) return V2_DTYPES.uint32;
  if (data instanceof Int32Array) return V2_DTYPES.int32;
  if (data instanceof Float32Array) return V2_DTYPES.float32;
  if (data instanceof Float64Array) return V2_DTYPES.float64;
  throw codecsError('ERR_INVALID_ARGUMENT', 'unsupported typed array for a Zarr array');
}

/** Metadata file names of a Zarr v2 hierarchy. */
export const ZARR_V2_KEYS = Object.freeze({
  array: '.zarray',
  attributes: '.zattrs',
  group: '.zgroup',
});

/** What goes into a `.zarray` (C order, no filters: the only layout our writers produce). */
export interface ZarrV2ArrayMetaOptions {
  shape: readonly number[];
  /** Chunk shape, same rank as `shape`. */
  chunks: readonly number[];
  /** numpy dtype string, e.g. `<u2` (see `v2Dtype`). */
  dtype: string;
  /** The numcodecs config of the compressor, e.g. `{ id: 'pymecompress-huffman' }`. */
  compressor: { readonly id: string };
  fillValue?: number;
  /** Default `'.'` (zarr-python 2's default); OME-Zarr writers use `'/'`. */
  dimensionSeparator?: DimensionSeparator;
}

/** The `.zarray` document, with the keys in zarr-python's (sorted) order. */
export interface ZarrV2ArrayMeta {
  chunks: number[];
  compressor: { id: string; [key: string]: unknown };
  dimension_separator: DimensionSeparator;
  dtype: string;
  fill_value: number;
  filters: null;
  order: 'C';
  shape: number[];
  zarr_format: 2;
}

/**
 * Checks a shape/chunks pair and returns the `.zarray` document. Every dimension is a
 * non-negative safe integer, every chunk extent a positive one, and the ranks match.
 */
export function zarrV2ArrayMeta(o: ZarrV2ArrayMetaOptions): ZarrV2ArrayMeta {
  const rank = o.shape.length;
  if (rank === 0 || o.chunks.length !== rank) {
    throw codecsError(
      'ERR_INVALID_ARGUMENT',
      'chunks must have the same (non-zero) rank as the array',
    );
  }
  for (let i = 0; i < rank; i++) {
    if (!Number.isSafeInteger(o.shape[i]) || o.shape[i]! < 0)
      throw codecsError('ERR_INVALID_ARGUMENT', 'invalid shape');
    if (!Number.isSafeInteger(o.chunks[i]) || o.chunks[i]! < 1)
      throw codecsError('ERR_INVALID_ARGUMENT', 'invalid chunk shape');
  }
  const sep = o.dimensionSeparator ?? '.';
  if (sep !== '.' && sep !== '/')
    throw codecsError('ERR_INVALID_ARGUMENT', "dimension separator must be '.' or '/'");
  const fill = o.fillValue ?? 0;
  if (!Number.isFinite(fill)) throw codecsError('ERR_INVALID_ARGUMENT', 'invalid fill value');
  return {
    chunks: [...o.chunks],
    compressor: { ...o.compressor },
    dimension_separator: sep,
    dtype: o.dtype,
    fill_value: fill,
    filters: null,
    order: 'C',
    shape: [...o.shape],
    zarr_format: 2,
  };
}

/** The `.zgroup` document. */
export function zarrV2GroupMeta(): { zarr_format: 2 } {
  return { zarr_format: 2 };
}

const enc = new TextEncoder();

/**
 * The bytes of a Zarr v2 metadata document (`.zarray`, `.zattrs`, `.zgroup`): UTF-8 JSON indented
 * by 4 spaces, as zarr-python writes it, with a final newline.
 */
export function zarrV2Json(doc: unknown): Uint8Array {
  return enc.encode(`${JSON.stringify(doc, null, 4)}\n`);
}

/** Grid of chunks along each axis: `ceil(shape / chunks)`. */
export function zarrV2ChunkGrid(shape: readonly number[], chunks: readonly number[]): number[] {
  return shape.map((s, i) => Math.ceil(s / chunks[i]!));
}

/**
 * The key of chunk `index` (one integer per axis) below its array: the indices joined by the
 * array's `dimension_separator` (`0.3.1`, or `0/3/1` as a nested path).
 */
export function zarrV2ChunkKey(
  index: readonly number[],
  separator: DimensionSeparator = '.',
): string {
  if (index.length === 0) throw codecsError('ERR_INVALID_ARGUMENT', 'empty chunk index');
  for (const i of index)
    if (!Number.isSafeInteger(i) || i < 0)
      throw codecsError('ERR_INVALID_ARGUMENT', 'invalid chunk index');
  return index.join(separator);
}
