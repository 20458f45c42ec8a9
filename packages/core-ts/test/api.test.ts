/**
 * Public-API snapshot: every runtime export of every entry point, by name and type, so that an
 * accidental export or removal fails here (issue 9 item 6). Update it on purpose, with a changeset.
 */
import { describe, expect, it } from 'vitest';

const surface = (m: Record<string, unknown>) =>
  Object.keys(m)
    .sort()
    .map((k) => `${k}: ${typeof m[k]}`);

describe('public API of @pymecompress/core-ts', () => {
  it('@pymecompress/core-ts', async () => {
    expect(surface(await import('../src/index.js'))).toEqual([
      'DEFAULT_GAIN: number',
      'DEFAULT_STEP: number',
      'ERROR_CODES: object',
      'MAX_SIZE: number',
      'MAX_TREE_BYTES: number',
      'PymecompressError: function',
      'PymecompressRangeError: function',
      'buildHistogram: function',
      'buildHuffmanTree: function',
      'buildQuantizeTable: function',
      'cameraQuantization: function',
      'coreBackend: object',
      'dequantize: function',
      'dequantizeValue: function',
      'huffmanCompress: function',
      'huffmanCompressQuant: function',
      'huffmanDecompress: function',
      'isPymecompressError: function',
      'maxCompressedSize: function',
      'poissonSigma: function',
      'pymecompressError: function',
      'quantizationBound: function',
      'quantize: function',
      'quantizeValue: function',
      'saturationLevel: function',
      'stepOfScale: function',
    ]);
  });
  it('@pymecompress/core-ts/synthetic', async () => {
    expect(surface(await import('../src/synthetic.js'))).toEqual([
      'BENCHMARK_CORPUS_KINDS: object',
      'SeededRandom: function',
      'benchmarkCorpus: function',
      'corpusFrame: function',
      'corpusFrameOptions: function',
      'syntheticCameraFrame: function',
    ]);
  });
  it('@pymecompress/core-ts/internal', async () => {
    expect(surface(await import('../src/internal.js'))).toEqual([
      'BACKEND_METHODS: object',
      'LITTLE_ENDIAN: boolean',
      'MAX_SIZE: number',
      'MAX_TREE_BYTES: number',
      'RANGE_ERROR_CODES: object',
      'assertEncodableLength: function',
      'assertOutput: function',
      'assertSize: function',
      'assertUint16Array: function',
      'assertUint8Array: function',
      'checkDecompressArgs: function',
      'checkDequantizeArgs: function',
      'checkQuantizeArgs: function',
      'isBackend: function',
      'leBytes: function',
      'maxCompressedSize: function',
      'maxSymbols: function',
      'missingBackendMethods: function',
      'outputView: function',
      'plainBytes: function',
      'pymecompressError: function',
      'quantParams: function',
      'sharedQuantizeTable: function',
      'symbolsFit: function',
      'unfilledBytes: function',
    ]);
  });
});
