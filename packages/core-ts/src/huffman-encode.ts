import { BitWriter } from './bit-writer.js';
import {
  assignCodePaths,
  buildHistogram,
  buildHuffmanTree,
  type HuffmanTree,
} from './huffman-tree.js';
import { assertEncodableLength, assertUint8Array, plainBytes } from './validate.js';

/** Codes of at most this many bits are written by the fast loop (fits a 32-bit accumulator). */
const FAST_CODE_BITS = 24;

/** Inputs from this size on pay for the 65,536-entry pair table (about 0.3 ms to build). */
const PAIR_TABLE_MIN_INPUT = 1 << 18;
const PAIR_CODE_BITS = 16;

/**
 * Code of every byte pair (first byte in the low 8 bits of the index): the first code followed
 * by the second, packed as (code << 5) | length, or -1 when together they exceed 16 bits.
 */
function buildPairCodeTable(fastCode: Int32Array): Int32Array {
  const pairCode = new Int32Array(65536);
  for (let second = 0; second < 256; second++) {
    const secondEntry = fastCode[second]!;
    const secondLength = secondEntry & 31;
    const secondCode = secondEntry >>> 5;
    for (let first = 0; first < 256; first++) {
      const firstEntry = fastCode[first]!;
      const length = (firstEntry & 31) + secondLength;
      pairCode[first | (second << 8)] =
        length > PAIR_CODE_BITS
          ? -1
          : ((((firstEntry >>> 5) << secondLength) | secondCode) << 5) | length;
    }
  }
  return pairCode;
}

function writeTree(tree: HuffmanTree, writer: BitWriter): void {
  // Pre-order: internal node = 0 then A then B; leaf = 1 then the 8-bit symbol.
  const stack = [tree.root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (tree.childA[node]! < 0) {
      writer.writeBits(0x100 | tree.symbol[node]!, 9);
    } else {
      writer.writeBits(0, 1);
      stack.push(tree.childB[node]!, tree.childA[node]!);
    }
  }
}

/*
 * The hot loops. Each lives in a function of its own with fixed argument types, so V8 optimizes
 * it the same way however it got hot (a large function that only becomes hot inside one call
 * can be left with slower on-stack-replacement code). They take the writer's state, keep it in
 * locals, and hand it back.
 */

/** Codes of at most 24 bits, two input bytes per step through the pair table. */
function writeCodesInPairs(
  input: Uint8Array,
  fastCode: Int32Array,
  pairCode: Int32Array,
  out: Uint8Array,
  writer: BitWriter,
): void {
  const n = input.length;
  let { pending, pendingBits, byteIndex } = writer.state();
  // Two input bytes per step: one lookup gives both codes concatenated (at most 16 bits).
  // Invariant: pendingBits < 16 before each step, so at most 31 live bits after it.
  // Shifted-out high bits are dead, so int32 wrap-around in `<<` is harmless.
  const last = n - 1;
  let i = 0;
  for (; i < last; i += 2) {
    const entry = pairCode[input[i]! | (input[i + 1]! << 8)]!;
    if (entry < 0) {
      // A rare pair whose codes exceed 16 bits together: one code (up to 24 bits) at a
      // time, flushing whole bytes first so fewer than 8 bits are pending before each.
      for (let j = i; j <= i + 1; j++) {
        while (pendingBits >= 8) {
          pendingBits -= 8;
          out[byteIndex++] = pending >>> pendingBits;
        }
        const single = fastCode[input[j]!]!;
        pending = (pending << (single & 31)) | (single >>> 5);
        pendingBits += single & 31;
      }
      while (pendingBits >= 8) {
        pendingBits -= 8;
        out[byteIndex++] = pending >>> pendingBits;
      }
      continue;
    }
    pending = (pending << (entry & 31)) | (entry >>> 5);
    pendingBits += entry & 31;
    // Branch-free flush of 16 bits when at least 16 are pending: the two bytes are always
    // stored, but the position only advances when they were complete; otherwise they are
    // overwritten later (stores past the end of the output are ignored by typed arrays).
    const flush = (pendingBits >>> 4) & 1;
    out[byteIndex] = pending >>> (pendingBits - 8);
    out[byteIndex + 1] = pending >>> (pendingBits - 16);
    byteIndex += flush << 1;
    pendingBits -= flush << 4;
  }
  writer.restore(pending, pendingBits, byteIndex);
  // An odd-length input leaves one byte.
  if (i === last) writer.writeBits(fastCode[input[i]!]! >>> 5, fastCode[input[i]!]! & 31);
}

/** Codes of at most 16 bits, one byte per step. */
function writeShortCodes(
  input: Uint8Array,
  fastCode: Int32Array,
  out: Uint8Array,
  writer: BitWriter,
): void {
  const n = input.length;
  let { pending, pendingBits, byteIndex } = writer.state();
  // pendingBits < 16 on entry to each step and a code adds at most 16: at most 31 live bits.
  for (let i = 0; i < n; i++) {
    const entry = fastCode[input[i]!]!;
    const length = entry & 31;
    pending = (pending << length) | (entry >>> 5);
    pendingBits += length;
    if (pendingBits >= 16) {
      pendingBits -= 16;
      out[byteIndex] = pending >>> (pendingBits + 8);
      out[byteIndex + 1] = pending >>> pendingBits;
      byteIndex += 2;
    }
  }
  writer.restore(pending, pendingBits, byteIndex);
}

/** Codes of 17 to 24 bits, one byte per step. */
function writeMediumCodes(
  input: Uint8Array,
  fastCode: Int32Array,
  out: Uint8Array,
  writer: BitWriter,
): void {
  const n = input.length;
  let { pending, pendingBits, byteIndex } = writer.state();
  // pendingBits < 8 on entry and a code adds at most 24: at most 31 live bits.
  for (let i = 0; i < n; i++) {
    const entry = fastCode[input[i]!]!;
    const length = entry & 31;
    pending = (pending << length) | (entry >>> 5);
    pendingBits += length;
    while (pendingBits >= 8) {
      pendingBits -= 8;
      out[byteIndex++] = pending >>> pendingBits;
    }
  }
  writer.restore(pending, pendingBits, byteIndex);
}

/**
 * Huffman-codes `data` into a raw Basic Compression Library stream: tree, then codes, no
 * trailer. Identical to pymecompress's `HuffmanCompress` whenever its codes fit 25 bits; longer
 * codes (which the reference corrupts) are written correctly.
 */
export function huffmanCompress(data: Uint8Array): Uint8Array {
  assertUint8Array(data, 'data');
  const n = data.length;
  assertEncodableLength(n);
  if (n === 0) return new Uint8Array(0);
  const input = plainBytes(data);

  const histogram = buildHistogram(input);
  const tree = buildHuffmanTree(histogram);
  const paths = assignCodePaths(tree);

  // Exact output size, known before writing: tree bits plus the sum of code lengths.
  let bits = tree.leafCount * 9 + (tree.leafCount - 1);
  let maxLength = 0;
  // fastCode packs (code << 5) | length for codes that fit the fast loop.
  const fastCode = new Int32Array(256);
  for (let s = 0; s < 256; s++) {
    const path = paths[s];
    if (path === undefined) continue;
    bits += histogram[s]! * path.length;
    maxLength = Math.max(maxLength, path.length);
    if (path.length <= FAST_CODE_BITS) {
      let code = 0;
      for (let i = 0; i < path.length; i++) code = (code << 1) | path[i]!;
      fastCode[s] = (code << 5) | path.length;
    }
  }
  const out = new Uint8Array(Math.ceil(bits / 8));
  const writer = new BitWriter(out);
  writeTree(tree, writer);

  if (n >= PAIR_TABLE_MIN_INPUT && maxLength <= FAST_CODE_BITS) {
    writeCodesInPairs(input, fastCode, buildPairCodeTable(fastCode), out, writer);
  } else if (maxLength <= 16) {
    writeShortCodes(input, fastCode, out, writer);
  } else if (maxLength <= FAST_CODE_BITS) {
    writeMediumCodes(input, fastCode, out, writer);
  } else {
    // Deep trees (codes longer than 24 bits need inputs of hundreds of kB with Fibonacci-like
    // statistics): write long codes bit by bit; correctness over speed.
    for (let i = 0; i < n; i++) {
      const symbol = input[i]!;
      const entry = fastCode[symbol]!;
      if (entry !== 0) writer.writeBits(entry >>> 5, entry & 31);
      else writer.writePath(paths[symbol]!);
    }
  }
  const written = writer.finish();
  if (written !== out.length) {
    // Unreachable unless the size computation above is wrong; never return a short stream.
    throw new Error(`internal error: wrote ${written} bytes, expected ${out.length}`);
  }
  return out;
}
