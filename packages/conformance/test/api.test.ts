/**
 * Public-API snapshot: every runtime export of every entry point, by name and type, so that an
 * accidental export or removal fails here (issue 9 item 6). Update it on purpose, with a changeset.
 */
import { describe, expect, it } from 'vitest';

const surface = (m: Record<string, unknown>) =>
  Object.keys(m)
    .sort()
    .map((k) => `${k}: ${typeof m[k]}`);

describe('public API of @pymecompress/conformance', () => {
  it('@pymecompress/conformance', async () => {
    expect(surface(await import('../src/index.js'))).toEqual([
      'ERROR_CODES: object',
      'assertBackend: function',
      'assertBytesEqual: function',
      'bytesEqual: function',
      'contractDequantize: function',
      'contractQuantize: function',
      'ensureReferencePython: function',
      'errorCode: function',
      'expectCode: function',
      'fcRuns: function',
      'fibonacciInput: function',
      'loadBackendModule: function',
      'loadBackends: function',
      'loadManifest: function',
      'loadNativeTargets: function',
      'loadWasmTargets: function',
      'nativeImplemented: function',
      'outcome: function',
      'packageRoot: string',
      'prefixBitsEqual: function',
      'readVectorFile: function',
      'readVectorU16: function',
      'referenceQuantModel: function',
      'registerConformanceSuite: function',
      'registerCrossSuite: function',
      'registerDifferentialSuite: function',
      'setupScript: string',
      'sha256: function',
      'startReferenceWorker: function',
      'treeInfo: function',
      'useReferenceWorker: function',
      'vectorsDir: string',
      'vectorsOfKind: function',
    ]);
  });
});
