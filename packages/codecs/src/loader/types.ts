/**
 * Shared shapes of the backend loader (src/backend.ts selects; loader/node.ts and
 * loader/browser.ts find out what this runtime can load).
 */
import type { Backend } from '@pymecompress/core-ts';

/** The three implementations the loader knows. */
export type BackendKind = 'native' | 'wasm' | 'core-ts';

// The one list of Backend methods and the check built on it live in core-ts (backend.ts, next to
// the interface they describe); codecs re-exports them for the CLI, conformance and users.
export { BACKEND_METHODS, isBackend, missingBackendMethods } from '@pymecompress/core-ts/internal';

/**
 * Why a backend is not available:
 * - `not-installed`: its package is not in `node_modules` (or cannot exist here: native in a browser);
 * - `build-failed`: `@pymecompress/native` is installed but has neither `build/Release/*.node`
 *   nor `prebuilds/` (its install-time build failed);
 * - `load-failed`: installed, but importing or instantiating it threw (`message` says what);
 * - `disabled`: not attempted because `PYMECOMPRESS_BACKEND` / the `backend` option asked for
 *   another backend.
 */
export type BackendUnavailableReason =
  | 'not-installed'
  | 'build-failed'
  | 'load-failed'
  | 'disabled';

/** One backend's state as `backendInfo()` reports it. */
export interface BackendStatus {
  readonly available: boolean;
  readonly reason?: BackendUnavailableReason;
  /** A human-readable explanation (the loader's own message for `load-failed`). */
  readonly message?: string;
}

/** The native package's asynchronous entry points (`nativeAsyncBackend` of @pymecompress/native). */
export interface AsyncBackend {
  huffmanCompressAsync?(data: Uint8Array): Promise<Uint8Array>;
  huffmanDecompressAsync?(
    stream: Uint8Array,
    outSize: number,
    out?: Uint8Array,
  ): Promise<Uint8Array>;
  huffmanCompressQuantAsync?(data: Uint16Array, offset: number, scale: number): Promise<Uint8Array>;
  /** `Backend.huffmanDecompressBatch` spread over the libuv pool. */
  huffmanDecompressBatchAsync?(
    streams: readonly Uint8Array[],
    sizes: readonly number[],
    outs?: readonly Uint8Array[],
  ): Promise<Uint8Array[]>;
}

/** Dispatch controls of @pymecompress/native (used to test each of its bodies). */
export interface NativeDispatch {
  readonly hasAvx2: boolean;
  /** Absent in @pymecompress/native before its AVX-512 body. */
  readonly hasAvx512?: boolean;
  setDispatch(mode: 'auto' | 'scalar' | 'avx2' | 'avx512'): unknown;
}

/** What the runtime-specific loader found about the native backend (synchronously). */
export interface NativeLoad {
  readonly status: BackendStatus;
  readonly backend?: Backend;
  readonly async?: AsyncBackend;
  readonly dispatch?: NativeDispatch;
}

/** What importing and instantiating @pymecompress/wasm gave. */
export interface WasmLoad {
  readonly status: BackendStatus;
  readonly backend?: Backend;
}

/** A runtime-specific loader (`#backend-loader`: loader/node.ts or loader/browser.ts). */
export interface RuntimeLoader {
  readonly platform: 'node' | 'browser';
  /** The raw `PYMECOMPRESS_BACKEND` value (`undefined` in browsers or when unset). */
  readonly env: string | undefined;
  /** Loads @pymecompress/native synchronously; `disabled` (with this message) when `skip` is set. */
  loadNative(skip?: string): NativeLoad;
  /** Imports @pymecompress/wasm and instantiates it (never rejects: failures are a status). */
  loadWasm(): Promise<WasmLoad>;
}
