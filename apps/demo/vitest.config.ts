import { realNextProject, report } from '@cachescope/harness/vitest-projects';
import { defineConfig } from 'vitest/config';

// One project per kind of run; every script picks one with `--project` (see package.json):
//   unit         the harness parsers and other pure helpers
//   integration  ground truth against a real `next dev` / `next build && next start` of the demo, the
//                browser smoke tests and packaging (the demo as an app outside the workspace)
export default defineConfig({
  test: {
    ...report,
    teardownTimeout: 30_000,
    projects: [
      { test: { name: 'unit', environment: 'node', include: ['test/unit/**/*.test.ts'] } },
      realNextProject({
        name: 'integration',
        include: ['test/integration/**/*.test.ts', 'test/browser/**/*.test.ts', 'test/packaging/**/*.test.ts'],
        hookTimeout: 360_000,
      }),
    ],
  },
});
