/** Histogram and percentile contrast limits of a block of pixels (min/max, p-quantiles). */
import type { Pixels } from './sources/types.js';

export interface Stats {
  min: number;
  max: number;
  /** Auto-contrast limits: the 0.1 % and 99.9 % percentiles (by a 4096-bin histogram). */
  low: number;
  high: number;
  /** `bins` counts over [min, max]. */
  histogram: Uint32Array;
  count: number;
}

export const HISTOGRAM_BINS = 256;
const FINE_BINS = 4096;

export function computeStats(data: Pixels, lowQ = 0.001, highQ = 0.999): Stats {
  let min = Infinity;
  let max = -Infinity;
  let count = 0;
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    if (Number.isNaN(v)) continue;
    if (v < min) min = v;
    if (v > max) max = v;
    count++;
  }
  const histogram = new Uint32Array(HISTOGRAM_BINS);
  if (count === 0) return { min: 0, max: 0, low: 0, high: 0, histogram, count };
  const fine = new Uint32Array(FINE_BINS);
  const span = max - min || 1;
  const k = (FINE_BINS - 1) / span;
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    if (!Number.isNaN(v)) fine[((v - min) * k) | 0]!++;
  }
  for (let b = 0; b < FINE_BINS; b++)
    histogram[Math.floor((b * HISTOGRAM_BINS) / FINE_BINS)]! += fine[b]!;
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
  return { min, max, low, high, histogram, count };
}
