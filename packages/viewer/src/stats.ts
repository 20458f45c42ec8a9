/** Histogram and percentile contrast limits of a block of pixels (min/max, p-quantiles). */
import type { Pixels } from './sources/types.js';

export interface Stats {
  min: number;
  max: number;
  /** Auto-contrast limits: the 0.1 % and 99.9 % percentiles (by a 4096-bin histogram). */
  low: number;
  high: number;
  /**
   * 256 counts over `histogramRange`: [low, high] widened by half its width each side, within
   * [min, max] — so a few hot pixels far out do not squeeze the data into the first bins.
   * Values outside the range are not counted.
   */
  histogram: Uint32Array;
  histogramRange: [number, number];
  count: number;
}

export const HISTOGRAM_BINS = 256;
const FINE_BINS = 4096;

/**
 * Value counts of an 8/16-bit integer block in one pass (index = value + offset), or null for
 * wider and float types. One pass over the pixels instead of two (min/max, then the histogram):
 * the second pass runs over the ≤ 65536 distinct values instead of the 4M pixels of a 2048² frame.
 */
function valueCounts(data: Pixels): { counts: Uint32Array; offset: number } | null {
  let size: number;
  let offset = 0;
  if (data instanceof Uint8Array) size = 256;
  else if (data instanceof Int8Array) [size, offset] = [256, 128];
  else if (data instanceof Uint16Array) size = 65536;
  else if (data instanceof Int16Array) [size, offset] = [65536, 32768];
  else return null;
  const counts = new Uint32Array(size);
  if (offset === 0) for (let i = 0; i < data.length; i++) counts[data[i]!]!++;
  else for (let i = 0; i < data.length; i++) counts[data[i]! + offset]!++;
  return { counts, offset };
}

export function computeStats(data: Pixels, lowQ = 0.001, highQ = 0.999): Stats {
  let min = Infinity;
  let max = -Infinity;
  let count = 0;
  const fine = new Uint32Array(FINE_BINS);
  const histogram = new Uint32Array(HISTOGRAM_BINS);
  const vc = valueCounts(data);
  /** Adds `c` pixels of value `v` to the display histogram over [a, b] (set below). */
  let a = 0;
  let b = 1;
  let perBin = 1;
  const add = (v: number, c: number) => {
    if (v >= a && v <= b && c)
      histogram[Math.min(HISTOGRAM_BINS - 1, Math.floor((v - a) * perBin))]! += c;
  };
  if (vc) {
    const { counts, offset } = vc;
    let first = 0;
    let last = counts.length - 1;
    while (first < counts.length && counts[first] === 0) first++;
    if (first === counts.length) return empty(histogram);
    while (counts[last] === 0) last--;
    min = first - offset;
    max = last - offset;
    count = data.length;
    const k = (FINE_BINS - 1) / (max - min || 1);
    for (let j = first; j <= last; j++) {
      const c = counts[j]!;
      if (c) fine[((j - offset - min) * k) | 0]! += c;
    }
  } else {
    for (let i = 0; i < data.length; i++) {
      const v = data[i]!;
      if (Number.isNaN(v)) continue;
      if (v < min) min = v;
      if (v > max) max = v;
      count++;
    }
    if (count === 0) return empty(histogram);
    const k = (FINE_BINS - 1) / (max - min || 1);
    for (let i = 0; i < data.length; i++) {
      const v = data[i]!;
      if (!Number.isNaN(v)) fine[((v - min) * k) | 0]!++;
    }
  }
  const k = (FINE_BINS - 1) / (max - min || 1);
  const at = (q: number): number => {
    const target = q * count;
    let acc = 0;
    for (let b = 0; b < FINE_BINS; b++) {
      acc += fine[b]!;
      if (acc >= target) return min + b / k;
    }
    return max;
  };
  let low = at(lowQ);
  let high = at(highQ);
  if (!(high > low)) {
    low = min;
    high = max > min ? max : min + 1;
  }
  a = Math.max(min, low - (high - low) / 2);
  b = Math.min(Math.max(max, a + 1), high + (high - low) / 2);
  perBin = HISTOGRAM_BINS / (b - a);
  // Integer blocks: from the exact value counts (the fine bins may be wider than one value).
  if (vc) for (let v = Math.ceil(a); v <= b; v++) add(v, vc.counts[v + vc.offset] ?? 0);
  else for (let f = 0; f < FINE_BINS; f++) add(min + f / k, fine[f]!);
  return { min, max, low, high, histogram, histogramRange: [a, b], count };
}

function empty(histogram: Uint32Array): Stats {
  return { min: 0, max: 0, low: 0, high: 0, histogram, histogramRange: [0, 1], count: 0 };
}
