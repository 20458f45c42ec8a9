/**
 * `@pymecompress/core-ts/internal`: the rules and helpers the packages of this repository share
 * (codecs, native, wasm, cli, conformance), written once. Not covered by semver: an application
 * should use the main entry; a fork's backend may use these to reject the same inputs with the
 * same codes.
 *
 * - Format limits (docs/FORMAT.md §1.6): `MAX_SIZE` (2^32 − 1), `MAX_TREE_BYTES`,
 *   `maxCompressedSize` (n + 321), `maxSymbols` / `symbolsFit` (the `8·len − 9` capacity rule).
 * - Argument checks (docs/FORMAT.md §1.5, §2): `assert*`, `outputView`, `plainBytes`,
 *   `quantParams`, the one offset/scale rule, and `check{Decompress,Quantize,Dequantize}Args`,
 *   the whole argument rule of those Backend methods (core-ts and native's wrappers use them).
 * - Byte order: `LITTLE_ENDIAN` (the one probe), `leBytes`; `unfilledBytes`, a result array
 *   without the zero-fill where the host allows it (for outputs every byte of which is written).
 * - Errors: `pymecompressError` (the factory), `RANGE_ERROR_CODES`.
 * - The `Backend` shape: `BACKEND_METHODS`, `missingBackendMethods`, `isBackend`.
 * - `sharedQuantizeTable`, the quantizer's cached table (read-only: writing into it changes
 *   every later `quantize()`).
 */
export { BACKEND_METHODS, isBackend, missingBackendMethods } from './backend.js';
export { type LeTypedArray, LITTLE_ENDIAN, leBytes, unfilledBytes } from './bytes.js';
export { pymecompressError, RANGE_ERROR_CODES } from './errors.js';
export { MAX_SIZE, MAX_TREE_BYTES, maxCompressedSize, maxSymbols, symbolsFit } from './format.js';
export { buildQuantizeTable as sharedQuantizeTable } from './quantize.js';
export {
  assertEncodableLength,
  assertOutput,
  assertSize,
  assertUint8Array,
  assertUint16Array,
  checkDecompressArgs,
  checkDequantizeArgs,
  checkQuantizeArgs,
  outputView,
  plainBytes,
  type QuantParams,
  quantParams,
} from './validate.js';
