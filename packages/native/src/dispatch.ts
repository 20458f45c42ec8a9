/** CPU dispatch of the vectorisable loops: chosen at load, changeable per thread. */
import { PymecompressError } from '@pymecompress/core-ts';
import { binding } from './addon.js';

export type DispatchMode = 'auto' | 'scalar' | 'avx2' | 'avx512';
export type Dispatch = 'scalar' | 'avx2' | 'avx512';

/** The binding's numbers (pmc_dispatch in csrc/pymecompress.h). */
const NUMBERS: Record<Dispatch, number> = { scalar: 1, avx2: 2, avx512: 3 };

/** Whether this CPU (and build) can run the AVX2 bodies. */
export const hasAvx2: boolean = binding.cpuHasAvx2();
/** Whether this CPU (and build) can run the AVX-512 bodies (F, BW, DQ, VL). */
export const hasAvx512: boolean = binding.cpuHasAvx512();

const AVAILABLE: Record<Dispatch, boolean> = { scalar: true, avx2: hasAvx2, avx512: hasAvx512 };

function resolveDispatch(mode: unknown, source: string): number {
  if (mode === 'auto') return NUMBERS[hasAvx512 ? 'avx512' : hasAvx2 ? 'avx2' : 'scalar'];
  if (mode === 'scalar' || mode === 'avx2' || mode === 'avx512') {
    if (!AVAILABLE[mode]) {
      throw new PymecompressError(
        'ERR_INVALID_ARGUMENT',
        `${source}: '${mode}' was requested but this CPU or build has no ${mode.toUpperCase()}`,
      );
    }
    return NUMBERS[mode];
  }
  throw new PymecompressError(
    'ERR_INVALID_ARGUMENT',
    `${source} must be 'auto', 'scalar', 'avx2' or 'avx512', got ${String(mode)}`,
  );
}

let dispatch: number = resolveDispatch(
  process.env.PYMECOMPRESS_NATIVE_DISPATCH || 'auto',
  'PYMECOMPRESS_NATIVE_DISPATCH',
);

/** The body the vectorisable loops run in: 'avx512', 'avx2' or 'scalar'. */
export function getDispatch(): Dispatch {
  return (Object.keys(NUMBERS) as Dispatch[]).find((d) => NUMBERS[d] === dispatch) ?? 'scalar';
}

/**
 * Chooses the body for later calls (in this thread): 'auto' (the default, or the value of
 * PYMECOMPRESS_NATIVE_DISPATCH at load: the best body this CPU has), 'scalar', 'avx2' or
 * 'avx512'. A body the CPU lacks throws.
 * Returns the body now in use.
 */
export function setDispatch(mode: DispatchMode): Dispatch {
  dispatch = resolveDispatch(mode, 'setDispatch');
  return getDispatch();
}

/** The body later calls run in, as the binding's number (1 = scalar, 2 = AVX2, 3 = AVX-512). */
export function currentDispatch(): number {
  return dispatch;
}
