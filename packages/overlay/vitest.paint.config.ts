import { defineConfig } from 'vitest/config';

// `pnpm --filter @cachescope/overlay bench:paint`: event recorded in the Next server → row painted in
// Chromium (issue 4). Starts the real demo (dev, then prod) and a headless Chromium; a measurement, not a test.
export default defineConfig({
  test: {
    environment: 'node',
    include: ['bench/event-to-paint.bench-run.ts'],
    testTimeout: 600_000,
    hookTimeout: 600_000,
    fileParallelism: false,
    reporters: ['default'],
  },
});
