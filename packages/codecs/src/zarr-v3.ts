/**
 * Zarr v3 (docs/FORMAT.md "Zarr v3 arrays with our codecs"): the one home of the names our codecs
 * carry in a v3 `zarr.json`, spelled as zarr-python 3 spells a numcodecs codec
 * (`zarr.codecs.numcodecs`, formerly `numcodecs.zarr3`): `{"name": "numcodecs.<id>",
 * "configuration": <numcodecs config without "id">}`, a bytes-to-bytes codec after
 * `{"name": "bytes", "configuration": {"endian": "little"}}` (zarr-python drops the
 * `configuration` of `bytes` for 1-byte types), then optionally `{"name": "crc32c"}`.
 *
 * - `zarrV3Codecs(codec, options)` gives that codec list for `zarr.create` (zarrita 0.5 and 0.7).
 * - `registerZarrV3(registry)` (called by `register()`) installs our checking `crc32c` over
 *   zarrita's, which strips the checksum unchecked and cannot encode; the `numcodecs.<id>` names a
 *   v3 array looks up are the ones `register()` already installs for v2.
 */
import { Crc32c } from './crc32c.js';
import { itemSizeOf } from './dtype.js';
import { codecsError } from './errors.js';
import { Huffman } from './huffman.js';
import { PymePzf } from './pyme-pzf.js';
import { HuffmanQuant16 } from './quant16.js';

/** zarr-python 3's prefix for a numcodecs codec in v3 metadata. */
export const ZARR_V3_NUMCODECS_PREFIX = 'numcodecs.';

/** One entry of a v3 `codecs` list. */
export interface ZarrV3CodecMetadata {
  name: string;
  configuration?: Record<string, unknown>;
}

export interface ZarrV3CodecsOptions {
  /**
   * Append `crc32c` (default `true`): every chunk then carries a CRC-32C, and a changed byte
   * fails the read with `ERR_CORRUPT_STREAM` (after `register()`) instead of decoding to wrong
   * pixels.
   */
  crc32c?: boolean;
  /**
   * The array's data type (`'uint16'`, ...). For 1-byte types the `bytes` codec is written
   * without `configuration`, exactly as zarr-python does; otherwise (and when absent) with
   * `{"endian": "little"}`, which every reader accepts.
   */
  dataType?: string;
}

/** The v3 name of one of our codecs (`numcodecs.pymecompress-huffman`, ...). */
export function zarrV3CodecName(codec: Huffman | HuffmanQuant16 | PymePzf): string {
  return `${ZARR_V3_NUMCODECS_PREFIX}${idOf(codec)}`;
}

function idOf(codec: Huffman | HuffmanQuant16 | PymePzf): string {
  if (codec instanceof Huffman) return Huffman.codecId;
  if (codec instanceof HuffmanQuant16) return HuffmanQuant16.codecId;
  if (codec instanceof PymePzf) return PymePzf.codecId;
  throw codecsError(
    'ERR_INVALID_ARGUMENT',
    'zarrV3Codecs: codec must be a Huffman, HuffmanQuant16 or PymePzf instance',
  );
}

/**
 * The v3 `codecs` list for an array compressed by `codec`, as zarr-python 3 writes it:
 * `bytes` (little-endian), `numcodecs.<id>` with the numcodecs config minus `id`, then `crc32c`
 * unless `crc32c: false`.
 *
 * ```ts
 * const arr = await zarr.create(root.resolve('img'), {
 *   shape: [512, 512], chunkShape: [256, 256], dtype: 'uint16',
 *   codecs: zarrV3Codecs(new Huffman(), { dataType: 'uint16' }),
 * });
 * ```
 */
export function zarrV3Codecs(
  codec: Huffman | HuffmanQuant16 | PymePzf,
  options: ZarrV3CodecsOptions = {},
): ZarrV3CodecMetadata[] {
  const name = zarrV3CodecName(codec);
  const { id: _id, ...configuration } = codec.toJSON() as { id: string } & Record<string, unknown>;
  const dataType = options.dataType;
  if (dataType !== undefined && itemSizeOf(dataType) === undefined) {
    throw codecsError(
      'ERR_INVALID_ARGUMENT',
      `zarrV3Codecs: unknown dataType ${JSON.stringify(dataType)}`,
    );
  }
  const bytes: ZarrV3CodecMetadata =
    dataType !== undefined && itemSizeOf(dataType) === 1
      ? { name: 'bytes' }
      : { name: 'bytes', configuration: { endian: 'little' } };
  const list: ZarrV3CodecMetadata[] = [bytes, { name, configuration }];
  if (options.crc32c ?? true) list.push(new Crc32c().toJSON());
  return list;
}

/** The names `registerZarrV3` sets (appended to `REGISTERED_NAMES`). */
export const ZARR_V3_REGISTERED_NAMES: readonly string[] = [Crc32c.codecName];

export interface CodecRegistryV3Like {
  // biome-ignore lint/suspicious/noExplicitAny: zarrita's entry type is not exported
  set(name: string, loader: () => Promise<any>): unknown;
}

/** Installs our checking `crc32c` codec in `registry` (called by `register()`). */
export function registerZarrV3(registry: CodecRegistryV3Like): void {
  const entry = {
    kind: 'bytes_to_bytes' as const,
    fromConfig: (c: unknown) => Crc32c.fromConfig(c),
  };
  registry.set(Crc32c.codecName, async () => entry);
}
