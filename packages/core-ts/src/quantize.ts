import { LITTLE_ENDIAN } from './bytes.js';
import {
  buildHistogram,
  foldPairCounts,
  laneCounts,
  PAIR_COUNT_MIN_INPUT,
  sumLaneCounts,
} from './huffman-tree.js';
import {
  assertUint8Array,
  assertUint16Array,
  checkDequantizeArgs,
  checkQuantizeArgs,
  outputView,
  quantParams,
} from './validate.js';

/*
 * The sqrt quantizer as pymecompress's scalar C path computes it, in float32 (docs/FORMAT.md,
 * "Quantizer"). Math.fround after every operation reproduces float32 exactly: +, -, *, / and
 * sqrt computed in float64 and rounded once to float32 give the correctly rounded float32
 * result, because float64 has more than twice float32's precision plus two bits.
 */

/** Quantizes one value. `offset32` and `reciprocal32` are already float32 values. */
export function quantizeValue(x: number, offset32: number, reciprocal32: number): number {
  const v = Math.fround(x - offset32);
  // Below the offset the reference takes sqrt of a negative number (NaN, undefined behaviour
  // when cast); we define it as 0.
  if (!(v > 0)) return 0;
  const r = Math.fround(reciprocal32 * Math.fround(Math.sqrt(v)));
  // roundf rounds half away from zero; r >= 0 here. The reference wraps at 256; we saturate.
  return r >= 255.5 ? 255 : Math.floor(r + 0.5);
}

const TABLE_SIZE = 65536;
/** Below this many values, building the 65,536-entry table costs more than it saves. */
const TABLE_THRESHOLD = 16384;

/** Most recently built table: acquisition reuses one (offset, scale) for a whole stack. */
let cachedTable: { offset32: number; scale32: number; table: Uint8Array } | undefined;

/** The quantized value of every uint16 input for one (offset, scale): exact by construction. */
export function buildQuantizeTable(offset: number, scale: number): Uint8Array {
  const { offset32, scale32 } = quantParams(offset, scale);
  if (cachedTable?.offset32 === offset32 && cachedTable.scale32 === scale32) {
    return cachedTable.table;
  }
  const reciprocal32 = Math.fround(1 / scale32);
  const table = new Uint8Array(TABLE_SIZE);
  // The quantizer is monotonic in x: once it reaches 255 every larger input does too.
  let x = Math.max(0, Math.floor(offset32));
  for (; x < TABLE_SIZE; x++) {
    const q = quantizeValue(x, offset32, reciprocal32);
    table[x] = q;
    if (q === 255) break;
  }
  table.fill(255, x);
  cachedTable = { offset32, scale32, table };
  return table;
}

/**
 * `out[i] = table[data[i]]`. When the views are suitably aligned, moves four (or two) values
 * per step with 32-bit loads and stores: the byte order this assumes is little-endian, which is
 * every platform JavaScript runs on in practice, and is checked once (bytes.ts).
 */
function mapThroughTable(data: Uint16Array, table: Uint8Array, out: Uint8Array): void {
  const n = data.length;
  let i = 0;
  if (LITTLE_ENDIAN && n >= 64 && data.byteOffset % 4 === 0 && out.byteOffset % 4 === 0) {
    // Four values per step: two 32-bit loads, one 32-bit store.
    const quads = n >>> 2;
    const input = new Uint32Array(data.buffer, data.byteOffset, quads * 2);
    const output = new Uint32Array(out.buffer, out.byteOffset, quads);
    for (let p = 0; p < quads; p++) {
      const low = input[2 * p]!;
      const high = input[2 * p + 1]!;
      output[p] =
        table[low & 0xffff]! |
        (table[low >>> 16]! << 8) |
        (table[high & 0xffff]! << 16) |
        (table[high >>> 16]! << 24);
    }
    i = quads * 4;
  } else if (LITTLE_ENDIAN && n >= 64 && data.byteOffset % 4 === 0 && out.byteOffset % 2 === 0) {
    const pairs = n >>> 1;
    const input = new Uint32Array(data.buffer, data.byteOffset, pairs);
    const output = new Uint16Array(out.buffer, out.byteOffset, pairs);
    for (let p = 0; p < pairs; p++) {
      const two = input[p]!;
      output[p] = table[two & 0xffff]! | (table[two >>> 16]! << 8);
    }
    i = pairs * 2;
  }
  for (; i < n; i++) out[i] = table[data[i]!]!;
}

/**
 * mapThroughTable and buildHistogram's four interleaved counters in one pass, for inputs too
 * small for pair counting (tiles, chunks): the symbols are counted as they are written instead
 * of read back. `data` is 4-byte aligned; `out` is fresh (offset 0).
 */
function mapAndCount(data: Uint16Array, table: Uint8Array, out: Uint8Array): Float64Array {
  const n = data.length;
  const lanes = laneCounts;
  lanes.fill(0);
  const quads = n >>> 2;
  const input = new Uint32Array(data.buffer, data.byteOffset, quads * 2);
  const output = new Uint32Array(out.buffer, out.byteOffset, quads);
  for (let p = 0; p < quads; p++) {
    const low = input[2 * p]!;
    const high = input[2 * p + 1]!;
    const a = table[low & 0xffff]!;
    const b = table[low >>> 16]!;
    const c = table[high & 0xffff]!;
    const d = table[high >>> 16]!;
    output[p] = a | (b << 8) | (c << 16) | (d << 24);
    lanes[a]!++;
    lanes[256 + b]!++;
    lanes[512 + c]!++;
    lanes[768 + d]!++;
  }
  for (let i = quads * 4; i < n; i++) {
    const v = table[data[i]!]!;
    out[i] = v;
    lanes[v]!++;
  }
  return sumLaneCounts();
}

/**
 * `quantize` that also counts the symbols it writes (the histogram of the Huffman coder,
 * docs/FORMAT.md §1.2), so quantize+encode reads its input once before coding. Symbols are
 * counted two at a time (one increment per pair, folded after), as buildHistogram counts large
 * inputs; small ones (tiles), where the 65,536 pair counters would cost more than they save,
 * are counted while they are quantized with buildHistogram's four interleaved counters.
 */
export function quantizeCounting(
  data: Uint16Array,
  offset: number,
  scale: number,
): { symbols: Uint8Array; histogram: Float64Array } {
  const { offset32, scale32 } = quantParams(offset, scale);
  const n = data.length;
  const symbols = new Uint8Array(n);
  const aligned = LITTLE_ENDIAN && data.byteOffset % 4 === 0;
  if (aligned && n >= TABLE_THRESHOLD && n < PAIR_COUNT_MIN_INPUT) {
    const histogram = mapAndCount(data, buildQuantizeTable(offset32, scale32), symbols);
    return { symbols, histogram };
  }
  if (!aligned || n < PAIR_COUNT_MIN_INPUT) {
    quantize(data, offset32, scale32, symbols);
    return { symbols, histogram: buildHistogram(symbols) };
  }
  const table = buildQuantizeTable(offset32, scale32);
  // Symbols are counted in pairs, as buildHistogram counts large inputs (huffman-tree.ts).
  const pairs = new Uint32Array(65536);
  const singles = new Uint32Array(256);
  // Four pixels per step: two 32-bit loads, one 32-bit store (see mapThroughTable).
  // Two steps per iteration: V8 re-checks each typed array once per iteration, not per use
  // (huffman-tree.ts buildHistogram).
  const quads = n >>> 2;
  const input = new Uint32Array(data.buffer, data.byteOffset, quads * 2);
  const output = new Uint32Array(symbols.buffer, 0, quads);
  const evenQuads = quads & ~1;
  for (let p = 0; p < evenQuads; p += 2) {
    const w0 = input[2 * p]!;
    const w1 = input[2 * p + 1]!;
    const w2 = input[2 * p + 2]!;
    const w3 = input[2 * p + 3]!;
    const first = table[w0 & 0xffff]! | (table[w0 >>> 16]! << 8);
    const second = table[w1 & 0xffff]! | (table[w1 >>> 16]! << 8);
    const third = table[w2 & 0xffff]! | (table[w2 >>> 16]! << 8);
    const fourth = table[w3 & 0xffff]! | (table[w3 >>> 16]! << 8);
    output[p] = first | (second << 16);
    output[p + 1] = third | (fourth << 16);
    pairs[first]!++;
    pairs[second]!++;
    pairs[third]!++;
    pairs[fourth]!++;
  }
  for (let p = evenQuads; p < quads; p++) {
    const low = input[2 * p]!;
    const high = input[2 * p + 1]!;
    const first = table[low & 0xffff]! | (table[low >>> 16]! << 8);
    const second = table[high & 0xffff]! | (table[high >>> 16]! << 8);
    output[p] = first | (second << 16);
    pairs[first]!++;
    pairs[second]!++;
  }
  for (let i = quads * 4; i < n; i++) {
    const s = table[data[i]!]!;
    symbols[i] = s;
    singles[s]!++;
  }
  return { symbols, histogram: foldPairCounts(pairs, singles) };
}

export function quantize(
  data: Uint16Array,
  offset: number,
  scale: number,
  out?: Uint8Array,
): Uint8Array {
  const { offset32, scale32 } = checkQuantizeArgs(data, offset, scale, out);
  const n = data.length;
  const result = outputView(out, n, 'out', assertUint8Array, (length) => new Uint8Array(length));
  const cached = cachedTable?.offset32 === offset32 && cachedTable.scale32 === scale32;
  if (n >= TABLE_THRESHOLD || cached) {
    mapThroughTable(data, buildQuantizeTable(offset32, scale32), result);
  } else {
    const reciprocal32 = Math.fround(1 / scale32);
    for (let i = 0; i < n; i++) result[i] = quantizeValue(data[i]!, offset32, reciprocal32);
  }
  return result;
}

/** PYME's PZF dequantization of one symbol, in float32, truncated and clamped to uint16. */
export function dequantizeValue(q: number, offset32: number, scale32: number): number {
  const t = Math.fround(q * scale32);
  const v = Math.fround(Math.fround(t * t) + offset32);
  // numpy's astype(uint16) truncates toward zero; out-of-range values are undefined there, so
  // we clamp.
  if (!(v > 0)) return 0;
  return v >= 65535 ? 65535 : Math.trunc(v);
}

export function dequantize(
  q: Uint8Array,
  offset: number,
  scale: number,
  out?: Uint16Array,
): Uint16Array {
  const { offset32, scale32 } = checkDequantizeArgs(q, offset, scale, out);
  const n = q.length;
  const result = outputView(out, n, 'out', assertUint16Array, (length) => new Uint16Array(length));
  const table = new Uint16Array(256);
  for (let s = 0; s < 256; s++) table[s] = dequantizeValue(s, offset32, scale32);
  let i = 0;
  if (LITTLE_ENDIAN && n >= 64 && q.byteOffset % 2 === 0 && result.byteOffset % 4 === 0) {
    // Two symbols per 16-bit load, two pixels per 32-bit store (see mapThroughTable).
    const pairs = n >>> 1;
    const input = new Uint16Array(q.buffer, q.byteOffset, pairs);
    const output = new Uint32Array(result.buffer, result.byteOffset, pairs);
    for (let p = 0; p < pairs; p++) {
      const two = input[p]!;
      output[p] = (table[two & 0xff]! | (table[two >>> 8]! << 16)) >>> 0;
    }
    i = pairs * 2;
  }
  for (; i < n; i++) result[i] = table[q[i]!]!;
  return result;
}
