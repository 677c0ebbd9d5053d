// What the packages' vitest configs share: the real-Next project shape and the JSON report.
import { fileURLToPath } from 'node:url';

const globalSetup = fileURLToPath(new URL('./src/global-setup.ts', import.meta.url));

/**
 * A project whose tests start real Next servers through the harness: files strictly one after another
 * (each starts its own servers), and the harness's global setup so demo builds are shared within a run
 * and leftover servers are swept.
 */
export function realNextProject({ name, include, testTimeout = 120_000, hookTimeout = 600_000, env }) {
  return {
    test: {
      name,
      include,
      environment: 'node',
      globalSetup: [globalSetup],
      pool: 'forks',
      fileParallelism: false,
      maxWorkers: 1,
      testTimeout,
      hookTimeout,
      ...(env ? { env } : {}),
    },
  };
}

/**
 * Console output plus a JSON report. The test scripts name the file per run
 * (`--outputFile.json=test-artifacts/vitest-<project>.json`): scripts/quickstart.mjs sums those reports.
 * Other runs (benches, capture) write the default file, which quickstart does not read.
 */
export const report = { reporters: ['default', 'json'], outputFile: { json: 'test-artifacts/last-run.json' } };
