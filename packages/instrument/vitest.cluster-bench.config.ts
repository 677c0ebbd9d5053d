import { defineConfig } from 'vitest/config';

// `pnpm bench:cluster` only: cluster mode under load (bench/cluster.load-run.ts), two `next start` instances
// and a real redis-server. Not part of `pnpm test` / `test:integration`.
export default defineConfig({
  test: {
    environment: 'node',
    include: ['bench/cluster.load-run.ts'],
    globalSetup: ['../../apps/demo/test/harness/global-setup.ts'],
    pool: 'forks',
    fileParallelism: false,
    maxWorkers: 1,
    testTimeout: 900_000,
    reporters: ['default'],
  },
});
