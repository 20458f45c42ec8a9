/**
 * Backend loader for browsers and other non-Node runtimes (selected by the `browser`/`default`
 * conditions of the `#backend-loader` import). It never touches Node built-ins or the native
 * addon: core-ts is the only backend there.
 */
import type { NativeLoadResult } from './types.js';

export const nativeLoad: NativeLoadResult = Object.freeze({
  platform: 'browser',
  attempted: false,
  reason: 'the native backend is only available in Node.js (this is the browser build)',
});
