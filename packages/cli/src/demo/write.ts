/** `pymecompress demo`, write step: the --png error panel and the --json rows, atomically. */
import { writeFileAtomic } from '../atomic.js';
import { encodeGreyPng } from '../png.js';
import { GAIN, type PngFrame } from './measure.js';

export function errorPanel(
  orig: Uint16Array,
  recon: Uint16Array,
  size: number,
  q: { offset: number; scale: number },
): Uint8Array {
  const sorted = Float64Array.from(orig).sort();
  const lo = sorted[Math.floor(sorted.length * 0.005)]!;
  const hi = sorted[Math.floor(sorted.length * 0.995)]!;
  const W = size * 3;
  const img = new Uint8Array(W * size);
  const disp = (v: number) =>
    Math.max(0, Math.min(255, Math.round(((v - lo) / Math.max(1, hi - lo)) * 255)));
  const half = q.scale / Math.sqrt(GAIN);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const i = y * size + x;
      const a = orig[i]!;
      img[y * W + x] = disp(a);
      img[y * W + size + x] = disp(recon[i]!);
      const sigma = Math.sqrt(Math.max(1, GAIN * (a - q.offset)));
      const e = (recon[i]! - a) / sigma / half;
      img[y * W + 2 * size + x] = Math.max(0, Math.min(255, Math.round(128 + 127 * e)));
    }
  }
  return encodeGreyPng(img, W, size);
}

/** Frame 0 | its reconstruction | the error in σ units, as a grey PNG. */
export function writeDemoPng(
  path: string,
  f: PngFrame,
  size: number,
  force: boolean,
): Promise<void> {
  return writeFileAtomic(path, errorPanel(f.orig, f.recon, size, f.q), force);
}

export function writeDemoJson(
  path: string,
  result: Record<string, unknown>,
  force: boolean,
): Promise<void> {
  return writeFileAtomic(path, `${JSON.stringify(result, null, 2)}\n`, force);
}
