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
  /** The open's steps (ms): `backend` (waiting for the decoder), then the source's (PZF read, decode). */
  phases: Record<string, number>;
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
  /**
   * The region's pixels. The worker answers a read in two messages: first the stats and the
   * coloured bitmap (all the first paint needs), then the pixels (an 8 MB copy at 2048²).
   */
  pixels: Promise<Pixels>;
  /** Of the pixels shown (a nearest-neighbour sample of the region when zoomed out). */
  stats: Stats;
  /** The region coloured in the worker (when the request asked for it), with what coloured it. */
  image?: {
    bitmap: ImageBitmap;
    lut: LutName;
    lo: number;
    hi: number;
    scale: number;
  };
  /** The worker's time per step (region, decimate, stats, colour, bitmap), ms. */
  phases: Record<string, number>;
  ms: number;
}
export type LensReply = LensResult & { ms: number };

/**
 * A reply; `more` when another message for the same request follows (a read's pixels). Id 0 is
 * the worker's own announcement of its decoder (`{ backend }`) once instantiated.
 */
export type Envelope =
  | { id: number; ok: true; value: unknown; more?: boolean }
  | { id: number; ok: false; error: string; code: string };
