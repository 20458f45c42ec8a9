/**
 * The C core's pmc_status values (packages/native/csrc/pymecompress.h) as core-ts errors, the
 * same codes the native binding reports. PMC_ERR_NO_MEMORY (the wasm heap cannot grow: memory.grow
 * refused, the 4 GiB address space or the configured limit reached) is reported with the
 * project's out-of-memory code when core-ts has one, else as ERR_INPUT_TOO_LARGE: for a heap of
 * fixed maximum size, an input it cannot hold is an input too large for this backend. Both are
 * thrown as a RangeError that is also a PymecompressError, like core-ts's own size limits.
 */
import {
  ERROR_CODES,
  PymecompressError,
  type PymecompressErrorCode,
  PymecompressRangeError,
} from '@pymecompress/core-ts';

const CODES: Record<number, PymecompressErrorCode> = {
  1: 'ERR_INVALID_ARGUMENT',
  2: 'ERR_INPUT_TOO_LARGE',
  3: 'ERR_CORRUPT_STREAM',
  4: 'ERR_TRUNCATED_STREAM',
  5: 'ERR_OUTPUT_TOO_LARGE',
};

const MESSAGES: Record<number, string> = {
  1: 'invalid argument',
  2: 'input too large: the format describes at most 2^32 - 1 bytes',
  3: 'corrupt stream',
  4: 'truncated stream',
  5: 'the requested output is larger than any stream of this length can carry',
};

/** `ERR_NO_MEMORY` once core-ts defines it, else `ERR_INPUT_TOO_LARGE`. */
export const NO_MEMORY_CODE: PymecompressErrorCode = (ERROR_CODES as readonly string[]).includes(
  'ERR_NO_MEMORY',
)
  ? ('ERR_NO_MEMORY' as PymecompressErrorCode)
  : 'ERR_INPUT_TOO_LARGE';

export function statusError(status: number, detail?: string): PymecompressError {
  if (status === 6 || status === 2) {
    const code = status === 6 ? NO_MEMORY_CODE : 'ERR_INPUT_TOO_LARGE';
    return new PymecompressRangeError(
      code,
      `@pymecompress/wasm: ${detail ?? (status === 6 ? 'the wasm heap is out of memory' : MESSAGES[2])}`,
    ) as unknown as PymecompressError;
  }
  const code = CODES[status];
  if (code === undefined) {
    return new PymecompressError('ERR_INVALID_ARGUMENT', `@pymecompress/wasm: status ${status}`);
  }
  return new PymecompressError(code, `@pymecompress/wasm: ${detail ?? MESSAGES[status]}`);
}
