/**
 * Camera parameters → sqrt-quantizer parameters (PYME's way), the one home of this rule for the
 * CLI (`--dark-level/--gain/--step`) and the viewer's noise lens.
 *
 * A camera with dark level D and gain g (ADU per photoelectron) records x = D + g·n for n
 * photoelectrons, whose Poisson noise is σ = g·sqrt(n) = sqrt(g·(x - D)) ADU. The quantizer stores
 * q = round(sqrt(x - offset) / scale) and reconstructs offset + (scale·q)²; adjacent levels near x
 * are 2·scale·sqrt(x - D) ADU apart, i.e. step = 2·scale / sqrt(g) noise units whatever the signal.
 * Hence, with offset = D, scale = step·sqrt(g)/2, and the error is at most half a step:
 * |x' - x| <= (step/2)·σ + scale²/4 + 1 ADU (second-order rounding and PYME's truncating float32
 * dequantization). Values above offset + (255.5·scale)² saturate.
 */

/** Defaults of `--gain` and `--step`. */
export const DEFAULT_GAIN = 1;
export const DEFAULT_STEP = 0.5;

export interface CameraParams {
  /** Dark level D (ADU). */
  darkLevel: number;
  /** Gain g in ADU per photoelectron (PYME's ElectronsPerCount is 1/g). */
  gain?: number;
  /** Quantization step as a fraction of the Poisson σ. */
  step?: number;
}

/** The quantizer's offset and scale for a camera and a step (see module docs). */
export function cameraQuantization(p: CameraParams): { offset: number; scale: number } {
  const gain = p.gain ?? DEFAULT_GAIN;
  const step = p.step ?? DEFAULT_STEP;
  return { offset: p.darkLevel, scale: (step * Math.sqrt(gain)) / 2 };
}

/** Poisson σ (ADU) of a pixel value x: sqrt(g·(x - D)), 0 at or below the dark level. */
export function poissonSigma(x: number, darkLevel: number, gain = DEFAULT_GAIN): number {
  return x > darkLevel ? Math.sqrt(gain * (x - darkLevel)) : 0;
}

/** The error bound |x' - x| <= scale·sqrt(x - offset) + scale²/4 + 1 ADU (ADU). */
export function quantizationBound(x: number, q: { offset: number; scale: number }): number {
  const above = Math.max(0, x - q.offset);
  return q.scale * Math.sqrt(above) + (q.scale * q.scale) / 4 + 1;
}

/** The largest value that does not saturate: offset + (255.5·scale)². */
export function saturationLevel(q: { offset: number; scale: number }): number {
  return q.offset + (255.5 * q.scale) ** 2;
}

/** The inverse rule: the step (in σ) that a stored scale implies for a gain, 2·scale/sqrt(g). */
export function stepOfScale(scale: number, gain = DEFAULT_GAIN): number {
  return (2 * scale) / Math.sqrt(gain);
}
