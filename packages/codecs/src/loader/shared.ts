/**
 * The part of loading @pymecompress/wasm both runtimes share: given the imported module (or the
 * import's failure), instantiate it and describe the result as a `WasmLoad`.
 */
import { isBackend, type WasmLoad } from './types.js';

export const WASM_PACKAGE = '@pymecompress/wasm';

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** True when `err` says `pkg` itself could not be found (as opposed to failing while loading). */
export function isNotFound(err: unknown, pkg: string): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  const msg = message(err);
  return (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') && msg.includes(pkg);
}

/** Runs `importWasm`, then the module's `init()`, and reports what happened. */
export async function instantiateWasm(importWasm: () => Promise<unknown>): Promise<WasmLoad> {
  let mod: Record<string, unknown>;
  try {
    mod = (await importWasm()) as Record<string, unknown>;
  } catch (err) {
    if (isNotFound(err, WASM_PACKAGE)) {
      return {
        status: {
          available: false,
          reason: 'not-installed',
          message: `${WASM_PACKAGE} is not installed`,
        },
      };
    }
    return {
      status: {
        available: false,
        reason: 'load-failed',
        message: `${WASM_PACKAGE} failed to load: ${message(err)}`,
      },
    };
  }
  try {
    if (typeof mod.init !== 'function') throw new Error('it does not export init()');
    const backend = await (mod.init as () => Promise<unknown>)();
    if (!isBackend(backend)) throw new Error('init() did not resolve to a Backend');
    return { status: { available: true }, backend };
  } catch (err) {
    return {
      status: {
        available: false,
        reason: 'load-failed',
        message: `${WASM_PACKAGE} failed to instantiate: ${message(err)}`,
      },
    };
  }
}
