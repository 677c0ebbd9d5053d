import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    environment: 'node',
    include: ['test/unit/**/*.test.ts'],
    passWithNoTests: true,
    reporters: ['default', 'json'],
    outputFile: { json: 'test-artifacts/vitest-unit.json' },
  },
});
