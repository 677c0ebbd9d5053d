import { defineConfig } from 'vitest/config';

// cachescope against a real `next dev` / `next build && next start` of the demo (the harness lives in
// apps/demo/test/harness). Files run one after another: each starts its own Next server.
export default defineConfig({
  test: {
    environment: 'node',
    include: ['test/integration/**/*.test.ts'],
    globalSetup: ['../../apps/demo/test/harness/global-setup.ts'],
    pool: 'forks',
    fileParallelism: false,
    maxWorkers: 1,
    testTimeout: 120_000,
    hookTimeout: 600_000,
    reporters: ['default', 'json'],
    outputFile: { json: 'test-artifacts/vitest-integration.json' },
  },
});
