import { BitWriter } from './bit-writer.js';
import { LITTLE_ENDIAN } from './bytes.js';
import { buildPairCodes, FAST_CODE_BITS, writePairCodes, writePairs } from './code-groups.js';
import { writeQuadCodes, writeTwoPairCodes, writeTwoPairs } from './code-words.js';
import {
  assignCodePaths,
  assignPackedCodes,
  buildHistogram,
  buildHuffmanTree,
  type HuffmanTree,
} from './huffman-tree.js';
import { assertEncodableLength, assertUint8Array, plainBytes } from './validate.js';

/**
 * pairCodes costs one entry per pair of symbols present; it repays that when the input has a
 * few times more pairs (two lookups per pair become one; 65,536 symbols of quantized data
 * have some 40 symbols, 1,600 pairs; raw bytes of a tile have all 256, 65,536 pairs).
 */
const PAIR_TABLE_INPUT_PER_ENTRY = 4;

/**
 * Average code length up to which four symbols go in one group: a group holds 24 bits, and
 * above ~4.5 bits per symbol enough quads overflow it that their branch costs more than it
 * saves (raw bytes of bright frames average 6; quantized symbols 2 to 4).
 */
const QUAD_MAX_AVERAGE_BITS = 4.5;

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
  let codeBits = 0;
  for (let s = 0; s < 256; s++) codeBits += histogram[s]! * lengths[s]!;
  const treeBits = tree.leafCount * 9 + (tree.leafCount - 1);
  const out = new Uint8Array(Math.ceil((treeBits + codeBits) / 8));
  const writer = new BitWriter(out);
  writeTree(tree, writer);

  if (maxLength <= FAST_CODE_BITS) {
    // Aligned input on a little-endian host: the loops taking two pairs per 32-bit load.
    const words = LITTLE_ENDIAN && input.byteOffset % 4 === 0;
    if (tree.leafCount * tree.leafCount * PAIR_TABLE_INPUT_PER_ENTRY > n) {
      if (words) writeTwoPairs(input, fastCode, out, writer);
      else writePairs(input, fastCode, out, writer);
    } else {
      const pairCodes = buildPairCodes(fastCode);
      if (!words) writePairCodes(input, fastCode, out, writer);
      else if (codeBits <= QUAD_MAX_AVERAGE_BITS * n) {
        writeQuadCodes(input, fastCode, pairCodes, out, writer);
      } else writeTwoPairCodes(input, fastCode, pairCodes, out, writer);
    }
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
