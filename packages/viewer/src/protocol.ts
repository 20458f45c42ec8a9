/** Messages between the page and the decoding worker. */
import type { LensParams, LensResult } from './lens.js';
import type { InputSpec, Pixels, Region, SourceMeta } from './sources/types.js';
import type { Stats } from './stats.js';

export type Request =
  | { op: 'open'; input: InputSpec }
  | { op: 'read'; frame: number; level: number; region: Region }
  | { op: 'lens'; frame: number; params: LensParams };

export interface OpenReply {
  meta: SourceMeta;
  backend: string;
  /** Time spent opening (reading + decoding the first frame for single files), ms. */
  ms: number;
}
export interface ReadReply {
  data: Pixels;
  stats: Stats;
  ms: number;
}
export type LensReply = LensResult & { ms: number };

export type Envelope =
  | { id: number; ok: true; value: unknown }
  | { id: number; ok: false; error: string; code: string };
