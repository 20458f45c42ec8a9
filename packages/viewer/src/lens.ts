/**
 * The noise lens: what sqrt quantization with camera parameters (dark level D, gain g, step k;
 * the CLI's --dark-level/--gain/--step, rule in core-ts camera.ts) does to a raw uint16 frame.
 * Encodes the frame exactly as `pymecompress compress --frame K -o x.pzf` does (a version-3 PZF,
 * Huffman, the same offset and scale) so the ratio is the one `pymecompress info` prints.
 */
import { encodePzf } from '@pymecompress/codecs';
import {
  type Backend,
  cameraQuantization,
  poissonSigma,
  quantizationBound,
  saturationLevel,
} from '@pymecompress/core-ts';

export interface LensParams {
  darkLevel: number;
  gain: number;
  step: number;
}

export interface LensResult {
  offset: number;
  scale: number;
  /** Bytes of the PZF file and uncompressed bytes / those bytes. */
  pzfBytes: number;
  compressionRatio: number;
  /** Reconstruction as the backend dequantizes it (PYME: offset + (scale·q)², truncated to uint16). */
  reconstruction: Uint16Array;
  /** (x' - x) / σ(x) for pixels above the dark level, NaN elsewhere. */
  errorSigma: Float32Array;
  /** The nominal bound on |x' - x| / σ: half a step. */
  boundSigma: number;
  /** Largest |x' - x| / σ over unsaturated pixels above the dark level. */
  maxErrorSigma: number;
  rmsErrorSigma: number;
  /** Largest |x' - x| / (k/2·σ + s²/4 + 1 ADU): at most 1 when the bound holds. */
  maxErrorOverBound: number;
  /** Pixels that break that bound (0 expected), that saturate, and that lie at or below D. */
  violations: number;
  saturated: number;
  belowDark: number;
}

export function noiseLens(
  data: Uint16Array,
  rows: number,
  cols: number,
  p: LensParams,
  backend: Backend,
): LensResult {
  const q = cameraQuantization(p);
  const pzf = encodePzf(data, {
    shape: [rows, cols],
    order: 'C',
    compression: 'huffman',
    quantization: q,
    backend,
  });
  const reconstruction = backend.dequantize(
    backend.quantize(data, q.offset, q.scale),
    q.offset,
    q.scale,
  );
  const errorSigma = new Float32Array(data.length);
  const sat = saturationLevel(q);
  let maxErr = 0;
  let maxRatio = 0;
  let sum2 = 0;
  let n = 0;
  let violations = 0;
  let saturated = 0;
  let belowDark = 0;
  for (let i = 0; i < data.length; i++) {
    const x = data[i]!;
    const e = reconstruction[i]! - x;
    if (x <= p.darkLevel) {
      errorSigma[i] = Number.NaN;
      belowDark++;
      continue;
    }
    const s = poissonSigma(x, p.darkLevel, p.gain);
    const es = e / s;
    errorSigma[i] = es;
    if (x > sat) {
      saturated++;
      continue;
    }
    const a = Math.abs(es);
    if (a > maxErr) maxErr = a;
    sum2 += es * es;
    n++;
    const r = Math.abs(e) / quantizationBound(x, q);
    if (r > maxRatio) maxRatio = r;
    if (r > 1) violations++;
  }
  return {
    offset: q.offset,
    scale: q.scale,
    pzfBytes: pzf.length,
    compressionRatio: (data.length * 2) / pzf.length,
    reconstruction,
    errorSigma,
    boundSigma: p.step / 2,
    maxErrorSigma: maxErr,
    rmsErrorSigma: n ? Math.sqrt(sum2 / n) : 0,
    maxErrorOverBound: maxRatio,
    violations,
    saturated,
    belowDark,
  };
}

/** The CLI command line and numcodecs config that reproduce the lens's choice. */
export function exportParams(input: string, p: LensParams): { command: string; numcodecs: string } {
  const q = cameraQuantization(p);
  const stem = input.replace(/\.[^./]*$/, '') || 'out';
  const quote = (s: string) => (/^[\w./@%+=:,-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);
  return {
    command: `pymecompress compress ${quote(input)} -o ${quote(`${stem}.zarr`)} --dark-level ${p.darkLevel} --gain ${p.gain} --step ${p.step}`,
    numcodecs: JSON.stringify({ id: 'pymecompress-quant16', offset: q.offset, scale: q.scale }),
  };
}

/** Reconstruction levels of a quantized frame and their spacing in σ for a gain (the σ grid). */
export function sigmaGrid(
  q: { offset: number; scale: number },
  gain: number,
  levels = 256,
): { q: number; value: number; spacing: number; spacingSigma: number }[] {
  const rows = [];
  for (let k = 1; k < levels; k++) {
    const value = q.offset + (q.scale * k) ** 2;
    const spacing = q.scale ** 2 * (2 * k + 1);
    rows.push({
      q: k,
      value,
      spacing,
      spacingSigma: spacing / poissonSigma(value, q.offset, gain),
    });
  }
  return rows;
}
