/// <reference lib="webworker" />
/**
 * The decoding worker: opens inputs, decodes the regions the view asks for and runs the noise
 * lens, so no decoding happens on the UI thread.
 */
import { viewerBackend } from './backend.js';
import { noiseLens } from './lens.js';
import type { Envelope, ReadReply, Request } from './protocol.js';
import { openInput } from './sources/open.js';
import type { Source } from './sources/types.js';
import { ViewerError } from './sources/types.js';
import { computeStats } from './stats.js';
import { colourise, decimate, lut, scaledSize } from './view/lut.js';

let source: Source | null = null;

async function handle(req: Request): Promise<{ value: unknown; transfer: Transferable[] }> {
  const t0 = performance.now();
  const { backend, kind } = await viewerBackend();
  if (req.op === 'open') {
    source = null;
    source = await openInput(req.input, backend);
    return {
      value: { meta: source.meta, backend: kind, ms: performance.now() - t0 },
      transfer: [],
    };
  }
  if (!source) throw new ViewerError('nothing is open');
  const level0 = source.meta.levels[0]!;
  if (req.op === 'read') {
    const data = await source.read(req.frame, req.level, req.region);
    const phases: Record<string, number> = {};
    let t = t0;
    const lap = (name: string) => {
      const now = performance.now();
      phases[name] = now - t;
      t = now;
    };
    lap('region');
    const stats = computeStats(data);
    lap('stats');
    const transfer: Transferable[] = [stats.histogram.buffer as ArrayBuffer];
    // Colouring here keeps the 4M-pixel LUT pass off the UI thread; the page only draws it.
    let image: ReadReply['image'];
    if (req.colour) {
      const [lo, hi] = req.colour.contrast ?? [stats.low, stats.high];
      const w = req.region.x1 - req.region.x0;
      const h = req.region.y1 - req.region.y0;
      const [cw, ch] = scaledSize(w, h, req.colour.scale);
      const shown = decimate(data, w, h, cw, ch);
      const rgba = new ImageData(cw, ch);
      colourise(shown, lo, hi, lut(req.colour.lut), new Uint32Array(rgba.data.buffer));
      lap('colour');
      // A bitmap made here spares the UI thread the copy into a canvas (16 MB at 2048², a long task).
      const bitmap = await createImageBitmap(rgba);
      lap('bitmap');
      image = { bitmap, lut: req.colour.lut, lo, hi, scale: req.colour.scale };
      transfer.push(bitmap);
    }
    // Sources may keep the frame they decoded (cache): send a copy when it is that buffer.
    const copy = data.slice();
    transfer.push(copy.buffer as ArrayBuffer);
    lap('copy');
    return {
      value: { data: copy, stats, image, phases, ms: performance.now() - t0 } satisfies ReadReply,
      transfer,
    };
  }
  const full = { x0: 0, y0: 0, x1: level0.width, y1: level0.height };
  const data = await source.read(req.frame, 0, full);
  if (!(data instanceof Uint16Array))
    throw new ViewerError(
      `the noise lens needs a raw uint16 frame (this one is ${source.meta.dtype})`,
    );
  const r = noiseLens(data, level0.height, level0.width, req.params, backend);
  return {
    value: { ...r, ms: performance.now() - t0 },
    transfer: [r.reconstruction.buffer as ArrayBuffer, r.errorSigma.buffer as ArrayBuffer],
  };
}

self.onmessage = async (ev: MessageEvent<{ id: number; req: Request }>) => {
  const { id, req } = ev.data;
  try {
    const { value, transfer } = await handle(req);
    (self as unknown as Worker).postMessage({ id, ok: true, value } satisfies Envelope, transfer);
  } catch (err) {
    const e = err as Error & { code?: string };
    (self as unknown as Worker).postMessage({
      id,
      ok: false,
      error: e?.message ?? String(err),
      code: e?.code ?? 'ERR_VIEWER',
    } satisfies Envelope);
  }
};
