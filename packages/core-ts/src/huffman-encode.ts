import { BitWriter } from './bit-writer.js';
import {
  assignCodePaths,
  assignPackedCodes,
  buildHistogram,
  buildHuffmanTree,
  type HuffmanTree,
} from './huffman-tree.js';
import { assertEncodableLength, assertUint8Array, plainBytes } from './validate.js';

/** Codes of at most this many bits are written by the fast loop (fits a 32-bit accumulator). */
const FAST_CODE_BITS = 24;

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

/**
 * Codes of at most 24 bits (docs/FORMAT.md §1.4: codes follow each other MSB first, no
 * alignment). Two input bytes per load; each pair of codes is joined into one group before
 * it meets the accumulator, so the dependent chain (the pending bits) takes one step per two
 * symbols; a group completes a 32-bit word about every third step and the word is stored at
 * once, big-endian: one store per four output bytes. The rare pair of two long codes is
 * checked only on that less frequent path.
 */
function writeCodeGroups(
  input: Uint8Array,
  fastCode: Int32Array,
  out: Uint8Array,
  writer: BitWriter,
): void {
  const n = input.length;
  const pairs = n >>> 1;
  let { pending, pendingBits, byteIndex } = writer.state();
  const source = new DataView(input.buffer, input.byteOffset, n);
  // Only complete words are stored here, and the exact output size is known: every store is
  // inside the output.
  const target = new DataView(out.buffer, out.byteOffset, out.length);
  // pendingBits < 32 between steps. The low pendingBits bits of `pending` are the bits not yet
  // written; higher bits are stale and are shifted out before a store (`pending` is reset to
  // exactly its valid bits whenever pendingBits may drop to 0, where a 32-bit shift would not
  // clear them).
  pending &= ~(-1 << pendingBits);
  for (let p = 0; p < pairs; p++) {
    const two = source.getUint16(p * 2, true);
    const first = fastCode[two & 0xff]!;
    const second = fastCode[two >>> 8]!;
    const secondLength = second & 31;
    const length = (first & 31) + secondLength;
    const code = ((first >>> 5) << secondLength) | (second >>> 5);
    pendingBits += length;
    if (pendingBits < 32) {
      pending = (pending << length) | code;
    } else if (length <= 32) {
      pendingBits -= 32;
      // The word: the old pending bits, then the top (length - pendingBits) bits of the group.
      target.setInt32(byteIndex, (pending << (length - pendingBits)) | (code >>> pendingBits));
      byteIndex += 4;
      pending = code & ~(-1 << pendingBits);
    } else {
      // Two long codes (17-24 bits each, together over 32: rare, and only in deep trees): one
      // at a time, writing whole bytes first so at most 7 + 24 bits are pending.
      pendingBits -= length;
      for (let k = 0, entry = first; k < 2; k++, entry = second) {
        while (pendingBits >= 8) {
          pendingBits -= 8;
          out[byteIndex++] = pending >>> pendingBits;
        }
        pending = (pending << (entry & 31)) | (entry >>> 5);
        pendingBits += entry & 31;
      }
      // Whatever is pending now is at least 17 bits, so no 32-bit shift can meet it empty.
    }
  }
  writer.restore(pending & ~(-1 << pendingBits), pendingBits, byteIndex);
  // An odd-length input leaves one byte.
  if (n & 1) writer.writeBits(fastCode[input[n - 1]!]! >>> 5, fastCode[input[n - 1]!]! & 31);
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
  return encodeCounted(input, buildHistogram(input));
}

/**
 * The coder after its histogram: `histogram` must be the byte counts of `input` (non-empty,
 * already checked). Quantize+encode counts while it quantizes (compress-quant.ts).
 */
export function encodeCounted(input: Uint8Array, histogram: Float64Array): Uint8Array {
  const n = input.length;
  const tree = buildHuffmanTree(histogram);
  // fastCode packs (code << 5) | length for codes that fit the fast loop.
  const fastCode = new Int32Array(256);
  const lengths = new Uint8Array(256);
  const maxLength = assignPackedCodes(tree, FAST_CODE_BITS, lengths, fastCode);

  // Exact output size, known before writing: tree bits plus the sum of code lengths.
  let bits = tree.leafCount * 9 + (tree.leafCount - 1);
  for (let s = 0; s < 256; s++) bits += histogram[s]! * lengths[s]!;
  const out = new Uint8Array(Math.ceil(bits / 8));
  const writer = new BitWriter(out);
  writeTree(tree, writer);

  if (maxLength <= FAST_CODE_BITS) {
    writeCodeGroups(input, fastCode, out, writer);
  } else {
    const paths = assignCodePaths(tree);
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
