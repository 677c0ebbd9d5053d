import { defineConfig } from 'vitest/config';

// `pnpm bench` only (bench/run.mjs runs it for the throughput bench): timed scripts against a real
// `next start` of the demo, not vitest's bench mode, and never part of `pnpm test` / `test:integration`
// (their configs do not include bench/). Only `*.bench-run.ts` files.
export default defineConfig({
  test: {
    environment: 'node',
    include: ['bench/**/*.bench-run.ts'],
    pool: 'forks',
    fileParallelism: false,
    maxWorkers: 1,
    testTimeout: 1_200_000,
    hookTimeout: 600_000,
    reporters: ['default'],
  },
});
