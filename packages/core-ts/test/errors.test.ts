import { describe, expect, it } from 'vitest';
import {
  huffmanCompress,
  isPymecompressError,
  PymecompressError,
  PymecompressRangeError,
} from '../src/index.js';
import { assertEncodableLength } from '../src/internal.js';

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

  it('huffmanCompress refuses typed arrays other than Uint8Array instead of coding their bytes', () => {
    // issue 14 row 14: an Int16Array or Float32Array used to be coded byte by byte, silently.
    for (const data of [
      new Int16Array(4),
      new Float32Array(4),
      new Uint16Array(4),
      new Int8Array(4),
      new Uint8ClampedArray(4),
      new DataView(new ArrayBuffer(4)),
    ]) {
      let code: unknown;
      try {
        huffmanCompress(data as unknown as Uint8Array);
      } catch (err) {
        code = (err as { code?: unknown }).code;
      }
      expect(code, data.constructor.name).toBe('ERR_INVALID_ARGUMENT');
    }
  });
});
