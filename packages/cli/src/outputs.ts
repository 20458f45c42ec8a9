/**
 * Outputs, one module per format (streaming, frame by frame): Zarr v2 directories (one chunk per
 * frame, here), `.npy` (`outputs/npy.ts`) and multi-page `.tif` (`outputs/tiff.ts`). Each writes
 * into the temporary path it is given; `atomic.ts` moves it into place.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CodecConfig } from './codec-task.js';
import type { PixelDtype } from './npy.js';

export interface ZarrMeta {
  /** `[N, H, W]`, or `[H, W]` for a single 2-D frame. */
  shape: number[];
  dtype: PixelDtype;
  codec: CodecConfig;
  attributes?: Record<string, unknown>;
}

export function zarrChunkKey(index: number, rank: number): string {
  return rank === 2 ? '0.0' : `${index}.0.0`;
}

/** Creates the array directory and its metadata; returns a function writing frame chunks. */
export async function createZarr(
  dir: string,
  meta: ZarrMeta,
): Promise<(i: number, chunk: Uint8Array) => Promise<void>> {
  await mkdir(dir);
  const rank = meta.shape.length;
  const chunks = rank === 2 ? meta.shape : [1, meta.shape[1]!, meta.shape[2]!];
  const zarray = {
    chunks,
    compressor: meta.codec,
    dimension_separator: '.',
    dtype: meta.dtype === 'uint8' ? '|u1' : '<u2',
    fill_value: 0,
    filters: null,
    order: 'C',
    shape: meta.shape,
    zarr_format: 2,
  };
  await writeFile(join(dir, '.zarray'), `${JSON.stringify(zarray, null, 4)}\n`);
  if (meta.attributes)
    await writeFile(join(dir, '.zattrs'), `${JSON.stringify(meta.attributes, null, 4)}\n`);
  return (i, chunk) => writeFile(join(dir, zarrChunkKey(i, rank)), chunk);
}

export { createNpyWriter } from './outputs/npy.js';
export { leBytes, type StackWriter } from './outputs/stack.js';
export { createTiffWriter } from './outputs/tiff.js';
