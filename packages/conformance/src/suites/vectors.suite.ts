// Every committed vector (and the contract where the reference is undefined) against every backend.
import { describe, it } from 'vitest';
import { loadBackends } from '../backends.js';
import { registerConformanceSuite } from '../suite.js';

const { targets, skipped } = await loadBackends();
for (const reason of skipped) console.log(`[conformance] skipped ${reason}`);
for (const t of targets) registerConformanceSuite(t);
describe('backends under test', () => {
  it(`${targets.map((t) => t.name).join(', ')}`, () => {});
});
