/**
 * PZF frames: PYME's wire / file format for camera frames (`PYME/IO/PZFFormat.py`); this module
 * holds the header: its constants, types and the validating reader (pzf-decode.ts and
 * pzf-encode.ts hold the two directions; index.ts exports all three).
 *
 * Layout (all little-endian): a 48-byte header (versions 1 and 2) or 64-byte header (version 3,
 * with a DataOffset field) followed by the pixel data, raw, Huffman coded, or Huffman coded in
 * independent chunks (u16 count, then per chunk u32 compressed length, u32 raw length, stream).
 * Quantized frames hold one sqrt-quantized byte per pixel and are dequantized exactly as PYME's
 * `loads`: `(float32(q) * QuantScale)^2 + QuantOffset` in float32, truncated to uint16.
 */
import { MAX_SIZE as MAX_U32, quantParams, symbolsFit } from '@pymecompress/core-ts/internal';
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
export const COMPRESSIONS: readonly PzfCompression[] = ['raw', 'huffman', 'huffman-chunked'];

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

export function invalid(message: string): never {
  throw codecsError('ERR_INVALID_PZF', `invalid PZF: ${message}`);
}

export function asInput(bytes: Uint8Array | ArrayBuffer): Uint8Array {
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
