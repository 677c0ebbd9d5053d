import { defineConfig } from 'vitest/config';

// `pnpm bench:load` only: the load run of the safety suite (bench/load.load-run.ts) against a real
// `next start` of the demo, with and without cachescope. Not part of `pnpm test` / `test:integration`.
export default defineConfig({
  test: {
    environment: 'node',
    include: ['bench/load.load-run.ts'],
    globalSetup: ['../../apps/demo/test/harness/global-setup.ts'],
    pool: 'forks',
    fileParallelism: false,
    maxWorkers: 1,
    testTimeout: 3_600_000,
    hookTimeout: 900_000,
    reporters: ['default'],
  },
});
