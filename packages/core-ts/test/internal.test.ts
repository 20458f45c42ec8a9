import { describe, expect, it } from 'vitest';
import * as core from '../src/index.js';
import {
  isBackend,
  LITTLE_ENDIAN,
  leBytes,
  maxCompressedSize,
  maxSymbols,
  pymecompressError,
  quantParams,
  sharedQuantizeTable,
  symbolsFit,
  unfilledBytes,
} from '../src/internal.js';

describe('@pymecompress/core-ts/internal', () => {
  it('the 8·len − 9 capacity rule', () => {
    expect(maxSymbols(0)).toBe(0);
    expect(maxSymbols(2)).toBe(7);
    expect(symbolsFit(0, 0)).toBe(true);
    expect(symbolsFit(7, 2)).toBe(true);
    expect(symbolsFit(8, 2)).toBe(false);
    expect(maxCompressedSize(0)).toBe(0);
    expect(maxCompressedSize(10)).toBe(331);
  });

  it('unfilledBytes: a plain Uint8Array over an ArrayBuffer of its own, never a pooled Buffer', () => {
    for (const n of [0, 1, 100, 8192, 1 << 20]) {
      const a = unfilledBytes(n);
      expect(Object.getPrototypeOf(a)).toBe(Uint8Array.prototype);
      expect(a.length).toBe(n);
      expect(a.byteOffset).toBe(0);
      expect(a.buffer.byteLength).toBe(n);
      expect(unfilledBytes(n).buffer).not.toBe(a.buffer);
    }
  });

  it('a fresh decode result is a plain Uint8Array of its own', () => {
    const data = Uint8Array.from({ length: 5000 }, (_, i) => (i * 7) % 13);
    const out = core.huffmanDecompress(core.huffmanCompress(data), data.length);
    expect(Object.getPrototypeOf(out)).toBe(Uint8Array.prototype);
    expect(out.buffer.byteLength).toBe(data.length);
    expect(out).toEqual(data);
  });

  it('leBytes gives the little-endian bytes', () => {
    expect(LITTLE_ENDIAN).toBe(true);
    expect([...leBytes(Uint16Array.of(0x0102))]).toEqual([2, 1]);
    expect([...leBytes(Float32Array.of(1))]).toEqual([0, 0, 0x80, 0x3f]);
    expect([...leBytes(Int16Array.of(-2))]).toEqual([0xfe, 0xff]);
    expect([...leBytes(Uint32Array.of(0x01020304))]).toEqual([4, 3, 2, 1]);
    expect([...leBytes(Float64Array.of(1))]).toEqual([0, 0, 0, 0, 0, 0, 0xf0, 0x3f]);
    expect([...leBytes(Int8Array.of(-1))]).toEqual([0xff]);
  });

  it('one factory: the class follows from the code', () => {
    for (const code of core.ERROR_CODES) {
      const err = pymecompressError(code, 'x');
      expect(err).toBeInstanceOf(core.PymecompressError);
      expect(err instanceof RangeError).toBe(
        code === 'ERR_INPUT_TOO_LARGE' || code === 'ERR_NO_MEMORY',
      );
      expect(core.isPymecompressError(err, code)).toBe(true);
      expect(
        core.isPymecompressError(
          err,
          code === 'ERR_CORRUPT_STREAM' ? 'ERR_INVALID_PZF' : 'ERR_CORRUPT_STREAM',
        ),
      ).toBe(false);
    }
    expect(core.isPymecompressError(new Error('x'))).toBe(false);
  });

  it('quantParams is JSON numbers only, with a context prefix', () => {
    expect(() => quantParams('1', 1, 'ctx')).toThrow(/^ctx: offset/);
    expect(() => quantParams(0, null)).toThrow(/scale/);
    expect(() => quantParams(0, 1e-46)).toThrow(/scale/);
    expect(quantParams(0, 1)).toEqual({ offset32: 0, scale32: 1 });
  });

  it('buildQuantizeTable hands out a copy, never the shared cache', () => {
    const a = core.buildQuantizeTable(7, 1.5);
    a.fill(9);
    expect(core.buildQuantizeTable(7, 1.5)).toEqual(sharedQuantizeTable(7, 1.5));
    expect(core.quantize(Uint16Array.of(7, 8, 11), 7, 1.5)).toEqual(Uint8Array.of(0, 1, 1));
    expect(isBackend(core.coreBackend)).toBe(true);
    expect(isBackend({ kind: 'x' })).toBe(false);
  });
});
