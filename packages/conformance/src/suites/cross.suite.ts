// core-ts == native (each dispatch body) == an external backend: same bytes or same error code.
import { describe, it } from 'vitest';
import { loadBackends } from '../backends.js';
import { registerCrossSuite } from '../cross.js';

const { targets, skipped } = await loadBackends();
const [first, ...rest] = targets;
if (first && rest.length) {
  for (const other of rest) registerCrossSuite(first, other);
} else {
  describe('cross-implementation', () => {
    it.skip(`needs two backends (${skipped.join('; ') || 'only one available'})`, () => {});
  });
}
