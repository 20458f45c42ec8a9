/**
 * The format's size rules, written once (docs/FORMAT.md §1.6 "Limits"): every package and
 * backend of this repository imports them from here (`@pymecompress/core-ts/internal`), and the
 * C core states the same numbers in `csrc/` (checked by the conformance suite).
 */

/** The largest size the formats can describe: trailers and PZF sizes are 32-bit (2^32 - 1). */
export const MAX_SIZE = 0xffff_ffff;

/** The tree is at most 256 nine-bit leaves plus 255 one-bit internal nodes: 2559 bits. */
export const MAX_TREE_BYTES = 320;

/**
 * Worst-case stream size for `n` input bytes: the tree, plus at most 8 bits per symbol on
 * average (a Huffman code never does worse than the fixed 8-bit code), rounded up: `n + 321`,
 * 0 for empty input.
 */
export function maxCompressedSize(n: number): number {
  return n === 0 ? 0 : n + MAX_TREE_BYTES + 1;
}

/**
 * The most symbols a BCL stream of `streamLength` bytes can carry: `8·len − 9`. Every symbol
 * costs at least one bit and the smallest tree (one leaf) is 9 bits, so a decoder refuses any
 * larger count before allocating what the caller's (or a file's) number asks for.
 */
export function maxSymbols(streamLength: number): number {
  return Math.max(0, 8 * streamLength - 9);
}

/** True when `symbols` symbols fit in a stream of `streamLength` bytes (0 always fits). */
export function symbolsFit(symbols: number, streamLength: number): boolean {
  return symbols === 0 || symbols <= 8 * streamLength - 9;
}
