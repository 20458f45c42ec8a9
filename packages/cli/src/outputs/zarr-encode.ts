/**
 * Streaming a frame source into a `.zarr` / `.ome.zarr` (docs/FORMAT.md "OME-Zarr output"):
 * slabs of `framesPerChunk` frames are read in order, binned into the downsampled levels, cut
 * into chunk tiles and encoded on the worker pool; chunks are written in order. Memory holds a
 * few slabs (their levels and tiles), never the stack.
 */
import type { BackendName } from '@pymecompress/codecs';
import { injectedFailure } from '../atomic.js';
import type { CodecConfig, TaskResult } from '../codec-task.js';
import { fromLibraryError, usageError } from '../errors.js';
import type { FrameSource, Pixels } from '../inputs/index.js';
import { LIMITS } from '../limits.js';
import { pipeline, type WorkerPool } from '../pool.js';
import type { Progress } from '../progress.js';
import { binMean2, cutTile, type Plane } from './tiles.js';
import type { ChunkWriter, ZarrLayout } from './zarr.js';

/** What a slab may hold in memory (its frames; the levels and tiles add about as much again). */
const SLAB_BYTES = 2 ** 30;

/** Refuses a chunk layout that no reader of ours (nor the codecs' 2^31 frame limit) would take. */
export function checkZarrLayout(layout: ZarrLayout, frameBytes: number, itemSize: number): void {
  const lv = layout.levels[0]!;
  const chunkBytes = lv.chunks.reduce((a, b) => a * b, itemSize);
  if (chunkBytes > LIMITS.frameBytes)
    throw usageError(
      `--chunks ${lv.chunks.join(',')}: a chunk of ${chunkBytes} bytes exceeds the limit of ${LIMITS.frameBytes}`,
    );
  if (layout.framesPerChunk * frameBytes > SLAB_BYTES)
    throw usageError(
      `--chunks ${lv.chunks.join(',')}: ${layout.framesPerChunk} frames per chunk need ${layout.framesPerChunk * frameBytes} bytes in memory (limit ${SLAB_BYTES}); use a smaller first extent`,
    );
}

export interface EncodeZarrOptions {
  src: FrameSource;
  layout: ZarrLayout;
  codec: CodecConfig;
  backend: BackendName;
  pool: WorkerPool;
  write: ChunkWriter;
  progress: Progress;
  /** Count level-0 pixels above this (quantizer saturation); `Infinity` for none. */
  saturation: number;
}

interface Encoded {
  level: number;
  index: number[];
  result: TaskResult;
}

/** Encodes every chunk of every level; returns the chunk bytes written and saturated pixels. */
export async function encodeZarr(
  o: EncodeZarrOptions,
): Promise<{ bytes: number; saturated: number }> {
  const { src, layout, pool } = o;
  const tz = layout.framesPerChunk;
  const stack = layout.levels[0]!.shape.length === 3;
  const slabs = Math.ceil(src.frames / tz);
  const tasksPerSlab = layout.levels.reduce((n, lv) => n + lv.tilesY * lv.tilesX, 0);
  const frameBytes = src.height * src.width * (src.dtype === 'uint8' ? 1 : 2);
  const memWindow = Math.max(1, Math.floor(SLAB_BYTES / Math.max(1, tz * frameBytes)));
  const window = Math.max(1, Math.min(memWindow, Math.ceil((2 * pool.size) / tasksPerSlab) + 1));
  // The whole frame is the chunk: hand it to the worker as it is (no copy; it comes back).
  const lv0 = layout.levels[0]!;
  const direct =
    tz === 1 &&
    layout.levels.length === 1 &&
    lv0.tilesY === 1 &&
    lv0.tilesX === 1 &&
    lv0.chunks.at(-2) === src.height &&
    lv0.chunks.at(-1) === src.width;
  let bytes = 0;
  let saturated = 0;
  let framesDone = 0;

  const work = (frames: Pixels[], s: number): Promise<Encoded[]> => {
    // All binning and cutting happen before the first task is posted: posting transfers buffers.
    let planes: Plane[] = frames.map((data) => ({ data, height: src.height, width: src.width }));
    const jobs: { level: number; index: number[]; data: Pixels }[] = [];
    layout.levels.forEach((lv, level) => {
      if (level > 0) planes = planes.map(binMean2);
      const [ch, cw] = lv.chunks.slice(-2) as [number, number];
      for (let yi = 0; yi < lv.tilesY; yi++)
        for (let xi = 0; xi < lv.tilesX; xi++) {
          const data = direct ? frames[0]! : cutTile(planes, [tz, ch, cw], yi, xi);
          jobs.push({ level, index: stack ? [s, yi, xi] : [yi, xi], data });
        }
    });
    return Promise.all(
      jobs.map(({ level, index, data }) =>
        pool
          .run({
            op: 'encode',
            backend: o.backend,
            codec: o.codec,
            dtype: src.dtype,
            data,
            ...(level === 0 && o.saturation < Infinity ? { countAbove: o.saturation } : {}),
          })
          .then((result) => ({ level, index, result }))
          .catch((err) => {
            throw fromLibraryError(src.path, err);
          }),
      ),
    );
  };

  await pipeline(
    slabs,
    window,
    (s) => src.read(s * tz, Math.min(tz, src.frames - s * tz)),
    work,
    async (_s, results, frames) => {
      for (const { level, index, result } of results) {
        const chunk = result.data as Uint8Array;
        saturated += result.saturated;
        await o.write(level, index, chunk);
        bytes += chunk.byteLength;
      }
      if (direct) {
        const back = results[0]?.result.input;
        if (back) src.recycle?.(back);
      } else for (const f of frames) src.recycle?.(f);
      framesDone += frames.length;
      injectedFailure(framesDone);
      o.progress.update(framesDone, framesDone * frameBytes);
    },
  );
  return { bytes, saturated };
}
