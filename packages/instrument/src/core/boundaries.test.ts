// The core stays framework-free: no next, react or Node I/O; node:crypto only in hash.ts.
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const dir = dirname(fileURLToPath(import.meta.url));
const sources = readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));

function importsOf(file: string): string[] {
  const text = readFileSync(join(dir, file), 'utf8');
  return [...text.matchAll(/(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]/g)].map((m) => m[1]!);
}

describe('core import boundaries', () => {
  it('has the expected files', () => {
    expect(sources).toEqual(expect.arrayContaining(['events.ts', 'hash.ts', 'redact.ts', 'analyzer.ts', 'index.ts']));
  });

  it.each(sources)('%s imports only relative .js modules (plus node:crypto in hash.ts)', (file) => {
    for (const spec of importsOf(file)) {
      if (file === 'hash.ts' && spec === 'node:crypto') continue;
      expect(spec, `${file} imports ${spec}`).toMatch(/^\.\/[a-z-]+\.js$/);
    }
  });

  it('events.ts is types only (plus SCHEMA_VERSION), so the overlay can import it', () => {
    const text = readFileSync(join(dir, 'events.ts'), 'utf8');
    const runtime = text.split('\n').filter((l) => /^export (const|function|class|let|var) /.test(l));
    expect(runtime).toEqual(['export const SCHEMA_VERSION = 1 as const;']);
    expect(importsOf('events.ts')).toEqual([]);
  });
});
