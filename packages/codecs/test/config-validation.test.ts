import { isPymecompressError } from '@pymecompress/core-ts';
import { describe, expect, it } from 'vitest';
import { Huffman, HuffmanQuant16 } from '../src/index.js';

const codeOf = (fn: () => unknown): string | undefined => {
  try {
    fn();
  } catch (e) {
    return isPymecompressError(e) ? e.code : `untyped ${String(e)}`;
  }
  return undefined;
};

describe('quant16 config: the quantizer rule at construction', () => {
  it('fromConfig(null) and non-objects are typed errors', () => {
    expect(codeOf(() => HuffmanQuant16.fromConfig(null as never))).toBe('ERR_INVALID_ARGUMENT');
    expect(codeOf(() => HuffmanQuant16.fromConfig([] as never))).toBe('ERR_INVALID_ARGUMENT');
    expect(codeOf(() => Huffman.fromConfig(null as never))).toBe('ERR_INVALID_ARGUMENT');
    expect(codeOf(() => Huffman.fromConfig([] as never))).toBe('ERR_INVALID_ARGUMENT');
    expect(codeOf(() => Huffman.fromConfig('x' as never))).toBe('ERR_INVALID_ARGUMENT');
    expect(codeOf(() => Huffman.fromConfig({ id: 'pymecompress-huffman' }))).toBeUndefined();
    expect(codeOf(() => Huffman.fromConfig())).toBeUndefined();
  });

  it('rejects what core-ts quantize() rejects, before any encode', () => {
    for (const [offset, scale] of [
      [0, 1e-46], // float32 underflow: reciprocal infinite
      [0, 1e-39], // float32 denormal: reciprocal beyond float32 (issue 14 row 12)
      [0, '1'],
      [1e39, 1],
      [0, -1],
      [Number.NaN, 1],
    ] as const) {
      expect(codeOf(() => HuffmanQuant16.fromConfig({ offset, scale } as never))).toBe(
        'ERR_INVALID_ARGUMENT',
      );
    }
    expect(codeOf(() => HuffmanQuant16.fromConfig({ offset: 100, scale: 0.5 }))).toBeUndefined();
  });
});
