import { defineConfig } from 'vitest/config';

// The safety suite (issue 6): cachescope changes nothing in the app it observes, survives faults and odd
// input, and leaks no secret. Real `next dev` / `next build && next start` of the demo, with and without
// cachescope side by side; run by `pnpm test:integration` after the integration suite. Files one after
// another: each starts its own servers (builds are reused within a run).
export default defineConfig({
  test: {
    environment: 'node',
    include: ['test/safety/**/*.test.ts'],
    globalSetup: ['../../apps/demo/test/harness/global-setup.ts'],
    pool: 'forks',
    fileParallelism: false,
    maxWorkers: 1,
    testTimeout: 300_000,
    hookTimeout: 900_000,
    reporters: ['default', 'json'],
    outputFile: { json: 'test-artifacts/vitest-safety.json' },
  },
});
