/**
 * Backend selection: the native addon when it is installed and loads, core-ts otherwise.
 *
 * Precedence: an explicit `backend` option > `PYMECOMPRESS_BACKEND` (Node only) > `auto`.
 * - `auto`: native if it loaded, else core-ts.
 * - `native`: native, or `ERR_BACKEND_UNAVAILABLE` carrying the load failure's reason.
 * - `core-ts`: always core-ts.
 * A `Backend` object may also be passed directly (e.g. a fork's backend under test).
 */
import { type Backend, coreBackend } from '@pymecompress/core-ts';
import { nativeLoad } from '#backend-loader';
import { codecsError } from './errors.js';
import type { AsyncBackend } from './loader/types.js';

export type BackendName = 'auto' | 'native' | 'core-ts';
export type BackendOption = BackendName | Backend;

const NAMES: readonly string[] = ['auto', 'native', 'core-ts'];

export interface BackendInfo {
  /** The backend `getBackend()` returns with no option: `'native'` or `'core-ts'`. */
  readonly kind: string;
  /** What asked for it: the `PYMECOMPRESS_BACKEND` value, or `'auto'` when unset. */
  readonly requested: string;
  /** Whether the native backend loaded in this process. */
  readonly nativeAvailable: boolean;
  /** Why it did not (unset when it did). */
  readonly nativeError?: string;
  /** `'node'` or `'browser'`: which loader this build resolved to. */
  readonly platform: 'node' | 'browser';
}

function requestedName(option: BackendOption | undefined): BackendOption {
  if (option !== undefined) return option;
  const env = nativeLoad.env;
  if (env === undefined || env === '') return 'auto';
  if (!NAMES.includes(env)) {
    throw codecsError(
      'ERR_INVALID_ARGUMENT',
      `PYMECOMPRESS_BACKEND must be one of ${NAMES.join(', ')} (got ${JSON.stringify(env)})`,
    );
  }
  return env as BackendName;
}

/** Resolves a backend option (see module docs). Throws on an unusable request. */
export function getBackend(option?: BackendOption): Backend {
  const req = requestedName(option);
  if (typeof req === 'object' && req !== null) return req;
  switch (req) {
    case 'core-ts':
      return coreBackend;
    case 'native':
      if (nativeLoad.backend) return nativeLoad.backend;
      throw codecsError(
        'ERR_BACKEND_UNAVAILABLE',
        `the native backend was requested but is unavailable: ${nativeLoad.reason ?? 'unknown reason'}`,
      );
    case 'auto':
      return nativeLoad.backend ?? coreBackend;
    default:
      throw codecsError(
        'ERR_INVALID_ARGUMENT',
        `backend must be one of ${NAMES.join(', ')} or a Backend object (got ${JSON.stringify(req)})`,
      );
  }
}

/** Async entry points for `backend`, when it is the loaded native backend and offers them. */
export function getAsyncBackend(backend: Backend): AsyncBackend | undefined {
  return nativeLoad.backend !== undefined && backend === nativeLoad.backend
    ? nativeLoad.async
    : undefined;
}

/** Reports which backend is in use by default and, when native is unavailable, why. */
export function backendInfo(): BackendInfo {
  let kind: string;
  let requested = 'auto';
  try {
    requested = String(requestedName(undefined));
    kind = getBackend().kind;
  } catch (err) {
    kind = `unusable (${(err as Error).message})`;
    requested = nativeLoad.env ?? requested;
  }
  return Object.freeze({
    kind,
    requested,
    nativeAvailable: nativeLoad.backend !== undefined,
    ...(nativeLoad.reason !== undefined ? { nativeError: nativeLoad.reason } : {}),
    platform: nativeLoad.platform,
  });
}
