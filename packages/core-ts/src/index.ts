/**
 * @pymecompress/core-ts: the Basic Compression Library Huffman coder and the sqrt quantizer of
 * pymecompress, byte-for-byte, in dependency-free TypeScript. Runs unchanged in browsers.
 *
 * Rules and helpers shared by this repository's packages live in `@pymecompress/core-ts/internal`
 * (src/internal.ts); this entry is the public, semver-covered surface.
 */
import type { Backend } from './backend.js';
import { huffmanCompressQuant } from './compress-quant.js';
import { huffmanDecompress } from './huffman-decode.js';
import { huffmanCompress } from './huffman-encode.js';
import { dequantize, quantize, buildQuantizeTable as sharedQuantizeTable } from './quantize.js';

export type { Backend } from './backend.js';
export {
  type CameraParams,
  cameraQuantization,
  DEFAULT_GAIN,
  DEFAULT_STEP,
  poissonSigma,
  quantizationBound,
  saturationLevel,
  stepOfScale,
} from './camera.js';
export { huffmanCompressQuant } from './compress-quant.js';
export {
  ERROR_CODES,
  isPymecompressError,
  PymecompressError,
  type PymecompressErrorCode,
  PymecompressRangeError,
  pymecompressError,
} from './errors.js';
export { MAX_SIZE, MAX_TREE_BYTES, maxCompressedSize } from './format.js';
export { huffmanDecompress } from './huffman-decode.js';
export { huffmanCompress } from './huffman-encode.js';
export { buildHistogram, buildHuffmanTree, type HuffmanTree } from './huffman-tree.js';
export { dequantize, dequantizeValue, quantize, quantizeValue } from './quantize.js';
// The argument checks every backend shares (assert*, quantParams) are in `./internal` only: they
// are this repository's rules for implementers, not API for applications (issue 15 item 4).

/**
 * The quantized value of every uint16 input for one (offset, scale): a fresh copy the caller
 * owns (the quantizer's own cached table is never handed out).
 */
export function buildQuantizeTable(offset: number, scale: number): Uint8Array {
  return sharedQuantizeTable(offset, scale).slice();
}

/** The portable implementation of the `Backend` interface. */
export const coreBackend: Backend = Object.freeze({
  kind: 'core-ts',
  huffmanCompress,
  huffmanDecompress,
  quantize,
  dequantize,
  huffmanCompressQuant,
});
