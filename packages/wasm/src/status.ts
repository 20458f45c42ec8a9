/**
 * The C core's pmc_status values (packages/native/csrc/pymecompress.h) as core-ts errors, the
 * same classes and codes the native binding reports: ERR_INPUT_TOO_LARGE as a RangeError that is
 * also a PymecompressError, everything else as PymecompressError. PMC_ERR_NO_MEMORY means the
 * wasm heap cannot grow (memory.grow refused, the 4 GiB address space or the configured limit
 * reached): ERR_NO_MEMORY.
 */
import {
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
  6: 'ERR_NO_MEMORY',
};

const MESSAGES: Record<number, string> = {
  1: 'invalid argument',
  2: 'input too large: the format describes at most 2^32 - 1 bytes',
  3: 'corrupt stream',
  4: 'truncated stream',
  5: 'the requested output is larger than any stream of this length can carry',
  6: 'the wasm heap is out of memory',
};

export function statusError(status: number, detail?: string): PymecompressError {
  const code = CODES[status];
  if (code === undefined) {
    return new PymecompressError('ERR_INVALID_ARGUMENT', `@pymecompress/wasm: status ${status}`);
  }
  const message = `@pymecompress/wasm: ${detail ?? MESSAGES[status]}`;
  if (code === 'ERR_INPUT_TOO_LARGE') {
    return new PymecompressRangeError(code, message) as unknown as PymecompressError;
  }
  return new PymecompressError(code, message);
}
