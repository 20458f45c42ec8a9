/**
 * Backend loader for browsers and other non-Node runtimes (the `browser`/`default` conditions of
 * the `#backend-loader` import). No Node built-ins, no native addon. @pymecompress/wasm is
 * imported with a literal specifier so that bundlers include it (in its own chunk where they
 * split dynamic imports); `ready()` instantiates it.
 */
import { instantiateWasm } from './shared.js';
import type { NativeLoad, RuntimeLoader } from './types.js';

const NATIVE_IN_BROWSER: NativeLoad = Object.freeze({
  status: Object.freeze({
    available: false,
    reason: 'not-installed' as const,
    message: 'the native addon runs only in Node.js (this is the browser build)',
  }),
});

export const runtime: RuntimeLoader = Object.freeze({
  platform: 'browser' as const,
  env: undefined,
  loadNative: () => NATIVE_IN_BROWSER,
  // `as string`: tsc need not resolve the optional package, yet the emitted literal lets bundlers
  // include it.
  loadWasm: () => instantiateWasm(() => import('@pymecompress/wasm' as string)),
});
