import { realNextProject, report } from '@cachescope/harness/vitest-projects';
import { defineConfig } from 'vitest/config';

// One project per kind of run; every script picks one with `--project` (see package.json):
//   unit                src/ and test/ (happy-dom + Testing Library)
//   bench-store-render  store + render measurements, not pass/fail tests (bench/store-render.bench.ts).
//                       BENCH_REACT=production measures with React's production build (the default is the
//                       development build, which is what `next dev` runs)
//   bench-paint         event recorded in the Next server → row painted in Chromium (issue 4): the real
//                       demo (dev, then prod) and a headless Chromium
const production = process.env.BENCH_REACT === 'production';

export default defineConfig({
  test: {
    ...report,
    projects: [
      { test: { name: 'unit', environment: 'happy-dom', include: ['src/**/*.test.{ts,tsx}', 'test/**/*.test.{ts,tsx}'] } },
      {
        // the JSX of src/ must target the production runtime too (jsx, not jsxDEV)
        ...(production ? { oxc: { jsx: { runtime: 'automatic', development: false } } } : {}),
        test: {
          name: 'bench-store-render',
          environment: 'happy-dom',
          include: ['bench/store-render.bench.ts'],
          testTimeout: 300_000,
          env: production ? { NODE_ENV: 'production' } : {},
        },
      },
      realNextProject({ name: 'bench-paint', include: ['bench/event-to-paint.bench.ts'], testTimeout: 600_000 }),
    ],
  },
});
