/**
 * Exit codes and the error type every command throws. `main` maps a `CliError` to its exit code
 * and prints its message; typed errors from core-ts / codecs are mapped with `fromLibraryError`.
 */
import { isPymecompressError } from '@pymecompress/core-ts';

export const EXIT = {
  /** Success (and, for `demo`, every bound check passed). */
  OK: 0,
  /** Runtime failure: I/O error, a failed bound check in `demo`, an unavailable backend. */
  FAILURE: 1,
  /** Usage error: unknown command or option, missing or invalid argument. */
  USAGE: 2,
  /** Bad input file: unreadable format, corrupt or truncated data, unsupported dtype/layout. */
  BAD_INPUT: 3,
  /** The output exists and `--force` was not given. */
  OUTPUT_EXISTS: 4,
  /** Interrupted by SIGINT / SIGTERM (partial output removed). */
  INTERRUPTED: 130,
} as const;

export class CliError extends Error {
  readonly exitCode: number;
  constructor(exitCode: number, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CliError';
    this.exitCode = exitCode;
  }
}

export function usageError(message: string): CliError {
  return new CliError(EXIT.USAGE, message);
}

export function badInput(file: string, message: string, cause?: unknown): CliError {
  return new CliError(EXIT.BAD_INPUT, `${file}: ${message}`, cause ? { cause } : undefined);
}

const STREAM_CODES = new Set([
  'ERR_CORRUPT_STREAM',
  'ERR_TRUNCATED_STREAM',
  'ERR_OUTPUT_TOO_LARGE',
  'ERR_INVALID_PZF',
  'ERR_INPUT_TOO_LARGE',
]);

/**
 * Maps an error raised while processing `file` to a `CliError`: stream / container errors from
 * the codecs become "bad input" (exit 3) naming the file and the error code; an unavailable
 * backend and other library errors become failures (exit 1).
 */
export function fromLibraryError(file: string | undefined, err: unknown): CliError {
  if (err instanceof CliError) return err;
  const at = (f: string | undefined, m: string): string => (f === undefined ? m : `${f}: ${m}`);
  if (isPymecompressError(err) || (err instanceof Error && err.name === 'PymecompressError')) {
    const code = String((err as { code?: unknown }).code);
    if (STREAM_CODES.has(code))
      return badInput(file ?? 'input', `${describeCode(code)} (${code}): ${err.message}`, err);
    if (code === 'ERR_BACKEND_UNAVAILABLE')
      return new CliError(EXIT.FAILURE, err.message, { cause: err });
    return new CliError(EXIT.FAILURE, at(file, `${code}: ${err.message}`), { cause: err });
  }
  const e = err as NodeJS.ErrnoException;
  if (e && typeof e.code === 'string' && e.syscall) {
    const what =
      e.code === 'ENOENT'
        ? 'no such file or directory'
        : e.code === 'EACCES'
          ? 'permission denied'
          : e.code === 'EISDIR'
            ? 'is a directory'
            : e.code === 'ENOSPC'
              ? 'no space left on device'
              : e.message;
    return new CliError(EXIT.FAILURE, at(e.path ?? file, what), { cause: err });
  }
  return new CliError(EXIT.FAILURE, at(file, err instanceof Error ? err.message : String(err)), {
    cause: err,
  });
}

function describeCode(code: string): string {
  switch (code) {
    case 'ERR_CORRUPT_STREAM':
      return 'corrupt compressed data';
    case 'ERR_TRUNCATED_STREAM':
      return 'compressed data is truncated';
    case 'ERR_OUTPUT_TOO_LARGE':
      return 'compressed data is too short for the size it claims (truncated or corrupt)';
    case 'ERR_INVALID_PZF':
      return 'not a valid PZF frame';
    case 'ERR_INPUT_TOO_LARGE':
      return 'data too large for the format';
    default:
      return code;
  }
}
