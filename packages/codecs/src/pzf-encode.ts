/**
 * PZF encoding as PYME's `dumps`: the version-3 header, the payload (quantized or little-endian
 * bytes) and raw / Huffman / chunked Huffman data.
 */
import type { Backend } from '@pymecompress/core-ts';
import { leBytes, MAX_SIZE as MAX_U32, quantParams } from '@pymecompress/core-ts/internal';
import { type BackendOption, getAsyncBackend, getBackend } from './backend.js';
import { codecsError } from './errors.js';
import {
  COMPRESSIONS,
  type DimOrder,
  PZF_DEFAULT_CHUNKS,
  PZF_HEADER_LENGTH_V3,
  PZF_VERSION,
  type PzfCompression,
  type PzfTypedArray,
} from './pzf-header.js';

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
