import { PymecompressError } from './errors.js';
import { maxSymbols, symbolsFit } from './format.js';
import { MAX_NODES } from './huffman-tree.js';
import { assertUint8Array, checkDecompressArgs, outputView, plainBytes } from './validate.js';

/** Internal nodes allowed: a tree of 256 leaves has 255 (docs/FORMAT.md, "Strict decoding"). */
const MAX_INTERNAL_NODES = 255;

/** A parsed tree: node 0 is the root; leaves have childA === -1. */
interface DecodedTree {
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
function readTree(stream: Uint8Array): DecodedTree {
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
 * Decode tables (the layout follows fflate's idea of packing symbol and length in one typed
 * array entry). A table of width w is indexed by the next w stream bits. Each entry is either
 *   a leaf:    LEAF_FLAG | (bits consumed at this level) << 8 | symbol
 *   a pointer: (offset of the sub-table) << 14 | (width of the sub-table) << 8
 * Trees are not length-limited (depth up to 255), so codes longer than the primary width
 * continue in sub-tables, each at most SUB_TABLE_BITS wide. Every entry is filled: a pre-order
 * tree is always a full binary tree, so every bit pattern leads to a leaf.
 */
const LEAF_FLAG = 1 << 13;
const PRIMARY_TABLE_BITS = 12;
const SUB_TABLE_BITS = 8;
const WIDTH_MASK = 31;
const OFFSET_SHIFT = 14;

interface DecodeTable {
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

export function buildDecodeTable(tree: DecodedTree): DecodeTable {
  const primaryBits = Math.min(PRIMARY_TABLE_BITS, tree.height[0]!);
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
 * Multi-symbol table: for each primary index, up to three whole symbols its bits hold, so the
 * short codes that dominate camera data (2-6 bits) decode several at a time. Entry:
 *   symbol 1 | symbol 2 << 8 | symbol 3 << 16 | count << 24 | total bits << 26
 * or 0 when the primary bits do not hold a whole symbol (codes continued in sub-tables).
 */
const MULTI_COUNT_SHIFT = 24;
const MULTI_BITS_SHIFT = 26;
const MULTI_MAX_SYMBOLS = 3;

function buildMultiSymbolTable(entries: Int32Array, primaryBits: number): Int32Array {
  const size = 1 << primaryBits;
  const mask = size - 1;
  const multi = new Int32Array(size);
  for (let index = 0; index < size; index++) {
    let used = 0;
    let count = 0;
    let symbols = 0;
    while (count < MULTI_MAX_SYMBOLS) {
      // The bits after the codes taken so far, zero-extended, select the next entry; it is a
      // whole symbol only if its code fits in the bits that remain.
      const entry = entries[(index << used) & mask]!;
      const bits = (entry >>> 8) & WIDTH_MASK;
      if ((entry & LEAF_FLAG) === 0 || used + bits > primaryBits) break;
      symbols |= (entry & 0xff) << (8 * count);
      used += bits;
      count++;
    }
    multi[index] =
      count === 0 ? 0 : symbols | (count << MULTI_COUNT_SHIFT) | (used << MULTI_BITS_SHIFT);
  }
  return multi;
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
 * can end up with slower on-stack-replacement code). `padded` is the stream plus 8 zero bytes.
 */
function decodeSymbols(
  padded: Uint8Array,
  streamLength: number,
  treeBits: number,
  entries: Int32Array,
  multi: Int32Array,
  primaryBits: number,
  target: Uint8Array,
): void {
  const outSize = target.length;
  const totalBits = streamLength * 8;
  const primaryMask = (1 << primaryBits) - 1;
  // Bit buffer: the low `bufferBits` bits of `buffer` are the next stream bits, MSB first.
  // Refilling 16 bits whenever 16 or fewer remain keeps 17..32 bits available.
  let byteIndex = treeBits >>> 3;
  let bufferBits = 8 - (treeBits & 7);
  let buffer = padded[byteIndex++]! & ((1 << bufferBits) - 1);

  let k = 0;
  while (k < outSize) {
    if (bufferBits <= 16) {
      buffer = (buffer << 16) | (padded[byteIndex]! << 8) | padded[byteIndex + 1]!;
      byteIndex += 2;
      bufferBits += 16;
    }
    const index = (buffer >>> (bufferBits - primaryBits)) & primaryMask;
    const symbols = multi[index]!;
    if (symbols !== 0 && k + MULTI_MAX_SYMBOLS <= outSize) {
      // Up to three symbols at once. All three bytes are stored; those beyond `count` are
      // overwritten by the next step (the bound check keeps them inside the output).
      target[k] = symbols;
      target[k + 1] = symbols >>> 8;
      target[k + 2] = symbols >>> 16;
      k += (symbols >>> MULTI_COUNT_SHIFT) & 3;
      bufferBits -= symbols >>> MULTI_BITS_SHIFT;
    } else if ((entries[index]! & LEAF_FLAG) !== 0) {
      // One symbol near the end of the output.
      const entry = entries[index]!;
      target[k] = entry;
      bufferBits -= (entry >>> 8) & WIDTH_MASK;
      k += 1;
    } else {
      // Codes longer than the primary table: walk the sub-tables.
      let entry = entries[index]!;
      bufferBits -= primaryBits;
      while ((entry & LEAF_FLAG) === 0 && byteIndex * 8 - bufferBits < totalBits) {
        if (bufferBits <= 16) {
          buffer = (buffer << 16) | (padded[byteIndex]! << 8) | padded[byteIndex + 1]!;
          byteIndex += 2;
          bufferBits += 16;
        }
        const width = (entry >>> 8) & WIDTH_MASK;
        entry =
          entries[
            (entry >>> OFFSET_SHIFT) + ((buffer >>> (bufferBits - width)) & ((1 << width) - 1))
          ]!;
        bufferBits -= (entry & LEAF_FLAG) !== 0 ? (entry >>> 8) & WIDTH_MASK : width;
      }
      if ((entry & LEAF_FLAG) === 0) throw truncatedAt(k, outSize);
      target[k] = entry;
      k += 1;
    }
    if (byteIndex > streamLength && byteIndex * 8 - bufferBits > totalBits) {
      // The last step used padding bits. With several symbols in one step the earlier ones may
      // have been whole, but all were needed (multi-symbol steps stay within outSize).
      throw truncatedAt(k - 1, outSize);
    }
  }
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
  const result = outputView(out, outSize, 'out', assertUint8Array, (n) => new Uint8Array(n));
  if (outSize === 0) return result;
  const target = plainBytes(result);

  const tree = readTree(stream);
  if (tree.childA[0]! < 0) {
    // A lone leaf: the reference reads no data bits, so neither do we.
    target.fill(tree.symbol[0]!);
    return result;
  }

  const { entries, primaryBits } = buildDecodeTable(tree);
  const multi = buildMultiSymbolTable(entries, primaryBits);
  // Eight zero bytes of padding let refills run without bounds checks. Bits consumed never
  // exceed bytes loaded, so a truncated code can only be noticed once the loads have passed
  // the end of the real stream; only then is the position compared with its length.
  const padded = new Uint8Array(stream.length + 8);
  padded.set(stream);
  decodeSymbols(padded, stream.length, tree.bitLength, entries, multi, primaryBits, target);
  return result;
}
