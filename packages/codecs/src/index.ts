/**
 * @pymecompress/codecs: numcodecs-compatible pymecompress codecs and PYME's PZF frame format, on
 * the native backend when it loads and on core-ts otherwise (browsers included). zarrita.js
 * integration lives in `@pymecompress/codecs/zarr`, Node file helpers in `@pymecompress/codecs/node`.
 */
export {
  ERROR_CODES,
  isPymecompressError,
  PymecompressError,
  type PymecompressErrorCode,
  PymecompressRangeError,
} from '@pymecompress/core-ts';
export {
  type BackendInfo,
  type BackendName,
  type BackendOption,
  backendInfo,
  getBackend,
} from './backend.js';
export { type ChunkMeta, itemSizeOf } from './dtype.js';
export { CODECS_ERROR_CODES, type CodecsErrorCode, hasErrorCode } from './errors.js';
export { Huffman, type HuffmanConfig, type HuffmanOptions, type TrailerMode } from './huffman.js';
export { PymePzf, type PymePzfConfig, type PymePzfOptions } from './pyme-pzf.js';
export {
  type DecodePzfOptions,
  type DimOrder,
  decodePzf,
  decodePzfAsync,
  type EncodePzfOptions,
  encodePzf,
  encodePzfAsync,
  PZF_DEFAULT_CHUNKS,
  PZF_HEADER_LENGTH_V1_V2,
  PZF_HEADER_LENGTH_V3,
  PZF_ID,
  PZF_VERSION,
  type PzfCompression,
  type PzfDtype,
  type PzfFrame,
  type PzfHeader,
  type PzfQuantization,
  type PzfTypedArray,
  readPzfHeader,
  transpose,
} from './pzf.js';
export {
  type Dequantization,
  HuffmanQuant16,
  type HuffmanQuant16Config,
  type HuffmanQuant16Options,
  numpyAstypeUint16,
} from './quant16.js';
