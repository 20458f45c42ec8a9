/**
 * The codes of every package in the project live here, so one `err.code` check covers them all.
 *
 * Every failure that bad input can cause is reported as a `PymecompressError` with a stable
 * `code`. The native backend throws the same class (re-created from the C core's error code), so
 * callers can match on `err.code` whichever backend ran.
 */
export type PymecompressErrorCode =
  /** An argument has the wrong type, range or size (e.g. scale <= 0, `out` too short). */
  | 'ERR_INVALID_ARGUMENT'
  /** The input is larger than the format can describe (2^32 bytes or more). */
  | 'ERR_INPUT_TOO_LARGE'
  /** The stream is structurally impossible (e.g. a Huffman tree with a repeated symbol). */
  | 'ERR_CORRUPT_STREAM'
  /** The stream ends inside the tree, or before the requested number of symbols. */
  | 'ERR_TRUNCATED_STREAM'
  /** The requested output is larger than any stream of this length can carry. */
  | 'ERR_OUTPUT_TOO_LARGE'
  /** A PZF frame header is invalid or disagrees with the data (@pymecompress/codecs). */
  | 'ERR_INVALID_PZF'
  /** The native backend was required but cannot be loaded (@pymecompress/codecs). */
  | 'ERR_BACKEND_UNAVAILABLE'
  /** Memory for a result or a work buffer could not be allocated (a rejection, not an abort). */
  | 'ERR_NO_MEMORY';

export const ERROR_CODES: readonly PymecompressErrorCode[] = [
  'ERR_INVALID_ARGUMENT',
  'ERR_INPUT_TOO_LARGE',
  'ERR_CORRUPT_STREAM',
  'ERR_TRUNCATED_STREAM',
  'ERR_OUTPUT_TOO_LARGE',
  'ERR_INVALID_PZF',
  'ERR_BACKEND_UNAVAILABLE',
  'ERR_NO_MEMORY',
];

export class PymecompressError extends Error {
  readonly code: PymecompressErrorCode;

  constructor(code: PymecompressErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PymecompressError';
    this.code = code;
  }

  /**
   * `err instanceof PymecompressError` holds for every error this project throws: ones from
   * another copy of the package (bundles, realms) and `PymecompressRangeError` included.
   * Subclasses keep ordinary `instanceof`.
   */
  static override [Symbol.hasInstance](value: unknown): boolean {
    // `this` is the class on the right of `instanceof`: a subclass gets the ordinary check.
    // biome-ignore lint/complexity/noThisInStatic: the receiver, not this class, is meant
    if (this !== PymecompressError) {
      // biome-ignore lint/complexity/noThisInStatic: as above
      return Function.prototype[Symbol.hasInstance].call(this, value);
    }
    return isPymecompressError(value);
  }
}

/**
 * `ERR_INPUT_TOO_LARGE` (an input of 2^32 bytes or more) is thrown as this class: a
 * `RangeError`, like JavaScript's own size limits, that is also a `PymecompressError` (same
 * `name`, a `code`, and `instanceof PymecompressError` is true).
 */
export class PymecompressRangeError extends RangeError {
  readonly code: PymecompressErrorCode;

  constructor(code: PymecompressErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PymecompressError';
    this.code = code;
  }
}

/**
 * The codes thrown as `PymecompressRangeError`: sizes past a limit, as JavaScript's own
 * `RangeError`s for sizes (docs/FORMAT.md "Errors"). Every other code is a `PymecompressError`.
 */
export const RANGE_ERROR_CODES: readonly PymecompressErrorCode[] = [
  'ERR_INPUT_TOO_LARGE',
  'ERR_NO_MEMORY',
];

/**
 * The one factory for this project's errors: the class follows from the code, so a code is the
 * same class from every layer and backend (`ERR_INPUT_TOO_LARGE` and `ERR_NO_MEMORY` are
 * `PymecompressRangeError`s, the rest `PymecompressError`s; both pass
 * `instanceof PymecompressError` and `isPymecompressError`).
 */
export function pymecompressError(
  code: PymecompressErrorCode,
  message: string,
  options?: { cause?: unknown },
): PymecompressError {
  if (RANGE_ERROR_CODES.includes(code)) {
    // A RangeError subclass, typed as what `instanceof PymecompressError` says it is.
    return new PymecompressRangeError(code, message, options) as unknown as PymecompressError;
  }
  return new PymecompressError(code, message, options);
}

/**
 * True for a `PymecompressError` (or `PymecompressRangeError`) from any copy of this package
 * (realm- and bundle-safe). With codes, true only when `err.code` is one of them, and the type
 * narrows to those codes: `if (isPymecompressError(err, 'ERR_CORRUPT_STREAM')) ...`.
 */
export function isPymecompressError<C extends PymecompressErrorCode = PymecompressErrorCode>(
  value: unknown,
  ...codes: C[]
): value is PymecompressError & { readonly code: C } {
  if (!(value instanceof Error) || value.name !== 'PymecompressError') return false;
  const code: unknown = (value as Error & { code?: unknown }).code;
  if (typeof code !== 'string' || !(ERROR_CODES as readonly string[]).includes(code)) return false;
  return codes.length === 0 || (codes as readonly string[]).includes(code);
}
