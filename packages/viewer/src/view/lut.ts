/** Look-up tables (256 RGBA entries) and the mapping of pixel values through contrast and LUT. */
import type { Pixels } from '../sources/types.js';

export type LutName = 'grey' | 'inverted' | 'fire' | 'viridis' | 'diverging';
export const LUT_NAMES: readonly LutName[] = ['grey', 'inverted', 'fire', 'viridis', 'diverging'];

const STOPS: Record<LutName, [number, number, number][]> = {
  grey: [
    [0, 0, 0],
    [255, 255, 255],
  ],
  inverted: [
    [255, 255, 255],
    [0, 0, 0],
  ],
  fire: [
    [0, 0, 0],
    [128, 0, 96],
    [230, 40, 0],
    [255, 200, 0],
    [255, 255, 255],
  ],
  viridis: [
    [68, 1, 84],
    [59, 82, 139],
    [33, 145, 140],
    [94, 201, 98],
    [253, 231, 37],
  ],
  diverging: [
    [33, 102, 172],
    [146, 197, 222],
    [247, 247, 247],
    [244, 165, 130],
    [178, 24, 43],
  ],
};

const cache = new Map<LutName, Uint32Array>();
const LITTLE = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

function pack(r: number, g: number, b: number): number {
  return LITTLE ? (255 << 24) | (b << 16) | (g << 8) | r : (r << 24) | (g << 16) | (b << 8) | 255;
}

/** 256 packed RGBA entries (in the platform's byte order, ready for an ImageData view). */
export function lut(name: LutName): Uint32Array {
  let t = cache.get(name);
  if (t) return t;
  const stops = STOPS[name];
  t = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    const f = (i / 255) * (stops.length - 1);
    const k = Math.min(stops.length - 2, Math.floor(f));
    const u = f - k;
    const a = stops[k]!;
    const b = stops[k + 1]!;
    t[i] = pack(
      Math.round(a[0] + (b[0] - a[0]) * u),
      Math.round(a[1] + (b[1] - a[1]) * u),
      Math.round(a[2] + (b[2] - a[2]) * u),
    );
  }
  cache.set(name, t);
  return t;
}

/** Colour of NaN pixels (e.g. the error map below the dark level). */
export const NAN_COLOUR = pack(96, 96, 96);

/**
 * Maps `data` through [lo, hi] and the LUT into packed RGBA pixels. 8/16-bit integer blocks
 * larger than their value range go through a per-value colour table (one lookup per pixel
 * instead of the float mapping), with the same colours as the direct mapping.
 */
export function colourise(
  data: Pixels,
  lo: number,
  hi: number,
  table: Uint32Array,
  out?: Uint32Array,
): Uint32Array {
  const rgba = out ?? new Uint32Array(data.length);
  const k = 255 / (hi > lo ? hi - lo : 1);
  const index = (v: number): number => {
    const j = ((v - lo) * k) | 0;
    return j < 0 ? 0 : Math.min(j, 255);
  };
  let size = 0;
  let offset = 0;
  if (data instanceof Uint8Array) size = 256;
  else if (data instanceof Int8Array) [size, offset] = [256, 128];
  else if (data instanceof Uint16Array) size = 65536;
  else if (data instanceof Int16Array) [size, offset] = [65536, 32768];
  if (size > 0 && data.length > size) {
    const byValue = new Uint32Array(size);
    for (let j = 0; j < size; j++) byValue[j] = table[index(j - offset)]!;
    if (offset === 0) for (let i = 0; i < data.length; i++) rgba[i] = byValue[data[i]!]!;
    else for (let i = 0; i < data.length; i++) rgba[i] = byValue[data[i]! + offset]!;
    return rgba;
  }
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    rgba[i] = Number.isNaN(v) ? NAN_COLOUR : table[index(v)]!;
  }
  return rgba;
}

/**
 * Nearest-neighbour sample of a w×h block at `outW`×`outH` (≤ w×h): what a canvas drawing the
 * full block with smoothing off shows when zoomed out, for a fraction of the colouring work.
 */
export function decimate(data: Pixels, w: number, h: number, outW: number, outH: number): Pixels {
  if (outW >= w && outH >= h) return data;
  const Ctor = data.constructor as new (n: number) => Pixels;
  const out = new Ctor(outW * outH);
  const cols = new Uint32Array(outW);
  for (let x = 0; x < outW; x++) cols[x] = Math.min(w - 1, Math.floor(((x + 0.5) * w) / outW));
  for (let y = 0; y < outH; y++) {
    const row = Math.min(h - 1, Math.floor(((y + 0.5) * h) / outH)) * w;
    const o = y * outW;
    for (let x = 0; x < outW; x++) out[o + x] = data[row + cols[x]!]!;
  }
  return out;
}

/** Size of a w×h block coloured at `scale` (≤ 1) image pixels per pixel. */
export function scaledSize(w: number, h: number, scale: number): [number, number] {
  const s = Math.min(1, scale);
  return [Math.max(1, Math.ceil(w * s)), Math.max(1, Math.ceil(h * s))];
}
