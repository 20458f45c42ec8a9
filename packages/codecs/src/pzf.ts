/**
 * PZF frames: PYME's wire / file format for camera frames (`PYME/IO/PZFFormat.py`).
 *
 * Layout (all little-endian): a 48-byte header (versions 1 and 2) or 64-byte header (version 3,
 * with a DataOffset field) followed by the pixel data, raw, Huffman coded, or Huffman coded in
 * independent chunks (u16 count, then per chunk u32 compressed length, u32 raw length, stream).
 * Quantized frames hold one sqrt-quantized byte per pixel and are dequantized exactly as PYME's
 * `loads`: `(float32(q) * QuantScale)^2 + QuantOffset` in float32, truncated to uint16.
 */
import { type Backend, quantParams } from '@pymecompress/core-ts';
import { leBytes, MAX_SIZE as MAX_U32, symbolsFit } from '@pymecompress/core-ts/internal';
import { type BackendOption, getAsyncBackend, getBackend } from './backend.js';
import { LITTLE_ENDIAN, readU32LE } from './dtype.js';
import { codecsError } from './errors.js';

export type PzfDtype = 'uint8' | 'uint16' | 'float32';
export type PzfCompression = 'raw' | 'huffman' | 'huffman-chunked';
export type DimOrder = 'C' | 'F';
export type PzfTypedArray = Uint8Array | Uint16Array | Float32Array;

export const PZF_ID = 'BD';
export const PZF_VERSION = 3;
export const PZF_HEADER_LENGTH_V1_V2 = 48;
export const PZF_HEADER_LENGTH_V3 = 64;
/** Chunks PYME's chunked writer uses (`NUM_COMP_THREADS`). */
export const PZF_DEFAULT_CHUNKS = 2;

const DTYPES: readonly PzfDtype[] = ['uint8', 'uint16', 'float32'];
const ITEM_SIZES = [1, 2, 4] as const;
const COMPRESSIONS: readonly PzfCompression[] = ['raw', 'huffman', 'huffman-chunked'];

export interface PzfQuantization {
  /** QuantOffset as stored (a float32 value). */
  offset: number;
  /** QuantScale as stored (a float32 value). */
  scale: number;
}

export interface PzfHeader {
  version: number;
  dtype: PzfDtype;
  compression: PzfCompression;
  quantization: PzfQuantization | null;
  dimOrder: DimOrder;
  sequenceId: bigint;
  frameNum: number;
  width: number;
  height: number;
  depth: number;
  frameTimestamp: bigint;
  /** Where the pixel data starts (48 for versions 1-2, DataOffset for version 3). */
  dataOffset: number;
  /** Header length for this version (48 or 64). */
  headerLength: number;
  /** Bytes of the data section (`bytes.length - dataOffset`). */
  dataLength: number;
  /** Decoded payload size: pixels x item size, or pixels when quantized. */
  payloadBytes: number;
}

export interface PzfFrame
  extends Omit<PzfHeader, 'headerLength' | 'dataLength' | 'payloadBytes' | 'dataOffset'> {
  /** Pixels, in `dimOrder` layout for shape `[width, height, depth]`. */
  data: PzfTypedArray;
  /** `[width, height, depth]`. */
  shape: [number, number, number];
  dataOffset: number;
}

function invalid(message: string): never {
  throw codecsError('ERR_INVALID_PZF', `invalid PZF: ${message}`);
}

function asInput(bytes: Uint8Array | ArrayBuffer): Uint8Array {
  if (bytes instanceof Uint8Array) return bytes;
  if (bytes instanceof ArrayBuffer) return new Uint8Array(bytes);
  throw codecsError('ERR_INVALID_ARGUMENT', 'PZF data must be a Uint8Array or ArrayBuffer');
}

/**
 * Reads and validates a PZF header, including the sizes it implies against the frame's length:
 * `bytes.length`, or `options.length` when `bytes` is only the beginning of a longer frame (at
 * least the header), so a file's header can be checked without reading the file.
 */
export function readPzfHeader(
  input: Uint8Array | ArrayBuffer,
  options: { length?: number } = {},
): PzfHeader {
  const prefix = asInput(input);
  const total = options.length ?? prefix.length;
  if (!Number.isSafeInteger(total) || total < prefix.length)
    throw codecsError('ERR_INVALID_ARGUMENT', `length ${total} is shorter than the bytes given`);
  const bytes = { length: total } as const;
  if (prefix.length < 3) invalid(`${prefix.length} bytes is too short for a header`);
  if (prefix[0] !== 0x42 || prefix[1] !== 0x44) invalid("ID is not 'BD': this is not a PZF frame");
  const version = prefix[2]!;
  if (version < 1 || version > 3) invalid(`unsupported version ${version} (1, 2 or 3)`);
  const headerLength = version >= 3 ? PZF_HEADER_LENGTH_V3 : PZF_HEADER_LENGTH_V1_V2;
  if (prefix.length < headerLength) {
    invalid(
      `${prefix.length} bytes is shorter than the ${headerLength}-byte version ${version} header`,
    );
  }
  const dv = new DataView(prefix.buffer, prefix.byteOffset, prefix.byteLength);
  const fmt = prefix[3]!;
  const comp = prefix[4]!;
  const quant = prefix[5]!;
  if (fmt > 2) invalid(`DataFormat ${fmt} (0 uint8, 1 uint16, 2 float32)`);
  if (comp > 2) invalid(`DataCompression ${comp} (0 raw, 1 Huffman, 2 chunked Huffman)`);
  if (quant > 1) invalid(`DataQuantization ${quant} (0 none, 1 sqrt)`);
  let dimOrder: DimOrder = 'C';
  if (version >= 2) {
    const c = prefix[6]!;
    if (c === 0x43) dimOrder = 'C';
    else if (c === 0x46) dimOrder = 'F';
    else invalid(`DimOrder byte 0x${c.toString(16).padStart(2, '0')} (must be 'C' or 'F')`);
  }
  const sequenceId = dv.getBigInt64(8, true);
  const frameNum = dv.getUint32(16, true);
  const width = dv.getUint32(20, true);
  const height = dv.getUint32(24, true);
  const depth = dv.getUint32(28, true);
  const frameTimestamp = dv.getBigUint64(32, true);
  const qOffset = dv.getFloat32(40, true);
  const qScale = dv.getFloat32(44, true);
  const dataOffset = version >= 3 ? dv.getUint32(48, true) : PZF_HEADER_LENGTH_V1_V2;
  if (dataOffset < headerLength)
    invalid(`DataOffset ${dataOffset} points inside the ${headerLength}-byte header`);
  if (dataOffset > bytes.length)
    invalid(`DataOffset ${dataOffset} is past the end of the ${bytes.length}-byte frame`);
  const dtype = DTYPES[fmt]!;
  let quantization: PzfQuantization | null = null;
  if (quant === 1) {
    if (dtype !== 'uint16')
      invalid(`sqrt quantization with ${dtype} data (only uint16 is quantized)`);
    if (!Number.isFinite(qOffset)) invalid(`QuantOffset ${qOffset} is not finite`);
    // The quantizer's own rule (core-ts quantParams): a scale whose float32 reciprocal is
    // infinite (denormals) cannot be decoded either, so the header is invalid, not the call.
    try {
      quantParams(qOffset, qScale);
    } catch {
      invalid(`QuantScale ${qScale} must be a finite float32 > 0 with a finite reciprocal`);
    }
    quantization = { offset: qOffset, scale: qScale };
  }
  const pixels = width * height * depth; // < 2^96 in theory; checked below
  const payloadBytes = pixels * (quantization ? 1 : ITEM_SIZES[fmt]!);
  if (!Number.isSafeInteger(payloadBytes))
    invalid(`${width}x${height}x${depth} frame is too large`);
  const dataLength = bytes.length - dataOffset;
  const compression = COMPRESSIONS[comp]!;
  if (compression === 'raw' && dataLength !== payloadBytes) {
    invalid(
      `raw ${width}x${height}x${depth} ${quantization ? 'quantized' : dtype} frame needs ${payloadBytes} data bytes, found ${dataLength}`,
    );
  }
  if (compression === 'huffman') {
    if (payloadBytes > MAX_U32)
      invalid(`a Huffman payload of ${payloadBytes} bytes exceeds 2^32 - 1`);
    if (!symbolsFit(payloadBytes, dataLength)) {
      invalid(`a ${dataLength}-byte Huffman stream cannot hold the ${payloadBytes}-byte payload`);
    }
  }
  if (compression === 'huffman-chunked' && dataLength < 2)
    invalid('chunked data is missing its chunk count');
  return {
    version,
    dtype,
    compression,
    quantization,
    dimOrder,
    sequenceId,
    frameNum,
    width,
    height,
    depth,
    frameTimestamp,
    dataOffset,
    headerLength,
    dataLength,
    payloadBytes,
  };
}

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
      chunks.forEach((c, i) => backend.huffmanDecompress(c.stream, c.rawLength, outs[i]));
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

export interface EncodePzfOptions {
  /** `[width, height]` or `[width, height, depth]` (PYME: `data.shape`). */
  shape: readonly number[];
  /** Layout of `data`: `'C'` (default) or `'F'`. */
  order?: DimOrder;
  compression?: PzfCompression;
  /** sqrt quantization (uint16 data only), PYME's `quantizationOffset` / `quantizationScale`. */
  quantization?: { offset: number; scale: number } | null;
  sequenceId?: bigint | number;
  frameNum?: number;
  frameTimestamp?: bigint | number;
  /** Chunks for `'huffman-chunked'` (default 2, as PYME). */
  chunks?: number;
  backend?: BackendOption;
}

interface Prepared {
  header: Uint8Array;
  payload: Uint8Array;
  compression: PzfCompression;
  chunks: number;
  backend: Backend;
  quantization: { offset: number; scale: number } | null;
  u16?: Uint16Array;
}

function toBigInt(name: string, v: bigint | number | undefined, signed: boolean): bigint {
  if (v === undefined) return 0n;
  let b: bigint;
  if (typeof v === 'bigint') b = v;
  else if (typeof v === 'number' && Number.isSafeInteger(v)) b = BigInt(v);
  else throw codecsError('ERR_INVALID_ARGUMENT', `${name} must be an integer (number or bigint)`);
  const ok = signed ? b >= -(2n ** 63n) && b < 2n ** 63n : b >= 0n && b < 2n ** 64n;
  if (!ok) throw codecsError('ERR_INVALID_ARGUMENT', `${name} ${b} is out of range`);
  return b;
}

function prepare(data: PzfTypedArray, options: EncodePzfOptions): Prepared {
  const bad = (m: string): never => {
    throw codecsError('ERR_INVALID_ARGUMENT', `encodePzf: ${m}`);
  };
  let fmt: number;
  if (data instanceof Uint8Array) fmt = 0;
  else if (data instanceof Uint16Array) fmt = 1;
  else if (data instanceof Float32Array) fmt = 2;
  else return bad('data must be a Uint8Array, Uint16Array or Float32Array');
  const shape = options?.shape;
  if (!Array.isArray(shape) || shape.length < 2 || shape.length > 3)
    return bad('shape must be [width, height] or [width, height, depth]');
  for (const s of shape)
    if (!Number.isInteger(s) || s < 0 || s > MAX_U32) bad(`invalid shape ${JSON.stringify(shape)}`);
  const [w, h, d = 1] = shape as number[];
  if (w! * h! * d !== data.length)
    bad(`shape ${JSON.stringify(shape)} does not match ${data.length} elements`);
  const order = options.order ?? 'C';
  if (order !== 'C' && order !== 'F') bad("order must be 'C' or 'F'");
  const compression = options.compression ?? 'huffman';
  const comp = COMPRESSIONS.indexOf(compression);
  if (comp < 0) bad(`compression must be one of ${COMPRESSIONS.join(', ')}`);
  const quantization = options.quantization ?? null;
  if (quantization && fmt !== 1) bad('quantization needs uint16 data');
  const chunks = options.chunks ?? PZF_DEFAULT_CHUNKS;
  if (!Number.isInteger(chunks) || chunks < 1 || chunks > 0xffff)
    bad('chunks must be an integer in 1..65535');
  const frameNum = options.frameNum ?? 0;
  if (!Number.isInteger(frameNum) || frameNum < 0 || frameNum > MAX_U32)
    bad('frameNum must be a uint32');
  const backend = getBackend(options.backend);

  const header = new Uint8Array(PZF_HEADER_LENGTH_V3);
  const dv = new DataView(header.buffer);
  header[0] = 0x42;
  header[1] = 0x44;
  header[2] = PZF_VERSION;
  header[3] = fmt;
  header[4] = comp;
  header[5] = quantization ? 1 : 0;
  // PYME writes 'F' whenever numpy flags the array F-contiguous, which includes arrays that are
  // both C- and F-contiguous (at most one dimension longer than 1).
  // (numpy also flags every empty array as both.)
  const nonUnit = shape.filter((s) => s !== 1).length;
  header[6] = order === 'F' || nonUnit <= 1 || shape.includes(0) ? 0x46 : 0x43;
  dv.setBigInt64(8, toBigInt('sequenceId', options.sequenceId, true), true);
  dv.setUint32(16, frameNum, true);
  dv.setUint32(20, w!, true);
  dv.setUint32(24, h!, true);
  dv.setUint32(28, d, true);
  dv.setBigUint64(32, toBigInt('frameTimestamp', options.frameTimestamp, false), true);
  if (quantization) {
    const { offset, scale } = quantization;
    quantParams(offset, scale, 'encodePzf: quantization'); // the one rule (core-ts)
    dv.setFloat32(40, offset, true);
    dv.setFloat32(44, scale, true);
  }
  dv.setUint32(48, PZF_HEADER_LENGTH_V3, true);

  // Quantized frames carry one symbol per pixel (raw, Huffman or chunked alike).
  const payload = quantization
    ? backend.quantize(data as Uint16Array, quantization.offset, quantization.scale)
    : leBytes(data);
  return { header, payload, compression, chunks, backend, quantization };
}

function chunkRanges(length: number, chunks: number, itemSize: number): Array<[number, number]> {
  const elems = length / itemSize;
  const n = Math.max(1, Math.min(chunks, elems));
  const per = Math.ceil(elems / n) * itemSize;
  const out: Array<[number, number]> = [];
  for (let i = 0; i < n; i++)
    out.push([Math.min(i * per, length), Math.min((i + 1) * per, length)]);
  return out;
}

function assemble(header: Uint8Array, body: Uint8Array[]): Uint8Array {
  let n = header.length;
  for (const b of body) n += b.length;
  const out = new Uint8Array(n);
  out.set(header, 0);
  let p = header.length;
  for (const b of body) {
    out.set(b, p);
    p += b.length;
  }
  return out;
}

function chunkedBody(ranges: Array<[number, number]>, streams: Uint8Array[]): Uint8Array[] {
  const body: Uint8Array[] = [new Uint8Array([ranges.length & 0xff, ranges.length >>> 8])];
  ranges.forEach(([a, b], i) => {
    const entry = new Uint8Array(8);
    const dv = new DataView(entry.buffer);
    dv.setUint32(0, streams[i]!.length, true);
    dv.setUint32(4, b - a, true);
    body.push(entry, streams[i]!);
  });
  return body;
}

/**
 * Encodes a frame as PYME's `dumps` does: version 3, DataOffset 64, raw / Huffman / chunked
 * Huffman, optionally sqrt-quantized (uint16 only). Unlike PYME, quantization is also applied to
 * raw and chunked frames (PYME's writer sets the flag there but stores unquantized data, which
 * its own reader cannot load), so every frame this writes is readable by PYME's `loads`.
 */
export function encodePzf(data: PzfTypedArray, options: EncodePzfOptions): Uint8Array {
  const p = prepare(data, options);
  if (p.compression === 'raw') return assemble(p.header, [p.payload]);
  if (p.compression === 'huffman')
    return assemble(p.header, [p.backend.huffmanCompress(p.payload)]);
  const ranges = chunkRanges(
    p.payload.length,
    p.chunks,
    p.quantization ? 1 : data.BYTES_PER_ELEMENT,
  );
  const streams = ranges.map(([a, b]) => p.backend.huffmanCompress(p.payload.subarray(a, b)));
  return assemble(p.header, chunkedBody(ranges, streams));
}

/** As `encodePzf`; chunks are encoded concurrently with the native backend's async entry points. */
export async function encodePzfAsync(
  data: PzfTypedArray,
  options: EncodePzfOptions,
): Promise<Uint8Array> {
  const p = prepare(data, options);
  const compress = getAsyncBackend(p.backend)?.huffmanCompressAsync;
  if (!compress || p.compression === 'raw') return encodePzf(data, options);
  if (p.compression === 'huffman') return assemble(p.header, [await compress(p.payload)]);
  const ranges = chunkRanges(
    p.payload.length,
    p.chunks,
    p.quantization ? 1 : data.BYTES_PER_ELEMENT,
  );
  const streams = await Promise.all(ranges.map(([a, b]) => compress(p.payload.subarray(a, b))));
  return assemble(p.header, chunkedBody(ranges, streams));
}
