/**
 * Deprecated aliases of the one error model (core-ts `errors.ts`, docs/FORMAT.md "Errors").
 * Everything this package throws is made by core-ts's `pymecompressError` factory, so a code is
 * always the same class. These names stay exported from `@pymecompress/codecs` because removing
 * them would break callers of 0.1.0; new code uses `isPymecompressError(err, ...codes)`,
 * `PymecompressErrorCode`, `ERROR_CODES` and `pymecompressError` instead.
 */
import {
  isPymecompressError,
  type PymecompressErrorCode,
  pymecompressError,
} from '@pymecompress/core-ts';

/** @deprecated Use `PymecompressErrorCode` (one code list for every package). */
export type CodecsErrorCode = PymecompressErrorCode;

/** @deprecated The codes core-ts lists for PZF and backend selection; use `ERROR_CODES`. */
export const CODECS_ERROR_CODES: readonly CodecsErrorCode[] = [
  'ERR_INVALID_PZF',
  'ERR_BACKEND_UNAVAILABLE',
];

/** @deprecated Internal alias of core-ts's `pymecompressError` factory (same class per code). */
export const codecsError = pymecompressError;

/** @deprecated Use `isPymecompressError(err, code)`, which also narrows `err.code`. */
export function hasErrorCode(err: unknown, code: CodecsErrorCode): boolean {
  return isPymecompressError(err, code);
}
