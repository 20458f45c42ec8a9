/**
 * `pymecompress demo`, input step: a stack of the benchmark corpus's dim sCMOS frame
 * (core-ts/synthetic `corpusFrameOptions('dim')`, the frame `pnpm bench` measures), at the
 * demo's size, one seed per frame.
 */
import { corpusFrameOptions, syntheticCameraFrame } from '@pymecompress/core-ts/synthetic';

export interface DemoStack {
  frames: Uint16Array[];
  /** The recipe's dark level: the quantizer's offset in every mode. */
  darkLevel: number;
  readNoise: number;
  background: number;
  spots: number;
  hotPixels: number;
  /** Pixels below the dark level (read noise) and the brightest pixel, over the stack. */
  below: number;
  maxValue: number;
}

export function demoStack(count: number, size: number, seed: number): DemoStack {
  const options = (i: number) =>
    corpusFrameOptions('dim', { width: size, height: size, seed: seed + i });
  const frames = Array.from({ length: count }, (_, i) => syntheticCameraFrame(options(i)));
  const { darkLevel, readNoise, background, spots, hotPixels } = options(0);
  let below = 0;
  let maxValue = 0;
  for (const f of frames)
    for (let i = 0; i < f.length; i++) {
      const x = f[i]!;
      if (x < darkLevel) below++;
      if (x > maxValue) maxValue = x;
    }
  return { frames, darkLevel, readNoise, background, spots, hotPixels, below, maxValue };
}
