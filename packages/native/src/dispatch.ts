/** CPU dispatch of the vectorisable loops: chosen at load, changeable per thread. */
import { PymecompressError } from '@pymecompress/core-ts';
import { binding } from './addon.js';

export type DispatchMode = 'auto' | 'scalar' | 'avx2';
export type Dispatch = 'scalar' | 'avx2';

const DISPATCH_SCALAR = 1;
const DISPATCH_AVX2 = 2;

/** Whether this CPU (and build) can run the AVX2 bodies. */
export const hasAvx2: boolean = binding.cpuHasAvx2();

function resolveDispatch(mode: unknown, source: string): number {
  if (mode === 'auto') return hasAvx2 ? DISPATCH_AVX2 : DISPATCH_SCALAR;
  if (mode === 'scalar') return DISPATCH_SCALAR;
  if (mode === 'avx2') {
    if (!hasAvx2) {
      throw new PymecompressError(
        'ERR_INVALID_ARGUMENT',
        `${source}: 'avx2' was requested but this CPU or build has no AVX2`,
      );
    }
    return DISPATCH_AVX2;
  }
  throw new PymecompressError(
    'ERR_INVALID_ARGUMENT',
    `${source} must be 'auto', 'scalar' or 'avx2', got ${String(mode)}`,
  );
}

let dispatch: number = resolveDispatch(
  process.env.PYMECOMPRESS_NATIVE_DISPATCH || 'auto',
  'PYMECOMPRESS_NATIVE_DISPATCH',
);

/** The body the vectorisable loops run in: 'avx2' or 'scalar'. */
export function getDispatch(): Dispatch {
  return dispatch === DISPATCH_AVX2 ? 'avx2' : 'scalar';
}

/**
 * Chooses the body for later calls (in this thread): 'auto' (the default, or the value of
 * PYMECOMPRESS_NATIVE_DISPATCH at load), 'scalar' or 'avx2'. 'avx2' on a CPU without it throws.
 * Returns the body now in use.
 */
export function setDispatch(mode: DispatchMode): Dispatch {
  dispatch = resolveDispatch(mode, 'setDispatch');
  return getDispatch();
}

/** The body later calls run in, as the binding's number (1 = scalar, 2 = AVX2). */
export function currentDispatch(): number {
  return dispatch;
}
