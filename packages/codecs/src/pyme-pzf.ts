/**
 * `pyme-pzf`: PYME's tile-pyramid chunk codec (config `{"id": "pyme-pzf"}`; PYME's read-only
 * `PYME/IO/zarr_compat.py` `PZFCodec`). A chunk is one whole PZF frame (docs/FORMAT.md §6 "PZF
 * frames" and §7 "PYME tile pyramids").
 *
 * - decode: any PZF frame PYME's `loads` reads (versions 1-3, uint8 / uint16 / float32, raw /
 *   Huffman / chunked Huffman, sqrt-quantized, either DimOrder) becomes the chunk's little-endian
 *   C-order bytes. The frame `[w, h]` or `[w, h, 1]` fills a `[1, w, h]` chunk, as numpy's
 *   `out[...] = data` broadcasting does in PYME; shape and dtype are checked against the chunk
 *   metadata (`ERR_INVALID_ARGUMENT` on mismatch, `ERR_INVALID_PZF` for a bad frame).
 * - encode: a version-3 PZF frame (lossless Huffman by default; sqrt-quantized when `quantization`
 *   is configured, uint16 only) that PYME's `PZFFormat.loads` reads. PYME's codec cannot encode.
 */
import { leBytes } from '@pymecompress/core-ts/internal';
import { type BackendOption, getBackend } from './backend.js';
import { asBytes, type ChunkMeta } from './dtype.js';
import { codecsError } from './errors.js';
import { decodePzf } from './pzf-decode.js';
import { encodePzf } from './pzf-encode.js';
import type { PzfCompression, PzfDtype, PzfTypedArray } from './pzf-header.js';

export interface PymePzfConfig {
  id: 'pyme-pzf';
}

export interface PymePzfOptions {
  backend?: BackendOption;
  /** Encoder: PZF compression (default `'huffman'`). */
  compression?: PzfCompression;
  /** Encoder: sqrt quantization (uint16 chunks only); lossless when absent. */
  quantization?: { offset: number; scale: number } | null;
  /** Chunk dtype / shape when no chunk metadata is given. */
  dtype?: string;
  chunkShape?: readonly number[];
}

const ID = 'pyme-pzf' as const;

/** zarrita / numpy dtype spellings of the three PZF dtypes. */
const PZF_DTYPES: Record<string, PzfDtype> = {
  uint8: 'uint8',
  '|u1': 'uint8',
  u1: 'uint8',
  uint16: 'uint16',
  '<u2': 'uint16',
  u2: 'uint16',
  float32: 'float32',
  '<f4': 'float32',
  f4: 'float32',
};

function bad(message: string): never {
  throw codecsError('ERR_INVALID_ARGUMENT', `${ID}: ${message}`);
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

/** Frame shape `[w, h]` / `[w, h, d]` of a chunk shape (`[1, w, h]`, `[w, h]` or `[w, h, d]`). */
function frameShapeOf(chunk: readonly number[]): number[] {
  if (chunk.length === 3 && chunk[0] === 1) return [chunk[1]!, chunk[2]!];
  if (chunk.length === 2 || chunk.length === 3) return [...chunk];
  return bad(`chunk shape ${JSON.stringify(chunk)} is not [1, w, h], [w, h] or [w, h, d]`);
}

export class PymePzf {
  static readonly codecId = ID;
  readonly kind = 'bytes_to_bytes' as const;
  readonly #options: PymePzfOptions;
  readonly #dtype: PzfDtype | undefined;
  readonly #shape: readonly number[] | undefined;

  constructor(options: PymePzfOptions = {}, meta?: ChunkMeta) {
    this.#options = options;
    getBackend(options.backend); // fail early on an unavailable backend
    const name = options.dtype ?? meta?.dataType ?? meta?.data_type ?? meta?.dtype;
    if (name !== undefined) {
      const d = PZF_DTYPES[String(name)];
      if (d === undefined) bad(`chunk dtype ${String(name)} is not uint8, uint16 or float32`);
      this.#dtype = d;
    }
    const shape = options.chunkShape ?? meta?.shape;
    if (shape !== undefined) {
      if (!shape.every((s) => Number.isSafeInteger(s) && s >= 0))
        bad(`invalid chunk shape ${JSON.stringify(shape)}`);
      frameShapeOf(shape);
      this.#shape = [...shape];
    }
    const q = options.quantization;
    if (q && this.#dtype !== undefined && this.#dtype !== 'uint16')
      bad(`quantization needs uint16 chunks (the chunk dtype is ${this.#dtype})`);
  }

  /** numcodecs / zarrita entry point (zarrita 0.5 passes `data_type`, 0.7 `dataType`). */
  static fromConfig(
    config?: Partial<PymePzfConfig> | Record<string, unknown>,
    meta?: ChunkMeta,
    options?: PymePzfOptions,
  ): PymePzf {
    if (config !== undefined && config !== null && 'id' in config) {
      const id = String((config as { id: unknown }).id);
      if (id !== ID && id !== `numcodecs.${ID}`) bad(`config id is ${JSON.stringify(id)}`);
    }
    return new PymePzf(options, meta);
  }

  toJSON(): PymePzfConfig {
    return { id: ID };
  }

  getConfig(): PymePzfConfig {
    return this.toJSON();
  }

  /** Decodes one PZF frame into the chunk's little-endian C-order bytes. */
  decodeSync(data: Uint8Array, out?: ArrayBufferView): Uint8Array {
    const frame = decodePzf(asBytes(data), {
      order: 'C',
      ...(this.#options.backend !== undefined ? { backend: this.#options.backend } : {}),
    });
    // A quantized frame decodes to uint16, whatever the stored symbols.
    if (this.#dtype !== undefined && frame.dtype !== this.#dtype) {
      bad(`the tile is a ${frame.dtype} PZF frame, the array's dtype is ${this.#dtype}`);
    }
    const [w, h, d] = frame.shape;
    if (this.#shape !== undefined) {
      const fs = frameShapeOf(this.#shape);
      const ok = sameShape(fs, [w, h, d]) || (d === 1 && sameShape(fs, [w, h]));
      if (!ok) {
        bad(
          `the tile is a ${w}x${h}x${d} frame, the chunk shape is ${JSON.stringify(this.#shape)}`,
        );
      }
    }
    const bytes = leBytes(frame.data);
    if (out === undefined) return bytes;
    const target = asBytes(out);
    if (target.byteLength !== bytes.byteLength)
      bad(`\`out\` holds ${target.byteLength} bytes, the frame decodes to ${bytes.byteLength}`);
    target.set(bytes);
    return target;
  }

  async decode(data: Uint8Array, out?: ArrayBufferView): Promise<Uint8Array> {
    return this.decodeSync(data, out);
  }

  /** Encodes a chunk's little-endian C-order bytes as a version-3 PZF frame. */
  encodeSync(data: ArrayBufferView | ArrayBuffer): Uint8Array {
    let typed: PzfTypedArray;
    if (data instanceof Uint16Array || data instanceof Float32Array) typed = data;
    else {
      const bytes = asBytes(data);
      const dtype = this.#dtype ?? (data instanceof Uint8Array ? 'uint8' : undefined);
      if (dtype === undefined) bad('encode needs the chunk dtype (chunk metadata or `dtype`)');
      typed = fromLeBytes(bytes, dtype);
    }
    const shape = this.#shape ? frameShapeOf(this.#shape) : [typed.length, 1];
    const q = this.#options.quantization ?? null;
    if (q && !(typed instanceof Uint16Array)) bad('quantization needs uint16 chunks');
    return encodePzf(typed, {
      shape,
      compression: this.#options.compression ?? 'huffman',
      quantization: q,
      ...(this.#options.backend !== undefined ? { backend: this.#options.backend } : {}),
    });
  }

  async encode(data: ArrayBufferView | ArrayBuffer): Promise<Uint8Array> {
    return this.encodeSync(data);
  }
}

function fromLeBytes(bytes: Uint8Array, dtype: PzfDtype): PzfTypedArray {
  if (dtype === 'uint8') return bytes;
  const size = dtype === 'uint16' ? 2 : 4;
  if (bytes.byteLength % size !== 0)
    bad(`${bytes.byteLength} bytes is not a whole number of ${dtype} elements`);
  const n = bytes.byteLength / size;
  const out = dtype === 'uint16' ? new Uint16Array(n) : new Float32Array(n);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i < n; i++)
    out[i] = size === 2 ? dv.getUint16(2 * i, true) : dv.getFloat32(4 * i, true);
  return out;
}
