/**
 * Public-API snapshot: every runtime export of every entry point, by name and type, so that an
 * accidental export or removal fails here (issue 9 item 6). Update it on purpose, with a changeset.
 */
import { describe, expect, it } from 'vitest';

const surface = (m: Record<string, unknown>) =>
  Object.keys(m)
    .sort()
    .map((k) => `${k}: ${typeof m[k]}`);

describe('public API of @pymecompress/native', () => {
  it('@pymecompress/native', async () => {
    expect(surface(await import('../src/index.js'))).toEqual([
      'PymecompressError: function',
      'dequantize: function',
      'dequantizeAsync: function',
      'getDispatch: function',
      'hasAvx2: boolean',
      'hasAvx512: boolean',
      'huffmanCompress: function',
      'huffmanCompressAsync: function',
      'huffmanCompressQuant: function',
      'huffmanCompressQuantAsync: function',
      'huffmanDecompress: function',
      'huffmanDecompressAsync: function',
      'huffmanDecompressBatch: function',
      'huffmanDecompressBatchAsync: function',
      'maxCompressedSize: function',
      'nativeAsyncBackend: object',
      'nativeAsyncStats: function',
      'nativeBackend: object',
      'quantize: function',
      'quantizeAsync: function',
      'setDispatch: function',
    ]);
  });
});
