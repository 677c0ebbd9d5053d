import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    environment: 'node',
    include: ['src/**/*.test.ts', 'test/unit/**/*.test.ts'],
    reporters: ['default', 'json'],
    outputFile: { json: 'test-artifacts/vitest-unit.json' },
  },
});
