import { unfilledBytes } from './bytes.js';
import {
  buildDecodeTable,
  buildMultiSymbolTable,
  LEAF_FLAG,
  type MultiSymbolTable,
  OFFSET_SHIFT,
  readTree,
  STEP_BITS_MASK,
  STEP_COUNT_SHIFT,
  WIDTH_MASK,
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

/** Below this many symbols the table build is a visible part of the decode (tiles, chunks). */
const SMALL_STREAM_SYMBOLS = 1 << 18;

/**
 * The window for one stream. A small stream whose codes average at most 2.75 bits (known from
 * its length before decoding) gets 11 bits: four symbols, the most an entry holds, usually fit
 * in 11 bits then, and the table costs half as much to build. Otherwise 12.
 */
function windowFor(streamLength: number, treeBits: number, outSize: number): number {
  const averageBits = (streamLength * 8 - treeBits) / outSize;
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

/**
 * The hot loop, kept in a function of its own with fixed argument types so V8 optimizes it the
 * same way however the caller reached it (a large function that only gets hot inside one call
 * can end up with slower on-stack-replacement code).
 *
 * Bit buffer: `buf` holds the next stream bits left-aligned, the top `avail` of them valid;
 * bits below are zero or already the true following bits (a four-byte load may cover part of a
 * byte not yet counted; loading it again ORs the same bits in the same place). The fast loop
 * refills once per two lookups with one big-endian 32-bit load, leaving 25..32 valid bits, so
 * both 12-bit windows are present and the refill is off the lookup-to-lookup chain: that chain
 * is one shift, one table load and one shift by the entry itself.
 */
function decodeSymbols(
  stream: Uint8Array,
  treeBits: number,
  entries: Int32Array,
  multi: MultiSymbolTable,
  primaryBits: number,
  windowBits: number,
  target: Uint8Array,
): void {
  const outSize = target.length;
  const streamLength = stream.length;
  const totalBits = streamLength * 8;
  const shift = 32 - windowBits;
  const { symbols, steps } = multi;
  const primaryShift = 32 - primaryBits;
  const input = new DataView(stream.buffer, stream.byteOffset, streamLength);
  const output = new DataView(target.buffer, target.byteOffset, outSize);
  // The fast loop stores four bytes per lookup (three symbols and one overwritten later) and
  // loads four stream bytes per refill: it stops where either would pass an end. While it
  // runs every loaded bit is a real stream bit, so no code can be truncated there.
  const fastOutEnd = outSize - 8;
  const fastInEnd = streamLength - 4;

  let pos = treeBits >>> 3;
  let avail = 8 - (treeBits & 7);
  let buf = (stream[pos]! | 0) << (24 + (treeBits & 7));
  pos++;
  let k = 0;
  while (k < outSize) {
    // avail is 1..31 here.
    while (k < fastOutEnd && pos <= fastInEnd) {
      const loaded = (32 - avail) >>> 3;
      buf |= input.getUint32(pos) >>> avail;
      pos += loaded;
      avail += loaded << 3;
      let index = buf >>> shift;
      let step = steps[index]!;
      if (step === 0) break;
      output.setInt32(k, symbols[index]!, true);
      k += step >>> STEP_COUNT_SHIFT;
      buf <<= step;
      avail -= step & STEP_BITS_MASK;
      index = buf >>> shift;
      step = steps[index]!;
      if (step === 0) break;
      output.setInt32(k, symbols[index]!, true);
      k += step >>> STEP_COUNT_SHIFT;
      buf <<= step;
      avail -= step & STEP_BITS_MASK;
    }
    if (k >= outSize) break;

    // One symbol with every check: a code longer than the window (through the sub-tables), or
    // the last symbols of the stream or the output. Reads past the end give zero bits (an
    // out-of-range typed-array read is undefined, and `undefined << n` is 0); a code that
    // needed them is truncated.
    while (avail <= 24) {
      buf |= (stream[pos]! | 0) << (24 - avail);
      pos++;
      avail += 8;
    }
    let entry = entries[buf >>> primaryShift]!;
    let used = (entry & LEAF_FLAG) !== 0 ? (entry >>> 8) & WIDTH_MASK : primaryBits;
    buf <<= used;
    avail -= used;
    while ((entry & LEAF_FLAG) === 0) {
      if (pos * 8 - avail >= totalBits) throw truncatedAt(k, outSize);
      while (avail <= 24) {
        buf |= (stream[pos]! | 0) << (24 - avail);
        pos++;
        avail += 8;
      }
      const width = (entry >>> 8) & WIDTH_MASK;
      entry = entries[(entry >>> OFFSET_SHIFT) + (buf >>> (32 - width))]!;
      used = (entry & LEAF_FLAG) !== 0 ? (entry >>> 8) & WIDTH_MASK : width;
      buf <<= used;
      avail -= used;
    }
    if (pos * 8 - avail > totalBits) throw truncatedAt(k, outSize);
    target[k++] = entry;
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

  const windowBits = windowFor(input.length, tree.bitLength, outSize);
  const table = buildDecodeTable(tree, windowBits);
  const { entries, primaryBits } = table;
  const multi = buildMultiSymbolTable(tree, windowBits);
  decodeSymbols(input, tree.bitLength, entries, multi, primaryBits, windowBits, target);
  return result;
}
