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
  /** performance.now() marks: when the input was chosen and when its first frame was drawn. */
  timings: { chosen?: number; drawn?: number };
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
