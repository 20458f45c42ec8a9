import { PymecompressError } from './errors.js';
import { MAX_NODES } from './huffman-tree.js';

/*
 * The decoder's tree reader and multi-symbol tables (docs/FORMAT.md §1.3 "Tree serialisation",
 * §1.5 "Strict decoding"). The hot loops live in huffman-decode.ts.
 */

/** Internal nodes allowed: a tree of 256 leaves has 255 (docs/FORMAT.md §1.5, rule 4). */
const MAX_INTERNAL_NODES = 255;

/** A parsed tree: node 0 is the root, nodes in pre-order; leaves have childA === -1. */
export interface DecodedTree {
  readonly symbol: Int16Array;
  readonly childA: Int16Array;
  readonly childB: Int16Array;
  /** Number of bits the tree occupies at the start of the stream. */
  readonly bitLength: number;
}

/**
 * Reads the pre-order tree, checking every rule the reference trusts blindly: the stream must
 * not end inside the tree, there are at most 255 internal nodes, and no symbol appears twice.
 * Iterative (no recursion, no closures: a tile's decode calls this once per 64 KiB): a stack
 * holds the internal nodes whose B child is still to come, at most 255 of them. The tree lives
 * in module-level arrays (below): valid until the next call.
 */
export function readTree(stream: Uint8Array): DecodedTree {
  const totalBits = stream.length * 8;
  const symbol = treeSymbol;
  const childA = treeChildA;
  const childB = treeChildB;
  const seen = treeSeen;
  seen.fill(0);
  const pendingB = treePendingB;
  let pending = 0;
  let bitPos = 0;
  let nodeCount = 0;
  let internalCount = 0;
  // Where the next node hangs: A (side 0) or B (side 1) of `parent`; none for the root.
  let parent = -1;
  let side = 0;
  for (;;) {
    if (bitPos >= totalBits) {
      throw new PymecompressError('ERR_TRUNCATED_STREAM', 'stream ends inside the Huffman tree');
    }
    const node = nodeCount++;
    if (parent >= 0) (side === 0 ? childA : childB)[parent] = node;
    const flag = (stream[bitPos >>> 3]! >>> (7 - (bitPos & 7))) & 1;
    bitPos++;
    if (flag === 0) {
      internalCount++;
      if (internalCount > MAX_INTERNAL_NODES) {
        throw new PymecompressError(
          'ERR_CORRUPT_STREAM',
          `Huffman tree has more than ${MAX_INTERNAL_NODES} internal nodes`,
        );
      }
      pendingB[pending++] = node;
      parent = node;
      side = 0;
      continue;
    }
    if (bitPos + 8 > totalBits) {
      throw new PymecompressError('ERR_TRUNCATED_STREAM', 'stream ends inside the Huffman tree');
    }
    // The 8 bits at bitPos, from the two bytes they straddle (the second may be past the end
    // when they do not straddle: then it contributes nothing).
    const at = bitPos >>> 3;
    const value = (((stream[at]! << 8) | (stream[at + 1]! | 0)) >>> (8 - (bitPos & 7))) & 0xff;
    bitPos += 8;
    if (seen[value] !== 0) {
      throw new PymecompressError(
        'ERR_CORRUPT_STREAM',
        `Huffman tree holds symbol ${value} more than once`,
      );
    }
    seen[value] = 1;
    symbol[node] = value;
    childA[node] = -1;
    childB[node] = -1;
    if (pending === 0) break;
    parent = pendingB[--pending]!;
    side = 1;
  }
  return { symbol, childA, childB, bitLength: bitPos };
}

/*
 * readTree's arrays, module-level: five typed arrays allocated per call cost about as much as
 * parsing the tree (8-13 us a call measured, most of it the allocations; a 256x256 tile decodes
 * in ~200 us). Each parse writes the entries of every node it returns (both children of each
 * internal node, -1 for leaves, the symbol of each leaf), and the decoder reads no others: the
 * walks follow child links from the root. One tree at a time: huffmanDecompress is done with
 * it when it returns, and nothing else reads it.
 */
const treeSymbol = new Int16Array(MAX_NODES);
const treeChildA = new Int16Array(MAX_NODES);
const treeChildB = new Int16Array(MAX_NODES);
const treeSeen = new Uint8Array(256);
const treePendingB = new Int16Array(MAX_INTERNAL_NODES);

/*
 * Maximum window: 2^12 four-byte entries are 16 KiB, so a multi-symbol table stays in L1 next
 * to the output being written, whatever the code (memoryless quantized data spreads its lookups
 * evenly over the table).
 */
const MAX_WINDOW_BITS = 12;

/*
 * Multi-symbol table: for each window of the next `windowBits` stream bits, up to four whole
 * symbols it holds, so the short codes that dominate camera data (1-6 bits) decode several at
 * a time. Two arrays indexed alike:
 *   symbols[i] = symbol 1 | symbol 2 << 8 | symbol 3 << 16 | symbol 4 << 24
 *   steps[i]   = total bits | count << 5
 * `steps` is the one read on the dependent chain from one lookup to the next; its bit count
 * sits in the low five bits so the decoder shifts its bit buffer by the entry itself
 * (JavaScript masks shift counts to five bits). Both arrays together are 20 KiB for 12 bits.
 * A window whose first code is longer than the window (trees are not length-limited,
 * docs/FORMAT.md §1.4) is an escape: steps[i] = 0 and symbols[i] = the internal node the window's
 * bits lead to, from which the decoder walks the rest of the code bit by bit.
 */
export const STEP_COUNT_SHIFT = 5;
export const STEP_BITS_MASK = 31;
const MULTI_MAX_SYMBOLS = 4;

/*
 * Packed multi-symbol table, for streams whose codes average 3 bits or more: one Int32Array
 * entry per window,
 *   up to three symbols (bits 0-23, first symbol lowest) | step << PACKED_STEP_SHIFT
 * with `step` as above (total bits | count << 5), or -node for an escape (every other entry is
 * positive: at most three symbols keep bit 31 clear). One load per lookup instead of two, and
 * the store writes the entry itself (its top byte lands on an output byte a later store
 * overwrites). Such codes rarely fit four symbols in a window, so the cap costs little there;
 * below 3 bits the two-array table's fourth symbol pays (measured, interleaved A/B on the
 * corpus: packed 1.07x on tile bytes, 1.08x on bright symbols, 1.26-1.40x on bright bytes,
 * 0.87-0.97x on sparse frames).
 */
export const PACKED_STEP_SHIFT = 24;
export const PACKED_COUNT_SHIFT = PACKED_STEP_SHIFT + STEP_COUNT_SHIFT;
const PACKED_MAX_SYMBOLS = 3;
const PACKED_SYMBOLS_MASK = 0xffffff;

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
  const table = fillMultiSymbolTable(tree, windowBits, MULTI_MAX_SYMBOLS);
  const { escapeIndex, escapeNode } = multiLeaves;
  for (let e = 0; e < multiLeaves.escapeCount; e++) table.symbols[escapeIndex[e]!] = escapeNode[e]!;
  return table;
}

/** The packed table (see PACKED_STEP_SHIFT) for the same windows, at most three symbols each. */
export function buildPackedSymbolTable(tree: DecodedTree, windowBits: number): Int32Array {
  const { symbols, steps } = fillMultiSymbolTable(tree, windowBits, PACKED_MAX_SYMBOLS);
  const packed = packedEntries.subarray(0, symbols.length);
  for (let i = 0; i < packed.length; i++) {
    packed[i] = (symbols[i]! & PACKED_SYMBOLS_MASK) | (steps[i]! << PACKED_STEP_SHIFT);
  }
  const { escapeIndex, escapeNode } = multiLeaves;
  for (let e = 0; e < multiLeaves.escapeCount; e++) packed[escapeIndex[e]!] = -escapeNode[e]!;
  return packed;
}

function fillMultiSymbolTable(
  tree: DecodedTree,
  windowBits: number,
  maxSymbols: number,
): MultiSymbolTable {
  if (windowBits > MAX_WINDOW_BITS) throw new RangeError(`window of ${windowBits} bits`);
  const size = 1 << windowBits;
  const symbols = multiSymbols.subarray(0, size);
  const steps = multiSteps.subarray(0, size);
  // The leaves whose codes fit the window, in code order (a depth-first walk, A before B), in
  // flat arrays: the fill below runs once per symbol prefix, thousands of times per table. The
  // internal nodes at the window's depth are the escapes. The walk's stack holds (node, depth,
  // code) of the B children still to visit, at most one per level.
  const leaves = multiLeaves;
  const { childA, childB } = tree;
  const stackNode = walkNode;
  const stackDepth = walkDepth;
  const stackCode = walkCode;
  let leafCount = 0;
  let escapeCount = 0;
  let top = 0;
  let node = 0;
  let depth = 0;
  let code = 0;
  for (;;) {
    if (childA[node]! < 0) {
      leaves.code[leafCount] = code;
      leaves.length[leafCount] = depth;
      leaves.symbol[leafCount] = tree.symbol[node]!;
      leafCount++;
    } else if (depth === windowBits) {
      leaves.escapeIndex[escapeCount] = code;
      leaves.escapeNode[escapeCount] = node;
      escapeCount++;
    } else {
      stackNode[top] = childB[node]!;
      stackDepth[top] = depth + 1;
      stackCode[top] = code * 2 + 1;
      top++;
      node = childA[node]!;
      depth++;
      code *= 2;
      continue;
    }
    if (top === 0) break;
    top--;
    node = stackNode[top]!;
    depth = stackDepth[top]!;
    code = stackCode[top]!;
  }
  leaves.escapeCount = escapeCount;
  for (let width = 0; width <= windowBits; width++) {
    let n = 0;
    for (let j = 0; j < leafCount; j++) {
      if (leaves.length[j]! <= width) leaves.fits[width * 256 + n++] = j;
    }
    leaves.fitCount[width] = n;
  }
  fillMulti(symbols, steps, leaves, maxSymbols, 0, windowBits, 0, 0, 0);
  return { symbols, steps };
}

/*
 * The multi-symbol tables and their leaf lists, module-level and sized for the widest window:
 * allocating them per call (seven typed arrays, 38 KiB) is a visible part of decoding a tile.
 * Every call rewrites every entry it later reads, and the decoder is done with the table when
 * huffmanDecompress returns. They hold code words and symbols of the tree only.
 */
const multiSymbols = new Int32Array(1 << MAX_WINDOW_BITS);
const multiSteps = new Uint8Array(1 << MAX_WINDOW_BITS);
const packedEntries = new Int32Array(1 << MAX_WINDOW_BITS);
const multiLeaves: MultiLeaves = {
  code: new Int32Array(256),
  length: new Uint8Array(256),
  symbol: new Int32Array(256),
  // For each width w, the leaves that fit it (still in code order) at fits[w * 256 ...]:
  // their ranges inside a range of that width follow each other, and the gaps between them
  // start longer codes.
  fits: new Uint8Array((MAX_WINDOW_BITS + 1) * 256),
  fitCount: new Int32Array(MAX_WINDOW_BITS + 1),
  // The escapes: window index and internal node (at most 2^windowBits - 1 of them, fewer than
  // 255 since each is an internal node).
  escapeIndex: new Int32Array(MAX_NODES),
  escapeNode: new Int32Array(MAX_NODES),
  escapeCount: 0,
};
/** The tree walk's stack (at most one pending B child per level, MAX_WINDOW_BITS levels). */
const walkNode = new Int16Array(MAX_WINDOW_BITS + 1);
const walkDepth = new Uint8Array(MAX_WINDOW_BITS + 1);
const walkCode = new Int32Array(MAX_WINDOW_BITS + 1);

interface MultiLeaves {
  readonly code: Int32Array;
  readonly length: Uint8Array;
  readonly symbol: Int32Array;
  readonly fits: Uint8Array;
  readonly fitCount: Int32Array;
  readonly escapeIndex: Int32Array;
  readonly escapeNode: Int32Array;
  escapeCount: number;
}

/**
 * Fills [base, base + 2^width) after `count` symbols (packed in `taken`, `used` bits), at most
 * `maxSymbols` per entry.
 */
function fillMulti(
  symbols: Int32Array,
  steps: Uint8Array,
  leaves: MultiLeaves,
  maxSymbols: number,
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
    if (rest === 0 || count + 1 === maxSymbols) {
      const step = nextUsed | ((count + 1) << STEP_COUNT_SHIFT);
      for (let i = start; i < stop; i++) {
        symbols[i] = next;
        steps[i] = step;
      }
    } else {
      fillMulti(symbols, steps, leaves, maxSymbols, start, rest, next, count + 1, nextUsed);
    }
  }
  for (let i = cursor, stop = base + (1 << width); i < stop; i++) {
    symbols[i] = taken;
    steps[i] = gap;
  }
}
