import { defineConfig } from 'vitest/config';

// Ground-truth tests against a real `next dev` / `next build && next start` of the demo, plus the
// browser smoke test. One server per mode per file, files strictly one after another.
export default defineConfig({
  test: {
    environment: 'node',
    include: ['test/integration/**/*.test.ts', 'test/browser/**/*.test.ts', 'test/packaging/**/*.test.ts'],
    globalSetup: ['test/harness/global-setup.ts'],
    pool: 'forks',
    fileParallelism: false,
    maxWorkers: 1,
    testTimeout: 120_000,
    hookTimeout: 360_000,
    teardownTimeout: 30_000,
    reporters: ['default', 'json'],
    outputFile: { json: 'test-artifacts/vitest-integration.json' },
  },
});
