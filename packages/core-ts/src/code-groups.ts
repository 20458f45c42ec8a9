import type { BitWriter } from './bit-writer.js';

/*
 * The encoder's hot loops (docs/FORMAT.md §1.4: codes follow each other MSB first, no
 * alignment), for trees whose codes all fit FAST_CODE_BITS. `fastCode[s]` is
 * (code << 5) | length for every symbol present.
 *
 * One step adds a group of at most 24 bits to an accumulator that holds the pending bits
 * left-aligned, at most 7 of them between steps (so fill + group <= 31 and no shift count
 * reaches 32, which JavaScript would take modulo 32). It stores all 32 accumulator bits
 * big-endian at the next output byte and moves on by the whole bytes completed: one store per
 * step and no branch that depends on where bytes or words end (those are unpredictable on
 * camera data); each store is partly overwritten by the next. Only complete groups are
 * gathered at once: two symbols, or four when the data is well compressed.
 *
 * Each loop lives in a function of its own with fixed argument types, so V8 optimizes it the
 * same way however it got hot. The loops stop while every store of a step stays inside the
 * output (its exact size is known) and hand the last symbols to the bit writer. The loops here
 * read any view, a byte or a DataView load at a time; code-words.ts has the faster ones for
 * input a 32-bit load can read (aligned, little-endian host), which the encoder prefers.
 */

/**
 * Longest code (and group) the fast loops take. The loops use the module-private binding: V8
 * reads an exported one through its module cell, with a check, at every use.
 */
const GROUP_BITS = 24;
export const FAST_CODE_BITS = GROUP_BITS;

/** A pairCodes entry whose two codes together exceed FAST_CODE_BITS (its length field). */
export const NO_PAIR = 31;

/**
 * (codes of first and second symbol joined) << 5 | joined length, indexed by
 * first | second << 8 (the little-endian 16-bit load of the two bytes). Module-level: 256 KiB
 * is too much to allocate per call, and each call writes every entry it reads (pairs of
 * symbols present). It holds code words only, never the caller's data.
 */
const pairCodes = new Int32Array(65536);
const presentSymbols = new Int32Array(256);
const presentCodes = new Int32Array(256);
const presentLengths = new Int32Array(256);

/**
 * Fills pairCodes for every pair of symbols present and returns it (the loops of code-words.ts
 * take it as an argument); the work is (symbols present)^2.
 */
export function buildPairCodes(fastCode: Int32Array): Int32Array {
  // Locals: module-level bindings are reloaded and re-checked at every use in a loop.
  const table = pairCodes;
  const symbols = presentSymbols;
  const codes = presentCodes;
  const lengths = presentLengths;
  let count = 0;
  for (let s = 0; s < 256; s++) {
    const entry = fastCode[s]!;
    if (entry === 0) continue;
    symbols[count] = s;
    codes[count] = entry >>> 5;
    lengths[count] = entry & 31;
    count++;
  }
  // The first symbol is the low byte of the index: the inner loop over it writes in order.
  for (let j = 0; j < count; j++) {
    const row = symbols[j]! << 8;
    const secondCode = codes[j]!;
    const secondLength = lengths[j]!;
    for (let i = 0; i < count; i++) {
      const length = lengths[i]! + secondLength;
      table[row | symbols[i]!] =
        length <= GROUP_BITS ? (((codes[i]! << secondLength) | secondCode) << 5) | length : NO_PAIR;
    }
  }
  return table;
}

/** Hands the loop's left-aligned accumulator back to the writer, then the remaining symbols. */
export function finish(
  input: Uint8Array,
  fastCode: Int32Array,
  writer: BitWriter,
  acc: number,
  fill: number,
  byteIndex: number,
  from: number,
): void {
  writer.restore(fill === 0 ? 0 : acc >>> (32 - fill), fill, byteIndex);
  for (let i = from; i < input.length; i++) {
    const entry = fastCode[input[i]!]!;
    writer.writeBits(entry >>> 5, entry & 31);
  }
}

/** The writer's pending bits (at most 7 after a flush), left-aligned. */
export function leftAligned(pending: number, pendingBits: number): number {
  return pendingBits === 0 ? 0 : pending << (32 - pendingBits);
}

/**
 * Two symbols per step from two fastCode lookups: for inputs too small, or with too many
 * distinct symbols, to repay building pairCodes (code-words.ts writeTwoPairs when aligned).
 */
export function writePairs(
  input: Uint8Array,
  fastCode: Int32Array,
  out: Uint8Array,
  writer: BitWriter,
): void {
  const n = input.length;
  const pairs = n >>> 1;
  const { pending, pendingBits, byteIndex: start } = writer.state();
  const source = new DataView(input.buffer, input.byteOffset, n);
  const target = new DataView(out.buffer, out.byteOffset, out.length);
  let fill = pendingBits;
  let acc = leftAligned(pending, fill);
  let byteIndex = start;
  // At most two stores per pair, the second at most 3 bytes further.
  const lastStore = out.length - 7;
  let p = 0;
  for (; p < pairs && byteIndex <= lastStore; p++) {
    const two = source.getUint16(p * 2, true);
    const first = fastCode[two & 0xff]!;
    const second = fastCode[two >>> 8]!;
    const secondLength = second & 31;
    const length = (first & 31) + secondLength;
    if (length <= GROUP_BITS) {
      fill += length;
      acc |= (((first >>> 5) << secondLength) | (second >>> 5)) << (32 - fill);
      target.setInt32(byteIndex, acc);
      const bytes = fill >>> 3;
      byteIndex += bytes;
      acc <<= bytes << 3;
      fill &= 7;
    } else {
      // Two long codes (only in deep trees): one step each.
      fill += first & 31;
      acc |= (first >>> 5) << (32 - fill);
      target.setInt32(byteIndex, acc);
      let bytes = fill >>> 3;
      byteIndex += bytes;
      acc <<= bytes << 3;
      fill &= 7;
      fill += secondLength;
      acc |= (second >>> 5) << (32 - fill);
      target.setInt32(byteIndex, acc);
      bytes = fill >>> 3;
      byteIndex += bytes;
      acc <<= bytes << 3;
      fill &= 7;
    }
  }
  finish(input, fastCode, writer, acc, fill, byteIndex, p * 2);
}

/** Two symbols per step from one pairCodes lookup (buildPairCodes first). */
export function writePairCodes(
  input: Uint8Array,
  fastCode: Int32Array,
  out: Uint8Array,
  writer: BitWriter,
): void {
  const n = input.length;
  const pairs = n >>> 1;
  const { pending, pendingBits, byteIndex: start } = writer.state();
  const source = new DataView(input.buffer, input.byteOffset, n);
  const target = new DataView(out.buffer, out.byteOffset, out.length);
  let fill = pendingBits;
  let acc = leftAligned(pending, fill);
  let byteIndex = start;
  const lastStore = out.length - 7;
  let p = 0;
  for (; p < pairs && byteIndex <= lastStore; p++) {
    const two = source.getUint16(p * 2, true);
    const group = pairCodes[two]!;
    if ((group & 31) !== NO_PAIR) {
      fill += group & 31;
      acc |= (group >>> 5) << (32 - fill);
      target.setInt32(byteIndex, acc);
      const bytes = fill >>> 3;
      byteIndex += bytes;
      acc <<= bytes << 3;
      fill &= 7;
    } else {
      const first = fastCode[two & 0xff]!;
      const second = fastCode[two >>> 8]!;
      fill += first & 31;
      acc |= (first >>> 5) << (32 - fill);
      target.setInt32(byteIndex, acc);
      let bytes = fill >>> 3;
      byteIndex += bytes;
      acc <<= bytes << 3;
      fill &= 7;
      fill += second & 31;
      acc |= (second >>> 5) << (32 - fill);
      target.setInt32(byteIndex, acc);
      bytes = fill >>> 3;
      byteIndex += bytes;
      acc <<= bytes << 3;
      fill &= 7;
    }
  }
  finish(input, fastCode, writer, acc, fill, byteIndex, p * 2);
}
