/**
 * The noise lens panel: for a raw uint16 frame, the figures, reconstruction and error map the
 * worker computes for the dark level, gain and step, and the CLI/numcodecs export; for a
 * quantized frame its parameters and the σ grid they imply.
 */
import { stepOfScale } from '@pymecompress/core-ts';
import { hook } from '../hook.js';
import { exportParams, sigmaGrid } from '../lens.js';
import type { LensReply } from '../protocol.js';
import { colourise, lut } from '../view/lut.js';
import { $, app, client } from './app.js';

let lensGen = 0;
function lensCanvas(
  id: string,
  data: ArrayLike<number>,
  w: number,
  h: number,
  l: number,
  u: number,
  table: Uint32Array,
): void {
  const c = $<HTMLCanvasElement>(id);
  c.width = w;
  c.height = h;
  const img = new ImageData(w, h);
  colourise(data as never, l, u, table, new Uint32Array(img.data.buffer));
  c.getContext('2d')!.putImageData(img, 0, 0);
}

function showQuantized(q: { offset: number; scale: number }, gain: number): void {
  $('lens-controls').hidden = false;
  $('lens-views').hidden = true;
  const rows = sigmaGrid(q, gain);
  $('lens-figures').textContent =
    `quantized: offset ${q.offset}, scale ${q.scale} → step ${stepOfScale(q.scale, gain).toFixed(4)} σ at gain ${gain}`;
  $('sigma-grid').textContent = [
    '   q      value    spacing  spacing/σ',
    ...rows
      .filter((r) => r.q < 16 || r.q % 16 === 0)
      .map(
        (r) =>
          `${String(r.q).padStart(4)} ${r.value.toFixed(1).padStart(10)} ${r.spacing.toFixed(2).padStart(10)} ${r.spacingSigma.toFixed(4).padStart(10)}`,
      ),
  ].join('\n');
  hook.lens = { offset: q.offset, scale: q.scale, stepSigma: stepOfScale(q.scale, gain) };
}

export async function updateLens(): Promise<void> {
  const meta = app.meta;
  if (!meta) return;
  const raw = meta.dtype === 'uint16' && !meta.quantization;
  $('lens').hidden = !(raw || meta.quantization);
  const gain = Number($<HTMLInputElement>('gain').value) || 1;
  if (meta.quantization) return showQuantized(meta.quantization, gain);
  if (!raw) return;
  $('lens-views').hidden = false;
  $('sigma-grid').textContent = '';
  const params = {
    darkLevel: Number($<HTMLInputElement>('dark').value),
    gain,
    step: Number($<HTMLInputElement>('step').value),
  };
  $('step-out').textContent = String(params.step);
  const ex = exportParams(app.inputName, params);
  $<HTMLInputElement>('export-cli').value = ex.command;
  $<HTMLInputElement>('export-json').value = ex.numcodecs;
  const gen = ++lensGen;
  let r: LensReply;
  try {
    r = await client.lens(app.frameIndex, params);
  } catch (err) {
    $('lens-figures').textContent = (err as Error).message;
    return;
  }
  if (gen !== lensGen) return;
  const l0 = meta.levels[0]!;
  const orig = await client.pixels(app.frameIndex, 0, {
    x0: 0,
    y0: 0,
    x1: l0.width,
    y1: l0.height,
  });
  if (gen !== lensGen) return;
  const table = lut(app.lutName);
  lensCanvas('lens-original', orig, l0.width, l0.height, app.lo, app.hi, table);
  lensCanvas('lens-recon', r.reconstruction, l0.width, l0.height, app.lo, app.hi, table);
  lensCanvas(
    'lens-error',
    r.errorSigma,
    l0.width,
    l0.height,
    -r.boundSigma,
    r.boundSigma,
    lut('diverging'),
  );
  $('lens-error-caption').textContent = `error / σ (colour scale ±${r.boundSigma} σ = the bound)`;
  $('lens-figures').textContent =
    `offset ${r.offset}, scale ${r.scale.toPrecision(6)} | ratio ${r.compressionRatio.toFixed(3)} (${r.pzfBytes} B PZF) | ` +
    `max |err| ${r.maxErrorSigma.toFixed(4)} σ, rms ${r.rmsErrorSigma.toFixed(4)} σ, bound ${r.boundSigma} σ (+ rounding) | ` +
    `max err/bound ${r.maxErrorOverBound.toFixed(4)}, violations ${r.violations}, saturated ${r.saturated}, at/below dark ${r.belowDark}`;
  const { reconstruction: _r, errorSigma: _e, ...figures } = r;
  hook.lens = { ...figures, params, export: ex, reconstruction: r.reconstruction };
}

for (const id of ['dark', 'gain', 'step']) $(id).addEventListener('input', () => void updateLens());
