/**
 * `pymecompress-quant16`: numcodecs-compatible sqrt-quantizing codec for uint16 data
 * (config `{"id": "pymecompress-quant16", "offset": 0, "scale": 1}`).
 *
 * Wire format: BCL Huffman stream of the quantized symbols, then a little-endian uint32 trailer
 * holding the element count N. Python's encoder quantizes 2N values (it reads past its input),
 * so its streams carry extra symbols: we always decode exactly N and ignore the rest. When the
 * chunk size is known, a trailer equal to the chunk's *byte* length (what Python writes when fed
 * a uint8 buffer, e.g. by zarr-python 3) is also accepted and N = bytes / 2.
 *
 * Decoding dequantizes as PYME does, `(scale·q)² + offset` in float32, truncated (the backend's
 * `dequantize`); `dequantization: 'numcodecs'` reproduces the Python codec instead,
 * `q²/scale + offset` in float64 then numpy's `astype(uint16)` (x86-64 semantics: truncation,
 * values in [-2^31, 2^31) wrap modulo 2^16, others become 0).
 */
import type { Backend } from '@pymecompress/core-ts';
import { MAX_SIZE, pymecompressError, quantParams } from '@pymecompress/core-ts/internal';
import { type BackendOption, getAsyncBackend, getBackend } from './backend.js';
import {
  asBytes,
  bytesToUint16,
  type ChunkLayout,
  type ChunkMeta,
  chunkLayout,
  LITTLE_ENDIAN,
} from './dtype.js';
import type { TrailerMode } from './huffman.js';
import { checkSymbolCount, splitTrailer, withTrailer } from './trailer.js';

export interface HuffmanQuant16Config {
  id: 'pymecompress-quant16';
  offset: number;
  scale: number;
}

export type Dequantization = 'pyme' | 'numcodecs';

export interface HuffmanQuant16Options {
  offset?: number;
  scale?: number;
  backend?: BackendOption;
  /** `'pyme'` (default): `(scale·q)² + offset`; `'numcodecs'`: Python codec's `q²/scale + offset`. */
  dequantization?: Dequantization;
  /** Chunk dtype / shape when no chunk metadata is given (the dtype must be uint16). */
  dtype?: string;
  chunkShape?: readonly number[];
  /** `'auto'` (default), `'elements'` (trailer = N) or `'bytes'` (trailer = 2N). */
  trailer?: TrailerMode;
}

const ID = 'pymecompress-quant16' as const;

/** numpy's float64 -> uint16 `astype` on x86-64 (via a 32-bit integer conversion). */
export function numpyAstypeUint16(v: number): number {
  if (Number.isNaN(v)) return 0;
  const t = Math.trunc(v);
  if (t < -2147483648 || t >= 2147483648) return 0;
  return t & 0xffff;
}

export class HuffmanQuant16 {
  static readonly codecId = ID;
  readonly kind = 'bytes_to_bytes' as const;
  readonly offset: number;
  readonly scale: number;
  readonly dequantization: Dequantization;
  readonly #backend: Backend;
  readonly #layout: ChunkLayout;
  readonly #trailer: TrailerMode;

  constructor(options: HuffmanQuant16Options = {}, meta?: ChunkMeta) {
    // The one offset/scale rule (core-ts quantParams): what quantize() would reject is rejected
    // here, at construction / fromConfig, not at the first encode.
    this.offset = options.offset ?? 0;
    this.scale = options.scale ?? 1;
    quantParams(this.offset, this.scale, ID);
    this.dequantization = options.dequantization ?? 'pyme';
    if (this.dequantization !== 'pyme' && this.dequantization !== 'numcodecs') {
      throw pymecompressError(
        'ERR_INVALID_ARGUMENT',
        `${ID}: dequantization must be 'pyme' or 'numcodecs'`,
      );
    }
    this.#trailer = options.trailer ?? 'auto';
    if (!['auto', 'bytes', 'elements'].includes(this.#trailer)) {
      throw pymecompressError(
        'ERR_INVALID_ARGUMENT',
        `${ID}: trailer must be auto, bytes or elements`,
      );
    }
    this.#backend = getBackend(options.backend);
    this.#layout = chunkLayout(meta, options);
    if (this.#layout.itemSizeKnown && this.#layout.itemSize !== 2) {
      throw pymecompressError('ERR_INVALID_ARGUMENT', `${ID}: only 16-bit data can be quantized`);
    }
  }

  /** numcodecs / zarrita entry point: Python's config (`offset`, `scale` default to 0 and 1). */
  static fromConfig(
    config: Partial<HuffmanQuant16Config> | Record<string, unknown> = {},
    meta?: ChunkMeta,
    options?: Omit<HuffmanQuant16Options, 'offset' | 'scale'>,
  ): HuffmanQuant16 {
    if (typeof config !== 'object' || config === null || Array.isArray(config)) {
      throw pymecompressError(
        'ERR_INVALID_ARGUMENT',
        `${ID}: config must be an object, got ${config === null ? 'null' : typeof config}`,
      );
    }
    const c = config as Record<string, unknown>;
    if ('id' in c && c.id !== ID && c.id !== `numcodecs.${ID}`) {
      throw pymecompressError(
        'ERR_INVALID_ARGUMENT',
        `${ID}: config id is ${JSON.stringify(c.id)}`,
      );
    }
    return new HuffmanQuant16(
      { ...options, offset: (c.offset ?? 0) as number, scale: (c.scale ?? 1) as number },
      meta,
    );
  }

  get backend(): Backend {
    return this.#backend;
  }

  toJSON(): HuffmanQuant16Config {
    return { id: ID, offset: this.offset, scale: this.scale };
  }

  getConfig(): HuffmanQuant16Config {
    return this.toJSON();
  }

  #input(data: ArrayBufferView | ArrayBuffer): Uint16Array {
    const u16 = data instanceof Uint16Array ? data : bytesToUint16(asBytes(data));
    if (u16.length > MAX_SIZE) {
      throw pymecompressError(
        'ERR_INPUT_TOO_LARGE',
        `${ID}: ${u16.length} elements exceed 2^32 - 1`,
      );
    }
    return u16;
  }

  /** Quantizes and encodes uint16 data (a Uint16Array, or the little-endian bytes of one). */
  encodeSync(data: ArrayBufferView | ArrayBuffer): Uint8Array {
    const u16 = this.#input(data);
    return withTrailer(
      this.#backend.huffmanCompressQuant(u16, this.offset, this.scale),
      u16.length,
    );
  }

  async encode(data: ArrayBufferView | ArrayBuffer): Promise<Uint8Array> {
    const fn = getAsyncBackend(this.#backend)?.huffmanCompressQuantAsync;
    if (!fn) return this.encodeSync(data);
    const u16 = this.#input(data);
    return withTrailer(await fn(u16, this.offset, this.scale), u16.length);
  }

  #plan(data: Uint8Array, out?: ArrayBufferView): { stream: Uint8Array; n: number } {
    const { stream, trailer } = splitTrailer(data, ID);
    const expected = out !== undefined ? asBytes(out).byteLength : this.#layout.chunkBytes;
    let n: number;
    if (this.#trailer === 'elements') n = trailer;
    else if (this.#trailer === 'bytes') n = Math.floor(trailer / 2);
    else if (expected === undefined || 2 * trailer === expected) n = trailer;
    else if (trailer === expected && expected % 2 === 0) n = expected / 2;
    else {
      throw pymecompressError(
        out !== undefined ? 'ERR_INVALID_ARGUMENT' : 'ERR_CORRUPT_STREAM',
        `${ID}: trailer ${trailer} matches neither the ${out !== undefined ? '`out` buffer' : 'chunk'}'s ${expected} bytes nor its ${expected / 2} uint16 elements`,
      );
    }
    checkSymbolCount(n, stream.length, ID);
    if (out !== undefined && asBytes(out).byteLength !== 2 * n) {
      throw pymecompressError(
        'ERR_INVALID_ARGUMENT',
        `${ID}: \`out\` holds ${asBytes(out).byteLength} bytes, the chunk decodes to ${2 * n}`,
      );
    }
    return { stream, n };
  }

  #dequantize(q: Uint8Array, out?: ArrayBufferView): Uint8Array {
    const n = q.length;
    // Decode straight into `out` when it can be viewed as aligned native-endian uint16.
    let dest: Uint16Array;
    const outBytes = out === undefined ? undefined : asBytes(out);
    const direct =
      outBytes !== undefined && LITTLE_ENDIAN && outBytes.byteOffset % 2 === 0
        ? new Uint16Array(outBytes.buffer, outBytes.byteOffset, n)
        : undefined;
    dest = direct ?? new Uint16Array(n);
    if (this.dequantization === 'pyme') {
      this.#backend.dequantize(q, this.offset, this.scale, dest);
    } else {
      const { offset, scale } = this;
      const lut = new Uint16Array(256);
      for (let v = 0; v < 256; v++) lut[v] = numpyAstypeUint16((v * v) / scale + offset);
      for (let i = 0; i < n; i++) dest[i] = lut[q[i]!]!;
    }
    if (outBytes !== undefined && direct === undefined) {
      const dv = new DataView(outBytes.buffer, outBytes.byteOffset, outBytes.byteLength);
      for (let i = 0; i < n; i++) dv.setUint16(2 * i, dest[i]!, true);
      return outBytes;
    }
    if (outBytes !== undefined) return outBytes;
    if (!LITTLE_ENDIAN) {
      const b = new Uint8Array(2 * n);
      const dv = new DataView(b.buffer);
      for (let i = 0; i < n; i++) dv.setUint16(2 * i, dest[i]!, true);
      return b;
    }
    return new Uint8Array(dest.buffer, dest.byteOffset, dest.byteLength);
  }

  /**
   * Decodes to the little-endian bytes of the uint16 values (what zarrita's pipeline expects).
   * `out` (Uint16Array or bytes, exactly the chunk's size) is filled and returned as bytes.
   * Use `decodeUint16Sync` for a Uint16Array.
   */
  decodeSync(data: Uint8Array, out?: ArrayBufferView): Uint8Array {
    const { stream, n } = this.#plan(data, out);
    return this.#dequantize(this.#backend.huffmanDecompress(stream, n), out);
  }

  async decode(data: Uint8Array, out?: ArrayBufferView): Promise<Uint8Array> {
    const fn = getAsyncBackend(this.#backend)?.huffmanDecompressAsync;
    if (!fn) return this.decodeSync(data, out);
    const { stream, n } = this.#plan(data, out);
    return this.#dequantize(await fn(stream, n), out);
  }

  /** Decodes to a Uint16Array (native byte order). */
  decodeUint16Sync(data: Uint8Array, out?: Uint16Array): Uint16Array {
    const b = this.decodeSync(data, out);
    return out ?? bytesToUint16(b);
  }

  async decodeUint16(data: Uint8Array, out?: Uint16Array): Promise<Uint16Array> {
    const b = await this.decode(data, out);
    return out ?? bytesToUint16(b);
  }
}
