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
const post = (msg: Envelope, transfer: Transferable[] = []) =>
  (self as unknown as Worker).postMessage(msg, transfer);

// Instantiate the decoder (wasm compile + instantiate, ~tens of ms) as the page loads, not once
// a file is chosen; the page hears which backend it got (its `backend` hook field).
void viewerBackend().then(
  ({ kind }) => post({ id: 0, ok: true, value: { backend: kind } }),
  () => undefined,
);

/** Answers one request; a read answers in two parts (see `ReadReply.pixels`). */
async function handle(id: number, req: Request): Promise<void> {
  const t0 = performance.now();
  const { backend, kind } = await viewerBackend();
  if (req.op === 'open') {
    const waited = performance.now() - t0;
    source = null;
    source = await openInput(req.input, backend);
    post({
      id,
      ok: true,
      value: {
        meta: source.meta,
        backend: kind,
        ms: performance.now() - t0,
        phases: { backend: waited, ...source.timings },
      },
    });
    return;
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
    const w = req.region.x1 - req.region.x0;
    const h = req.region.y1 - req.region.y0;
    // Zoomed out, the screen shows a nearest-neighbour sample (`decimate`): the histogram and the
    // auto contrast are of those pixels, a quarter (or less) of the work on the full region.
    const [cw, ch] = scaledSize(w, h, req.colour?.scale ?? 1);
    const shown = decimate(data, w, h, cw, ch);
    lap('decimate');
    const stats = computeStats(shown);
    lap('stats');
    const transfer: Transferable[] = [stats.histogram.buffer as ArrayBuffer];
    // Colouring here keeps the 4M-pixel LUT pass off the UI thread; the page only draws it.
    let image: ReadReply['image'];
    if (req.colour) {
      const [lo, hi] = req.colour.contrast ?? [stats.low, stats.high];
      const rgba = new ImageData(cw, ch);
      colourise(shown, lo, hi, lut(req.colour.lut), new Uint32Array(rgba.data.buffer));
      lap('colour');
      // A bitmap made here spares the UI thread the copy into a canvas (16 MB at 2048², a long task).
      const bitmap = await createImageBitmap(rgba);
      lap('bitmap');
      image = { bitmap, lut: req.colour.lut, lo, hi, scale: req.colour.scale };
      transfer.push(bitmap);
    }
    const head: Omit<ReadReply, 'pixels'> = {
      stats,
      image,
      phases,
      ms: performance.now() - t0,
    };
    post({ id, ok: true, value: head, more: true }, transfer);
    // The pixels follow, off the path to the first paint. Sources may keep the frame they decoded
    // (cache): send a copy when it is that buffer.
    const copy = data.slice();
    post({ id, ok: true, value: copy }, [copy.buffer as ArrayBuffer]);
    return;
  }
  const full = { x0: 0, y0: 0, x1: level0.width, y1: level0.height };
  const data = await source.read(req.frame, 0, full);
  if (!(data instanceof Uint16Array))
    throw new ViewerError(
      `the noise lens needs a raw uint16 frame (this one is ${source.meta.dtype})`,
    );
  const r = noiseLens(data, level0.height, level0.width, req.params, backend);
  post({ id, ok: true, value: { ...r, ms: performance.now() - t0 } }, [
    r.reconstruction.buffer as ArrayBuffer,
    r.errorSigma.buffer as ArrayBuffer,
  ]);
}

self.onmessage = async (ev: MessageEvent<{ id: number; req: Request }>) => {
  const { id, req } = ev.data;
  try {
    await handle(id, req);
  } catch (err) {
    const e = err as Error & { code?: string };
    post({ id, ok: false, error: e?.message ?? String(err), code: e?.code ?? 'ERR_VIEWER' });
  }
};
