/**
 * Zarr v2 outputs (docs/FORMAT.md "Zarr v2 arrays", "OME-Zarr output"): a plain `.zarr` array
 * (metadata at the root, chunk keys joined by '.', zarr-python 2's default) or an `.ome.zarr`
 * OME-NGFF 0.4 image group (`.zgroup`, `.zattrs` with `multiscales`, arrays `0`, `1`, ... with
 * '/'-nested chunk keys, as ome-zarr-py writes them). The JSON and the chunk keys come from
 * `@pymecompress/codecs` (`zarrV2ArrayMeta`, `zarrV2ChunkKey`, `ngffMultiscales`), the one
 * writer of that metadata; this module only lays it out in the temporary directory that
 * `atomic.ts` commits.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import {
  type DimensionSeparator,
  type NgffAxis,
  ngffMultiscales,
  v2Dtype,
  ZARR_V2_KEYS,
  zarrV2ArrayMeta,
  zarrV2ChunkGrid,
  zarrV2ChunkKey,
  zarrV2GroupMeta,
  zarrV2Json,
} from '@pymecompress/codecs';
import type { CodecConfig } from '../codec-task.js';
import { CliError, EXIT } from '../errors.js';
import type { PixelDtype } from '../npy.js';

/** One array of the output: level 0 is the full resolution. */
export interface ZarrLevel {
  /** Path below the output directory ('' for a plain array at the root). */
  path: string;
  /** `[N, H, W]`, or `[H, W]` for a single 2-D frame. */
  shape: number[];
  chunks: number[];
  height: number;
  width: number;
  /** Chunk grid along y and x. */
  tilesY: number;
  tilesX: number;
}

export interface ZarrLayout {
  ome: boolean;
  separator: DimensionSeparator;
  /** Frames per chunk along the stack axis (1 for a 2-D frame). */
  framesPerChunk: number;
  levels: ZarrLevel[];
}

export interface ZarrPlan {
  frames: number;
  height: number;
  width: number;
  /** A stack `[N, H, W]` (else one 2-D frame `[H, W]`). */
  stack: boolean;
  /** Chunk shape of level 0 (default: one whole frame per chunk). */
  chunks?: readonly number[] | undefined;
  /** Downsampled levels below level 0 (`.ome.zarr` only). */
  levels: number;
  ome: boolean;
}

/** Shapes and chunks of every level; each level halves y and x (rounding up, see `binMean2`). */
export function planZarr(p: ZarrPlan): ZarrLayout {
  const full = p.stack ? [p.frames, p.height, p.width] : [p.height, p.width];
  const chunks0 = p.chunks ? [...p.chunks] : p.stack ? [1, p.height, p.width] : [...full];
  const levels: ZarrLevel[] = [];
  let h = p.height;
  let w = p.width;
  for (let l = 0; l <= p.levels; l++) {
    if (l > 0) {
      h = Math.ceil(h / 2);
      w = Math.ceil(w / 2);
    }
    const shape = p.stack ? [p.frames, h, w] : [h, w];
    // Tiles keep their level-0 extent; a level smaller than one tile gets one (clipped) tile.
    const chunks = chunks0.map((c, i) => Math.max(1, Math.min(c, shape[i]!)));
    const [ch, cw] = chunks.slice(-2) as [number, number];
    levels.push({
      path: p.ome ? String(l) : '',
      shape,
      chunks,
      height: h,
      width: w,
      tilesY: Math.ceil(h / ch),
      tilesX: Math.ceil(w / cw),
    });
  }
  return {
    ome: p.ome,
    separator: p.ome ? '/' : '.',
    framesPerChunk: p.stack ? chunks0[0]! : 1,
    levels,
  };
}

export interface ZarrOutputMeta {
  dtype: PixelDtype;
  codec: CodecConfig;
  /** Our `pymecompress` block (and anything else) for the root `.zattrs`. */
  attributes: Record<string, unknown>;
  /** `.ome.zarr`: the image's axes and level-0 pixel scale. */
  ngff?: { axes: NgffAxis[]; scale: number[]; name?: string };
}

/** Writes one chunk: `level` index, chunk index (one integer per axis), encoded bytes. */
export type ChunkWriter = (
  level: number,
  index: readonly number[],
  bytes: Uint8Array,
) => Promise<void>;

/** Creates `dir` with all metadata of `layout`; returns the chunk writer. */
export async function createZarrOutput(
  dir: string,
  layout: ZarrLayout,
  meta: ZarrOutputMeta,
): Promise<ChunkWriter> {
  await mkdir(dir);
  const put = (path: string, doc: unknown) => writeFile(join(dir, path), zarrV2Json(doc));
  let attributes = meta.attributes;
  if (layout.ome) {
    if (!meta.ngff) throw new CliError(EXIT.FAILURE, `${dir}: an .ome.zarr output needs its axes`);
    const rank = meta.ngff.axes.length;
    const ms = ngffMultiscales({
      axes: meta.ngff.axes,
      scale: meta.ngff.scale,
      // y and x halve per level; the stack axis is never binned.
      factors: layout.levels.map((_, l) =>
        Array.from({ length: rank }, (_, i) => (i >= rank - 2 ? 2 ** l : 1)),
      ),
      paths: layout.levels.map((lv) => lv.path),
      ...(meta.ngff.name !== undefined ? { name: meta.ngff.name } : {}),
      type: 'mean',
      metadata: {
        description:
          '2x2 mean binning in y and x per level, rounded half up; edge bins average the pixels they have',
        method: '@pymecompress/cli binMean2',
      },
    });
    attributes = { ...ms, ...attributes };
    await put(ZARR_V2_KEYS.group, zarrV2GroupMeta());
  }
  await put(ZARR_V2_KEYS.attributes, attributes);
  for (const lv of layout.levels) {
    if (lv.path !== '') await mkdir(join(dir, lv.path));
    const zarray = zarrV2ArrayMeta({
      shape: lv.shape,
      chunks: lv.chunks,
      dtype: v2Dtype(meta.dtype),
      compressor: meta.codec,
      fillValue: 0,
      dimensionSeparator: layout.separator,
    });
    await put(join(lv.path, ZARR_V2_KEYS.array), zarray);
  }
  const made = new Set<string>();
  return async (level, index, bytes) => {
    const lv = layout.levels[level]!;
    const file = join(dir, lv.path, ...zarrV2ChunkKey(index, layout.separator).split('/'));
    const parent = dirname(file);
    if (!made.has(parent)) {
      await mkdir(parent, { recursive: true });
      made.add(parent);
    }
    await writeFile(file, bytes, { flag: 'wx' });
  };
}

export interface ImageAxesOptions {
  stack: boolean;
  /** What a stack's frames are: time points (`t`, default) or focal planes (`z`). */
  stackAxis?: 't' | 'z';
  /** Pixel size in µm along y and x, when known. */
  pixelSize?: readonly [number, number] | undefined;
  /** Spacing along the stack axis (seconds for t, µm for z), when known. */
  stackStep?: number | undefined;
}

/**
 * NGFF axes and level-0 scale of an image: `y, x` for a frame, `t, y, x` or `z, y, x` for a stack
 * (the spec's order: time, then space). Units are given only when the caller knows them.
 */
export function imageAxes(o: ImageAxesOptions): { axes: NgffAxis[]; scale: number[] } {
  const space = (name: string): NgffAxis => ({
    name,
    type: 'space',
    ...(o.pixelSize ? { unit: 'micrometer' } : {}),
  });
  const axes: NgffAxis[] = [space('y'), space('x')];
  const scale = o.pixelSize ? [...o.pixelSize] : [1, 1];
  if (o.stack) {
    const z = o.stackAxis === 'z';
    const unit = o.stackStep === undefined ? {} : { unit: z ? 'micrometer' : 'second' };
    axes.unshift({ name: z ? 'z' : 't', type: z ? 'space' : 'time', ...unit });
    scale.unshift(o.stackStep ?? 1);
  }
  return { axes, scale };
}

/** Number of chunks of a level (for progress and tests). */
export function chunkCount(lv: ZarrLevel): number {
  return zarrV2ChunkGrid(lv.shape, lv.chunks).reduce((a, b) => a * b, 1);
}
