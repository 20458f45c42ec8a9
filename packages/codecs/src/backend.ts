/**
 * Backend selection, the one home of `PYMECOMPRESS_BACKEND` and of the order
 * native → wasm → core-ts (Node) / wasm → core-ts (browsers). The CLI and the conformance suite
 * use this module too (`availableBackends()`).
 *
 * Precedence: an explicit `backend` option > `PYMECOMPRESS_BACKEND` (Node only) > `auto`.
 * - `auto`: native if it loads, else wasm once `ready()` instantiated it, else core-ts.
 * - `native` / `wasm`: that backend, or `ERR_BACKEND_UNAVAILABLE` carrying the reason.
 * - `core-ts`: always core-ts.
 * A `Backend` object may also be passed directly (e.g. a fork's backend under test).
 * `PYMECOMPRESS_BACKEND=core-ts|wasm` does not even load the native addon; `=core-ts|native`
 * keeps `ready()` from instantiating wasm.
 */
import { type Backend, coreBackend } from '@pymecompress/core-ts';
import { runtime } from '#backend-loader';
import { codecsError } from './errors.js';
import type {
  AsyncBackend,
  BackendKind,
  BackendStatus,
  NativeDispatch,
  NativeLoad,
  WasmLoad,
} from './loader/types.js';

export type BackendName = 'auto' | BackendKind;
export type BackendOption = BackendName | Backend;

/** The values `PYMECOMPRESS_BACKEND` and the `backend` option accept. */
export const BACKEND_NAMES: readonly BackendName[] = Object.freeze([
  'auto',
  'native',
  'wasm',
  'core-ts',
]);

export interface BackendInfo {
  /** The backend `getBackend()` with no option returns (or, when that throws, `auto` would). */
  readonly kind: BackendKind;
  /** `PYMECOMPRESS_BACKEND` as given, or `'auto'` when unset. */
  readonly requested: string;
  /** `'node'` or `'browser'`: which loader this build resolved to. */
  readonly platform: 'node' | 'browser';
  /** Per backend: available, or why not. */
  readonly backends: { readonly [K in BackendKind]: BackendStatus };
  /** Set when `getBackend()` with no option throws (a forced backend is unavailable). */
  readonly error?: string;
  /** @deprecated use `backends.native.available`. */
  readonly nativeAvailable: boolean;
  /** @deprecated use `backends.native.message`. */
  readonly nativeError?: string;
}

/**
 * Parses a backend name from `source` (`PYMECOMPRESS_BACKEND=`, `--backend`, ...); `''` and
 * `undefined` are `auto`. Throws `ERR_INVALID_ARGUMENT` naming `source` otherwise.
 */
export function parseBackendName(value: string | undefined, source: string): BackendName {
  if (value === undefined || value === '') return 'auto';
  if (!(BACKEND_NAMES as readonly string[]).includes(value)) {
    throw codecsError(
      'ERR_INVALID_ARGUMENT',
      `${source}${value}: expected one of ${BACKEND_NAMES.join(', ')}`,
    );
  }
  return value as BackendName;
}

const envName = (): BackendName => parseBackendName(runtime.env, 'PYMECOMPRESS_BACKEND=');

/** The env value when it is valid (an invalid one only fails getBackend(), not loading). */
function envOrAuto(): BackendName {
  try {
    return envName();
  } catch {
    return 'auto';
  }
}

let native: NativeLoad | undefined;
let wasm: WasmLoad | undefined;
let wasmPending: Promise<WasmLoad> | undefined;
let warned = false;

/** One `process.emitWarning` per process (Node only) for a native backend that should have loaded. */
function warnOnce(text: string): void {
  if (warned) return;
  warned = true;
  const proc = (globalThis as { process?: { emitWarning?: (m: string, o: object) => void } })
    .process;
  if (runtime.platform === 'node' && typeof proc?.emitWarning === 'function') {
    proc.emitWarning(text, {
      type: 'PymecompressWarning',
      code: 'PYMECOMPRESS_NATIVE_UNAVAILABLE',
    });
  }
}

function nativeLoad(): NativeLoad {
  if (native) return native;
  const env = envOrAuto();
  native = runtime.loadNative(
    env === 'core-ts' || env === 'wasm' ? `not attempted: PYMECOMPRESS_BACKEND=${env}` : undefined,
  );
  const { reason, message } = native.status;
  if (
    reason === 'build-failed' ||
    reason === 'load-failed' ||
    (env === 'native' && !native.backend)
  ) {
    warnOnce(`${message ?? 'the native backend is unavailable'}; using a fallback backend`);
  }
  return native;
}

function wasmStatus(): BackendStatus {
  if (wasm) return wasm.status;
  const env = envOrAuto();
  if (env === 'core-ts' || env === 'native') {
    return {
      available: false,
      reason: 'disabled',
      message: `not attempted: PYMECOMPRESS_BACKEND=${env}`,
    };
  }
  return { available: false, message: 'not instantiated yet: await ready() first' };
}

function unavailable(kind: BackendKind, status: BackendStatus): never {
  throw codecsError(
    'ERR_BACKEND_UNAVAILABLE',
    `the ${kind} backend was requested but is unavailable: ${status.message ?? status.reason ?? 'unknown reason'}`,
  );
}

/** Resolves a backend option (see module docs). Throws on an unusable request. */
export function getBackend(option?: BackendOption): Backend {
  if (typeof option === 'object' && option !== null) return option;
  const req = option === undefined ? envName() : option;
  switch (req) {
    case 'core-ts':
      return coreBackend;
    case 'native': {
      const n = nativeLoad();
      if (n.backend) return n.backend;
      warnOnce(`${n.status.message ?? 'the native backend is unavailable'} (it was requested)`);
      return unavailable('native', n.status);
    }
    case 'wasm':
      return wasm?.backend ?? unavailable('wasm', wasmStatus());
    case 'auto':
      return nativeLoad().backend ?? wasm?.backend ?? coreBackend;
    default:
      throw codecsError(
        'ERR_INVALID_ARGUMENT',
        `backend must be one of ${BACKEND_NAMES.join(', ')} or a Backend object (got ${JSON.stringify(req)})`,
      );
  }
}

/**
 * Instantiates the wasm backend (idempotent: every call returns the same promise) and resolves
 * to `backendInfo()`. Before it resolves, `getBackend()` in `auto` mode gives native or core-ts;
 * after it, wasm where native is unavailable (in browsers: always, when wasm loads). Never
 * rejects: a wasm failure shows in `backendInfo().backends.wasm`.
 */
export function ready(): Promise<BackendInfo> {
  nativeLoad();
  if (wasmStatus().reason === 'disabled') return Promise.resolve(backendInfo());
  wasmPending ??= runtime.loadWasm().then((w) => {
    wasm = w;
    return w;
  });
  return wasmPending.then(() => backendInfo());
}

/** Async entry points for `backend`, when it is the loaded native backend and offers them. */
export function getAsyncBackend(backend: Backend): AsyncBackend | undefined {
  const n = nativeLoad();
  return n.backend !== undefined && backend === n.backend ? n.async : undefined;
}

/** Reports which backend is in use by default and, for each backend, whether it loaded and why not. */
export function backendInfo(): BackendInfo {
  const n = nativeLoad();
  const backends = Object.freeze({
    native: n.status,
    wasm: wasmStatus(),
    'core-ts': Object.freeze({ available: true }),
  });
  let kind: BackendKind;
  let error: string | undefined;
  try {
    kind = getBackend().kind as BackendKind;
  } catch (err) {
    error = (err as Error).message;
    kind = getBackend('auto').kind as BackendKind;
  }
  return Object.freeze({
    kind,
    requested: runtime.env || 'auto',
    platform: runtime.platform,
    backends,
    ...(error !== undefined ? { error } : {}),
    nativeAvailable: n.status.available,
    ...(n.status.message !== undefined && !n.status.available
      ? { nativeError: n.status.message }
      : {}),
  });
}

/** One backend this process can run, as the CLI's bench/demo and the conformance suite list them. */
export interface BackendEntry {
  /** `core-ts`, `native[scalar]`, `native[avx2]`, `native[avx512]` (one per native dispatch body
   * this CPU has), `wasm`. */
  readonly name: string;
  readonly kind: BackendKind;
  readonly backend: Backend;
  /** Makes this entry's dispatch body current before it runs (native only; no-op otherwise). */
  activate(): void;
}

/** Every backend usable here (after `ready()`), plus the status of those that are not. */
export async function availableBackends(): Promise<{
  entries: BackendEntry[];
  info: BackendInfo;
}> {
  const info = await ready();
  const noop = () => {};
  const entries: BackendEntry[] = [
    { name: 'core-ts', kind: 'core-ts', backend: coreBackend, activate: noop },
  ];
  const n = nativeLoad();
  if (n.backend) {
    const d: NativeDispatch | undefined = n.dispatch;
    const backend = n.backend;
    if (d) {
      const bodies = [
        'scalar',
        ...(d.hasAvx2 ? (['avx2'] as const) : []),
        ...(d.hasAvx512 ? (['avx512'] as const) : []),
      ] as const;
      for (const body of bodies) {
        entries.push({
          name: `native[${body}]`,
          kind: 'native',
          backend,
          activate: () => d.setDispatch(body),
        });
      }
    } else entries.push({ name: 'native', kind: 'native', backend, activate: noop });
  }
  if (wasm?.backend)
    entries.push({ name: 'wasm', kind: 'wasm', backend: wasm.backend, activate: noop });
  return { entries, info };
}
