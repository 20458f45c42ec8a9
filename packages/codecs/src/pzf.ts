/**
 * PZF frames (PYME's `PYME/IO/PZFFormat.py`), one module per job: pzf-header.ts (layout,
 * constants, `readPzfHeader`), pzf-decode.ts (`decodePzf`, `transpose`), pzf-encode.ts
 * (`encodePzf`). This file is the one place the rest of the package imports them from.
 */
export {
  type DecodePzfOptions,
  decodePzf,
  decodePzfAsync,
  transpose,
} from './pzf-decode.js';
export { type EncodePzfOptions, encodePzf, encodePzfAsync } from './pzf-encode.js';
export {
  type DimOrder,
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
} from './pzf-header.js';
