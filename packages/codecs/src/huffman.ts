/**
 * `pymecompress-huffman`: numcodecs-compatible Huffman codec (config `{"id": "pymecompress-huffman"}`).
 *
 * Wire format: BCL Huffman stream of the chunk's bytes, then a little-endian uint32 trailer.
 * - We write the **byte** count in the trailer (so zarr-python reads our multi-byte arrays).
 * - Python writes `len(buffer) / itemsize`, the **element** count. When the decoded chunk size is
 *   known (from zarrita's chunk metadata, `fromConfig` meta, an explicit `dtype` + `chunkShape`,
 *   or an `out` buffer), a trailer equal to the chunk's byte length is read as bytes, and a
 *   trailer equal to byte length / item size (item size > 1) as an element count; the stream
 *   then still carries every byte of the chunk, so the whole chunk is recovered. Anything else
 *   is refused. Without a known chunk size the trailer is a byte count, as in Python.
 */
import type { Backend } from '@pymecompress/core-ts';
import { MAX_SIZE, pymecompressError } from '@pymecompress/core-ts/internal';
import { type BackendOption, getAsyncBackend, getBackend } from './backend.js';
import { asBytes, type ChunkLayout, type ChunkMeta, chunkLayout } from './dtype.js';
import { checkSymbolCount, splitTrailer, withTrailer } from './trailer.js';

/** How the decoder interprets the trailer. */
export type TrailerMode = 'auto' | 'bytes' | 'elements';

export interface HuffmanConfig {
  id: 'pymecompress-huffman';
}

export interface HuffmanOptions {
  /** `'auto'` (default), `'native'`, `'core-ts'` or a `Backend`. */
  backend?: BackendOption;
  /** Element dtype of the chunks (`'uint16'`, `'<u2'`, ...), when no chunk metadata is given. */
  dtype?: string;
  /** Chunk shape, when no chunk metadata is given. */
  chunkShape?: readonly number[];
  /** Decoder: `'auto'` (see module docs), `'bytes'` or `'elements'` (trailer × item size). */
  trailer?: TrailerMode;
  /** Encoder: write the byte count (default) or, like Python, the element count. */
  encodeTrailer?: 'bytes' | 'elements';
}

const ID = 'pymecompress-huffman' as const;

export class Huffman {
  static readonly codecId = ID;
  /** For zarrita's codec pipeline: a numcodecs compressor is bytes to bytes. */
  readonly kind = 'bytes_to_bytes' as const;
  readonly #backend: Backend;
  readonly #layout: ChunkLayout;
  readonly #trailer: TrailerMode;
  readonly #encodeTrailer: 'bytes' | 'elements';

  constructor(options: HuffmanOptions = {}, meta?: ChunkMeta) {
    this.#backend = getBackend(options.backend);
    this.#layout = chunkLayout(meta, options);
    this.#trailer = options.trailer ?? 'auto';
    this.#encodeTrailer = options.encodeTrailer ?? 'bytes';
    if (!['auto', 'bytes', 'elements'].includes(this.#trailer)) {
      throw pymecompressError(
        'ERR_INVALID_ARGUMENT',
        `${ID}: trailer must be auto, bytes or elements`,
      );
    }
    if (!['bytes', 'elements'].includes(this.#encodeTrailer)) {
      throw pymecompressError(
        'ERR_INVALID_ARGUMENT',
        `${ID}: encodeTrailer must be bytes or elements`,
      );
    }
  }

  /** numcodecs / zarrita entry point: `config` is the Python config, `meta` zarrita's chunk metadata. */
  static fromConfig(
    config?: Partial<HuffmanConfig> | Record<string, unknown>,
    meta?: ChunkMeta,
    options?: HuffmanOptions,
  ): Huffman {
    // Same rule as HuffmanQuant16.fromConfig: a config, when given, is a JSON object.
    if (
      config !== undefined &&
      (typeof config !== 'object' || config === null || Array.isArray(config))
    ) {
      throw pymecompressError(
        'ERR_INVALID_ARGUMENT',
        `${ID}: config must be an object, got ${config === null ? 'null' : Array.isArray(config) ? 'an array' : typeof config}`,
      );
    }
    if (config !== undefined && 'id' in config) {
      const id = String((config as { id: unknown }).id);
      if (id !== ID && id !== `numcodecs.${ID}`) {
        throw pymecompressError(
          'ERR_INVALID_ARGUMENT',
          `${ID}: config id is ${JSON.stringify(id)}`,
        );
      }
    }
    return new Huffman(options, meta);
  }

  /** The backend this codec runs on. */
  get backend(): Backend {
    return this.#backend;
  }

  /** The exact Python config. */
  toJSON(): HuffmanConfig {
    return { id: ID };
  }

  getConfig(): HuffmanConfig {
    return this.toJSON();
  }

  #trailerFor(bytes: Uint8Array): number {
    if (this.#encodeTrailer === 'bytes') return bytes.length;
    const s = this.#layout.itemSize;
    if (bytes.length % s !== 0) {
      throw pymecompressError(
        'ERR_INVALID_ARGUMENT',
        `${ID}: ${bytes.length} bytes is not a whole number of ${s}-byte elements`,
      );
    }
    return bytes.length / s;
  }

  encodeSync(data: ArrayBufferView | ArrayBuffer): Uint8Array {
    const bytes = asBytes(data);
    if (bytes.length > MAX_SIZE) {
      throw pymecompressError(
        'ERR_INPUT_TOO_LARGE',
        `${ID}: input of ${bytes.length} bytes exceeds 2^32 - 1`,
      );
    }
    return withTrailer(this.#backend.huffmanCompress(bytes), this.#trailerFor(bytes));
  }

  async encode(data: ArrayBufferView | ArrayBuffer): Promise<Uint8Array> {
    const fn = getAsyncBackend(this.#backend)?.huffmanCompressAsync;
    if (!fn) return this.encodeSync(data);
    const bytes = asBytes(data);
    if (bytes.length > MAX_SIZE) {
      throw pymecompressError(
        'ERR_INPUT_TOO_LARGE',
        `${ID}: input of ${bytes.length} bytes exceeds 2^32 - 1`,
      );
    }
    return withTrailer(await fn(bytes), this.#trailerFor(bytes));
  }

  /** Validates the trailer and works out how many bytes to decode (before any allocation). */
  #plan(
    data: Uint8Array,
    out?: ArrayBufferView,
  ): { stream: Uint8Array; size: number; target?: Uint8Array } {
    const { stream, trailer } = splitTrailer(data, ID);
    const target = out === undefined ? undefined : asBytes(out);
    const itemSize =
      out !== undefined && !this.#layout.itemSizeKnown
        ? ((out as { BYTES_PER_ELEMENT?: number }).BYTES_PER_ELEMENT ?? 1)
        : this.#layout.itemSize;
    const expected = target?.byteLength ?? this.#layout.chunkBytes;
    let size: number;
    if (this.#trailer === 'bytes') size = trailer;
    else if (this.#trailer === 'elements') size = trailer * itemSize;
    else if (expected === undefined || trailer === expected) size = trailer;
    else if (itemSize > 1 && trailer * itemSize === expected) size = expected;
    else {
      throw pymecompressError(
        target ? 'ERR_INVALID_ARGUMENT' : 'ERR_CORRUPT_STREAM',
        `${ID}: trailer ${trailer} matches neither the ${target ? '`out` buffer' : 'chunk'}'s ${expected} bytes nor its ${expected / itemSize} ${itemSize}-byte elements`,
      );
    }
    checkSymbolCount(size, stream.length, ID);
    if (target !== undefined && target.byteLength !== size) {
      throw pymecompressError(
        'ERR_INVALID_ARGUMENT',
        `${ID}: \`out\` holds ${target.byteLength} bytes, the chunk decodes to ${size}`,
      );
    }
    return target === undefined ? { stream, size } : { stream, size, target };
  }

  /** Decodes a chunk; returns `out` (as bytes) when given, else a fresh Uint8Array. */
  decodeSync(data: Uint8Array, out?: ArrayBufferView): Uint8Array {
    const { stream, size, target } = this.#plan(data, out);
    return this.#backend.huffmanDecompress(stream, size, target);
  }

  async decode(data: Uint8Array, out?: ArrayBufferView): Promise<Uint8Array> {
    const fn = getAsyncBackend(this.#backend)?.huffmanDecompressAsync;
    if (!fn) return this.decodeSync(data, out);
    const { stream, size, target } = this.#plan(data, out);
    return fn(stream, size, target);
  }
}
