// The conformance suite (committed reference vectors + contract) and the cross-backend properties
// (fast-check: same bytes or the same error code) on the baseline build. One build per file: vitest
// runs each file in its own process, so the two builds never share a module instance.
import {
  loadNativeTargets,
  registerConformanceSuite,
  registerCrossSuite,
} from '@pymecompress/conformance';
import * as core from '@pymecompress/core-ts';
import { describe, expect, it } from 'vitest';
import { wasmInfo } from '../src/index.js';
import { wasmTarget } from './targets.js';

const target = wasmTarget('baseline');
registerConformanceSuite(target);
registerCrossSuite(target, { name: 'core-ts', backend: () => core.coreBackend });
const native = await loadNativeTargets();
for (const t of native.targets) registerCrossSuite(target, t);

describe('baseline build', () => {
  it('is the build that ran', () => {
    expect(wasmInfo().build).toBe('baseline');
    expect(native.targets.length).toBeGreaterThan(0);
  });
});
