import { BitWriter } from './bit-writer.js';
import { PymecompressError } from './errors.js';
import {
  assignCodePaths,
  buildHistogram,
  buildHuffmanTree,
  type HuffmanTree,
} from './huffman-tree.js';
import { assertUint8Array, MAX_SIZE } from './validate.js';

/** The tree is at most 256 nine-bit leaves plus 255 one-bit internal nodes: 2559 bits. */
export const MAX_TREE_BYTES = 320;

/**
 * Worst-case stream size for `n` input bytes: the tree, plus at most 8 bits per symbol on
 * average (a Huffman code never does worse than the fixed 8-bit code), rounded up.
 */
export function maxCompressedSize(n: number): number {
  return n === 0 ? 0 : n + MAX_TREE_BYTES + 1;
}

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

/**
 * Huffman-codes `data` into a raw Basic Compression Library stream: tree, then codes, no
 * trailer. Identical to pymecompress's `HuffmanCompress` whenever its codes fit 25 bits; longer
 * codes (which the reference corrupts) are written correctly.
 */
export function huffmanCompress(data: Uint8Array): Uint8Array {
  assertUint8Array(data, 'data');
  const n = data.length;
  if (n > MAX_SIZE) {
    throw new PymecompressError(
      'ERR_INPUT_TOO_LARGE',
      `input of ${n} bytes is too large: the format describes at most ${MAX_SIZE} bytes`,
    );
  }
  if (n === 0) return new Uint8Array(0);

  const histogram = buildHistogram(data);
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

  let { pending, pendingBits, byteIndex } = writer.state();
  if (maxLength <= 16) {
    // pendingBits < 16 on entry to each step and a code adds at most 16: at most 31 live bits.
    // A 16-bit flush leaves pendingBits < 16 (the writer starts us below 8). Shifted-out high
    // bits are dead, so int32 wrap-around in `<<` is harmless.
    for (let i = 0; i < n; i++) {
      const entry = fastCode[data[i]!]!;
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
  } else if (maxLength <= FAST_CODE_BITS) {
    // pendingBits < 8 on entry and a code adds at most 24: at most 31 live bits.
    for (let i = 0; i < n; i++) {
      const entry = fastCode[data[i]!]!;
      const length = entry & 31;
      pending = (pending << length) | (entry >>> 5);
      pendingBits += length;
      while (pendingBits >= 8) {
        pendingBits -= 8;
        out[byteIndex++] = pending >>> pendingBits;
      }
    }
    writer.restore(pending, pendingBits, byteIndex);
  } else {
    // Deep trees (codes longer than 24 bits need inputs of hundreds of kB with Fibonacci-like
    // statistics): write long codes bit by bit; correctness over speed.
    for (let i = 0; i < n; i++) {
      const symbol = data[i]!;
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
