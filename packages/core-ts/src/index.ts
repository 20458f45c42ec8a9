/**
 * @pymecompress/core-ts: the Basic Compression Library Huffman coder and the sqrt quantizer of
 * pymecompress, byte-for-byte, in dependency-free TypeScript. Runs unchanged in browsers.
 */
import type { Backend } from './backend.js';
import { huffmanDecompress } from './huffman-decode.js';
import { huffmanCompress } from './huffman-encode.js';
import { dequantize, quantize } from './quantize.js';

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
export {
  ERROR_CODES,
  isPymecompressError,
  PymecompressError,
  type PymecompressErrorCode,
  PymecompressRangeError,
} from './errors.js';
export { buildDecodeTable, huffmanDecompress } from './huffman-decode.js';
export { huffmanCompress, MAX_TREE_BYTES, maxCompressedSize } from './huffman-encode.js';
export { buildHistogram, buildHuffmanTree, type HuffmanTree } from './huffman-tree.js';
export {
  buildQuantizeTable,
  dequantize,
  dequantizeValue,
  quantize,
  quantizeValue,
} from './quantize.js';
// Argument checks shared by every backend in this repository, so that all of them reject the
// same inputs with the same codes (docs/FORMAT.md §1.5, §2).
export {
  assertEncodableLength,
  assertOutput,
  assertSize,
  assertUint8Array,
  assertUint16Array,
  MAX_SIZE,
  type QuantParams,
  quantParams,
} from './validate.js';

/** Quantizes then Huffman-codes, as pymecompress's `HuffmanCompressQuant` (scalar path). */
export function huffmanCompressQuant(data: Uint16Array, offset: number, scale: number): Uint8Array {
  return huffmanCompress(quantize(data, offset, scale));
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
