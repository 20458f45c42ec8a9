/**
 * Input stacks, read frame by frame: `.npy` (C or F order), multi-page `.tif`/`.tiff`, `.dax` +
 * `.inf` (big-endian uint16 movies) and raw files (`--shape`, `--dtype`), one module per format
 * behind `openInput`. Every source is presented as `frames` frames of `height x width` pixels
 * (row-major, native byte order); only a bounded number of frames is held in memory at a time.
 */
import { extname } from 'node:path';
import { usageError } from '../errors.js';
import { openDax } from './dax.js';
import { openNpy } from './npy.js';
import { openRaw, type RawOptions } from './raw.js';
import type { FrameSource, InputFormat } from './source.js';
import { openTiff } from './tiff.js';

export { parseInf } from './dax.js';
export type { Pixels } from './file.js';
export type { RawOptions } from './raw.js';
export type { FrameSource, InputFormat } from './source.js';

export function detectInputFormat(path: string, raw: RawOptions): InputFormat {
  if (raw.shape !== undefined) return 'raw';
  const ext = extname(path).toLowerCase();
  if (ext === '.npy') return 'npy';
  if (ext === '.tif' || ext === '.tiff') return 'tiff';
  if (ext === '.dax') return 'dax';
  throw usageError(
    `${path}: unknown input type '${ext || '(no extension)'}' (expected .npy, .tif, .tiff, .dax, or raw data with --shape and --dtype)`,
  );
}

export async function openInput(path: string, raw: RawOptions = {}): Promise<FrameSource> {
  switch (detectInputFormat(path, raw)) {
    case 'npy':
      return openNpy(path);
    case 'tiff':
      return openTiff(path);
    case 'dax':
      return openDax(path);
    case 'raw':
      return openRaw(path, raw);
  }
}
