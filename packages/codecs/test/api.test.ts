/** Public-API snapshot: every runtime export of every entry point, by name and type. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PKG } from './helpers.js';

const surface = (m: Record<string, unknown>) =>
  Object.keys(m)
    .sort()
    .map((k) => `${k}: ${typeof m[k]}`);

describe('public API', () => {
  it('@pymecompress/codecs', async () => {
    expect(surface(await import('@pymecompress/codecs'))).toEqual([
      'BACKEND_METHODS: object',
      'BACKEND_NAMES: object',
      'CODECS_ERROR_CODES: object',
      'ERROR_CODES: object',
      'Huffman: function',
      'HuffmanQuant16: function',
      'NGFF_SPACE_UNITS: object',
      'NGFF_TIME_UNITS: object',
      'NGFF_VERSION: string',
      'PZF_DEFAULT_CHUNKS: number',
      'PZF_HEADER_LENGTH_V1_V2: number',
      'PZF_HEADER_LENGTH_V3: number',
      'PZF_ID: string',
      'PZF_VERSION: number',
      'PymePzf: function',
      'PymecompressError: function',
      'PymecompressRangeError: function',
      'ZARR_V2_KEYS: object',
      'availableBackends: function',
      'backendInfo: function',
      'decodePzf: function',
      'decodePzfAsync: function',
      'encodePzf: function',
      'encodePzfAsync: function',
      'getBackend: function',
      'hasErrorCode: function',
      'isBackend: function',
      'isPymecompressError: function',
      'itemSizeOf: function',
      'missingBackendMethods: function',
      'ngffMultiscales: function',
      'numpyAstypeUint16: function',
      'parseBackendName: function',
      'readPzfHeader: function',
      'ready: function',
      'transpose: function',
      'v2Dtype: function',
      'zarrV2ArrayMeta: function',
      'zarrV2ChunkGrid: function',
      'zarrV2ChunkKey: function',
      'zarrV2GroupMeta: function',
      'zarrV2Json: function',
    ]);
  });

  it('@pymecompress/codecs/zarr', async () => {
    expect(surface(await import('@pymecompress/codecs/zarr'))).toEqual([
      'Crc32c: function',
      'NGFF_SPACE_UNITS: object',
      'NGFF_TIME_UNITS: object',
      'NGFF_VERSION: string',
      'PYME_DEFAULT_KEY_SCHEMA: string',
      'REGISTERED_NAMES: object',
      'ZARR_V2_KEYS: object',
      'ZARR_V3_NUMCODECS_PREFIX: string',
      'crc32c: function',
      'ngffMultiscales: function',
      'pymePyramidStore: function',
      'register: function',
      'v2Dtype: function',
      'writeZarrV2: function',
      'zarrV2ArrayMeta: function',
      'zarrV2ChunkGrid: function',
      'zarrV2ChunkKey: function',
      'zarrV2GroupMeta: function',
      'zarrV2Json: function',
      'zarrV3CodecName: function',
      'zarrV3Codecs: function',
    ]);
  });

  it('@pymecompress/codecs/node', async () => {
    expect(surface(await import('@pymecompress/codecs/node'))).toEqual([
      'directoryStore: function',
      'writeZarrV2Array: function',
    ]);
  });

  it('@pymecompress/codecs/untrusted', async () => {
    expect(surface(await import('@pymecompress/codecs/untrusted'))).toEqual([
      'UNTRUSTED_LIMITS: object',
      'countProblem: function',
      'maxHuffmanChunkBytes: function',
      'stackProblem: function',
      'zarrayProblem: function',
    ]);
  });

  it('error codes and codec ids are stable', async () => {
    const m = await import('@pymecompress/codecs');
    expect(m.CODECS_ERROR_CODES).toEqual(['ERR_INVALID_PZF', 'ERR_BACKEND_UNAVAILABLE']);
    expect(m.Huffman.codecId).toBe('pymecompress-huffman');
    expect(m.HuffmanQuant16.codecId).toBe('pymecompress-quant16');
    expect(m.PymePzf.codecId).toBe('pyme-pzf');
    const err = (() => {
      try {
        m.decodePzf(new Uint8Array(3));
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(m.PymecompressError);
    expect(m.hasErrorCode(err, 'ERR_INVALID_PZF')).toBe(true);
  });

  it('package.json: exports, browser condition, optional native, zarrita peer', () => {
    const pkg = JSON.parse(readFileSync(join(PKG, 'package.json'), 'utf8'));
    expect(pkg.name).toBe('@pymecompress/codecs');
    expect(pkg.private).toBeUndefined();
    expect(pkg.type).toBe('module');
    expect(pkg.imports['#backend-loader'].browser).toBe('./dist/loader/browser.js');
    expect(pkg.optionalDependencies['@pymecompress/native']).toBe('workspace:*');
    expect(pkg.optionalDependencies['@pymecompress/wasm']).toBe('workspace:*');
    expect(pkg.dependencies['@pymecompress/native']).toBeUndefined();
    expect(pkg.peerDependenciesMeta.zarrita.optional).toBe(true);
  });
});
