/**
 * The worker's decoding backend. Preferred: whatever `@pymecompress/codecs` selects in a browser,
 * after its readiness call (`ready()`/`init()`, issue 11) when the codecs build has one. Until the
 * codecs loader picks wasm by itself, the worker instantiates `@pymecompress/wasm` directly (its
 * agreed `init(): Promise<Backend>`); core-ts when neither is available. The switch to the codecs
 * loader is the first branch below and needs no change once it lands.
 */
import * as codecs from '@pymecompress/codecs';
import type { Backend } from '@pymecompress/core-ts';

type Readiness = { ready?: () => Promise<unknown>; init?: () => Promise<unknown> };

let chosen: Promise<{ backend: Backend; kind: string }> | null = null;

async function pick(): Promise<Backend> {
  const c = codecs as unknown as Readiness;
  const ready = c.ready ?? c.init;
  if (typeof ready === 'function') {
    try {
      await ready();
    } catch {
      // The loader falls back by itself; backendInfo() says why.
    }
    return codecs.getBackend();
  }
  try {
    const wasm = await import('@pymecompress/wasm');
    return await wasm.init();
  } catch {
    return codecs.getBackend();
  }
}

export function viewerBackend(): Promise<{ backend: Backend; kind: string }> {
  chosen ??= pick().then((backend) => ({ backend, kind: backend.kind }));
  return chosen;
}
