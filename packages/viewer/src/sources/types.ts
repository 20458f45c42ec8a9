/**
 * What every opened input looks like to the viewer: frames (every index of the leading axes),
 * resolution levels (1 for flat arrays, several for OME-Zarr / PYME pyramids), and region reads
 * that decode only the chunks a region touches.
 */
import type { OmeSpatial } from './ome.js';

export type Pixels =
  | Uint8Array
  | Int8Array
  | Uint16Array
  | Int16Array
  | Uint32Array
  | Int32Array
  | Float32Array
  | Float64Array;

export interface Level {
  /** Path of the level inside the group ('' for a single array). */
  path: string;
  width: number;
  height: number;
  /** Chunk (tile) size in x and y; the whole frame for single-file inputs. */
  chunkWidth: number;
  chunkHeight: number;
  /**
   * Level-0 pixels per pixel of this level, when the level's size does not say it (PYME pads each
   * level to whole tiles: its level n is level 0 binned 2^n × 2^n). Default: level-0 size / size.
   */
  scale?: number;
}

/** A rectangle in pixels of one level: [x0, x1) × [y0, y1). */
export interface Region {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

export interface CodecInfo {
  /** Codec id (`pymecompress-quant16`, PZF `huffman`, …) or 'none'. */
  id: string;
  /** Its parameters as stored. */
  config: Record<string, unknown>;
}

export interface SourceMeta {
  name: string;
  kind: 'pzf' | 'npy' | 'tiff' | 'zarr' | 'ome-zarr' | 'pyme-pyramid';
  /** Full shape as stored (numpy order for arrays; PZF: [width, height, depth]). */
  shape: number[];
  /** Names of the leading axes that make up the frame index (e.g. ['t', 'z']). */
  frameAxes: string[];
  /** Sizes of the leading axes; `frames` is their product. */
  frameShape: number[];
  frames: number;
  dtype: string;
  levels: Level[];
  codec: CodecInfo | null;
  /** sqrt quantization of the stored data, when it has one. */
  quantization: { offset: number; scale: number } | null;
  /** Uncompressed bytes / stored bytes (null when unknown). */
  compressionRatio: number | null;
  storedBytes: number | null;
  /** OME-Zarr axes and pixel sizes (`coordinateTransformations`), when the group has them. */
  physical?: OmeSpatial | null;
  /** Extra fields to show (PZF header, Zarr attributes, …). */
  details: Record<string, unknown>;
}

export interface Source {
  meta: SourceMeta;
  /** Pixels of `region` of frame `frame` at level `level`, row-major (y then x). */
  read(frame: number, level: number, region: Region): Promise<Pixels>;
  /** What opening took, by step (ms), for the benchmark's breakdown (e.g. PZF read, decode). */
  timings?: Record<string, number>;
}

/** An opened input: a set of files (picker, drop, folder) or a URL. */
export type InputSpec =
  | { kind: 'files'; files: { path: string; file: Blob }[] }
  | { kind: 'url'; url: string };

export function itemSize(p: Pixels): number {
  return p.BYTES_PER_ELEMENT;
}

/** Copies `region` out of a full row-major frame of width `width`. */
export function cropFrame(data: Pixels, width: number, r: Region): Pixels {
  const w = r.x1 - r.x0;
  const h = r.y1 - r.y0;
  if (r.x0 === 0 && r.y0 === 0 && w === width && h * width === data.length) return data;
  const Ctor = data.constructor as new (n: number) => Pixels;
  const out = new Ctor(w * h);
  for (let y = 0; y < h; y++) {
    const from = (r.y0 + y) * width + r.x0;
    out.set(data.subarray(from, from + w) as never, y * w);
  }
  return out;
}

/** A clear error whose message the UI shows as is. */
export class ViewerError extends Error {
  constructor(
    message: string,
    readonly code = 'ERR_VIEWER_INPUT',
  ) {
    super(message);
    this.name = 'ViewerError';
  }
}
