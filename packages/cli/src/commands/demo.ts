/**
 * `pymecompress demo`: a seeded sCMOS-like stack, compressed losslessly and with sqrt
 * quantization on every available backend, decoded, and checked against the noise bound.
 */
import { writeFile } from 'node:fs/promises';
import { huffmanDecompress } from '@pymecompress/core-ts';
import { syntheticCameraFrame } from '@pymecompress/core-ts/synthetic';
import { atomicOutput, checkOutput } from '../atomic.js';
import { availableBackends } from '../backends.js';
import { EXIT, usageError } from '../errors.js';
import { encodeGreyPng } from '../png.js';
import { saturationLevel } from '../quant-params.js';

export interface DemoOptions {
  frames?: string | undefined;
  size?: string | undefined;
  seed?: string | undefined;
  png?: string | undefined;
  json?: string | undefined;
  force?: boolean | undefined;
}

const DARK = 100;
const GAIN = 1; // ADU per photoelectron in the synthetic camera

interface Mode {
  label: string;
  quant: { offset: number; scale: number } | null;
}

interface ErrorStats {
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

function int(name: string, v: string | undefined, def: number, min: number, max: number): number {
  if (v === undefined) return def;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max)
    throw usageError(`--${name} ${v}: expected an integer from ${min} to ${max}`);
  return n;
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

export async function demo(o: DemoOptions): Promise<number> {
  const frames = int('frames', o.frames, 8, 1, 1000);
  const size = int('size', o.size, 1024, 16, 8192);
  const seed = int('seed', o.seed, 1, 0, 2 ** 31);
  if (o.png) await checkOutput(o.png, o.force === true);
  if (o.json) await checkOutput(o.json, o.force === true);

  const t0 = performance.now();
  const stack: Uint16Array[] = [];
  for (let i = 0; i < frames; i++) {
    stack.push(
      syntheticCameraFrame({
        width: size,
        height: size,
        seed: seed + i,
        darkLevel: DARK,
        readNoise: 1.5,
        background: 8,
        spots: Math.round((200 * size * size) / (2048 * 2048)) + 20,
        hotPixels: 20,
      }),
    );
  }
  const rawBytes = frames * size * size * 2;
  let below = 0;
  let maxVal = 0;
  for (const f of stack)
    for (let i = 0; i < f.length; i++) {
      const x = f[i]!;
      if (x < DARK) below++;
      if (x > maxVal) maxVal = x;
    }
  console.log(
    `pymecompress demo: ${frames} synthetic sCMOS frames of ${size}x${size} uint16 (${(rawBytes / 1e6).toFixed(1)} MB, seeds ${seed}..${seed + frames - 1}), generated in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );
  console.log(
    `camera: dark level ${DARK} ADU, gain ${GAIN} ADU/e-, read noise 1.5 ADU, Poisson background 8 e- + spots, 20 hot pixels per frame; ` +
      `${below} pixels (${((100 * below) / (frames * size * size)).toFixed(1)}%) below the dark level, max ${maxVal} ADU`,
  );

  const { entries, nativeUnavailable } = await availableBackends();
  if (nativeUnavailable)
    console.log(`native backend unavailable: ${nativeUnavailable} (rows for core-ts only)`);

  const modes: Mode[] = [
    { label: 'lossless', quant: null },
    { label: 'sqrt, scale 1 (step 2σ)', quant: { offset: DARK, scale: 1 } },
    {
      label: 'sqrt, --step 0.5 (scale 0.25)',
      quant: { offset: DARK, scale: (0.5 * Math.sqrt(GAIN)) / 2 },
    },
  ];
  console.log(
    '\nBound: offset = dark level D, scale s, gain g: reconstruction levels are 2s/√g noise units apart, so every pixel\n' +
      "with D <= x <= D + (255.5 s)² must satisfy |x' - x| <= (s/√g)·σ + s²/4 + 1 ADU, σ = √(g·(x - D)): half a step plus\n" +
      'rounding (PYME dequantizes in float32 and truncates). Pixels below D are stored as D (error = read noise, listed\n' +
      'separately); pixels above D + (255.5 s)² saturate. Lossless rows must be bit-exact.\n',
  );

  const rows: DemoRow[] = [];
  let pngFrame:
    | { orig: Uint16Array; recon: Uint16Array; q: { offset: number; scale: number } }
    | undefined;
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

  const head = [
    'backend',
    'mode',
    'ratio',
    'encode MB/s',
    'decode MB/s',
    'max err/σ',
    'bright',
    'bound/σ',
    'max err',
    'below D',
    'saturated',
    'check',
  ];
  const body = rows.map((r) => {
    const s = modes.find((m) => m.label === r.mode)!.quant?.scale;
    return [
      r.backend,
      r.mode,
      `${r.ratio.toFixed(2)}x`,
      r.encodeMBps.toFixed(0),
      r.decodeMBps.toFixed(0),
      r.errors ? r.errors.maxSigma.toFixed(3) : '0',
      r.errors ? r.errors.maxSigmaBright.toFixed(3) : '0',
      s !== undefined ? `${(s / Math.sqrt(GAIN)).toFixed(2)}+` : 'exact',
      r.errors ? `${r.errors.maxAdu} ADU` : '0',
      r.errors ? `${r.errors.below} (≤${r.errors.belowMaxAdu} ADU)` : '-',
      r.errors ? String(r.errors.saturated) : '-',
      r.pass ? 'PASS' : r.errors ? `FAIL (${r.errors.violations} px)` : 'FAIL (not exact)',
    ];
  });
  printTable(head, body);
  console.log(
    '\nmax err/σ: over pixels with x >= D+1; bright: x >= D+100 (σ >= 10), where the rounding terms vanish and the error\n' +
      "approaches half a step (s/√g σ); bound/σ: that half step (the '+' is s²/4 + 1 ADU). Single-threaded, in process.",
  );

  if (o.png && pngFrame) {
    const png = errorPanel(pngFrame.orig, pngFrame.recon, size, pngFrame.q);
    const out = atomicOutput(o.png);
    try {
      await writeFile(out.tempPath, png);
      await out.commit();
    } catch (err) {
      await out.abort();
      throw err;
    }
    console.log(
      `\nwrote ${o.png}: frame 0 | its reconstruction (offset ${DARK}, scale 1) | error in σ units (grey = 0, black/white = ∓ half a step)`,
    );
  }
  if (o.json) {
    const out = atomicOutput(o.json);
    try {
      await writeFile(
        out.tempPath,
        `${JSON.stringify({ frames, size, seed, darkLevel: DARK, gain: GAIN, nativeUnavailable, rows }, null, 2)}\n`,
      );
      await out.commit();
    } catch (err) {
      await out.abort();
      throw err;
    }
  }
  const failed = rows.filter((r) => !r.pass).length;
  console.log(failed === 0 ? '\nAll checks PASS.' : `\n${failed} row(s) FAILED.`);
  return failed === 0 ? EXIT.OK : EXIT.FAILURE;
}

export function printTable(head: string[], body: string[][]): void {
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  console.log(line(head));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of body) console.log(line(r));
}

function errorPanel(
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
