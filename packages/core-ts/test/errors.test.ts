import { describe, expect, it } from 'vitest';
import {
  assertEncodableLength,
  huffmanCompress,
  isPymecompressError,
  PymecompressError,
  PymecompressRangeError,
} from '../src/index.js';

describe('errors', () => {
  it('inputs of 2^32 bytes or more are a RangeError that is also a PymecompressError', () => {
    // Allocating 4 GiB to call huffmanCompress is too heavy for a unit test; the encoder calls
    // this check first (and native uses the same function).
    let caught: unknown;
    try {
      assertEncodableLength(2 ** 32);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(RangeError);
    expect(caught).toBeInstanceOf(PymecompressError);
    expect(caught).toBeInstanceOf(PymecompressRangeError);
    expect((caught as PymecompressError).code).toBe('ERR_INPUT_TOO_LARGE');
    expect(() => assertEncodableLength(2 ** 32 - 1)).not.toThrow();
  });

  it('instanceof works for errors from another copy of the package, and not for look-alikes', () => {
    const foreign = Object.assign(new Error('x'), {
      name: 'PymecompressError',
      code: 'ERR_CORRUPT_STREAM',
    });
    expect(foreign).toBeInstanceOf(PymecompressError);
    expect(isPymecompressError(foreign)).toBe(true);
    const wrongCode = Object.assign(new Error('x'), { name: 'PymecompressError', code: 'ENOENT' });
    expect(wrongCode).not.toBeInstanceOf(PymecompressError);
    expect(new TypeError('x')).not.toBeInstanceOf(PymecompressError);
    expect(null).not.toBeInstanceOf(PymecompressError);
  });

  it('subclasses keep ordinary instanceof', () => {
    class Custom extends PymecompressError {}
    expect(new Custom('ERR_CORRUPT_STREAM', 'x')).toBeInstanceOf(Custom);
    expect(new PymecompressError('ERR_CORRUPT_STREAM', 'x')).not.toBeInstanceOf(Custom);
  });

  it('errors thrown by the API carry name, code and a message', () => {
    try {
      huffmanCompress('nope' as never);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(PymecompressError);
      expect((error as PymecompressError).name).toBe('PymecompressError');
      expect((error as PymecompressError).code).toBe('ERR_INVALID_ARGUMENT');
      expect((error as Error).message).toMatch(/Uint8Array/);
    }
  });
});
