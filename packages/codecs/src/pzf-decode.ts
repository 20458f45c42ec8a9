/**
 * PZF decoding: the chunk table, the Huffman data (chunked frames through the backend's batch
 * decoder when it has one, docs/FORMAT.md §6 "PZF frames"), dequantization and the C / F layout.
 */
import type { Backend } from '@pymecompress/core-ts';
import { symbolsFit } from '@pymecompress/core-ts/internal';
import { type BackendOption, getAsyncBackend, getBackend } from './backend.js';
import { LITTLE_ENDIAN, readU32LE } from './dtype.js';
import { codecsError } from './errors.js';
import {
  asInput,
  type DimOrder,
  invalid,
  type PzfFrame,
  type PzfHeader,
  type PzfTypedArray,
  readPzfHeader,
} from './pzf-header.js';

interface ChunkEntry {
  stream: Uint8Array;
  rawOffset: number;
  rawLength: number;
}

function readChunkTable(data: Uint8Array, payloadBytes: number): ChunkEntry[] {
  const count = data[0]! | (data[1]! << 8);
  const chunks: ChunkEntry[] = [];
  let p = 2;
  let raw = 0;
  for (let i = 0; i < count; i++) {
    if (p + 8 > data.length)
      invalid(`chunk ${i} of ${count}: table entry runs past the end of the data`);
    const clen = readU32LE(data, p);
    const rlen = readU32LE(data, p + 4);
    p += 8;
    if (clen > data.length - p)
      invalid(`chunk ${i} of ${count}: ${clen}-byte stream runs past the end of the data`);
    if (rlen > payloadBytes - raw)
      invalid(`chunk raw lengths exceed the ${payloadBytes}-byte payload`);
    if (!symbolsFit(rlen, clen))
      invalid(`chunk ${i}: a ${clen}-byte stream cannot hold ${rlen} bytes`);
    chunks.push({ stream: data.subarray(p, p + clen), rawOffset: raw, rawLength: rlen });
    p += clen;
    raw += rlen;
  }
  if (raw !== payloadBytes)
    invalid(`chunk raw lengths add up to ${raw}, the payload is ${payloadBytes} bytes`);
  return chunks;
}

export interface DecodePzfOptions {
  backend?: BackendOption;
  /** Layout of the returned data: as stored (default), or transposed to `'C'` / `'F'`. */
  order?: 'stored' | DimOrder;
}

function finish(
  h: PzfHeader,
  payload: Uint8Array,
  backend: Backend,
  options: DecodePzfOptions,
): PzfFrame {
  let data: PzfTypedArray;
  if (h.quantization) {
    data = backend.dequantize(payload, h.quantization.offset, h.quantization.scale);
  } else if (h.dtype === 'uint8') {
    data = payload;
  } else {
    // payload is a fresh, 0-offset buffer here (see decode paths), so views are aligned.
    data = h.dtype === 'uint16' ? toTyped(payload, Uint16Array) : toTyped(payload, Float32Array);
  }
  let dimOrder = h.dimOrder;
  const shape: [number, number, number] = [h.width, h.height, h.depth];
  const want = options.order ?? 'stored';
  if (want !== 'stored' && want !== 'C' && want !== 'F') {
    throw codecsError('ERR_INVALID_ARGUMENT', `order must be 'stored', 'C' or 'F'`);
  }
  if (want !== 'stored' && want !== dimOrder) {
    data = transpose(data, shape, dimOrder);
    dimOrder = want;
  }
  return {
    version: h.version,
    dtype: h.dtype,
    compression: h.compression,
    quantization: h.quantization,
    dimOrder,
    sequenceId: h.sequenceId,
    frameNum: h.frameNum,
    width: h.width,
    height: h.height,
    depth: h.depth,
    frameTimestamp: h.frameTimestamp,
    dataOffset: h.dataOffset,
    data,
    shape,
  };
}

function toTyped<T extends Uint16Array | Float32Array>(
  payload: Uint8Array,
  Ctor: {
    new (b: ArrayBuffer, o: number, n: number): T;
    new (n: number): T;
    BYTES_PER_ELEMENT: number;
  },
): T {
  const size = Ctor.BYTES_PER_ELEMENT;
  const n = payload.byteLength / size;
  if (LITTLE_ENDIAN && payload.byteOffset % size === 0 && payload.buffer instanceof ArrayBuffer) {
    return new Ctor(payload.buffer, payload.byteOffset, n);
  }
  const out = new Ctor(n);
  const dv = new DataView(payload.buffer, payload.byteOffset, payload.byteLength);
  for (let i = 0; i < n; i++) {
    (out as Uint16Array | Float32Array)[i] =
      size === 2 ? dv.getUint16(2 * i, true) : dv.getFloat32(4 * i, true);
  }
  return out;
}

/** Reorders a `[w, h, d]` array between C and F layout (`from` is its current layout). */
export function transpose<T extends PzfTypedArray>(
  data: T,
  shape: readonly [number, number, number],
  from: DimOrder,
): T {
  const [w, h, d] = shape;
  const out = new (data.constructor as new (n: number) => T)(data.length);
  for (let i = 0; i < w; i++) {
    for (let j = 0; j < h; j++) {
      for (let k = 0; k < d; k++) {
        const c = (i * h + j) * d + k;
        const f = i + w * (j + h * k);
        if (from === 'C') out[f] = data[c]!;
        else out[c] = data[f]!;
      }
    }
  }
  return out;
}

/** Copies the data section into a fresh, aligned buffer (raw frames). */
function rawPayload(bytes: Uint8Array, h: PzfHeader): Uint8Array {
  return bytes.slice(h.dataOffset, h.dataOffset + h.payloadBytes);
}

/** Decodes a PZF frame (versions 1-3; uint8, uint16, float32; raw, Huffman, chunked Huffman). */
export function decodePzf(
  input: Uint8Array | ArrayBuffer,
  options: DecodePzfOptions = {},
): PzfFrame {
  const bytes = asInput(input);
  const h = readPzfHeader(bytes);
  const backend = getBackend(options.backend);
  const data = bytes.subarray(h.dataOffset);
  let payload: Uint8Array;
  if (h.compression === 'raw') payload = rawPayload(bytes, h);
  else if (h.compression === 'huffman') payload = backend.huffmanDecompress(data, h.payloadBytes);
  else {
    const chunks = readChunkTable(data, h.payloadBytes);
    payload = new Uint8Array(h.payloadBytes);
    const outs = chunkTargets(chunks, payload);
    // Chunks are independent streams: a backend with a batch decoder takes them in one call
    // (native interleaves two at a time); the result is the same bytes as one call per chunk.
    if (backend.huffmanDecompressBatch && chunks.length > 1) {
      backend.huffmanDecompressBatch(
        chunks.map((c) => c.stream),
        chunks.map((c) => c.rawLength),
        outs,
      );
    } else {
      for (const [i, c] of chunks.entries())
        backend.huffmanDecompress(c.stream, c.rawLength, outs[i]);
    }
  }
  return finish(h, payload, backend, options);
}

/** Each chunk's slice of the payload, where it is decoded in place. */
function chunkTargets(chunks: readonly ChunkEntry[], payload: Uint8Array): Uint8Array[] {
  return chunks.map((c) => payload.subarray(c.rawOffset, c.rawOffset + c.rawLength));
}

/**
 * As `decodePzf`, but decodes Huffman data with the native backend's async entry points when
 * available: chunks of a chunked frame are then decoded concurrently (off the main thread).
 */
export async function decodePzfAsync(
  input: Uint8Array | ArrayBuffer,
  options: DecodePzfOptions = {},
): Promise<PzfFrame> {
  const bytes = asInput(input);
  const h = readPzfHeader(bytes);
  const backend = getBackend(options.backend);
  const asyncBackend = getAsyncBackend(backend);
  const decompress = asyncBackend?.huffmanDecompressAsync;
  if (!decompress || h.compression === 'raw') return decodePzf(bytes, options);
  const data = bytes.subarray(h.dataOffset);
  let payload: Uint8Array;
  if (h.compression === 'huffman') payload = await decompress(data, h.payloadBytes);
  else {
    const chunks = readChunkTable(data, h.payloadBytes);
    payload = new Uint8Array(h.payloadBytes);
    const outs = chunkTargets(chunks, payload);
    const batch = asyncBackend.huffmanDecompressBatchAsync;
    if (batch && chunks.length > 1) {
      // Slices of the batch go to the pool's threads, each interleaving its streams.
      await batch(
        chunks.map((c) => c.stream),
        chunks.map((c) => c.rawLength),
        outs,
      );
    } else {
      await Promise.all(chunks.map((c, i) => decompress(c.stream, c.rawLength, outs[i])));
    }
  }
  return finish(h, payload, backend, options);
}
