/**
 * @pymecompress/codecs: numcodecs-compatible pymecompress codecs and PYME's PZF frame format, on
 * the native backend when it loads, on wasm once `await ready()` instantiated it, and on core-ts
 * otherwise (browsers: wasm, else core-ts). zarrita.js
 * integration lives in `@pymecompress/codecs/zarr`, Node file helpers in `@pymecompress/codecs/node`.
 * The Zarr v2 / OME-NGFF metadata writers (`zarr-v2.ts`, `ngff.ts`) need no zarrita and are
 * exported from both this entry and `/zarr`.
 */
export {
  ERROR_CODES,
  isPymecompressError,
  PymecompressError,
  type PymecompressErrorCode,
  PymecompressRangeError,
} from '@pymecompress/core-ts';
export {
  availableBackends,
  BACKEND_NAMES,
  type BackendEntry,
  type BackendInfo,
  type BackendName,
  type BackendOption,
  backendInfo,
  getBackend,
  parseBackendName,
  ready,
} from './backend.js';
export { type ChunkMeta, itemSizeOf } from './dtype.js';
export { CODECS_ERROR_CODES, type CodecsErrorCode, hasErrorCode } from './errors.js';
export { Huffman, type HuffmanConfig, type HuffmanOptions, type TrailerMode } from './huffman.js';
export {
  BACKEND_METHODS,
  type BackendKind,
  type BackendStatus,
  type BackendUnavailableReason,
  isBackend,
  missingBackendMethods,
} from './loader/types.js';
export {
  NGFF_SPACE_UNITS,
  NGFF_TIME_UNITS,
  NGFF_VERSION,
  type NgffAxis,
  type NgffAxisType,
  type NgffMultiscale,
  type NgffMultiscalesOptions,
  type NgffTransformation,
  ngffMultiscales,
} from './ngff.js';
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
export {
  type DimensionSeparator,
  v2Dtype,
  ZARR_V2_KEYS,
  type ZarrTypedArray,
  type ZarrV2ArrayMeta,
  type ZarrV2ArrayMetaOptions,
  type ZarrV2DtypeName,
  zarrV2ArrayMeta,
  zarrV2ChunkGrid,
  zarrV2ChunkKey,
  zarrV2GroupMeta,
  zarrV2Json,
} from './zarr-v2.js';
