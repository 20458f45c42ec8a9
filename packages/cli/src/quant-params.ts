/**
 * Quantization parameters, given directly or derived from camera parameters.
 *
 * The quantizer stores q = round(sqrt(x - offset) / scale), and reconstruction is
 * x' = offset + (scale·q)². A camera with dark level D and gain g (ADU per photoelectron) records
 * x = D + g·n for n photoelectrons, whose Poisson noise is σ = g·sqrt(n) = sqrt(g·(x - D)) ADU.
 * Adjacent reconstruction levels near x are 2·scale·sqrt(x - D) ADU apart, i.e.
 * step = 2·scale / sqrt(g) noise units, independent of the signal. Hence, with offset = D:
 *
 *     scale = step · sqrt(g) / 2          (step: the quantization step as a fraction of σ)
 *
 * and the rounding error is at most half a step: |x' - x| <= (step/2)·σ + scale²/4 + 1 ADU (the
 * last terms: second-order rounding and PYME's truncating float32 dequantization). Values below
 * the dark level are stored as the dark level; values above offset + (255.5·scale)² saturate.
 */
import {
  cameraQuantization,
  DEFAULT_GAIN,
  DEFAULT_STEP,
  saturationLevel,
} from '@pymecompress/core-ts';
import { quantParams } from '@pymecompress/core-ts/internal';
import { usageError } from './errors.js';
import { parseNumber } from './options.js';

// The camera → quantizer rule has one home (core-ts camera.ts), shared with the viewer.
export { saturationLevel };

export interface QuantParams {
  offset: number;
  scale: number;
  /** How they were obtained, for the summary. */
  derivation: string;
}

export interface QuantOptions {
  lossless?: boolean | undefined;
  offset?: string | undefined;
  scale?: string | undefined;
  'dark-level'?: string | undefined;
  gain?: string | undefined;
  step?: string | undefined;
}

function num(name: string, v: unknown, positive: boolean): number | undefined {
  const n = parseNumber(name, v);
  if (n !== undefined && positive && !(n > 0))
    throw usageError(`--${name} ${String(v)}: expected a positive number`);
  return n;
}

/** The quantizer's own rule (core-ts `quantParams`), reported as a usage error. */
function checked(p: QuantParams): QuantParams {
  try {
    quantParams(p.offset, p.scale);
  } catch (err) {
    throw usageError(`quantization parameters (${p.derivation}): ${(err as Error).message}`);
  }
  return p;
}

/** `null`: lossless. */
export function resolveQuant(o: QuantOptions): QuantParams | null {
  const offset = num('offset', o.offset, false);
  const scale = num('scale', o.scale, true);
  const dark = num('dark-level', o['dark-level'], false);
  const gain = num('gain', o.gain, true);
  const step = num('step', o.step, true);
  const direct = offset !== undefined || scale !== undefined;
  const camera = dark !== undefined || gain !== undefined || step !== undefined;
  if (o.lossless && (direct || camera)) {
    throw usageError('--lossless cannot be combined with quantization options');
  }
  if (direct && camera) {
    throw usageError('give either --offset/--scale or --dark-level/--gain/--step, not both');
  }
  if (direct) {
    if (offset === undefined || scale === undefined)
      throw usageError('--offset and --scale go together');
    return checked({ offset, scale, derivation: `offset ${offset}, scale ${scale}` });
  }
  if (camera) {
    if (dark === undefined) throw usageError('--gain/--step need --dark-level');
    const g = gain ?? DEFAULT_GAIN;
    const k = step ?? DEFAULT_STEP;
    const { offset: off, scale: s } = cameraQuantization({ darkLevel: dark, gain: g, step: k });
    return checked({
      offset: off,
      scale: s,
      derivation: `dark level ${dark}, gain ${g} ADU/e-, step ${k}σ → offset ${dark}, scale ${s.toPrecision(6)}`,
    });
  }
  return null;
}
