/**
 * A small reader/writer for NumPy's `.npy` format (versions 1.0, 2.0, 3.0): uint8 / uint16,
 * little- or big-endian, C or Fortran order. Only the header is parsed here; pixel data is read
 * frame by frame at file offsets by `inputs/npy.ts`.
 *
 * The header is the Python literal numpy writes (`repr` of a dict) and numpy reads it back with
 * `ast.literal_eval`, so it is parsed as one (`py-literal.ts`), not by pattern matching: a
 * repeated key keeps its last value, and what numpy refuses (missing or extra keys, a shape that
 * is not a tuple of non-negative ints, a non-bool `fortran_order`) is refused here.
 */
import { badInput } from './errors.js';
import { LIMITS } from './limits.js';
import { PyDict, PyLiteralError, PyTuple, type PyValue, parsePyLiteral } from './py-literal.js';
import { SAMPLE_TYPES, type SampleDtype } from './samples.js';

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

/** The fixed preamble: where the header text starts and how long it claims to be. */
export function npyPreamble(file: string, b: Uint8Array): { start: number; headerLen: number } {
  if (b.length < 10 || MAGIC.some((m, i) => b[i] !== m)) {
    throw badInput(file, 'not a .npy file (missing the \\x93NUMPY magic)');
  }
  const major = b[6]!;
  if (major === 1) return { start: 10, headerLen: b[8]! | (b[9]! << 8) };
  if (major === 2 || major === 3) {
    if (b.length < 12) throw badInput(file, 'truncated .npy header (preamble)');
    const headerLen = (b[8]! | (b[9]! << 8) | (b[10]! << 16) | (b[11]! << 24)) >>> 0;
    if (headerLen > LIMITS.npyHeaderBytes) {
      throw badInput(
        file,
        `header_len ${headerLen} exceeds the ${LIMITS.npyHeaderBytes}-byte limit for .npy headers`,
      );
    }
    return { start: 12, headerLen };
  }
  throw badInput(file, `unsupported .npy format version ${major}.${b[7]}`);
}

function field(file: string, d: PyDict, key: string): PyValue {
  if (!d.entries.has(key)) throw badInput(file, `.npy header has no '${key}' key`);
  return d.entries.get(key)!;
}

/** Parses a header from the first bytes of a file (give at least the preamble + header_len). */
export function parseNpyHeader(file: string, b: Uint8Array): NpyHeader {
  const { start, headerLen } = npyPreamble(file, b);
  if (b.length < start + headerLen) {
    throw badInput(
      file,
      `truncated .npy header: header_len ${headerLen} needs ${start + headerLen} bytes, the file holds ${b.length}`,
    );
  }
  const major = b[6]!;
  let text: string;
  try {
    text = new TextDecoder(major === 3 ? 'utf-8' : 'latin1', { fatal: true }).decode(
      b.subarray(start, start + headerLen),
    );
  } catch {
    throw badInput(file, '.npy header is not valid UTF-8');
  }
  let d: PyValue;
  try {
    d = parsePyLiteral(text, { longSuffix: major < 3 });
  } catch (err) {
    const why = err instanceof PyLiteralError ? err.message : String(err);
    throw badInput(file, `malformed .npy header (${why})`);
  }
  if (!(d instanceof PyDict)) throw badInput(file, '.npy header is not a dict');
  const keys = [...d.entries.keys()];
  const extra = keys.filter((k) => k !== 'descr' && k !== 'fortran_order' && k !== 'shape');
  if (extra.length > 0)
    throw badInput(file, `.npy header has unexpected key(s) ${extra.map(String).join(', ')}`);
  const descr = field(file, d, 'descr');
  const fortran = field(file, d, 'fortran_order');
  const shapeV = field(file, d, 'shape');
  if (typeof fortran !== 'boolean')
    throw badInput(file, `.npy header field fortran_order is not True/False`);
  if (!(shapeV instanceof PyTuple) || shapeV.items.some((s) => typeof s !== 'bigint')) {
    throw badInput(file, '.npy header field shape is not a tuple of integers');
  }
  if (typeof descr !== 'string')
    throw badInput(
      file,
      '.npy header field descr is not a string (structured dtypes are not supported)',
    );
  const shape: number[] = [];
  for (const s of shapeV.items as bigint[]) {
    if (s < 0n || s > BigInt(Number.MAX_SAFE_INTEGER))
      throw badInput(file, `.npy header field shape has an impossible dimension ${s}`);
    shape.push(Number(s));
  }
  let dtype: PixelDtype;
  let bigEndian = false;
  if (['|u1', '<u1', '>u1', '=u1', 'u1', '|B', 'B', 'uint8'].includes(descr)) dtype = 'uint8';
  else if (['<u2', '=u2', 'u2', 'uint16'].includes(descr)) dtype = 'uint16';
  else if (descr === '>u2') {
    dtype = 'uint16';
    bigEndian = true;
  } else {
    throw badInput(file, `unsupported dtype ${descr} (only uint8 and uint16 camera data)`);
  }
  return { dtype, bigEndian, fortranOrder: fortran, shape, dataOffset: start + headerLen };
}

/** A version 1.0 header (2.0 if it does not fit), padded so the data starts 64-byte aligned. */
export function npyHeaderBytes(dtype: SampleDtype, shape: readonly number[]): Uint8Array {
  const descr = SAMPLE_TYPES[dtype].npy;
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
