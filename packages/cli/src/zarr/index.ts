/** Zarr input for `info` and `decompress` (arrays of any chunking, OME-Zarr, PYME pyramids). */

export { bareName, compressors } from './codecs.js';
export { isWholeFrameChunking, readFrameChunk, type WholeFrameArray } from './frames.js';
export { type LevelInfo, openZarrInput, type ZarrInput, type ZarrKind } from './open.js';
export { storedBytes } from './stored.js';
export { blockPlan, streamFrames } from './stream.js';
