/// <reference lib="webworker" />
/**
 * The decoding worker: opens inputs, decodes the regions the view asks for and runs the noise
 * lens, so no decoding happens on the UI thread.
 */
import { viewerBackend } from './backend.js';
import { noiseLens } from './lens.js';
import type { Envelope, Request } from './protocol.js';
import { openInput } from './sources/open.js';
import type { Source } from './sources/types.js';
import { ViewerError } from './sources/types.js';
import { computeStats } from './stats.js';

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
    const stats = computeStats(data);
    // Sources may keep the frame they decoded (cache): send a copy when it is that buffer.
    const copy = data.slice();
    return {
      value: { data: copy, stats, ms: performance.now() - t0 },
      transfer: [copy.buffer as ArrayBuffer, stats.histogram.buffer as ArrayBuffer],
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
