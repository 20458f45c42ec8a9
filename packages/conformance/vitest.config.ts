import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    reporters: ['default', ['json', { outputFile: 'test-results/vitest.json' }]],
    include: ['test/**/*.test.ts', 'src/suites/*.suite.ts'],
    testTimeout: 300_000,
    hookTimeout: 300_000,
    pool: 'forks',
    // The reference worker and 64k-value vectors are heavy: at most 2 files at once (2-core CI).
    maxWorkers: 2,
  },
});
