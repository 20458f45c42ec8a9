/**
 * The Zarr v3 `crc32c` codec (`{"name": "crc32c"}`, bytes to bytes; docs/FORMAT.md "Zarr v3
 * arrays with our codecs"): encode appends the CRC-32C (Castagnoli, reflected polynomial
 * 0x82F63B78, init and final xor 0xFFFFFFFF) of the bytes as a little-endian uint32; decode
 * checks and strips it.
 *
 * Why our own: zarrita's built-in `crc32c` strips the 4 bytes without checking them and cannot
 * encode, so a flipped byte in a v3 chunk would reach our Huffman decoder (which may decode it to
 * wrong pixels: PZF and Zarr v2 chunks carry no checksum). `register()` installs this one under
 * `crc32c`, so a damaged chunk fails with `ERR_CORRUPT_STREAM` instead.
 */
import { pymecompressError } from '@pymecompress/core-ts/internal';
import { asBytes } from './dtype.js';

/** Slicing-by-4 tables, packed in one Int32Array (4 × 256 entries) built once at load. */
const TABLE = (() => {
  const t = new Int32Array(1024);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1;
    t[n] = c;
  }
  for (let n = 0; n < 256; n++) {
    for (let s = 1; s < 4; s++) {
      const prev = t[(s - 1) * 256 + n]!;
      t[s * 256 + n] = (prev >>> 8) ^ t[prev & 0xff]!;
    }
  }
  return t;
})();

/**
 * CRC-32C of `data` (unsigned). `previous` continues a running checksum: `crc32c(b, crc32c(a))`
 * equals `crc32c(a ++ b)`. Check value: `crc32c('123456789')` is 0xE3069283.
 */
export function crc32c(data: ArrayBufferView | ArrayBuffer, previous = 0): number {
  const b = asBytes(data);
  let c = ~previous;
  let i = 0;
  const n4 = b.length - (b.length % 4);
  for (; i < n4; i += 4) {
    c ^= b[i]! | (b[i + 1]! << 8) | (b[i + 2]! << 16) | (b[i + 3]! << 24);
    c =
      TABLE[768 + (c & 0xff)]! ^
      TABLE[512 + ((c >>> 8) & 0xff)]! ^
      TABLE[256 + ((c >>> 16) & 0xff)]! ^
      TABLE[c >>> 24]!;
  }
  for (; i < b.length; i++) c = TABLE[(c ^ b[i]!) & 0xff]! ^ (c >>> 8);
  return ~c >>> 0;
}

const NAME = 'crc32c' as const;

/** The v3 metadata of the codec, as zarr-python writes it (no `configuration`). */
export interface Crc32cCodecJSON {
  name: 'crc32c';
  configuration?: Record<string, never>;
}

/** zarrita-shaped `crc32c` codec that verifies on decode. */
export class Crc32c {
  static readonly codecName = NAME;
  readonly kind = 'bytes_to_bytes' as const;

  /** zarrita entry point: the configuration is absent or `{}` (zarr v3 spec). */
  static fromConfig(config?: unknown): Crc32c {
    if (
      config !== undefined &&
      config !== null &&
      (typeof config !== 'object' || Array.isArray(config) || Object.keys(config).length > 0)
    ) {
      throw pymecompressError(
        'ERR_INVALID_ARGUMENT',
        `${NAME}: takes no configuration, got ${JSON.stringify(config)}`,
      );
    }
    return new Crc32c();
  }

  toJSON(): Crc32cCodecJSON {
    return { name: NAME };
  }

  encode(data: Uint8Array): Uint8Array {
    const b = asBytes(data);
    const out = new Uint8Array(b.length + 4);
    out.set(b);
    new DataView(out.buffer).setUint32(b.length, crc32c(b), true);
    return out;
  }

  /** Strips and checks the checksum: `ERR_CORRUPT_STREAM` when it does not match. */
  decode(data: Uint8Array): Uint8Array {
    const b = asBytes(data);
    if (b.length < 4) {
      throw pymecompressError(
        'ERR_TRUNCATED_STREAM',
        `${NAME}: a chunk of ${b.length} bytes has no room for its 4-byte checksum`,
      );
    }
    const body = b.subarray(0, b.length - 4);
    const stored = new DataView(b.buffer, b.byteOffset + body.length, 4).getUint32(0, true);
    const actual = crc32c(body);
    if (stored !== actual) {
      throw pymecompressError(
        'ERR_CORRUPT_STREAM',
        `${NAME}: checksum mismatch (stored 0x${stored.toString(16).padStart(8, '0')}, ` +
          `computed 0x${actual.toString(16).padStart(8, '0')}): the chunk is damaged`,
      );
    }
    return body;
  }

  /** Fixed overhead (zarrita asks for it in sharding index pipelines). */
  computeEncodedSize(decodedSize: number): number {
    return decodedSize + 4;
  }
}
