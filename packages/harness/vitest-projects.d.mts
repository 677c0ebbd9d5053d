import type { TestProjectInlineConfiguration } from 'vitest/config';

export declare function realNextProject(options: {
  name: string;
  include: string[];
  testTimeout?: number;
  hookTimeout?: number;
  env?: Record<string, string>;
}): TestProjectInlineConfiguration;
export declare const report: { reporters: ['default', 'json']; outputFile: { json: string } };
