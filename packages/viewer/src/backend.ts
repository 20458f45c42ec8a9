/**
 * The worker's decoding backend: whatever `@pymecompress/codecs` selects in a browser (wasm once
 * the codecs build offers it, core-ts otherwise). A codecs build with a readiness call (`ready()`
 * or `init()`, issue 11) is awaited first, so switching to wasm needs no change here.
 */
import * as codecs from '@pymecompress/codecs';
import type { Backend } from '@pymecompress/core-ts';

type Readiness = { ready?: () => Promise<unknown>; init?: () => Promise<unknown> };

let chosen: Promise<{ backend: Backend; kind: string }> | null = null;

export function viewerBackend(): Promise<{ backend: Backend; kind: string }> {
  chosen ??= (async () => {
    const c = codecs as unknown as Readiness;
    try {
      if (typeof c.ready === 'function') await c.ready();
      else if (typeof c.init === 'function') await c.init();
    } catch {
      // The loader falls back to core-ts by itself; backendInfo() says why.
    }
    const backend = codecs.getBackend();
    return { backend, kind: backend.kind };
  })();
  return chosen;
}
