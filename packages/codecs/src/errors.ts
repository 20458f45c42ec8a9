/**
 * Errors. Everything this package throws for bad input is a `PymecompressError` (the class from
 * `@pymecompress/core-ts`, so one `catch` / `err.code` check covers both packages). Besides the
 * core codes this package adds two, documented in the README:
 *
 * - `ERR_INVALID_PZF`: a PZF header field is invalid (ID, version, enum values, data offset,
 *   sizes that disagree with the data length, a chunk table that does not add up).
 * - `ERR_BACKEND_UNAVAILABLE`: a backend was forced (option or `PYMECOMPRESS_BACKEND=native|wasm`)
 *   but cannot be loaded (wasm: also before `ready()` resolved); the message carries the reason.
 */
import {
  isPymecompressError,
  PymecompressError,
  type PymecompressErrorCode,
} from '@pymecompress/core-ts';

export type CodecsErrorCode = PymecompressErrorCode;

/** The codes this package adds on top of core-ts's `ERROR_CODES`. */
export const CODECS_ERROR_CODES: readonly CodecsErrorCode[] = [
  'ERR_INVALID_PZF',
  'ERR_BACKEND_UNAVAILABLE',
];

/** Creates a `PymecompressError` with any of this package's codes. */
export function codecsError(
  code: CodecsErrorCode,
  message: string,
  options?: { cause?: unknown },
): PymecompressError {
  return new PymecompressError(code, message, options);
}

/** True when `err` is a `PymecompressError` (any copy) carrying `code`. */
export function hasErrorCode(err: unknown, code: CodecsErrorCode): boolean {
  return isPymecompressError(err) && err.code === code;
}
