/** Messages between the page and the decoding worker. */
import type { LensParams, LensResult } from './lens.js';
import type { InputSpec, Pixels, Region, SourceMeta } from './sources/types.js';
import type { Stats } from './stats.js';
import type { LutName } from './view/lut.js';

export type Request =
  | { op: 'open'; input: InputSpec }
  | { op: 'read'; frame: number; level: number; region: Region; colour?: ColourRequest }
  | { op: 'lens'; frame: number; params: LensParams };

export interface OpenReply {
  meta: SourceMeta;
  backend: string;
  /** Time spent opening (reading + decoding the first frame for single files), ms. */
  ms: number;
}
/**
 * Colour the region in the worker: through `lut` and `contrast` (null: its auto percentiles), at
 * `scale` (≤ 1) pixels per region pixel — no more than the screen shows at the current zoom.
 */
export interface ColourRequest {
  lut: LutName;
  contrast: [number, number] | null;
  scale: number;
}
export interface ReadReply {
  data: Pixels;
  stats: Stats;
  /** The region coloured in the worker (when the request asked for it), with what coloured it. */
  image?: {
    bitmap: ImageBitmap;
    lut: LutName;
    lo: number;
    hi: number;
    scale: number;
  };
  /** The worker's time per step (region, stats, colour, bitmap, copy), ms. */
  phases: Record<string, number>;
  ms: number;
}
export type LensReply = LensResult & { ms: number };

export type Envelope =
  | { id: number; ok: true; value: unknown }
  | { id: number; ok: false; error: string; code: string };
