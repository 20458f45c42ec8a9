/**
 * The fast path for arrays chunked frame by frame (what `compress` writes, and Python with
 * `chunks=(1, H, W)`): Zarr v2, a pymecompress codec or none, uint8 / uint16. Each chunk file is
 * read whole (bounded by the codec's worst case) and decoded in the worker pool, several frames
 * in flight at once; `decompress` uses it when it applies and zarrita otherwise.
 */
import { lstat, realpath } from 'node:fs/promises';
import { join, sep } from 'node:path';
import { type DimensionSeparator, zarrV2ChunkKey } from '@pymecompress/codecs';
import { maxHuffmanChunkBytes } from '@pymecompress/codecs/untrusted';
import type { CodecConfig } from '../codec-task.js';
import { badInput } from '../errors.js';
import { readBounded } from '../inputs/file.js';
import type { PixelDtype } from '../npy.js';

export interface WholeFrameArray {
  /** The array's directory. */
  dir: string;
  shape: number[];
  dtype: PixelDtype;
  /** `null`: chunks are stored uncompressed. */
  codec: CodecConfig | null;
  separator: DimensionSeparator;
  fillValue: number;
  frames: number;
  height: number;
  width: number;
}

/** True when every chunk of `shape` is one whole frame (`[H, W]` or `[1, H, W]`). */
export function isWholeFrameChunking(shape: readonly number[], chunks: readonly number[]): boolean {
  if (shape.length === 2) return chunks[0] === shape[0] && chunks[1] === shape[1];
  return shape.length === 3 && chunks[0] === 1 && chunks[1] === shape[1] && chunks[2] === shape[2];
}

export function chunkPath(a: WholeFrameArray, i: number): string {
  // The key rule has one home (codecs' Zarr v2 writer); '/' keys are nested folders.
  const key = zarrV2ChunkKey(a.shape.length === 2 ? [0, 0] : [i, 0, 0], a.separator);
  return join(a.dir, ...key.split('/'));
}

/** The chunk's bytes, or `null` when the chunk is absent (all fill value). */
export async function readFrameChunk(a: WholeFrameArray, i: number): Promise<Uint8Array | null> {
  const path = chunkPath(a, i);
  // The chunk, or a folder on its way (`/` separators), may be a symlink: inside the array only.
  let real: string;
  try {
    real = await realpath(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT' && code !== 'ENOTDIR') throw err;
    if ((await lstat(path).catch(() => undefined))?.isSymbolicLink())
      throw badInput(a.dir, `chunk ${i} is a symlink leaving the array (dangling)`);
    return null;
  }
  const root = await realpath(a.dir);
  if (!real.startsWith(root + sep))
    throw badInput(a.dir, `chunk ${i} is a symlink leaving the array (${real})`);
  const raw = a.height * a.width * (a.dtype === 'uint8' ? 1 : 2);
  const max =
    a.codec === null
      ? raw
      : maxHuffmanChunkBytes(a.codec.id === 'pymecompress-quant16' ? a.height * a.width : raw);
  return readBounded(path, max, `chunk of a ${a.height}x${a.width} ${a.dtype} frame`);
}
