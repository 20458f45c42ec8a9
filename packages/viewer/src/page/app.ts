/**
 * The page's shared state: what is open, the view, the contrast and LUT, the images on screen,
 * and the decoding worker. One object, so the page's modules (display, inputs, controls, panels)
 * read and change the same state.
 */
import { DecoderClient } from '../client.js';
import { hook, setState } from '../hook.js';
import type { ReadReply } from '../protocol.js';
import type { Pixels, Region, SourceMeta } from '../sources/types.js';
import type { LutName } from '../view/lut.js';
import type { Viewport } from '../view/viewport.js';

/** Worker-coloured bitmaps, or canvases coloured here after a contrast or LUT change. */
export type Image = HTMLCanvasElement | ImageBitmap;

/** The region on screen, coloured at `scale` (≤ 1) pixels per region pixel. */
export interface Foreground {
  level: number;
  region: Region;
  reply: ReadReply;
  /** The region's pixels once they arrived (they follow the bitmap: `ReadReply.pixels`). */
  data: Pixels | null;
  image: Image;
  scale: number;
}
/** The coarsest level, whole, drawn under the foreground while regions load. */
export interface Background {
  data: Pixels;
  image: Image;
}

export const app = {
  meta: null as SourceMeta | null,
  inputName: '',
  frameIndex: 0,
  view: { zoom: 1, cx: 0, cy: 0 } as Viewport,
  lo: 0,
  hi: 1,
  lutName: 'grey' as LutName,
  fg: null as Foreground | null,
  bg: null as Background | null,
  /** Bumped when the frame changes: replies for an older frame are dropped. */
  generation: 0,
};

export const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
export const canvas = $<HTMLCanvasElement>('canvas');
export const client = new DecoderClient();
void client.backend.then((b) => {
  hook.backend ??= b;
});

/** Frees a bitmap now rather than at garbage collection (a 2048² one is 16 MB). */
export function release(image: Image | undefined): void {
  if (typeof ImageBitmap !== 'undefined' && image instanceof ImageBitmap) image.close();
}

export function status(text: string): void {
  $('status').textContent = text;
}

export function fail(err: unknown): void {
  const e = err as Error;
  setState('error', e?.message ?? String(err));
  status(`error: ${hook.error}`);
}
