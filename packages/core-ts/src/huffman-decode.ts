import { unfilledBytes } from './bytes.js';
import {
  buildMultiSymbolTable,
  buildPackedSymbolTable,
  type DecodedTree,
  type MultiSymbolTable,
  PACKED_COUNT_SHIFT,
  PACKED_STEP_SHIFT,
  readTree,
  STEP_BITS_MASK,
  STEP_COUNT_SHIFT,
} from './decode-table.js';
import { PymecompressError } from './errors.js';
import { maxSymbols, symbolsFit } from './format.js';
import { assertUint8Array, checkDecompressArgs, outputView, plainBytes } from './validate.js';

/**
 * The widest multi-symbol window: 12 bits, so a refill of at least 25 bits covers two windows, and the
 * tables (16 KiB of symbols, 4 KiB of steps) stay in L1 however evenly a memoryless code
 * spreads its lookups over them.
 */
const WINDOW_BITS = 12;

/**
 * Codes averaging at least this many bits (known from the stream's length before decoding) use
 * the packed multi-symbol table, one load per lookup and three symbols at most (decode-table.ts,
 * PACKED_STEP_SHIFT); shorter ones the two-array table, whose fourth symbol pays there.
 */
const PACKED_MIN_AVERAGE_BITS = 3;

/** Below this many symbols the table build is a visible part of the decode (tiles, chunks). */
const SMALL_STREAM_SYMBOLS = 1 << 18;

/**
 * The window for one stream. A small stream whose codes average at most 2.75 bits (known from
 * its length before decoding) gets 11 bits: four symbols, the most an entry holds, usually fit
 * in 11 bits then, and the table costs half as much to build. Otherwise 12.
 */
function windowFor(averageBits: number, outSize: number): number {
  return outSize < SMALL_STREAM_SYMBOLS && averageBits * 4 <= WINDOW_BITS - 1
    ? WINDOW_BITS - 1
    : WINDOW_BITS;
}

function truncatedAt(decoded: number, wanted: number): PymecompressError {
  return new PymecompressError(
    'ERR_TRUNCATED_STREAM',
    `stream ends after ${decoded} of ${wanted} symbols`,
  );
}

/*
 * The bit reader between a decode loop and the checked one-symbol path, in one typed array so
 * the path (a function of its own, shared by both loops) can hand it back. The path runs only
 * for the last symbols of the stream or the output.
 */
const OUT = 0; // next output index
const POS = 1; // next stream byte to load
const BUF = 2; // the next stream bits, left-aligned (int32)
const AVAIL = 3; // how many of buf's top bits are valid
const reader = new Int32Array(4);

/*
 * The table formats' field positions (decode-table.ts) as this module's own constants: V8 reads
 * an imported binding through its module cell, with a check, at every use in a hot loop
 * (measured: the packed loop ran at 0.70-0.86x of its speed with the imports).
 */
const COUNT_SHIFT = STEP_COUNT_SHIFT;
const BITS_MASK = STEP_BITS_MASK;
const STEP_AT = PACKED_STEP_SHIFT;
const COUNT_AT = PACKED_COUNT_SHIFT;

/** Starts `reader` at the first data bit. */
function startReader(stream: Uint8Array, treeBits: number): void {
  const pos = treeBits >>> 3;
  reader[OUT] = 0;
  reader[AVAIL] = 8 - (treeBits & 7);
  reader[BUF] = (stream[pos]! | 0) << (24 + (treeBits & 7));
  reader[POS] = pos + 1;
}

/**
 * One symbol with every check, from `reader`, for the last symbols of the stream or the output
 * (where the fast loops stop): its code walked from the root bit by bit. Reads past the end
 * give zero bits (an out-of-range typed-array read is undefined, and `undefined << n` is 0),
 * at most 255 of them (the tree's depth); a code that needed them is truncated.
 */
function decodeOneChecked(stream: Uint8Array, tree: DecodedTree, target: Uint8Array): void {
  const { childA, childB } = tree;
  const k = reader[OUT]!;
  let pos = reader[POS]!;
  let buf = reader[BUF]!;
  let avail = reader[AVAIL]!;
  let at = 0;
  while (childA[at]! >= 0) {
    if (avail === 0) {
      while (avail <= 24) {
        buf |= (stream[pos]! | 0) << (24 - avail);
        pos++;
        avail += 8;
      }
    }
    at = buf < 0 ? childB[at]! : childA[at]!;
    buf <<= 1;
    avail--;
  }
  if (pos * 8 - avail > stream.length * 8) throw truncatedAt(k, target.length);
  target[k] = tree.symbol[at]!;
  reader[OUT] = k + 1;
  reader[POS] = pos;
  reader[BUF] = buf;
  reader[AVAIL] = avail;
}

/*
 * The decode loops, one per multi-symbol table layout. Each is a function of its own with fixed
 * argument types, so V8 optimizes it the same way however the caller reached it (a large
 * function that only gets hot inside one call can end up with slower on-stack-replacement
 * code).
 *
 * Bit buffer: `buf` holds the next stream bits left-aligned, the top `avail` of them valid;
 * bits below are zero or already the true following bits (a four-byte load may cover part of a
 * byte not yet counted; loading it again ORs the same bits in the same place). The fast loop
 * refills once per two lookups with one big-endian 32-bit load, leaving 25..32 valid bits, so
 * both 12-bit windows are present and the refill is off the lookup-to-lookup chain: that chain
 * is one shift, one table load and one shift by the entry itself. Each lookup stores four bytes
 * (up to four symbols, or three and a byte a later store overwrites) and each refill loads four
 * stream bytes: the fast loop stops where either would pass an end, so every loaded bit is a
 * real stream bit and no code can be truncated there; decodeOneChecked then takes one symbol.
 * It also stops on an escape, a window whose first code is longer than the window: the rest of
 * that code is walked bit by bit from the escape's internal node, in the loop's own function
 * (about 1% of the symbols of raw camera bytes are long codes, 0.01-0.04% of quantized ones,
 * 1-3 bits past the window; measured, interleaved A/B against the single-symbol table with
 * sub-tables this replaces, whose build was a fifth of a tile's decode: tile bytes 1.33x,
 * bright bytes 1.2-1.4x, dim bytes 1.06-1.13x with the packed table).
 */
function decodeSplit(
  stream: Uint8Array,
  tree: DecodedTree,
  multi: MultiSymbolTable,
  windowBits: number,
  target: Uint8Array,
): void {
  const outSize = target.length;
  const shift = 32 - windowBits;
  const { symbols, steps } = multi;
  const input = new DataView(stream.buffer, stream.byteOffset, stream.length);
  const output = new DataView(target.buffer, target.byteOffset, outSize);
  const fastOutEnd = outSize - 8;
  const fastInEnd = stream.length - 4;
  const { childA, childB, symbol } = tree;
  const totalBits = stream.length * 8;
  let k = reader[OUT]!;
  let pos = reader[POS]!;
  let buf = reader[BUF]!;
  let avail = reader[AVAIL]!;
  while (k < outSize) {
    // avail is 1..31 here.
    let longCode = 0; // the internal node of a window whose first code is longer than it
    while (k < fastOutEnd && pos <= fastInEnd) {
      const loaded = (32 - avail) >>> 3;
      buf |= input.getUint32(pos) >>> avail;
      pos += loaded;
      avail += loaded << 3;
      let index = buf >>> shift;
      let step = steps[index]!;
      if (step === 0) {
        longCode = symbols[index]!;
        break;
      }
      output.setInt32(k, symbols[index]!, true);
      k += step >>> COUNT_SHIFT;
      buf <<= step;
      avail -= step & BITS_MASK;
      index = buf >>> shift;
      step = steps[index]!;
      if (step === 0) {
        longCode = symbols[index]!;
        break;
      }
      output.setInt32(k, symbols[index]!, true);
      k += step >>> COUNT_SHIFT;
      buf <<= step;
      avail -= step & BITS_MASK;
    }
    if (k >= outSize) break;
    if (longCode !== 0) {
      buf <<= windowBits;
      avail -= windowBits;
      let at = longCode;
      do {
        if (avail === 0) {
          while (avail <= 24) {
            buf |= (stream[pos]! | 0) << (24 - avail);
            pos++;
            avail += 8;
          }
        }
        at = buf < 0 ? childB[at]! : childA[at]!;
        buf <<= 1;
        avail--;
      } while (childA[at]! >= 0);
      if (pos * 8 - avail > totalBits) throw truncatedAt(k, outSize);
      target[k++] = symbol[at]!;
      continue;
    }
    reader[OUT] = k;
    reader[POS] = pos;
    reader[BUF] = buf;
    reader[AVAIL] = avail;
    decodeOneChecked(stream, tree, target);
    k = reader[OUT]!;
    pos = reader[POS]!;
    buf = reader[BUF]!;
    avail = reader[AVAIL]!;
  }
}

/** decodeSplit over the packed table (decode-table.ts, PACKED_STEP_SHIFT): one load a lookup. */
function decodePacked(
  stream: Uint8Array,
  tree: DecodedTree,
  packed: Int32Array,
  windowBits: number,
  target: Uint8Array,
): void {
  const outSize = target.length;
  const shift = 32 - windowBits;
  const input = new DataView(stream.buffer, stream.byteOffset, stream.length);
  const output = new DataView(target.buffer, target.byteOffset, outSize);
  const fastOutEnd = outSize - 8;
  const fastInEnd = stream.length - 4;
  const { childA, childB, symbol } = tree;
  const totalBits = stream.length * 8;
  let k = reader[OUT]!;
  let pos = reader[POS]!;
  let buf = reader[BUF]!;
  let avail = reader[AVAIL]!;
  while (k < outSize) {
    let longCode = 0; // the internal node of a window whose first code is longer than it
    while (k < fastOutEnd && pos <= fastInEnd) {
      const loaded = (32 - avail) >>> 3;
      buf |= input.getUint32(pos) >>> avail;
      pos += loaded;
      avail += loaded << 3;
      let entry = packed[buf >>> shift]!;
      if (entry < 0) {
        longCode = -entry;
        break;
      }
      output.setInt32(k, entry, true);
      k += entry >>> COUNT_AT;
      // JavaScript masks shift counts to five bits: this shifts by the entry's bit count.
      buf <<= entry >>> STEP_AT;
      avail -= (entry >>> STEP_AT) & BITS_MASK;
      entry = packed[buf >>> shift]!;
      if (entry < 0) {
        longCode = -entry;
        break;
      }
      output.setInt32(k, entry, true);
      k += entry >>> COUNT_AT;
      buf <<= entry >>> STEP_AT;
      avail -= (entry >>> STEP_AT) & BITS_MASK;
    }
    if (k >= outSize) break;
    if (longCode !== 0) {
      buf <<= windowBits;
      avail -= windowBits;
      let at = longCode;
      do {
        if (avail === 0) {
          while (avail <= 24) {
            buf |= (stream[pos]! | 0) << (24 - avail);
            pos++;
            avail += 8;
          }
        }
        at = buf < 0 ? childB[at]! : childA[at]!;
        buf <<= 1;
        avail--;
      } while (childA[at]! >= 0);
      if (pos * 8 - avail > totalBits) throw truncatedAt(k, outSize);
      target[k++] = symbol[at]!;
      continue;
    }
    reader[OUT] = k;
    reader[POS] = pos;
    reader[BUF] = buf;
    reader[AVAIL] = avail;
    decodeOneChecked(stream, tree, target);
    k = reader[OUT]!;
    pos = reader[POS]!;
    buf = reader[BUF]!;
    avail = reader[AVAIL]!;
  }
}

/** True when two byte views share any byte of one buffer. */
function overlaps(a: Uint8Array, b: Uint8Array): boolean {
  return (
    a.buffer === b.buffer &&
    a.byteOffset < b.byteOffset + b.byteLength &&
    b.byteOffset < a.byteOffset + a.byteLength
  );
}

/**
 * Decodes exactly `outSize` symbols from a raw BCL Huffman stream (no trailer). Bits after the
 * last requested symbol are ignored: Python's quant16 codec streams carry extra symbols.
 */
export function huffmanDecompress(
  stream: Uint8Array,
  outSize: number,
  out?: Uint8Array,
): Uint8Array {
  checkDecompressArgs(stream, outSize, out);
  // Refuse, before allocating, a count no stream of this length can carry (format.ts).
  if (!symbolsFit(outSize, stream.length)) {
    throw new PymecompressError(
      'ERR_OUTPUT_TOO_LARGE',
      `a stream of ${stream.length} bytes cannot hold ${outSize} symbols (at most ${maxSymbols(stream.length)})`,
    );
  }
  // Every byte of a fresh result is assigned below (or an error is thrown): no zero-fill needed.
  const result = outputView(out, outSize, 'out', assertUint8Array, unfilledBytes);
  if (outSize === 0) return result;
  const target = plainBytes(result);
  // The loop reads the stream in place, so an `out` laid over the stream itself (decoding a
  // buffer into itself, which the conformance contract defines) must first detach its input.
  const input = overlaps(stream, target) ? stream.slice() : stream;

  const tree = readTree(input);
  if (tree.childA[0]! < 0) {
    // A lone leaf: the reference reads no data bits, so neither do we.
    target.fill(tree.symbol[0]!);
    return result;
  }

  const averageBits = (input.length * 8 - tree.bitLength) / outSize;
  const windowBits = windowFor(averageBits, outSize);
  startReader(input, tree.bitLength);
  if (averageBits >= PACKED_MIN_AVERAGE_BITS) {
    decodePacked(input, tree, buildPackedSymbolTable(tree, windowBits), windowBits, target);
  } else {
    decodeSplit(input, tree, buildMultiSymbolTable(tree, windowBits), windowBits, target);
  }
  return result;
}
