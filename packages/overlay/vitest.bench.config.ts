import { defineConfig } from 'vitest/config';

// `pnpm --filter @cachescope/overlay bench`: measurements, not pass/fail tests (see bench/store-render.bench.ts).
// BENCH_REACT=production measures with React's production build (the default is the development build,
// which is what `next dev` runs).
const production = process.env.BENCH_REACT === 'production';

export default defineConfig({
  // the JSX of src/ must target the production runtime too (jsx, not jsxDEV)
  ...(production ? { oxc: { jsx: { runtime: 'automatic', development: false } } } : {}),
  test: {
    environment: 'happy-dom',
    include: ['bench/**/*.bench.ts'],
    testTimeout: 300_000,
    reporters: ['default'],
    env: production ? { NODE_ENV: 'production' } : {},
  },
});
