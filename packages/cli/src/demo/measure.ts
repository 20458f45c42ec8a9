/**
 * `pymecompress demo`, measure step: every backend in every mode (lossless, two quantizer
 * steps) on the stack, timed, decoded and checked against the noise bound of docs/FORMAT.md
 * "Quantizer" (lossless rows must be bit-exact).
 */
import { huffmanDecompress } from '@pymecompress/core-ts';
import type { BackendEntry } from '../backends.js';
import { saturationLevel } from '../quant-params.js';

/** ADU per photoelectron of the synthetic camera (core-ts/synthetic). */
export const GAIN = 1;

export interface Mode {
  label: string;
  quant: { offset: number; scale: number } | null;
}

export interface ErrorStats {
  /** Largest |x' - x| / sigma over pixels with dark+1 <= x below saturation. */
  maxSigma: number;
  /** The same over bright pixels (x >= dark + 100, sigma >= 10). */
  maxSigmaBright: number;
  maxAdu: number;
  violations: number;
  below: number;
  belowMaxAdu: number;
  saturated: number;
  checked: number;
}

export interface DemoRow {
  backend: string;
  mode: string;
  ratio: number;
  encodeMBps: number;
  decodeMBps: number;
  errors: ErrorStats | null;
  exact: boolean | null;
  pass: boolean;
}

/** Lossless, and sqrt quantization at offset = the dark level with steps of 2σ and 0.5σ. */
export function demoModes(dark: number): Mode[] {
  return [
    { label: 'lossless', quant: null },
    { label: 'sqrt, scale 1 (step 2σ)', quant: { offset: dark, scale: 1 } },
    {
      label: 'sqrt, --step 0.5 (scale 0.25)',
      quant: { offset: dark, scale: (0.5 * Math.sqrt(GAIN)) / 2 },
    },
  ];
}

export interface PngFrame {
  orig: Uint16Array;
  recon: Uint16Array;
  q: { offset: number; scale: number };
}

function errorStats(
  orig: Uint16Array[],
  recon: Uint16Array[],
  q: { offset: number; scale: number },
): ErrorStats {
  const s = q.scale;
  const sat = saturationLevel(q);
  const extra = (s * s) / 4 + 1;
  const k = s / Math.sqrt(GAIN);
  const st: ErrorStats = {
    maxSigma: 0,
    maxSigmaBright: 0,
    maxAdu: 0,
    violations: 0,
    below: 0,
    belowMaxAdu: 0,
    saturated: 0,
    checked: 0,
  };
  for (let f = 0; f < orig.length; f++) {
    const a = orig[f]!;
    const b = recon[f]!;
    for (let i = 0; i < a.length; i++) {
      const x = a[i]!;
      const v = x - q.offset;
      const err = Math.abs(b[i]! - x);
      if (v < 0) {
        st.below++;
        if (err > st.belowMaxAdu) st.belowMaxAdu = err;
        continue;
      }
      if (x > sat) {
        st.saturated++;
        continue;
      }
      st.checked++;
      const sigma = Math.sqrt(GAIN * v);
      if (err > k * sigma + extra) st.violations++;
      if (err > st.maxAdu) st.maxAdu = err;
      if (v >= 1) {
        const r = err / sigma;
        if (r > st.maxSigma) st.maxSigma = r;
        if (v >= 100 && r > st.maxSigmaBright) st.maxSigmaBright = r;
      }
    }
  }
  return st;
}

function u8view(a: Uint16Array): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

/** Every (backend, mode) row; `pngFrame` is core-ts's frame 0 at scale 1 (for --png). */
export function measureDemo(
  entries: readonly BackendEntry[],
  modes: readonly Mode[],
  stack: Uint16Array[],
): { rows: DemoRow[]; pngFrame: PngFrame | undefined } {
  const rawBytes = stack.reduce((n, f) => n + f.byteLength, 0);
  const rows: DemoRow[] = [];
  let pngFrame: PngFrame | undefined;
  for (const e of entries) {
    for (const m of modes) {
      e.activate();
      const b = e.backend;
      // warm-up on one frame (JIT / caches), not timed
      if (m.quant)
        b.huffmanDecompress(
          b.huffmanCompressQuant(stack[0]!, m.quant.offset, m.quant.scale),
          stack[0]!.length,
        );
      else b.huffmanDecompress(b.huffmanCompress(u8view(stack[0]!)), stack[0]!.byteLength);
      let encMs = 0;
      let decMs = 0;
      let compressed = 0;
      const recon: Uint16Array[] = [];
      let exact = true;
      for (const f of stack) {
        let t = performance.now();
        const stream = m.quant
          ? b.huffmanCompressQuant(f, m.quant.offset, m.quant.scale)
          : b.huffmanCompress(u8view(f));
        encMs += performance.now() - t;
        compressed += stream.length;
        t = performance.now();
        let out: Uint16Array;
        if (m.quant)
          out = b.dequantize(b.huffmanDecompress(stream, f.length), m.quant.offset, m.quant.scale);
        else {
          const bytes = b.huffmanDecompress(stream, f.byteLength);
          out = new Uint16Array(bytes.buffer, bytes.byteOffset, f.length);
        }
        decMs += performance.now() - t;
        if (!m.quant) {
          for (let i = 0; i < f.length; i++)
            if (out[i] !== f[i]) {
              exact = false;
              break;
            }
        }
        recon.push(out);
      }
      // cross-check: core-ts decodes what this backend wrote (byte compatibility), on frame 0
      if (m.quant && e.name !== 'core-ts') {
        const s0 = b.huffmanCompressQuant(stack[0]!, m.quant.offset, m.quant.scale);
        huffmanDecompress(s0, stack[0]!.length);
      }
      const errors = m.quant ? errorStats(stack, recon, m.quant) : null;
      const pass = m.quant ? errors!.violations === 0 : exact;
      if (m.quant && m.quant.scale === 1 && e.name === 'core-ts')
        pngFrame = { orig: stack[0]!, recon: recon[0]!, q: m.quant };
      rows.push({
        backend: e.name,
        mode: m.label,
        ratio: rawBytes / compressed,
        encodeMBps: rawBytes / 1e6 / (encMs / 1000),
        decodeMBps: rawBytes / 1e6 / (decMs / 1000),
        errors,
        exact: m.quant ? null : exact,
        pass,
      });
    }
  }

  return { rows, pngFrame };
}
