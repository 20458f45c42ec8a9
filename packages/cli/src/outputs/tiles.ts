/**
 * Pixel work of the chunked outputs (docs/FORMAT.md "OME-Zarr output"): 2× mean binning for the
 * downsampled levels and cutting a slab of frames into chunk tiles.
 */
import type { Pixels } from '../inputs/file.js';

export interface Plane {
  data: Pixels;
  height: number;
  width: number;
}

/**
 * 2× mean binning in y and x: output pixel (i, j) is the mean of input pixels (2i..2i+1,
 * 2j..2j+1) that exist, rounded half up (`floor(mean + 1/2)`, exact in integers). An odd last
 * row or column is binned with what it has (2 or 1 pixels), so the level is
 * `ceil(h/2) × ceil(w/2)` and no pixel is dropped.
 */
export function binMean2(p: Plane): Plane {
  const { data, height: h, width: w } = p;
  const h2 = Math.ceil(h / 2);
  const w2 = Math.ceil(w / 2);
  const out = new (data.constructor as new (n: number) => Pixels)(h2 * w2);
  for (let i = 0; i < h2; i++) {
    const r0 = 2 * i * w;
    const two = 2 * i + 1 < h;
    const r1 = two ? r0 + w : r0;
    const o = i * w2;
    for (let j = 0; j < w2; j++) {
      const c = 2 * j;
      if (c + 1 < w) {
        if (two)
          out[o + j] =
            (data[r0 + c]! + data[r0 + c + 1]! + data[r1 + c]! + data[r1 + c + 1]! + 2) >>> 2;
        else out[o + j] = (data[r0 + c]! + data[r0 + c + 1]! + 1) >>> 1;
      } else if (two) out[o + j] = (data[r0 + c]! + data[r1 + c]! + 1) >>> 1;
      else out[o + j] = data[r0 + c]!;
    }
  }
  return { data: out, height: h2, width: w2 };
}

/**
 * The C-order chunk `[tz, ch, cw]` at tile (`yi`, `xi`) of a slab of up to `tz` planes of one
 * level; missing planes and the parts beyond the array's edge are zero (the arrays'
 * `fill_value`), as zarr-python pads edge chunks.
 */
export function cutTile(
  slab: readonly Plane[],
  chunk: readonly [number, number, number],
  yi: number,
  xi: number,
): Pixels {
  const [tz, ch, cw] = chunk;
  const first = slab[0]!;
  const Ctor = first.data.constructor as new (n: number) => Pixels;
  const out = new Ctor(tz * ch * cw);
  const y0 = yi * ch;
  const x0 = xi * cw;
  const rows = Math.min(ch, first.height - y0);
  const cols = Math.min(cw, first.width - x0);
  for (let t = 0; t < slab.length; t++) {
    const { data, width } = slab[t]!;
    for (let r = 0; r < rows; r++) {
      const src = (y0 + r) * width + x0;
      out.set(data.subarray(src, src + cols) as never, (t * ch + r) * cw);
    }
  }
  return out;
}
