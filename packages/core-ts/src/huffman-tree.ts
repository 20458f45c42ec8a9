/**
 * The Huffman tree exactly as pymecompress's Basic Compression Library builds it
 * (docs/FORMAT.md, "Tree"): byte-identical output depends on these merge and tie rules.
 */

/** Node arrays: leaves first (ascending symbol), then internal nodes in creation order. */
export interface HuffmanTree {
  /** Number of leaves (distinct symbols present), 0..256. */
  readonly leafCount: number;
  /** Index of the root node, or -1 for an empty tree. */
  readonly root: number;
  /** For leaves: the byte value. */
  readonly symbol: Int16Array;
  /** For internal nodes: child reached by a 0 bit (A) and by a 1 bit (B); -1 for leaves. */
  readonly childA: Int16Array;
  readonly childB: Int16Array;
}

export const MAX_NODES = 511;

/** Inputs from this size on are counted in byte pairs (the 65,536-entry fold costs ~0.1 ms). */
export const PAIR_COUNT_MIN_INPUT = 1 << 18;

export function buildHistogram(data: Uint8Array): Float64Array {
  const n = data.length;
  if (n >= PAIR_COUNT_MIN_INPUT && data.byteOffset % 4 === 0) {
    // Half as many increments: count each 16-bit half of a 32-bit load, then fold the pair
    // counts onto both bytes (byte order does not matter for counting).
    const pairs = new Uint32Array(65536);
    const words = new Uint32Array(data.buffer, data.byteOffset, n >>> 2);
    for (let w = 0; w < words.length; w++) {
      const four = words[w]!;
      pairs[four & 0xffff]!++;
      pairs[four >>> 16]!++;
    }
    const tail = new Uint32Array(256);
    for (let i = words.length * 4; i < n; i++) tail[data[i]!]!++;
    return foldPairCounts(pairs, tail);
  }
  // Four interleaved counters avoid store-to-load stalls on runs of one value.
  const h0 = new Uint32Array(256);
  const h1 = new Uint32Array(256);
  const h2 = new Uint32Array(256);
  const h3 = new Uint32Array(256);
  const end4 = n - (n & 3);
  let i = 0;
  if (data.byteOffset % 4 === 0) {
    // Four bytes per 32-bit load; byte order does not matter for counting.
    const words = new Uint32Array(data.buffer, data.byteOffset, n >>> 2);
    for (let w = 0; w < words.length; w++) {
      const four = words[w]!;
      h0[four & 0xff]!++;
      h1[(four >>> 8) & 0xff]!++;
      h2[(four >>> 16) & 0xff]!++;
      h3[four >>> 24]!++;
    }
    i = end4;
  }
  for (; i < end4; i += 4) {
    h0[data[i]!]!++;
    h1[data[i + 1]!]!++;
    h2[data[i + 2]!]!++;
    h3[data[i + 3]!]!++;
  }
  for (; i < n; i++) h0[data[i]!]!++;
  // Sums can exceed 2^32 - 1 only for inputs the caller already rejected; float64 is exact here.
  const histogram = new Float64Array(256);
  for (let s = 0; s < 256; s++) histogram[s] = h0[s]! + h1[s]! + h2[s]! + h3[s]!;
  return histogram;
}

/**
 * Byte counts from counts of byte pairs (each pair counted once, both its bytes get it) plus
 * counts of single bytes. A pair count stays below 2^32 for any input the coder accepts.
 */
export function foldPairCounts(pairs: Uint32Array, singles: Uint32Array): Float64Array {
  const histogram = new Float64Array(256);
  for (let s = 0; s < 256; s++) histogram[s] = singles[s]!;
  for (let v = 0; v < 65536; v++) {
    const count = pairs[v]!;
    if (count !== 0) {
      histogram[v & 0xff]! += count;
      histogram[v >>> 8]! += count;
    }
  }
  return histogram;
}

export function buildHuffmanTree(histogram: Float64Array): HuffmanTree {
  const count = new Float64Array(MAX_NODES);
  const symbol = new Int16Array(MAX_NODES).fill(-1);
  const childA = new Int16Array(MAX_NODES).fill(-1);
  const childB = new Int16Array(MAX_NODES).fill(-1);

  let leafCount = 0;
  for (let s = 0; s < 256; s++) {
    if (histogram[s]! > 0) {
      count[leafCount] = histogram[s]!;
      symbol[leafCount] = s;
      leafCount++;
    }
  }
  if (leafCount === 0) return { leafCount, root: -1, symbol, childA, childB };

  // The nodes not yet merged, in index order, with their counts side by side: scanning only
  // these (instead of every node created, skipping merged ones) visits a third as many entries
  // for a full tree, in the same order, so the same `<=` comparisons pick the same nodes.
  const aliveNode = new Int16Array(MAX_NODES);
  const aliveCount = new Float64Array(MAX_NODES);
  for (let k = 0; k < leafCount; k++) {
    aliveNode[k] = k;
    aliveCount[k] = count[k]!;
  }
  let nodeCount = leafCount;
  for (let alive = leafCount; alive > 1; alive--) {
    // `<=` makes ties go to the later index, as in the reference.
    let j1 = -1;
    let j2 = -1;
    let c1 = 0;
    let c2 = 0;
    for (let j = 0; j < alive; j++) {
      const c = aliveCount[j]!;
      if (j1 < 0 || c <= c1) {
        j2 = j1;
        c2 = c1;
        j1 = j;
        c1 = c;
      } else if (j2 < 0 || c <= c2) {
        j2 = j;
        c2 = c;
      }
    }
    childA[nodeCount] = aliveNode[j1]!;
    childB[nodeCount] = aliveNode[j2]!;
    // Remove both (the later position first), then append the new node: it has the largest
    // index, so index order is kept.
    const later = Math.max(j1, j2);
    const earlier = Math.min(j1, j2);
    aliveNode.copyWithin(later, later + 1, alive);
    aliveCount.copyWithin(later, later + 1, alive);
    aliveNode.copyWithin(earlier, earlier + 1, alive - 1);
    aliveCount.copyWithin(earlier, earlier + 1, alive - 1);
    aliveNode[alive - 2] = nodeCount;
    aliveCount[alive - 2] = c1 + c2;
    nodeCount++;
  }
  return { leafCount, root: nodeCount - 1, symbol, childA, childB };
}

/**
 * Code of every symbol as its root-to-leaf path (A = 0, B = 1, first step first).
 * A lone leaf gets the one-bit code `0`, which is what the reference encoder emits.
 */
export function assignCodePaths(tree: HuffmanTree): (Uint8Array | undefined)[] {
  const paths: (Uint8Array | undefined)[] = new Array(256).fill(undefined);
  if (tree.root < 0) return paths;
  if (tree.leafCount === 1) {
    paths[tree.symbol[tree.root]!] = new Uint8Array(1);
    return paths;
  }
  const path: number[] = [];
  const walk = (node: number): void => {
    if (tree.childA[node]! < 0) {
      paths[tree.symbol[node]!] = Uint8Array.from(path);
      return;
    }
    path.push(0);
    walk(tree.childA[node]!);
    path[path.length - 1] = 1;
    walk(tree.childB[node]!);
    path.pop();
  };
  walk(tree.root);
  return paths;
}
