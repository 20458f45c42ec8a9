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
    // Two words per iteration: V8 re-checks each typed array once per iteration, not per use.
    let w = 0;
    for (const end = words.length - 1; w < end; w += 2) {
      const four = words[w]!;
      const next = words[w + 1]!;
      pairs[four & 0xffff]!++;
      pairs[four >>> 16]!++;
      pairs[next & 0xffff]!++;
      pairs[next >>> 16]!++;
    }
    if (w < words.length) {
      const four = words[w]!;
      pairs[four & 0xffff]!++;
      pairs[four >>> 16]!++;
    }
    const tail = new Uint32Array(256);
    for (let i = words.length * 4; i < n; i++) tail[data[i]!]!++;
    return foldPairCounts(pairs, tail);
  }
  // Four interleaved counters avoid store-to-load stalls on runs of one value.
  const lanes = laneCounts;
  lanes.fill(0);
  const end4 = n - (n & 3);
  let i = 0;
  if (data.byteOffset % 4 === 0) {
    // Four bytes per 32-bit load; byte order does not matter for counting.
    const words = new Int32Array(data.buffer, data.byteOffset, n >>> 2);
    // Two words per iteration, as above.
    let w = 0;
    for (const end = words.length - 1; w < end; w += 2) {
      const four = words[w]!;
      const next = words[w + 1]!;
      lanes[four & 0xff]!++;
      lanes[256 + ((four >>> 8) & 0xff)]!++;
      lanes[512 + ((four >>> 16) & 0xff)]!++;
      lanes[768 + (four >>> 24)]!++;
      lanes[next & 0xff]!++;
      lanes[256 + ((next >>> 8) & 0xff)]!++;
      lanes[512 + ((next >>> 16) & 0xff)]!++;
      lanes[768 + (next >>> 24)]!++;
    }
    if (w < words.length) {
      const four = words[w]!;
      lanes[four & 0xff]!++;
      lanes[256 + ((four >>> 8) & 0xff)]!++;
      lanes[512 + ((four >>> 16) & 0xff)]!++;
      lanes[768 + (four >>> 24)]!++;
    }
    i = end4;
  }
  for (; i < end4; i += 4) {
    lanes[data[i]!]!++;
    lanes[256 + data[i + 1]!]!++;
    lanes[512 + data[i + 2]!]!++;
    lanes[768 + data[i + 3]!]!++;
  }
  for (; i < n; i++) lanes[data[i]!]!++;
  return sumLaneCounts();
}

/*
 * Four interleaved byte counters in one array (lane k at k * 256), module-level: one array
 * keeps one base and bound in registers in the counting loops (four arrays made them a third
 * slower on tiles), and a tile would otherwise allocate it per call. Each user zeroes it first
 * and reads it back with sumLaneCounts before returning; it holds counts only.
 */
export const laneCounts = new Uint32Array(1024);

/** The histogram of what laneCounts counted. */
export function sumLaneCounts(): Float64Array {
  const lanes = laneCounts;
  // Sums can exceed 2^32 - 1 only for inputs the caller already rejected; float64 is exact.
  const histogram = new Float64Array(256);
  for (let s = 0; s < 256; s++) {
    histogram[s] = lanes[s]! + lanes[256 + s]! + lanes[512 + s]! + lanes[768 + s]!;
  }
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

/*
 * Heap for the tree build, module-level: a tile's stream is small enough that allocating it per
 * call is a visible part of its encode. It holds only keys derived from counts, never the
 * caller's data, and each call overwrites what it reads.
 */
const scratchHeap = new Float64Array(256);

/**
 * A node's place in the merge order as one number: count * 512 + (511 - index). Smaller key =
 * lighter, or as light and later (the reference's `<=`). Counts are below 2^33 (inputs are below
 * 2^32 bytes), so keys stay below 2^42 and are exact.
 */
const KEY_INDEX_SPAN = 512;

function siftDown(heap: Float64Array, size: number, start: number, key: number): void {
  let at = start;
  for (;;) {
    let child = 2 * at + 1;
    if (child >= size) break;
    if (child + 1 < size && heap[child + 1]! < heap[child]!) child++;
    if (heap[child]! >= key) break;
    heap[at] = heap[child]!;
    at = child;
  }
  heap[at] = key;
}

/**
 * The merge order of docs/FORMAT.md §1.2. Its scan picks, among the unmerged nodes, the lightest
 * and then the second lightest, equal counts going to the later index: the smallest and second
 * smallest under the strict total order (count ascending, index descending), which is the key
 * order above. A binary min-heap of keys pops exactly those two nodes, in that order, so the
 * tree is the reference's, at O(m log m) instead of O(m^2) per tree.
 */
export function buildHuffmanTree(histogram: Float64Array): HuffmanTree {
  const heap = scratchHeap;
  const symbol = new Int16Array(MAX_NODES).fill(-1);
  const childA = new Int16Array(MAX_NODES).fill(-1);
  const childB = new Int16Array(MAX_NODES).fill(-1);
  const last = KEY_INDEX_SPAN - 1;

  let leafCount = 0;
  for (let s = 0; s < 256; s++) {
    if (histogram[s]! > 0) {
      heap[leafCount] = histogram[s]! * KEY_INDEX_SPAN + (last - leafCount);
      symbol[leafCount] = s;
      leafCount++;
    }
  }
  if (leafCount === 0) return { leafCount, root: -1, symbol, childA, childB };

  for (let k = (leafCount >>> 1) - 1; k >= 0; k--) siftDown(heap, leafCount, k, heap[k]!);
  let nodeCount = leafCount;
  for (let size = leafCount; size > 1; size--) {
    const first = heap[0]!;
    siftDown(heap, size - 1, 0, heap[size - 1]!);
    const second = heap[0]!;
    // Exact: keys are integers below 2^42, and 512 is a power of two.
    const firstWeight = Math.floor(first / KEY_INDEX_SPAN);
    const secondWeight = Math.floor(second / KEY_INDEX_SPAN);
    childA[nodeCount] = last - (first - firstWeight * KEY_INDEX_SPAN);
    childB[nodeCount] = last - (second - secondWeight * KEY_INDEX_SPAN);
    const weight = firstWeight + secondWeight;
    // The new node replaces the second at the top and sinks to its place.
    siftDown(heap, size - 1, 0, weight * KEY_INDEX_SPAN + (last - nodeCount));
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

/**
 * Code lengths of every symbol (0: absent) into `lengths`, and for codes of at most `packBits`
 * bits (≤ 26) the code packed as (code << 5) | length into `packed` (0 otherwise); returns the
 * longest length. The same codes as assignCodePaths, without a path per symbol: tiles call this
 * once per 64 KiB. A lone leaf gets the one-bit code `0`.
 */
export function assignPackedCodes(
  tree: HuffmanTree,
  packBits: number,
  lengths: Uint8Array,
  packed: Int32Array,
): number {
  lengths.fill(0);
  packed.fill(0);
  if (tree.root < 0) return 0;
  if (tree.leafCount === 1) {
    lengths[tree.symbol[tree.root]!] = 1;
    packed[tree.symbol[tree.root]!] = 1;
    return 1;
  }
  // Depth-first with an explicit stack of (node, depth, code); codes longer than packBits are
  // not packed, so `code` is only kept while it fits.
  const nodes = new Int16Array(MAX_NODES);
  const depths = new Uint8Array(MAX_NODES);
  const codes = new Int32Array(MAX_NODES);
  let top = 0;
  nodes[0] = tree.root;
  let maxLength = 0;
  while (top >= 0) {
    const node = nodes[top]!;
    const depth = depths[top]!;
    const code = codes[top]!;
    top--;
    const a = tree.childA[node]!;
    if (a < 0) {
      const s = tree.symbol[node]!;
      lengths[s] = depth;
      if (depth <= packBits) packed[s] = (code << 5) | depth;
      if (depth > maxLength) maxLength = depth;
      continue;
    }
    const next = depth <= packBits ? code << 1 : 0;
    top++;
    nodes[top] = tree.childB[node]!;
    depths[top] = depth + 1;
    codes[top] = next | 1;
    top++;
    nodes[top] = a;
    depths[top] = depth + 1;
    codes[top] = next;
  }
  return maxLength;
}
