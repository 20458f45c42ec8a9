/**
 * Shared shapes of the backend loader (src/backend.ts selects; loader/node.ts and
 * loader/browser.ts find out what this runtime can load). The one list of Backend methods lives
 * here, so codecs, the CLI and conformance check a Backend object the same way.
 */
import type { Backend } from '@pymecompress/core-ts';

/** The three implementations the loader knows. */
export type BackendKind = 'native' | 'wasm' | 'core-ts';

/** The functions every `Backend` (core-ts `packages/core-ts/src/backend.ts`) provides. */
export const BACKEND_METHODS = [
  'huffmanCompress',
  'huffmanDecompress',
  'quantize',
  'dequantize',
  'huffmanCompressQuant',
] as const;

/** The names of `BACKEND_METHODS` that `value` lacks (empty for a usable Backend). */
export function missingBackendMethods(value: unknown): string[] {
  if (typeof value !== 'object' || value === null) return [...BACKEND_METHODS];
  const v = value as Record<string, unknown>;
  return BACKEND_METHODS.filter((m) => typeof v[m] !== 'function');
}

/** True when `value` has a string `kind` and every Backend method. */
export function isBackend(value: unknown): value is Backend {
  return (
    missingBackendMethods(value).length === 0 &&
    typeof (value as { kind?: unknown }).kind === 'string'
  );
}

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
}

/** Dispatch controls of @pymecompress/native (used to test each of its bodies). */
export interface NativeDispatch {
  readonly hasAvx2: boolean;
  setDispatch(mode: 'auto' | 'scalar' | 'avx2'): unknown;
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
