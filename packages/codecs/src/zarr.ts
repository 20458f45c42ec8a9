/**
 * zarrita.js integration (`@pymecompress/codecs/zarr`; needs the `zarrita` peer dependency).
 *
 * - `register()` adds the three codecs (huffman, quant16, pyme-pzf) to zarrita's codec registry, under `numcodecs.<id>` (the name
 *   zarrita gives a Zarr v2 `compressor` or a numcodecs codec in v3 metadata) and the bare id.
 * - Zarr v3 (`zarr-v3.ts`): `register()` also installs a checking `crc32c`; `zarrV3Codecs()` gives
 *   the v3 codec list for `zarr.create`.
 * - `writeZarrV2()` writes a whole Zarr v2 array (`.zarray`, optional `.zattrs`, chunks) into any
 *   store with `set(key, bytes)`: zarrita 0.7 only creates v3 arrays. Its metadata and chunk keys
 *   come from `zarr-v2.ts` (re-exported here and from the root entry), the one Zarr v2 metadata
 *   writer the CLI uses too; `ngff.ts` builds OME-NGFF 0.4 `multiscales`.
 */
import { registry as zarritaRegistry } from 'zarrita';
import type { BackendOption } from './backend.js';
import type { ChunkMeta } from './dtype.js';
import { codecsError } from './errors.js';
import { Huffman, type TrailerMode } from './huffman.js';
import { PymePzf } from './pyme-pzf.js';
import { type Dequantization, HuffmanQuant16 } from './quant16.js';
import {
  type DimensionSeparator,
  v2Dtype,
  ZARR_V2_KEYS,
  type ZarrTypedArray,
  zarrV2ArrayMeta,
  zarrV2ChunkGrid,
  zarrV2ChunkKey,
  zarrV2Json,
} from './zarr-v2.js';
import { registerZarrV3, ZARR_V3_REGISTERED_NAMES } from './zarr-v3.js';

export { Crc32c, type Crc32cCodecJSON, crc32c } from './crc32c.js';
export * from './ngff.js';
export {
  PYME_DEFAULT_KEY_SCHEMA,
  type PyramidStore,
  type PyramidStoreOptions,
  pymePyramidStore,
  type ReadableStoreLike,
} from './pyramid-store.js';
export * from './zarr-v2.js';
export {
  ZARR_V3_NUMCODECS_PREFIX,
  type ZarrV3CodecMetadata,
  type ZarrV3CodecsOptions,
  zarrV3CodecName,
  zarrV3Codecs,
} from './zarr-v3.js';

export interface RegisterOptions {
  backend?: BackendOption;
  /** For `pymecompress-quant16`: `'pyme'` (default) or `'numcodecs'` dequantization. */
  dequantization?: Dequantization;
  /** Trailer interpretation for both codecs (default `'auto'`). */
  trailer?: TrailerMode;
}

/** What zarrita's registry stores: an async loader of `{ fromConfig, kind }`. */
export interface CodecRegistryEntry {
  fromConfig(config: unknown, meta: ChunkMeta): Huffman | HuffmanQuant16 | PymePzf;
  kind: 'bytes_to_bytes';
}

export interface CodecRegistryLike {
  // biome-ignore lint/suspicious/noExplicitAny: zarrita's entry type is not exported
  set(name: string, loader: () => Promise<any>): unknown;
}

/** The names `register` uses. */
export const REGISTERED_NAMES: readonly string[] = [
  `numcodecs.${Huffman.codecId}`,
  Huffman.codecId,
  `numcodecs.${HuffmanQuant16.codecId}`,
  HuffmanQuant16.codecId,
  `numcodecs.${PymePzf.codecId}`,
  PymePzf.codecId,
  ...ZARR_V3_REGISTERED_NAMES,
];

/** Registers `Huffman`, `HuffmanQuant16` and `PymePzf` in `registry` (default: zarrita's `registry`). */
export function register(
  registry: CodecRegistryLike = zarritaRegistry,
  options: RegisterOptions = {},
): void {
  const huffman: CodecRegistryEntry = {
    kind: 'bytes_to_bytes',
    fromConfig: (config, meta) =>
      Huffman.fromConfig(config as Record<string, unknown>, meta, {
        ...(options.backend !== undefined ? { backend: options.backend } : {}),
        ...(options.trailer !== undefined ? { trailer: options.trailer } : {}),
      }),
  };
  const quant16: CodecRegistryEntry = {
    kind: 'bytes_to_bytes',
    fromConfig: (config, meta) =>
      HuffmanQuant16.fromConfig(config as Record<string, unknown>, meta, {
        ...(options.backend !== undefined ? { backend: options.backend } : {}),
        ...(options.trailer !== undefined ? { trailer: options.trailer } : {}),
        ...(options.dequantization !== undefined ? { dequantization: options.dequantization } : {}),
      }),
  };
  const pzf: CodecRegistryEntry = {
    kind: 'bytes_to_bytes',
    fromConfig: (config, meta) =>
      PymePzf.fromConfig(config as Record<string, unknown>, meta, {
        ...(options.backend !== undefined ? { backend: options.backend } : {}),
      }),
  };
  for (const [id, entry] of [
    [Huffman.codecId, huffman],
    [HuffmanQuant16.codecId, quant16],
    [PymePzf.codecId, pzf],
  ] as const) {
    registry.set(`numcodecs.${id}`, async () => entry);
    registry.set(id, async () => entry);
  }
  registerZarrV3(registry); // Zarr v3: our checking crc32c (zarr-v3.ts)
}

export interface WritableStoreLike {
  set(key: string, value: Uint8Array): Promise<void> | void;
}

export interface WriteZarrV2Options {
  /** Chunk shape (same rank as the array). */
  chunks: readonly number[];
  /** A `Huffman` or `HuffmanQuant16` instance (its `toJSON()` becomes the `compressor`). */
  codec: Huffman | HuffmanQuant16;
  /** Path prefix inside the store ('' for the root). */
  path?: string;
  fillValue?: number;
  attributes?: Record<string, unknown>;
  dimensionSeparator?: DimensionSeparator;
}

/** A C-order array. */
export interface NdArray<T extends ZarrTypedArray = ZarrTypedArray> {
  data: T;
  shape: readonly number[];
}

/**
 * Writes `array` as a Zarr v2 array (C order, little-endian, no filters) compressed by `codec`.
 * Edge chunks are padded to the full chunk shape with `fillValue`, as zarr-python does.
 */
export async function writeZarrV2(
  store: WritableStoreLike,
  array: NdArray,
  options: WriteZarrV2Options,
): Promise<void> {
  const { data, shape } = array;
  const { chunks, codec } = options;
  const rank = shape.length;
  const sep = options.dimensionSeparator ?? '.';
  const fillValue = options.fillValue ?? 0;
  const zarray = zarrV2ArrayMeta({
    shape,
    chunks,
    dtype: v2Dtype(data),
    compressor: codec.toJSON(),
    fillValue,
    dimensionSeparator: sep,
  });
  if (shape.reduce((a, b) => a * b, 1) !== data.length)
    throw codecsError('ERR_INVALID_ARGUMENT', 'shape does not match the data length');
  if (codec instanceof HuffmanQuant16 && !(data instanceof Uint16Array)) {
    throw codecsError('ERR_INVALID_ARGUMENT', 'pymecompress-quant16 needs uint16 data');
  }
  const prefix = options.path ? `${options.path.replace(/\/+$/, '')}/` : '';
  await store.set(`${prefix}${ZARR_V2_KEYS.array}`, zarrV2Json(zarray));
  if (options.attributes) {
    await store.set(`${prefix}${ZARR_V2_KEYS.attributes}`, zarrV2Json(options.attributes));
  }
  const grid = zarrV2ChunkGrid(shape, chunks);
  const chunkLen = chunks.reduce((a, b) => a * b, 1);
  const Ctor = data.constructor as new (n: number) => ZarrTypedArray;
  const strides = new Array<number>(rank);
  strides[rank - 1] = 1;
  for (let i = rank - 2; i >= 0; i--) strides[i] = strides[i + 1]! * shape[i + 1]!;
  const cstrides = new Array<number>(rank);
  cstrides[rank - 1] = 1;
  for (let i = rank - 2; i >= 0; i--) cstrides[i] = cstrides[i + 1]! * chunks[i + 1]!;
  if (grid.some((g) => g === 0)) return;
  const idx = new Array<number>(rank).fill(0);
  for (;;) {
    const chunk = new Ctor(chunkLen);
    if (fillValue !== 0) chunk.fill(fillValue as never);
    // Copy the chunk's region row by row (last axis contiguous).
    const ext = idx.map((c, i) => Math.min(chunks[i]!, shape[i]! - c * chunks[i]!));
    const rows = ext.slice(0, -1).reduce((a, b) => a * b, 1);
    const pos = new Array<number>(rank - 1).fill(0);
    for (let r = 0; r < rows; r++) {
      let src = idx[rank - 1]! * chunks[rank - 1]!;
      let dst = 0;
      for (let i = 0; i < rank - 1; i++) {
        src += (idx[i]! * chunks[i]! + pos[i]!) * strides[i]!;
        dst += pos[i]! * cstrides[i]!;
      }
      chunk.set(data.subarray(src, src + ext[rank - 1]!) as never, dst);
      for (let i = rank - 2; i >= 0; i--) {
        if (++pos[i]! < ext[i]!) break;
        pos[i] = 0;
      }
    }
    const bytes = await codec.encode(chunk);
    await store.set(`${prefix}${zarrV2ChunkKey(idx, sep)}`, bytes);
    let i = rank - 1;
    for (; i >= 0; i--) {
      if (++idx[i]! < grid[i]!) break;
      idx[i] = 0;
    }
    if (i < 0) break;
  }
}
