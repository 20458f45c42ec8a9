/**
 * A small reader/writer for NumPy's `.npy` format (versions 1.0, 2.0, 3.0): uint8 / uint16,
 * little- or big-endian, C or Fortran order. Only the header is parsed here; pixel data is read
 * frame by frame at file offsets by the input layer.
 */
import { badInput } from './errors.js';

export type PixelDtype = 'uint8' | 'uint16';

export interface NpyHeader {
  dtype: PixelDtype;
  /** True for big-endian uint16 data (`>u2`). */
  bigEndian: boolean;
  fortranOrder: boolean;
  shape: number[];
  /** Byte offset of the data. */
  dataOffset: number;
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

/** Parses a header from the first bytes of a file (give at least 10 + header length bytes). */
export function parseNpyHeader(file: string, b: Uint8Array): NpyHeader {
  if (b.length < 10 || MAGIC.some((m, i) => b[i] !== m)) {
    throw badInput(file, 'not a .npy file (missing the \\x93NUMPY magic)');
  }
  const major = b[6]!;
  let headerLen: number;
  let start: number;
  if (major === 1) {
    headerLen = b[8]! | (b[9]! << 8);
    start = 10;
  } else if (major === 2 || major === 3) {
    if (b.length < 12) throw badInput(file, 'truncated .npy header');
    headerLen = (b[8]! | (b[9]! << 8) | (b[10]! << 16) | (b[11]! << 24)) >>> 0;
    start = 12;
  } else {
    throw badInput(file, `unsupported .npy format version ${major}.${b[7]}`);
  }
  if (b.length < start + headerLen) throw badInput(file, 'truncated .npy header');
  const text = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(
    b.subarray(start, start + headerLen),
  );
  const descr = /'descr'\s*:\s*'([^']*)'/.exec(text)?.[1];
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(text)?.[1];
  const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(text)?.[1];
  if (descr === undefined || fortran === undefined || shapeText === undefined) {
    throw badInput(file, `malformed .npy header ${JSON.stringify(text.trim())}`);
  }
  let dtype: PixelDtype;
  let bigEndian = false;
  if (['|u1', '<u1', '>u1', '=u1', 'u1', '|B'].includes(descr)) dtype = 'uint8';
  else if (['<u2', '=u2', 'u2'].includes(descr)) dtype = 'uint16';
  else if (descr === '>u2') {
    dtype = 'uint16';
    bigEndian = true;
  } else {
    throw badInput(file, `unsupported dtype ${descr} (only uint8 and uint16 camera data)`);
  }
  const shape = shapeText
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map((s) => Number(s.replace(/L$/, '')));
  if (shape.some((s) => !Number.isSafeInteger(s) || s < 0)) {
    throw badInput(file, `invalid shape (${shapeText})`);
  }
  return {
    dtype,
    bigEndian,
    fortranOrder: fortran === 'True',
    shape,
    dataOffset: start + headerLen,
  };
}

/** A version 1.0 header (2.0 if it does not fit), padded so the data starts 64-byte aligned. */
export function npyHeaderBytes(dtype: PixelDtype, shape: readonly number[]): Uint8Array {
  const descr = dtype === 'uint8' ? '|u1' : '<u2';
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  const dict = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${shapeText}, }`;
  for (const major of [1, 2]) {
    const pre = major === 1 ? 10 : 12;
    const total = Math.ceil((pre + dict.length + 1) / 64) * 64;
    const headerLen = total - pre;
    if (major === 1 && headerLen > 0xffff) continue;
    const out = new Uint8Array(total);
    out.set(MAGIC, 0);
    out[6] = major;
    out[7] = 0;
    const dv = new DataView(out.buffer);
    if (major === 1) dv.setUint16(8, headerLen, true);
    else dv.setUint32(8, headerLen, true);
    const body = `${dict}${' '.repeat(headerLen - dict.length - 1)}\n`;
    for (let i = 0; i < body.length; i++) out[pre + i] = body.charCodeAt(i);
    return out;
  }
  throw new Error('unreachable');
}
