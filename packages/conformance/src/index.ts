/**
 * @pymecompress/conformance: the reference worker (real pymecompress 0.3.6 in Python), the
 * committed vectors, and the reusable suites that check any `Backend` against them.
 */

export {
  assertBackend,
  loadBackendModule,
  loadBackends,
  loadNativeTargets,
  loadWasmTargets,
  nativeImplemented,
} from './backends.js';
export { registerCrossSuite } from './cross.js';
export { registerDifferentialSuite, useReferenceWorker } from './differential.js';
export { ensureReferencePython, packageRoot, setupScript } from './python.js';
export {
  type CodecName,
  type QuantizerPath,
  type ReferenceInfo,
  type ReferenceOp,
  type ReferenceWorker,
  type ReferenceWorkerOptions,
  startReferenceWorker,
} from './reference-worker.js';
export { registerConformanceSuite, type SuiteTarget } from './suite.js';
export * from './util.js';
export * from './vectors.js';
