import { PymecompressError } from './errors.js';
import { MAX_NODES } from './huffman-tree.js';

/*
 * The decoder's tree reader and lookup tables (docs/FORMAT.md §1.3 "Tree serialisation",
 * §1.5 "Strict decoding"). The hot loop lives in huffman-decode.ts.
 */

/** Internal nodes allowed: a tree of 256 leaves has 255 (docs/FORMAT.md §1.5, rule 4). */
const MAX_INTERNAL_NODES = 255;

/** A parsed tree: node 0 is the root; leaves have childA === -1. */
export interface DecodedTree {
  readonly symbol: Int16Array;
  readonly childA: Int16Array;
  readonly childB: Int16Array;
  /** Longest root-to-leaf path below each node. */
  readonly height: Uint8Array;
  /** Number of bits the tree occupies at the start of the stream. */
  readonly bitLength: number;
}

/**
 * Reads the pre-order tree, checking every rule the reference trusts blindly: the stream must
 * not end inside the tree, there are at most 255 internal nodes, and no symbol appears twice.
 * Recursion depth is bounded by the internal-node limit.
 */
export function readTree(stream: Uint8Array): DecodedTree {
  const totalBits = stream.length * 8;
  const symbol = new Int16Array(MAX_NODES).fill(-1);
  const childA = new Int16Array(MAX_NODES).fill(-1);
  const childB = new Int16Array(MAX_NODES).fill(-1);
  const height = new Uint8Array(MAX_NODES);
  const seen = new Uint8Array(256);
  let bitPos = 0;
  let nodeCount = 0;
  let internalCount = 0;

  const readBit = (): number => (stream[bitPos >>> 3]! >>> (7 - (bitPos++ & 7))) & 1;

  const readNode = (): number => {
    if (bitPos >= totalBits) {
      throw new PymecompressError('ERR_TRUNCATED_STREAM', 'stream ends inside the Huffman tree');
    }
    const node = nodeCount++;
    if (readBit() === 0) {
      internalCount++;
      if (internalCount > MAX_INTERNAL_NODES) {
        throw new PymecompressError(
          'ERR_CORRUPT_STREAM',
          `Huffman tree has more than ${MAX_INTERNAL_NODES} internal nodes`,
        );
      }
      const a = readNode();
      const b = readNode();
      childA[node] = a;
      childB[node] = b;
      height[node] = 1 + Math.max(height[a]!, height[b]!);
      return node;
    }
    if (bitPos + 8 > totalBits) {
      throw new PymecompressError('ERR_TRUNCATED_STREAM', 'stream ends inside the Huffman tree');
    }
    let value = 0;
    for (let i = 0; i < 8; i++) value = (value << 1) | readBit();
    if (seen[value] !== 0) {
      throw new PymecompressError(
        'ERR_CORRUPT_STREAM',
        `Huffman tree holds symbol ${value} more than once`,
      );
    }
    seen[value] = 1;
    symbol[node] = value;
    return node;
  };

  readNode();
  return { symbol, childA, childB, height, bitLength: bitPos };
}

/*
 * Single-symbol tables (the layout follows fflate's idea of packing symbol and length in one
 * typed-array entry). A table of width w is indexed by the next w stream bits. Each entry is
 *   a leaf:    LEAF_FLAG | (bits consumed at this level) << 8 | symbol
 *   a pointer: (offset of the sub-table) << 14 | (width of the sub-table) << 8
 * Trees are not length-limited (depth up to 255, docs/FORMAT.md §1.4), so codes longer than the
 * primary width continue in sub-tables, each at most SUB_TABLE_BITS wide. Every entry is
 * filled: a pre-order tree is always a full binary tree, so every bit pattern leads to a leaf.
 * Only long codes and the last few symbols of a stream use these; the hot loop reads the
 * multi-symbol table below.
 */
export const LEAF_FLAG = 1 << 13;
export const WIDTH_MASK = 31;
export const OFFSET_SHIFT = 14;
const SUB_TABLE_BITS = 8;

/**
 * Widest primary window: 2^12 four-byte entries are 16 KiB, so the multi-symbol table stays in
 * L1 next to the output being written, whatever the code (memoryless quantized data spreads
 * its lookups evenly over the table).
 */
const MAX_PRIMARY_BITS = 12;

export interface DecodeTable {
  readonly entries: Int32Array;
  readonly primaryBits: number;
}

/** Number of entries of the table rooted at `node` with `width` bits, sub-tables included. */
function tableSize(tree: DecodedTree, node: number, width: number): number {
  let size = 1 << width;
  const visit = (n: number, depth: number): void => {
    if (tree.childA[n]! < 0) return;
    if (depth === width) {
      size += tableSize(tree, n, Math.min(SUB_TABLE_BITS, tree.height[n]!));
      return;
    }
    visit(tree.childA[n]!, depth + 1);
    visit(tree.childB[n]!, depth + 1);
  };
  visit(node, 0);
  return size;
}

export function buildDecodeTable(tree: DecodedTree, maxBits = MAX_PRIMARY_BITS): DecodeTable {
  const primaryBits = Math.min(maxBits, tree.height[0]!);
  const entries = new Int32Array(tableSize(tree, 0, primaryBits));
  let nextFree = 0;

  const fill = (root: number, width: number): number => {
    const base = nextFree;
    nextFree += 1 << width;
    const visit = (n: number, depth: number, prefix: number): void => {
      if (tree.childA[n]! < 0) {
        // A leaf at depth d owns every index whose first d bits are its code.
        const span = 1 << (width - depth);
        entries.fill(
          LEAF_FLAG | (depth << 8) | tree.symbol[n]!,
          base + prefix * span,
          base + (prefix + 1) * span,
        );
        return;
      }
      if (depth === width) {
        const subWidth = Math.min(SUB_TABLE_BITS, tree.height[n]!);
        const subBase = fill(n, subWidth);
        entries[base + prefix] = (subBase << OFFSET_SHIFT) | (subWidth << 8);
        return;
      }
      visit(tree.childA[n]!, depth + 1, prefix * 2);
      visit(tree.childB[n]!, depth + 1, prefix * 2 + 1);
    };
    visit(root, 0, 0);
    return base;
  };
  fill(0, primaryBits);
  return { entries, primaryBits };
}

/*
 * Multi-symbol table: for each window of the next `windowBits` stream bits, up to four whole
 * symbols it holds, so the short codes that dominate camera data (1-6 bits) decode several at
 * a time. Two arrays indexed alike:
 *   symbols[i] = symbol 1 | symbol 2 << 8 | symbol 3 << 16 | symbol 4 << 24
 *   steps[i]   = total bits | count << 5     (0: the first code is longer than the window)
 * `steps` is the one read on the dependent chain from one lookup to the next; its bit count
 * sits in the low five bits so the decoder shifts its bit buffer by the entry itself
 * (JavaScript masks shift counts to five bits). Both arrays together are 20 KiB for 12 bits.
 */
export const STEP_COUNT_SHIFT = 5;
export const STEP_BITS_MASK = 31;
const MULTI_MAX_SYMBOLS = 4;

export interface MultiSymbolTable {
  readonly symbols: Int32Array;
  readonly steps: Uint8Array;
}

/**
 * Builds the table range by range instead of index by index: every leaf whose code fits the
 * window owns a contiguous range (its code, then any bits), inside which the next symbol's
 * leaves own sub-ranges, and so on. The work is one store per entry plus one step per
 * (symbol, symbol, ...) prefix, with none of the unpredictable branches of decoding each index:
 * for the small streams of tiles and chunks (65,536 symbols) the build is a good part of the
 * decode.
 */
export function buildMultiSymbolTable(tree: DecodedTree, windowBits: number): MultiSymbolTable {
  if (windowBits > MAX_PRIMARY_BITS) throw new RangeError(`window of ${windowBits} bits`);
  const size = 1 << windowBits;
  const symbols = multiSymbols.subarray(0, size);
  const steps = multiSteps.subarray(0, size);
  // The leaves whose codes fit the window, in code order (a depth-first walk, A before B), in
  // flat arrays: the fill below runs once per symbol prefix, thousands of times per table.
  const leaves = multiLeaves;
  let leafCount = 0;
  const collect = (node: number, depth: number, code: number): void => {
    if (tree.childA[node]! < 0) {
      leaves.code[leafCount] = code;
      leaves.length[leafCount] = depth;
      leaves.symbol[leafCount] = tree.symbol[node]!;
      leafCount++;
      return;
    }
    if (depth === windowBits) return;
    collect(tree.childA[node]!, depth + 1, code * 2);
    collect(tree.childB[node]!, depth + 1, code * 2 + 1);
  };
  collect(0, 0, 0);
  for (let width = 0; width <= windowBits; width++) {
    let n = 0;
    for (let j = 0; j < leafCount; j++) {
      if (leaves.length[j]! <= width) leaves.fits[width * 256 + n++] = j;
    }
    leaves.fitCount[width] = n;
  }
  fillMulti(symbols, steps, leaves, 0, windowBits, 0, 0, 0);
  return { symbols, steps };
}

/*
 * The multi-symbol table and its leaf lists, module-level and sized for the widest window:
 * allocating them per call (six typed arrays, 22 KiB) is a visible part of decoding a tile.
 * Every call rewrites every entry it later reads, and the decoder is done with the table when
 * huffmanDecompress returns. They hold code words and symbols of the tree only.
 */
const multiSymbols = new Int32Array(1 << MAX_PRIMARY_BITS);
const multiSteps = new Uint8Array(1 << MAX_PRIMARY_BITS);
const multiLeaves: MultiLeaves = {
  code: new Int32Array(256),
  length: new Uint8Array(256),
  symbol: new Int32Array(256),
  // For each width w, the leaves that fit it (still in code order) at fits[w * 256 ...]:
  // their ranges inside a range of that width follow each other, and the gaps between them
  // start longer codes.
  fits: new Uint8Array((MAX_PRIMARY_BITS + 1) * 256),
  fitCount: new Int32Array(MAX_PRIMARY_BITS + 1),
};

interface MultiLeaves {
  readonly code: Int32Array;
  readonly length: Uint8Array;
  readonly symbol: Int32Array;
  readonly fits: Uint8Array;
  readonly fitCount: Int32Array;
}

/** Fills [base, base + 2^width) after `count` symbols (packed in `taken`, `used` bits). */
function fillMulti(
  symbols: Int32Array,
  steps: Uint8Array,
  leaves: MultiLeaves,
  base: number,
  width: number,
  taken: number,
  count: number,
  used: number,
): void {
  // Where a code longer than what is left starts, the symbols so far are the entry (none at
  // the top level: 0, the slow path; written too, as the table is reused).
  const gap = count === 0 ? 0 : used | (count << STEP_COUNT_SHIFT);
  const { code, length, symbol, fits } = leaves;
  const first = width * 256;
  const end = first + leaves.fitCount[width]!;
  let cursor = base;
  for (let f = first; f < end; f++) {
    const j = fits[f]!;
    const rest = width - length[j]!;
    const start = base + (code[j]! << rest);
    const stop = start + (1 << rest);
    for (let i = cursor; i < start; i++) {
      symbols[i] = taken;
      steps[i] = gap;
    }
    cursor = stop;
    const next = taken | (symbol[j]! << (8 * count));
    const nextUsed = used + length[j]!;
    if (rest === 0 || count + 1 === MULTI_MAX_SYMBOLS) {
      const step = nextUsed | ((count + 1) << STEP_COUNT_SHIFT);
      for (let i = start; i < stop; i++) {
        symbols[i] = next;
        steps[i] = step;
      }
    } else {
      fillMulti(symbols, steps, leaves, start, rest, next, count + 1, nextUsed);
    }
  }
  for (let i = cursor, stop = base + (1 << width); i < stop; i++) {
    symbols[i] = taken;
    steps[i] = gap;
  }
}
