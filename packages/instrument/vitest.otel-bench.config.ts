import { defineConfig } from 'vitest/config';

// `pnpm --filter @cachescope/instrument bench:otel`: what exporting spans adds per recorded operation
// (bench/otel-export.bench.ts). A measurement, not a pass/fail test; never run by `pnpm test`.
export default defineConfig({
  test: {
    environment: 'node',
    include: ['bench/otel-export.bench.ts'],
    testTimeout: 300_000,
    hookTimeout: 60_000,
    reporters: ['default'],
  },
});
