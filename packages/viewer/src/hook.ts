/** The test hook `window.pymecompressViewer`; `document.body.dataset.state` mirrors `state`. */
import type { SourceMeta } from './sources/types.js';

export type ViewerState = 'idle' | 'loading' | 'ready' | 'error';

export interface ViewerHook {
  state: ViewerState;
  error: string | null;
  frame: {
    index: number;
    width: number;
    height: number;
    dtype: string;
    data: ArrayLike<number>;
    level: number;
    x0: number;
    y0: number;
  } | null;
  meta: SourceMeta | null;
  backend: string | null;
  view: { zoom: number; cx: number; cy: number; level: number } | null;
  lens: Record<string, unknown> | null;
  /**
   * performance.now() marks of the last open: `chosen` (input chosen), `opened` (worker opened it),
   * `read` (first region's pixels arrived), `coloured` (its RGBA is ready on the page), `drawn`
   * (drawn on the canvas), `painted` (after the next frame was presented); `workerOpenMs` and
   * `workerReadMs` are the worker's own times for the two requests, `worker.<step>` the read's
   * steps (region, stats, colour, bitmap, copy).
   */
  timings: Partial<Record<string, number>>;
}

export const hook: ViewerHook = {
  state: 'idle',
  error: null,
  frame: null,
  meta: null,
  backend: null,
  view: null,
  lens: null,
  timings: {},
};
(globalThis as unknown as { pymecompressViewer: ViewerHook }).pymecompressViewer = hook;

export function setState(state: ViewerState, error: string | null = null): void {
  hook.state = state;
  hook.error = error;
  document.body.dataset.state = state;
}

/** Sets `timings.painted` once the frame drawn now has been presented (next frame, then a task). */
export function markPainted(): void {
  const t = hook.timings;
  requestAnimationFrame(() => {
    const ch = new MessageChannel();
    ch.port1.onmessage = () => {
      if (hook.timings === t) t.painted = performance.now();
    };
    ch.port2.postMessage(0);
  });
}
