import { realNextProject, report } from '@cachescope/harness/vitest-projects';
import { defineConfig } from 'vitest/config';

// One project per kind of run; every script picks one with `--project` (see package.json):
//   unit              src/ and test/unit, no server
//   integration       cachescope against a real `next dev` / `next build && next start` of the demo
//   safety            the safety suite (issue 6): cachescope changes nothing in the app it observes, survives
//                     faults and odd input, leaks no secret; with and without cachescope side by side
//   capture           `capture:golden`: records test/fixtures/golden-*.json from the demo
//   bench-throughput  timed runs, not pass/fail tests: run by bench/run.mjs (`bench:overhead`)
//   bench-load        the load run of the safety suite (`bench:load`)
//   bench-cluster     cluster mode under load: two `next start` instances and a real redis-server (`bench:cluster`)
//   bench-otel        what exporting spans adds per recorded operation (`bench:otel`)
export default defineConfig({
  test: {
    ...report,
    projects: [
      { test: { name: 'unit', environment: 'node', include: ['src/**/*.test.ts', 'test/unit/**/*.test.ts'] } },
      realNextProject({ name: 'integration', include: ['test/integration/**/*.test.ts'] }),
      realNextProject({ name: 'safety', include: ['test/safety/**/*.test.ts'], testTimeout: 300_000, hookTimeout: 900_000 }),
      realNextProject({ name: 'capture', include: ['test/capture/**/*.test.ts'] }),
      realNextProject({ name: 'bench-throughput', include: ['bench/throughput.bench.ts'], testTimeout: 1_200_000 }),
      realNextProject({ name: 'bench-load', include: ['bench/load.bench.ts'], testTimeout: 3_600_000, hookTimeout: 900_000 }),
      realNextProject({ name: 'bench-cluster', include: ['bench/cluster.bench.ts'], testTimeout: 900_000 }),
      {
        test: {
          name: 'bench-otel',
          environment: 'node',
          include: ['bench/otel-export.bench.ts'],
          testTimeout: 300_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
