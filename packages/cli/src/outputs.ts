/**
 * Outputs, one module per format (streaming, frame by frame): Zarr v2 arrays and OME-Zarr groups
 * (`outputs/zarr.ts`, metadata from @pymecompress/codecs; tiles and levels in `outputs/tiles.ts`),
 * `.npy` (`outputs/npy.ts`) and multi-page `.tif` (`outputs/tiff.ts`). Each writes into the
 * temporary path it is given; `atomic.ts` moves it into place.
 */
export { createNpyWriter } from './outputs/npy.js';
export { leBytes, type StackWriter } from './outputs/stack.js';
export { createTiffWriter } from './outputs/tiff.js';
export { binMean2, cutTile, type Plane } from './outputs/tiles.js';
export {
  type ChunkWriter,
  chunkCount,
  createZarrOutput,
  type ImageAxesOptions,
  imageAxes,
  planZarr,
  type ZarrLayout,
  type ZarrLevel,
  type ZarrOutputMeta,
  type ZarrPlan,
} from './outputs/zarr.js';
