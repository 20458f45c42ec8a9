import type { BitWriter } from './bit-writer.js';
import { FAST_CODE_BITS, finish, leftAligned, NO_PAIR as NO_PAIR_ENTRY } from './code-groups.js';

/*
 * The code-group loops (code-groups.ts, whose conventions they follow) for input whose bytes a
 * 32-bit load can read: 4-byte aligned, on a little-endian host (the low half of a load is then
 * the first two bytes, the order the pair table is indexed in). Each iteration takes two pairs
 * or two quads from the loads: V8 re-checks each typed array and DataView (map, length, base)
 * at every loop iteration but not again within one, so that work is paid once per two steps
 * (measured, interleaved A/B against one step per iteration, same bytes: 1.25-1.34x emission
 * on the raw bytes of the bright corpus frame, 1.1x the tile's). The pair table comes in as
 * an argument (buildPairCodes returns it): a local, not an imported binding.
 */

/** Module-local copies: V8 re-checks an imported binding at every use in a loop. */
const GROUP_BITS = FAST_CODE_BITS;
const NO_PAIR = NO_PAIR_ENTRY;

/** The step state stepEachSymbol hands back: accumulator, fill, byte index. */
const stepState = new Int32Array(3);

/**
 * One step per symbol for the four bytes of a little-endian 32-bit load (first byte lowest):
 * the word loops' path for pairs over GROUP_BITS (deep trees only, so a call and the state in
 * stepState cost nothing that matters). Each step stores at most 3 bytes after the last.
 */
function stepEachSymbol(
  four: number,
  fastCode: Int32Array,
  target: DataView,
  acc: number,
  fill: number,
  byteIndex: number,
): void {
  for (let k = 0; k < 32; k += 8) {
    const entry = fastCode[(four >>> k) & 0xff]!;
    fill += entry & 31;
    acc |= (entry >>> 5) << (32 - fill);
    target.setInt32(byteIndex, acc);
    const bytes = fill >>> 3;
    byteIndex += bytes;
    acc <<= bytes << 3;
    fill &= 7;
  }
  stepState[0] = acc;
  stepState[1] = fill;
  stepState[2] = byteIndex;
}

/** writePairs two pairs at a time: one 32-bit load and two steps per iteration. */
export function writeTwoPairs(
  input: Uint8Array,
  fastCode: Int32Array,
  out: Uint8Array,
  writer: BitWriter,
): void {
  const n = input.length;
  const quads = n >>> 2;
  const { pending, pendingBits, byteIndex: start } = writer.state();
  const source = new Int32Array(input.buffer, input.byteOffset, quads);
  const target = new DataView(out.buffer, out.byteOffset, out.length);
  let fill = pendingBits;
  let acc = leftAligned(pending, fill);
  let byteIndex = start;
  // At most four stores per iteration, each at most 3 bytes after the one before.
  const lastStore = out.length - 13;
  let q = 0;
  for (; q < quads && byteIndex <= lastStore; q++) {
    const four = source[q]!;
    const a = fastCode[four & 0xff]!;
    const b = fastCode[(four >>> 8) & 0xff]!;
    const c = fastCode[(four >>> 16) & 0xff]!;
    const d = fastCode[four >>> 24]!;
    const bLength = b & 31;
    const dLength = d & 31;
    const abLength = (a & 31) + bLength;
    const cdLength = (c & 31) + dLength;
    if (abLength <= GROUP_BITS && cdLength <= GROUP_BITS) {
      fill += abLength;
      acc |= (((a >>> 5) << bLength) | (b >>> 5)) << (32 - fill);
      target.setInt32(byteIndex, acc);
      let bytes = fill >>> 3;
      byteIndex += bytes;
      acc <<= bytes << 3;
      fill &= 7;
      fill += cdLength;
      acc |= (((c >>> 5) << dLength) | (d >>> 5)) << (32 - fill);
      target.setInt32(byteIndex, acc);
      bytes = fill >>> 3;
      byteIndex += bytes;
      acc <<= bytes << 3;
      fill &= 7;
    } else {
      // Two long codes in a pair (only in deep trees): one step per symbol.
      stepEachSymbol(four, fastCode, target, acc, fill, byteIndex);
      acc = stepState[0]!;
      fill = stepState[1]!;
      byteIndex = stepState[2]!;
    }
  }
  finish(input, fastCode, writer, acc, fill, byteIndex, q * 4);
}

/**
 * writePairCodes two pairs at a time: one 32-bit load and two steps per iteration. For codes
 * averaging over the encoder's QUAD_MAX_AVERAGE_BITS, where writeQuadCodes's quads rarely fit
 * one group.
 */
export function writeTwoPairCodes(
  input: Uint8Array,
  fastCode: Int32Array,
  pairCodes: Int32Array,
  out: Uint8Array,
  writer: BitWriter,
): void {
  const n = input.length;
  const quads = n >>> 2;
  const { pending, pendingBits, byteIndex: start } = writer.state();
  const source = new Int32Array(input.buffer, input.byteOffset, quads);
  const target = new DataView(out.buffer, out.byteOffset, out.length);
  let fill = pendingBits;
  let acc = leftAligned(pending, fill);
  let byteIndex = start;
  // At most four stores per iteration (the per-symbol path), each at most 3 bytes after the one
  // before.
  const lastStore = out.length - 13;
  let q = 0;
  for (; q < quads && byteIndex <= lastStore; q++) {
    const four = source[q]!;
    const low = pairCodes[four & 0xffff]!;
    const high = pairCodes[four >>> 16]!;
    if ((low & 31) !== NO_PAIR && (high & 31) !== NO_PAIR) {
      fill += low & 31;
      acc |= (low >>> 5) << (32 - fill);
      target.setInt32(byteIndex, acc);
      let bytes = fill >>> 3;
      byteIndex += bytes;
      acc <<= bytes << 3;
      fill &= 7;
      fill += high & 31;
      acc |= (high >>> 5) << (32 - fill);
      target.setInt32(byteIndex, acc);
      bytes = fill >>> 3;
      byteIndex += bytes;
      acc <<= bytes << 3;
      fill &= 7;
    } else {
      // Long codes (only in deep trees): one step per symbol.
      stepEachSymbol(four, fastCode, target, acc, fill, byteIndex);
      acc = stepState[0]!;
      fill = stepState[1]!;
      byteIndex = stepState[2]!;
    }
  }
  finish(input, fastCode, writer, acc, fill, byteIndex, q * 4);
}

/**
 * Four symbols per step from two pairCodes lookups when both pairs fit one group; otherwise
 * one step per pair, or per symbol when a pair does not fit either; two quads (two 32-bit
 * loads) per iteration. For well-compressed data, where most quads fit.
 */
export function writeQuadCodes(
  input: Uint8Array,
  fastCode: Int32Array,
  pairCodes: Int32Array,
  out: Uint8Array,
  writer: BitWriter,
): void {
  const n = input.length;
  const octets = n >>> 3;
  const { pending, pendingBits, byteIndex: start } = writer.state();
  const source = new Int32Array(input.buffer, input.byteOffset, octets * 2);
  const target = new DataView(out.buffer, out.byteOffset, out.length);
  let fill = pendingBits;
  let acc = leftAligned(pending, fill);
  let byteIndex = start;
  // At most eight stores per iteration (per symbol), each at most 3 bytes after the one before.
  const lastStore = out.length - 25;
  let q = 0;
  for (; q < octets && byteIndex <= lastStore; q++) {
    const first = source[2 * q]!;
    const second = source[2 * q + 1]!;
    const a = pairCodes[first & 0xffff]!;
    const b = pairCodes[first >>> 16]!;
    const c = pairCodes[second & 0xffff]!;
    const d = pairCodes[second >>> 16]!;
    const bLength = b & 31;
    const dLength = d & 31;
    // A NO_PAIR half makes its sum at least 32.
    const abLength = (a & 31) + bLength;
    const cdLength = (c & 31) + dLength;
    if (abLength <= GROUP_BITS && cdLength <= GROUP_BITS) {
      fill += abLength;
      acc |= (((a >>> 5) << bLength) | (b >>> 5)) << (32 - fill);
      target.setInt32(byteIndex, acc);
      let bytes = fill >>> 3;
      byteIndex += bytes;
      acc <<= bytes << 3;
      fill &= 7;
      fill += cdLength;
      acc |= (((c >>> 5) << dLength) | (d >>> 5)) << (32 - fill);
      target.setInt32(byteIndex, acc);
      bytes = fill >>> 3;
      byteIndex += bytes;
      acc <<= bytes << 3;
      fill &= 7;
      continue;
    }
    for (let h = 0; h < 2; h++) {
      const four = h === 0 ? first : second;
      const low = pairCodes[four & 0xffff]!;
      const high = pairCodes[four >>> 16]!;
      const highLength = high & 31;
      const length = (low & 31) + highLength;
      if (length <= GROUP_BITS) {
        fill += length;
        acc |= (((low >>> 5) << highLength) | (high >>> 5)) << (32 - fill);
        target.setInt32(byteIndex, acc);
        const bytes = fill >>> 3;
        byteIndex += bytes;
        acc <<= bytes << 3;
        fill &= 7;
      } else if ((low & 31) !== NO_PAIR && highLength !== NO_PAIR) {
        fill += low & 31;
        acc |= (low >>> 5) << (32 - fill);
        target.setInt32(byteIndex, acc);
        let bytes = fill >>> 3;
        byteIndex += bytes;
        acc <<= bytes << 3;
        fill &= 7;
        fill += highLength;
        acc |= (high >>> 5) << (32 - fill);
        target.setInt32(byteIndex, acc);
        bytes = fill >>> 3;
        byteIndex += bytes;
        acc <<= bytes << 3;
        fill &= 7;
      } else {
        // Long codes (only in deep trees): one step per symbol.
        stepEachSymbol(four, fastCode, target, acc, fill, byteIndex);
        acc = stepState[0]!;
        fill = stepState[1]!;
        byteIndex = stepState[2]!;
      }
    }
  }
  finish(input, fastCode, writer, acc, fill, byteIndex, q * 8);
}
